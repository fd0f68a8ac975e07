// Rows held in the browser answer the table: in live mode, once load-all
// holds every row of the range, filters, sort and pages need no request
// and show what the API would; the p99 note puts the costliest tasks first
// and the table marks exactly those above the range's p99 task cost.
import { test, expect } from "@playwright/test";
import { openDemo, startDemoTwin, startMock, api, waitForRows, visibleIds, sentQuery, connectLive } from "./helpers.mjs";

const units = (v) => Math.round((v ?? 0) * 10000);
/** A row's total cost in USD units: credits × 10, plus BYOK costs. */
const costUnits = (r) => units(r.neo_credits) * 10 + (r.is_byok ? units(r.llm_cost) + units(r.neo_cost) : 0);

/** Every row the server answers for `query` (without offset and limit). */
async function allRows(baseUrl, query) {
  const filters = query.replace(/&?(limit|offset)=\d+/g, "");
  let rows = [];
  for (let offset = 0; ; offset += 200) {
    const p = await api(baseUrl, `/api/v1/usage/tasks?${filters}&limit=200&offset=${offset}`);
    rows = rows.concat(p.data);
    if (!p.has_more) return rows;
  }
}

/** The ids of `rows` sorted by cost, largest first, ties in API order. */
const costliestFirst = (rows) =>
  rows
    .map((r, i) => [costUnits(r), i, r.task_id])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map(([, , id]) => id);

test("live: with the range held, filters, sort and pages make no request and equal the API's answers", async ({ page }) => {
  const server = await startMock(["--tasks", "1500"]);
  try {
    await openDemo(page, "range=all");
    await connectLive(page, server.url);
    await expect(page.getByTestId("source-label")).toContainText("Live");
    await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", "1500");
    await expect(page.getByTestId("sort-note")).toContainText("Click a column header");

    const requests = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/v1/usage/")) requests.push(r.url());
    });
    const model = await page.getByTestId("filter-model").locator("option").nth(1).getAttribute("value");
    await page.getByTestId("filter-model").selectOption(model);
    await expect(page).toHaveURL(new RegExp(`model=${model}`));
    await waitForRows(page);
    const query = await sentQuery(page);
    expect((await api(server.url, `/api/v1/usage/tasks?${query}`)).data.map((r) => r.task_id)).toEqual(await visibleIds(page));

    await page.getByTestId("sort-cost").click();
    await expect(page).toHaveURL(/sort=cost\.desc/);
    await waitForRows(page);
    const sorted = costliestFirst(await allRows(server.url, query));
    expect(await visibleIds(page)).toEqual(sorted.slice(0, 50));

    await page.getByTestId("page-next").click();
    await expect(page).toHaveURL(/offset=50/);
    await waitForRows(page);
    expect(await visibleIds(page)).toEqual(sorted.slice(50, 100));
    expect(requests).toEqual([]);
  } finally {
    server.stop();
  }
});

test("the p99 note puts the costliest tasks first; exactly the tasks above the p99 are marked", async ({ page }) => {
  const anchor = await openDemo(page);
  const twin = await startDemoTwin(anchor);
  try {
    const note = page.getByTestId("p99-note");
    await expect(note).toBeVisible();
    const count = Number(await note.getAttribute("data-count"));
    const p99 = Number(await note.getAttribute("data-p99-units"));
    const rows = await allRows(twin.url, await sentQuery(page));
    const costs = rows.map(costUnits).sort((a, b) => a - b);
    expect(p99).toBe(costs[Math.ceil(0.99 * costs.length) - 1]);
    expect(count).toBe(rows.filter((r) => costUnits(r) > p99).length);
    expect(count).toBeGreaterThan(0);

    await page.getByTestId("p99-tasks").click();
    await expect(page).toHaveURL(/sort=cost\.desc/);
    await waitForRows(page);
    expect(await visibleIds(page)).toEqual(costliestFirst(rows).slice(0, 50));
    const marks = await page.getByTestId("row").evaluateAll((trs) => trs.map((tr) => tr.dataset.aboveP99));
    expect(marks).toEqual(marks.map((_, i) => String(i < count)));
  } finally {
    twin.stop();
  }
});

test("past the load-all cap, the range's totals come from /usage/summary, labelled; the table still pages", async ({ page }) => {
  const server = await startMock(["--tasks", "200001"]);
  try {
    await openDemo(page, "range=all");
    await connectLive(page, server.url);
    await expect(page.getByTestId("load-all-cap")).toContainText("200,001 rows");
    await expect(page.getByTestId("summary-source")).toContainText("Server-side totals from GET /usage/summary");
    const summary = await api(server.url, "/api/v1/usage/summary?group_by=day");
    await expect(page.getByTestId("summary-tasks")).toHaveAttribute("data-value", "200001");
    await expect(page.getByTestId("summary-credits")).toHaveAttribute("data-value", String(summary.total_neo_credits));
    await expect(page.getByTestId("summary-by-period").locator("tbody tr")).toHaveCount(summary.by_period.length);
    await expect(page.getByTestId("kpi-tasks")).toHaveCount(0);
    await waitForRows(page);
    await expect(page.getByTestId("pagination-status")).toHaveText(/of 200,001$/);
  } finally {
    server.stop();
  }
});
