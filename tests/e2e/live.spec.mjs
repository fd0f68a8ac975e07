// Live mode against reference servers: roles, the error messages a person
// sees for 401/403/429/503/network, and where the token may (not) go.
import { test, expect } from "@playwright/test";
import { openDemo, startMock, api, waitForRows, visibleIds, sentQuery, parseStatus } from "./helpers.mjs";

async function connect(page, baseUrl, token, { remember = false } = {}) {
  await page.getByTestId("source-live").click();
  await page.getByTestId("live-base-url").fill(baseUrl);
  await page.getByTestId("live-token").fill(token);
  if (remember) await page.getByTestId("live-remember").check();
  await page.getByTestId("live-connect").click();
}

/** A reference server that allows three requests per 10 minutes and
 *  answers the rest with 429 and `Retry-After: retryAfter` seconds, with
 *  the viewer connected to it: connecting takes the three (the probe, the
 *  summary, the first page). More rows than load-all takes by itself, so
 *  each new page is a request. */
async function connectRateLimited(page, retryAfter) {
  const limited = await startMock(["--tasks", "25000", "--rate-limit", "3", "--rate-window-ms", "600000", "--retry-after", String(retryAfter)]);
  try {
    await openDemo(page);
    await connect(page, limited.url, "admin-token");
    // The demo's rows stay until the connection is made: wait for the
    // live source before its rows.
    await expect(page.getByTestId("source-label")).toContainText(`Live: ${new URL(limited.url).host}`);
    await waitForRows(page);
    return limited;
  } catch (error) {
    limited.stop();
    throw error;
  }
}

async function storageText(page) {
  return page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
}

test("an admin sees members and the email filter; rows equal the server's", async ({ page, baseURL }) => {
  const origin = baseURL.replace(/\/$/, "");
  await openDemo(page);
  await connect(page, origin, "admin-token");
  await expect(page.getByTestId("source-label")).toContainText("Live: 127.0.0.1");
  await expect(page.getByTestId("source-label")).toContainText("team admin");
  await expect(page).toHaveURL(/source=live/);
  await waitForRows(page);
  await expect(page.locator("th", { hasText: "Member" })).toBeVisible();
  await expect(page.getByTestId("filter-email")).toBeVisible();
  const ref = await api(origin, `/api/v1/usage/tasks?${await sentQuery(page)}`);
  expect(await visibleIds(page)).toEqual(ref.data.map((r) => r.task_id));
  await page.getByTestId("filter-status").selectOption("error");
  await waitForRows(page);
  const filtered = await api(origin, `/api/v1/usage/tasks?${await sentQuery(page)}`);
  expect(await visibleIds(page)).toEqual(filtered.data.map((r) => r.task_id));
  expect(page.url()).not.toContain("admin-token");
  expect(await storageText(page)).not.toContain("admin-token");
});

test("a solo user sees no member column and no email filter", async ({ page, baseURL }) => {
  await openDemo(page);
  await connect(page, baseURL.replace(/\/$/, ""), "solo-token");
  await expect(page.getByTestId("source-label")).toContainText("your own usage");
  await waitForRows(page);
  await expect(page.locator("th", { hasText: "Member" })).toHaveCount(0);
  await expect(page.getByTestId("filter-email")).toHaveCount(0);
});

test("member and wrong tokens get messages that say what to do; the demo and the form stay", async ({ page, baseURL }) => {
  await openDemo(page);
  const before = await visibleIds(page);
  await connect(page, baseURL.replace(/\/$/, ""), "member-token");
  await expect(page.getByTestId("error")).toContainText("cannot see usage (403)");
  await expect(page.getByTestId("error")).toContainText("Ask a team admin");
  expect(await visibleIds(page)).toEqual(before);
  await expect(page.getByTestId("live-token")).toHaveValue("member-token");
  await page.getByTestId("live-token").fill("not-a-token");
  await page.getByTestId("live-connect").click();
  await expect(page.getByTestId("error")).toContainText("The token was refused (401)");
  await expect(page.getByTestId("error")).not.toContainText("not-a-token");
  await expect(page.getByTestId("source-label")).toContainText("Demo data");
});

test("remember keeps the token for a reload; forget removes it; unticked it is never stored", async ({ page, baseURL }) => {
  const origin = baseURL.replace(/\/$/, "");
  await openDemo(page);
  await connect(page, origin, "admin-token", { remember: true });
  await waitForRows(page);
  expect(await storageText(page)).toContain("admin-token");
  await page.reload();
  await expect(page.getByTestId("source-label")).toContainText("Live: 127.0.0.1");
  await waitForRows(page);
  await page.getByTestId("source-live").click();
  await page.getByTestId("live-forget").click();
  expect(await storageText(page)).not.toContain("admin-token");
  await page.reload();
  await expect(page.getByTestId("error")).toContainText("Enter your token");
  expect(page.url()).not.toContain("token");
});

test("429 with Retry-After, then success; a burst of 503s, then success", async ({ page }) => {
  // More rows than load-all takes by itself: the table's own requests are
  // the only ones, so the rate limit meets them and nothing else.
  const limited = await startMock(["--tasks", "25000", "--rate-limit", "2", "--rate-window-ms", "3000", "--retry-after", "1"]);
  const flaky = await startMock(["--error-rate", "0.5", "--error-statuses", "503"]);
  try {
    await openDemo(page);
    await connect(page, limited.url, "admin-token");
    await waitForRows(page);
    await expect(page.getByTestId("load-all")).toBeVisible();
    // Page through faster than the limit allows: the client waits as told,
    // and each page arrives (the status names the rows shown, not the
    // page asked for).
    for (const first of [51, 101, 151]) {
      await page.getByTestId("page-next").click();
      await expect(page.getByTestId("pagination-status")).toHaveText(new RegExp(`^${first}–${first + 49} of [\\d,]+$`));
    }
    await expect(page.getByTestId("error")).toHaveCount(0);
    // Five answers were needed (summary + four pages); the server limits
    // to two per 3 s, so the extra requests are the 429s the client waited out.
    const stats = await (await fetch(`${limited.url}/__mock/stats`)).json();
    expect(stats.requests).toBeGreaterThan(5);
    await connect(page, flaky.url, "admin-token");
    await waitForRows(page);
    await expect(page.getByTestId("row")).toHaveCount(50);
  } finally {
    limited.stop();
    flaky.stop();
  }
});

test("a 429 that outlasts the retries counts down in the banner and loads by itself once the limit lifts", async ({ page }) => {
  // The next page meets 429s with Retry-After 1 past the client's four
  // attempts, so the banner counts down and reloads, until the server
  // forgets the limit.
  const limited = await connectRateLimited(page, 1);
  try {
    const connecting = await (await fetch(`${limited.url}/__mock/stats`)).json();
    expect(connecting.requests, "requests made to connect (the rate limit above assumes three)").toBe(3);
    const pages = Math.ceil(parseStatus(await page.getByTestId("pagination-status").innerText()).total / 50);
    expect(pages).toBeGreaterThan(2);
    await page.getByTestId("page-next").click();
    await expect(page.getByTestId("retry-countdown")).toHaveText(/^Retrying in \d+ s…$/, { timeout: 30000 });
    await expect(page.getByTestId("error")).toHaveAttribute("data-kind", "rate_limited");
    // The banner leaves while each reload's attempts run: retry until one
    // screenshot catches it.
    await expect(async () => {
      await page.getByTestId("error").screenshot({ path: "target/screenshots/desktop-rate-limited.png", timeout: 2000 });
    }).toPass({ timeout: 30000 });
    await expect(page.getByTestId("pagination-status")).not.toHaveText(/^51–100/);
    // While the page waits, the pager still counts the pages it knew.
    await expect(page.getByTestId("page-jump")).toHaveValue("2");
    await expect(page.locator(".pagination .jump")).toContainText(`of ${pages.toLocaleString("en-US")}`);
    await expect(page.getByTestId("page-prev")).toBeEnabled();
    await fetch(`${limited.url}/__mock/reset`, { method: "POST" });
    await expect(page.getByTestId("pagination-status")).toHaveText(/^51–100 of [\d,]+$/, { timeout: 30000 });
    await expect(page.getByTestId("error")).toHaveCount(0);
  } finally {
    limited.stop();
  }
});

test("a second 429 restarts the countdown: one countdown runs, never two at once", async ({ page }) => {
  // As above, but Retry-After 120 s: longer than the client waits, so each
  // 429 fails at once with the wait, and the banner counts it down.
  const limited = await connectRateLimited(page, 120);
  try {
    await page.getByTestId("page-next").click();
    // Two seconds into the first countdown, so a second one started now
    // would not tick in step with it.
    await expect(page.getByTestId("retry-countdown")).toHaveText("Retrying in 118 s…", { timeout: 10_000 });
    // Every number the banner shows from the second countdown's start.
    await page.evaluate(() => {
      window.countdownSeen = [];
      new MutationObserver(() => {
        const shown = document.querySelector('[data-testid="retry-countdown"]')?.textContent;
        const seconds = Number(/(\d+) s/.exec(shown ?? "")?.[1]);
        const seen = window.countdownSeen;
        if (seconds === 120 && !seen.length) seen.push(seconds);
        else if (seen.length && seconds && seconds !== seen.at(-1)) seen.push(seconds);
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    // A filter change asks again and meets a second 429: its countdown
    // starts over, and the first one must have stopped.
    await page.getByTestId("filter-search").fill("bob");
    await expect(page).toHaveURL(/search=bob/);
    await expect(page.getByTestId("retry-countdown")).toHaveText("Retrying in 117 s…", { timeout: 10_000 });
    // Each second shown once, counting down; the first countdown still
    // running would interleave its numbers (120, 117, 119, 116...).
    expect(await page.evaluate(() => window.countdownSeen)).toEqual([120, 119, 118, 117]);
  } finally {
    limited.stop();
  }
});

test("a server that stops gives the network and CORS explanation; filters typed stay", async ({ page }) => {
  // More rows than load-all takes by itself, so the table keeps asking the
  // server (held rows would answer a filter without a request).
  const server = await startMock(["--tasks", "25000"]);
  await openDemo(page);
  await connect(page, server.url, "admin-token");
  await waitForRows(page);
  await expect(page.getByTestId("load-all")).toBeVisible();
  server.stop();
  await page.getByTestId("filter-search").fill("bob");
  await expect(page.getByTestId("error")).toContainText("could not be reached");
  await expect(page.getByTestId("error")).toContainText("--upstream");
  await expect(page.getByTestId("filter-search")).toHaveValue("bob");
  await expect(page).toHaveURL(/search=bob/);
});

/** Resolves once the browser has run the tasks queued so far and painted
 * a frame: what a finished response set off has been handled. */
function nextFrame(page) {
  return page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
}

test("the last source asked for wins: a slower connection asked for earlier never replaces it", async ({ page }) => {
  const slow = await startMock(["--latency-ms", "3000"]);
  const fast = await startMock([]);
  const hostOf = (url) => new URL(url).host;
  const slowAnswer = () => page.waitForEvent("requestfinished", (r) => r.url().startsWith(slow.url));
  try {
    await openDemo(page);
    // Connect to the slow server, then, while it has not answered, to the
    // fast one.
    let slowAnswered = slowAnswer();
    await connect(page, slow.url, "admin-token");
    await expect(page.getByTestId("source-progress")).toContainText(`Connecting to ${slow.url}`);
    await page.getByTestId("live-base-url").fill(fast.url);
    await page.getByTestId("live-connect").click();
    await expect(page.getByTestId("source-label")).toContainText(`Live: ${hostOf(fast.url)}`);
    await waitForRows(page);
    await slowAnswered;
    await nextFrame(page);
    await expect(page.getByTestId("source-label")).toContainText(`Live: ${hostOf(fast.url)}`);
    await expect(page.getByTestId("source-progress")).toHaveCount(0);

    // Connect to the slow server again, and go back to the demo before it
    // answers: the demo stays.
    await page.getByTestId("source-demo").click();
    await expect(page.getByTestId("source-label")).toContainText("Demo data");
    slowAnswered = slowAnswer();
    await connect(page, slow.url, "admin-token");
    await expect(page.getByTestId("source-progress")).toContainText(`Connecting to ${slow.url}`);
    await page.getByTestId("source-demo").click();
    await expect(page.getByTestId("source-progress")).toHaveCount(0);
    await slowAnswered;
    await nextFrame(page);
    await expect(page.getByTestId("source-label")).toContainText("Demo data");
  } finally {
    slow.stop();
    fast.stop();
  }
});
