// Shared helpers for the Playwright suite: reference servers started on a
// free loopback port (and stopped), direct API queries to compare what the
// viewer shows with what the server answers, and waits on visible states.
import { expect } from "@playwright/test";
import { startMock as startMockBinary } from "../../scripts/bench/serve.mjs";

export const MOCK_BIN = process.env.MOCK_BIN ?? "target/debug/neo-usage-mock";
export const ADMIN = "admin-token";

/** Starts `neo-usage-mock` with `args` on 127.0.0.1:0; resolves to
 * `{ url, stop, log }` once it prints the address it listens on. */
export function startMock(args = []) {
  return startMockBinary(MOCK_BIN, args);
}

/** GET an API path from a reference server as the admin (or `token`). */
export async function api(baseUrl, pathAndQuery, token = ADMIN) {
  const res = await fetch(`${baseUrl}${pathAndQuery}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${pathAndQuery}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Waits until the table shows loaded rows (or the empty state), for up
 * to `timeout` ms (the suite's expect timeout unless given). */
export async function waitForRows(page, { timeout } = {}) {
  await expect(page.getByTestId("pagination-status")).toHaveText(/of [\d,]+$/, { timeout });
  await expect(page.getByTestId("loading")).toHaveCount(0, { timeout });
}

/** The task ids of the visible rows, in order. */
export async function visibleIds(page) {
  return page.getByTestId("row").evaluateAll((rows) => rows.map((r) => r.dataset.taskId));
}

/** The query the viewer sent for its current view (API parameters). */
export async function sentQuery(page) {
  return page.getByTestId("pagination-status").getAttribute("data-query");
}

/** Opens the demo and waits for its first page; returns the demo anchor.
 * A big demo (`rows=100000`) is generated in the browser before its first
 * page shows: give it a longer `timeout` (ms). */
export async function openDemo(page, query = "", { timeout } = {}) {
  await page.goto(query ? `./?${query}` : "./");
  await expect(page.getByTestId("source-label")).toContainText("Demo data", { timeout });
  await waitForRows(page, { timeout });
  return page.getByTestId("source-label").getAttribute("data-demo-now");
}

/** A reference server holding exactly the demo's rows (same seed, size,
 * window and anchor), to compare the viewer's answers with. */
export function startDemoTwin(anchor, tasks = 5000) {
  return startMock(["--now", anchor, "--tasks", String(tasks), "--window-days", "90", "--seed", "42"]);
}

/** Parses "1–50 of 1,234" into numbers. */
export function parseStatus(text) {
  const m = /^([\d,]+)–([\d,]+) of ([\d,]+)$/.exec(text.trim()) ?? /^(0) of ([\d,]+)$/.exec(text.trim());
  const n = (s) => Number(s.replaceAll(",", ""));
  if (!m) throw new Error(`unreadable pagination status: ${text}`);
  return m.length === 4 ? { first: n(m[1]), last: n(m[2]), total: n(m[3]) } : { first: 0, last: 0, total: n(m[2]) };
}

/** Connects the viewer to the live API at `baseUrl` with `token` (the
 * admin's by default) through the connect form. */
export async function connectLive(page, baseUrl, token = ADMIN) {
  await page.getByTestId("source-live").click();
  await page.getByTestId("live-base-url").fill(baseUrl);
  await page.getByTestId("live-token").fill(token);
  await page.getByTestId("live-connect").click();
}

/** Collects uncaught page errors and wasm panics, to assert none happened. */
export function watchCrashes(page) {
  const crashes = [];
  page.on("pageerror", (e) => crashes.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /panicked|unreachable|RuntimeError/i.test(m.text())) crashes.push(`console: ${m.text()}`);
  });
  return crashes;
}
