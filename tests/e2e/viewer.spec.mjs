// The viewer on demo data: first load, filters, paging, the URL as the
// state, and the task detail panel. Every count is checked against a
// reference server holding the same rows (the demo's twin).
import { test, expect } from "@playwright/test";
import { openDemo, startDemoTwin, api, waitForRows, visibleIds, sentQuery, parseStatus } from "./helpers.mjs";

let twin;
let anchor;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  anchor = await openDemo(page);
  await page.close();
  twin = await startDemoTwin(anchor);
});
test.afterAll(() => twin?.stop());

/** The twin's answer to the query the viewer sent. */
async function reference(page) {
  return api(twin.url, `/api/v1/usage/tasks?${await sentQuery(page)}`);
}

async function expectSameAsReference(page) {
  await waitForRows(page);
  const ref = await reference(page);
  expect(await visibleIds(page)).toEqual(ref.data.map((r) => r.task_id));
  expect(parseStatus(await page.getByTestId("pagination-status").innerText()).total).toBe(ref.total);
  return ref;
}

test("first load shows labelled demo data, the last 30 days, and the server's rows", async ({ page }) => {
  const errors = [];
  page.on("console", (m) => (m.type() === "error" || /Content Security Policy/.test(m.text())) && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  await openDemo(page);
  // The built site carries a CSP without 'unsafe-inline' or 'unsafe-eval' for
  // scripts, and runs under it (a violation would be logged above).
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp.split(";").find((d) => d.includes("script-src"))).not.toContain("unsafe-inline");
  await expect(page.getByTestId("source-label")).toHaveText(/Demo data: 5,000 seeded tasks over 90 days/);
  await expect(page.getByTestId("row")).toHaveCount(50);
  await expect(page.getByTestId("filter-preset")).toHaveValue("30d");
  const ref = await expectSameAsReference(page);
  expect(ref.total).toBeGreaterThan(1000);
  expect(ref.total).toBeLessThan(5000);
  expect(errors).toEqual([]);
});

test("each filter changes the URL and the rows, and returns to page 1", async ({ page }) => {
  await openDemo(page, "offset=100");
  await expect(page.getByTestId("pagination-status")).toHaveText(/^101–150 of/);
  const steps = [
    [async () => page.getByTestId("filter-status").selectOption("error"), /status=error/],
    [async () => page.getByTestId("filter-model").selectOption("claude-sonnet-4"), /model=claude-sonnet-4/],
    [async () => page.getByTestId("filter-byok").selectOption("no"), /is_byok=false/],
    [async () => page.getByTestId("filter-email").selectOption("alice@acme-sec.example"), /email=alice%40acme-sec.example/],
    [async () => page.getByTestId("filter-preset").selectOption("90d"), /range=90d/],
  ];
  for (const [act, inUrl] of steps) {
    await act();
    await expect(page).toHaveURL(inUrl);
    await expect(page).not.toHaveURL(/offset=/);
    await expectSameAsReference(page);
  }
  const rows = await page.getByTestId("row").count();
  expect(rows).toBeGreaterThan(0);
  for (const status of await page.getByTestId("row").locator(".badge").allInnerTexts()) expect(status).toBe("error");
  // Search is debounced: the URL follows once typing stops.
  await page.getByTestId("filter-status").selectOption("");
  await page.getByTestId("filter-search").fill("alice");
  await expect(page).toHaveURL(/search=alice/);
  await expectSameAsReference(page);
  // Task id: exactly one row.
  const [first] = await visibleIds(page);
  await page.getByTestId("filter-task-id").fill(first);
  await page.getByTestId("filter-task-id").press("Enter");
  await expect(page.getByTestId("row")).toHaveCount(1);
  await expect(page.getByTestId("pagination-status")).toHaveText("1–1 of 1");
  // Chips remove filters one by one; the clear button removes the rest.
  await expect(page.getByTestId("filter-chip")).toHaveCount(5);
  await page.getByTestId("filter-clear").click();
  await expect(page.getByTestId("filter-chip")).toHaveCount(0);
  await expectSameAsReference(page);
});

test("paging shows each row once, with the right 'X–Y of Z' on every page", async ({ page }) => {
  await openDemo(page, "status=failed&limit=25&range=90d");
  const seen = new Set();
  const { total } = parseStatus(await page.getByTestId("pagination-status").innerText());
  expect(total).toBeGreaterThan(25);
  const pages = Math.ceil(total / 25);
  for (let p = 1; p <= pages; p++) {
    const status = parseStatus(await page.getByTestId("pagination-status").innerText());
    expect(status).toEqual({ first: (p - 1) * 25 + 1, last: Math.min(p * 25, total), total });
    for (const id of await visibleIds(page)) {
      expect(seen.has(id)).toBe(false);
      seen.add(id);
    }
    if (p < pages) {
      await page.getByTestId("page-next").click();
      await expect(page.getByTestId("pagination-status")).toHaveText(new RegExp(`^${(p * 25 + 1).toLocaleString("en-US")}–`));
      await waitForRows(page);
    }
  }
  expect(seen.size).toBe(total);
  await expect(page.getByTestId("page-next")).toBeDisabled();
  await page.getByTestId("page-first").click();
  await expect(page.getByTestId("pagination-status")).toHaveText(/^1–25 of/);
  await page.getByTestId("page-last").click();
  await expect(page.getByTestId("pagination-status")).toHaveText(new RegExp(`–${total.toLocaleString("en-US")} of`));
  await page.getByTestId("page-size").selectOption("100");
  await expect(page).toHaveURL(/limit=100/);
  await expect(page.getByTestId("pagination-status")).toHaveText(/^1–100 of/);
});

test("reload restores the view; back and forward step through changes; a bad URL value falls back", async ({ page }) => {
  await openDemo(page, "status=completed&tz=utc&offset=50&limit=25");
  const before = await visibleIds(page);
  await page.reload();
  await waitForRows(page);
  expect(await visibleIds(page)).toEqual(before);
  await expect(page.getByTestId("filter-status")).toHaveValue("completed");
  await expect(page.getByTestId("tz-toggle")).toHaveText("UTC");

  await page.getByTestId("filter-model").selectOption("o3");
  await expect(page).toHaveURL(/model=o3/);
  await waitForRows(page);
  await page.goBack();
  await expect(page).not.toHaveURL(/model=o3/);
  await expect(page.getByTestId("filter-model")).toHaveValue("");
  await waitForRows(page);
  expect(await visibleIds(page)).toEqual(before);
  await page.goForward();
  await expect(page.getByTestId("filter-model")).toHaveValue("o3");

  await page.goto("./?status=bogus&limit=9999&model=o3&tz=Mars%2FOlympus");
  await expect(page.getByTestId("url-problems")).toContainText("`status` must be one of");
  await expect(page.getByTestId("url-problems")).toContainText("`limit` must be between 1 and 200");
  await expect(page.getByTestId("url-problems")).toContainText("Mars/Olympus");
  await expect(page.getByTestId("filter-model")).toHaveValue("o3");
  await expect(page.getByTestId("filter-status")).toHaveValue("");
  await waitForRows(page);
  await expect(page.getByTestId("row")).toHaveCount(50);
});

test("the detail panel shows every field and the tool timeline, opens from its URL, closes with Esc", async ({ page }) => {
  await openDemo(page, "range=90d");
  // A row with tool calls and an error message, if the page has one.
  const ref = await reference(page);
  const row = ref.data.find((r) => (r.tool_call_history ?? []).length > 0) ?? ref.data[0];
  await page.locator(`[data-testid=row][data-task-id="${row.task_id}"]`).click();
  await expect(page).toHaveURL(new RegExp(`task=${row.task_id}`));
  const panel = page.getByTestId("task-detail");
  await expect(panel.getByTestId("detail-task-id")).toHaveText(row.task_id);
  await expect(panel).toContainText(row.model);
  await expect(panel).toContainText(row.email);
  await expect(panel.getByTestId("tool-timeline").locator("rect.bar")).toHaveCount(row.tool_call_history.length);
  await expect(panel.getByTestId("tool-breakdown").locator("tbody tr")).toHaveCount(Object.keys(row.tool_breakdown ?? {}).length);
  await expect(panel.getByTestId("streams").locator("tbody tr")).toHaveCount(row.stream_count ?? 1);
  if (row.neo_credits !== undefined) await expect(panel).toContainText(`exact ${row.neo_credits}`);
  await page.reload();
  await expect(page.getByTestId("task-detail").getByTestId("detail-task-id")).toHaveText(row.task_id);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("task-detail")).toHaveCount(0);
  await expect(page).not.toHaveURL(/task=/);
  // Keyboard: focus a row, move down, Enter opens it.
  const ids = await visibleIds(page);
  await page.getByTestId("row").first().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("task-detail").getByTestId("detail-task-id")).toHaveText(ids[1]);
});

test("sorting held rows orders the whole filtered set, not just the page", async ({ page }) => {
  await openDemo(page, "range=90d");
  await page.getByTestId("sort-credits").click();
  await expect(page).toHaveURL(/sort=credits.desc/);
  await waitForRows(page);
  const ref = await api(twin.url, `/api/v1/usage/tasks?${(await sentQuery(page)).replace(/&?(limit|offset)=\d+/g, "")}&limit=200`);
  const credits = (r) => r.neo_credits ?? 0;
  let all = ref.data;
  for (let offset = 200; offset < ref.total; offset += 200) {
    all = all.concat((await api(twin.url, `/api/v1/usage/tasks?${(await sentQuery(page)).replace(/&?(limit|offset)=\d+/g, "")}&limit=200&offset=${offset}`)).data);
  }
  const top = Math.max(...all.map(credits));
  const [firstId] = await visibleIds(page);
  expect(credits(all.find((r) => r.task_id === firstId))).toBe(top);
});
