// The dashboard: KPI values equal the sums over every row the reference
// server answers for the viewer's query; a chart click narrows table and
// KPIs together; exports parse back to the same rows; live load-all shows
// progress and keeps partial rows on cancel.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { openDemo, startDemoTwin, startMock, api, waitForRows, sentQuery, parseStatus, visibleIds, watchCrashes } from "./helpers.mjs";

const units = (v) => Math.round((v ?? 0) * 10000);

/** Every row the server answers for the viewer's current query. */
async function allRows(baseUrl, page) {
  return rowsFor(baseUrl, (await sentQuery(page)).replace(/&?(limit|offset)=\d+/g, ""));
}

/** Every row the server answers for `query` (API parameters, no paging). */
async function rowsFor(baseUrl, query) {
  let rows = [];
  for (let offset = 0; ; offset += 200) {
    const p = await api(baseUrl, `/api/v1/usage/tasks?${query}&limit=200&offset=${offset}`);
    rows = rows.concat(p.data);
    if (!p.has_more) return rows;
  }
}

async function kpi(page, id) {
  return page.getByTestId(id).getAttribute("data-value");
}

function expectKpisMatch(values, rows) {
  const byok = rows.filter((r) => r.is_byok);
  expect(Number(values.tasks)).toBe(rows.length);
  expect(Math.round(Number(values.credits) * 10000)).toBe(rows.reduce((s, r) => s + units(r.neo_credits), 0));
  expect(Math.round(Number(values.llm) * 10000)).toBe(byok.reduce((s, r) => s + units(r.llm_cost), 0));
  expect(Math.round(Number(values.neo) * 10000)).toBe(byok.reduce((s, r) => s + units(r.neo_cost), 0));
  const errors = rows.filter((r) => r.status === "error" || r.status === "failed").length;
  expect(Number(values.errorRate)).toBeCloseTo(errors / rows.length, 12);
}

async function readKpis(page) {
  await expect(page.getByTestId("kpi-tasks")).toBeVisible();
  return {
    tasks: await kpi(page, "kpi-tasks"),
    credits: await kpi(page, "kpi-credits"),
    llm: await kpi(page, "kpi-byok-llm-cost"),
    neo: await kpi(page, "kpi-byok-neo-cost"),
    errorRate: await kpi(page, "kpi-error-rate"),
  };
}

test("demo KPIs equal the sums over every matching row; a chart click or key narrows table and KPIs", async ({ page }) => {
  const anchor = await openDemo(page);
  const twin = await startDemoTwin(anchor);
  try {
    for (const id of ["chart-cost-over-time", "chart-by-model", "chart-by-member", "chart-status", "chart-top-tools", "chart-duration"]) {
      await expect(page.getByTestId(id)).toBeVisible();
    }
    expectKpisMatch(await readKpis(page), await allRows(twin.url, page));

    const bar = page.getByTestId("chart-by-model").getByTestId("chart-bar").first();
    const model = await bar.getAttribute("data-label");
    await bar.click();
    await expect(page).toHaveURL(new RegExp(`model=${model}`));
    await waitForRows(page);
    await expect(page.getByTestId("filter-chip")).toContainText(`model: ${model}`);
    const narrowed = await readKpis(page);
    expect(Number(narrowed.tasks)).toBe(parseStatus(await page.getByTestId("pagination-status").innerText()).total);
    expectKpisMatch(narrowed, await allRows(twin.url, page));
    for (const cell of await page.getByTestId("row").locator("td:nth-child(4)").allInnerTexts()) expect(cell).toBe(model);

    await page.getByTestId("chart-stack").selectOption("status");
    await expect(page).toHaveURL(/stack=status/);
    await page.getByTestId("chart-bucket").selectOption("week");
    await expect(page.getByTestId("chart-cost-over-time").getByTestId("chart-legend").first()).toBeVisible();
    // A segment is a button: the keyboard drills in as a click does.
    const segment = page.getByTestId("chart-segment").first();
    const status = await segment.getAttribute("data-label");
    await segment.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`status=${status}.*range=custom|range=custom.*status=${status}`));
    await waitForRows(page);
    expectKpisMatch(await readKpis(page), await allRows(twin.url, page));
  } finally {
    twin.stop();
  }
});

test("a change against the previous period shows only where the data covers it, and equals the rows of both periods", async ({ page }) => {
  const anchor = await openDemo(page, "range=30d");
  const twin = await startDemoTwin(anchor);
  try {
    const now = await allRows(twin.url, page);
    const query = new URLSearchParams((await sentQuery(page)).replace(/&?(limit|offset)=\d+/g, ""));
    const [from, to] = [Date.parse(query.get("from")), Date.parse(query.get("to"))];
    query.set("from", new Date(from - (to - from)).toISOString());
    query.set("to", new Date(from).toISOString());
    const before = await rowsFor(twin.url, query.toString());
    expect(before.length, "demo rows in the 30 days before the last 30").toBeGreaterThan(0);
    const change = (await page.getByTestId("kpi-tasks").locator(".tile-change").innerText()).match(/^([▲▼]) ([\d,.]+)% vs previous period$/);
    expect(change, "the tasks tile's change").not.toBeNull();
    const shown = Number(change[2].replaceAll(",", "")) * (change[1] === "▼" ? -1 : 1);
    // Shown to a tenth of a percent: within half a tenth of the exact change.
    const exact = ((now.length - before.length) / before.length) * 100;
    expect(Math.abs(shown - exact), `shown ${shown} % against ${exact} %`).toBeLessThanOrEqual(0.05 + 1e-9);
    await expect(page.getByTestId("no-comparison")).toHaveCount(0);

    // The demo spans 90 days: the 90 before them hold no data, and a
    // change against them would read as a rise of thousands of percent.
    await openDemo(page, "range=90d");
    await expect(page.getByTestId("no-comparison")).toContainText("the data starts on");
    await expect(page.getByTestId("kpis").locator(".tile-change")).toHaveCount(0);
  } finally {
    twin.stop();
  }
});

test("typing a search key by key: KPIs follow each key; the charts settle on the last one and agree with them", async ({ page }) => {
  const anchor = await openDemo(page);
  const twin = await startDemoTwin(anchor);
  try {
    await expect(page.getByTestId("chart-status")).toBeVisible();
    const search = page.getByTestId("filter-search");
    await search.focus();
    // Keys in quick succession: the KPIs and the table follow each one; the
    // charts draw once typing stops.
    await page.keyboard.type("a1e");
    await page.keyboard.press("Backspace");
    await expect(page).toHaveURL(/search=a1(&|$)/);
    await waitForRows(page);
    const rows = await allRows(twin.url, page);
    expect(rows.length).toBeGreaterThan(0);
    await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", String(rows.length));
    expectKpisMatch(await readKpis(page), rows);
    const statusSum = async () =>
      (await page.getByTestId("chart-status").getByTestId("chart-bar").evaluateAll((bars) => bars.map((b) => Number(b.dataset.value))))
        .reduce((a, b) => a + b, 0);
    await expect.poll(statusSum).toBe(rows.length);
    const byModelUsd = await page.getByTestId("chart-by-model").getByTestId("chart-bar").count();
    expect(byModelUsd).toBe(new Set(rows.map((r) => r.model)).size);
  } finally {
    twin.stop();
  }
});

/** Records, for each change of the table's rows, whether the table was
 * deferred (its layout skipped) when the change was seen. */
async function watchRowWrites(page) {
  await page.evaluate(() => {
    window.rowWrites = [];
    const scroll = document.querySelector(".table-scroll");
    new MutationObserver(() => window.rowWrites.push(scroll.classList.contains("deferred"))).observe(scroll, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

async function typeAndSettle(page, keys) {
  const search = page.getByTestId("filter-search");
  for (const key of keys) {
    await page.keyboard.press(key);
    const value = await search.inputValue();
    const shown = value ? new RegExp(`search=${value}(&|$)`) : /^(?!.*search=)/;
    await expect(page.getByTestId("pagination-status")).toHaveAttribute("data-query", shown);
  }
}

test("a search typed over a table below the fold: each key writes the rows, their layout waits for the pause; erased keys show the same figures", async ({ page }) => {
  const anchor = await openDemo(page);
  const twin = await startDemoTwin(anchor);
  try {
    const before = await readKpis(page);
    await page.getByTestId("filter-search").focus();
    await watchRowWrites(page);
    await typeAndSettle(page, ["a", "1"]);
    const written = await page.evaluate(() => window.rowWrites);
    expect(written.length).toBeGreaterThan(0);
    expect(written.every(Boolean)).toBe(true);
    // Once typing pauses the table is laid out again, with the last key's rows.
    await expect(page.locator(".table-scroll")).not.toHaveClass(/deferred/);
    await expect(page).toHaveURL(/search=a1(&|$)/);
    const rows = await allRows(twin.url, page);
    expect(await visibleIds(page)).toEqual(rows.slice(0, 50).map((r) => r.task_id));
    await expect(page.getByTestId("row").first()).toBeVisible();
    expectKpisMatch(await readKpis(page), rows);
    // Erased key by key: each earlier search's figures again, then the first ones.
    await typeAndSettle(page, ["Backspace"]);
    expectKpisMatch(await readKpis(page), await allRows(twin.url, page));
    await typeAndSettle(page, ["Backspace"]);
    expect(await readKpis(page)).toEqual(before);
  } finally {
    twin.stop();
  }
});

test("a search typed with the table in view lays the table out at every key", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 4000 });
  await openDemo(page);
  await page.getByTestId("filter-search").focus();
  await watchRowWrites(page);
  await typeAndSettle(page, ["a", "1", "Backspace"]);
  const written = await page.evaluate(() => window.rowWrites);
  expect(written.length).toBeGreaterThan(0);
  expect(written.some(Boolean)).toBe(false);
});

test("CSV and JSON exports carry every filtered row; the JSON imports back unchanged", async ({ page }) => {
  await openDemo(page, "status=error&range=90d");
  const tasks = Number(await kpi(page, "kpi-tasks"));
  expect(tasks).toBeGreaterThan(10);
  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const csv = readFileSync(await csvDownload.path(), "utf8").trim().split("\n");
  expect(csv[0]).toContain("task_id,created_at_utc,created_at_local,time_zone");
  expect(csv.length - 1).toBe(tasks);
  const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-json").click()]);
  const path = await jsonDownload.path();
  const exported = JSON.parse(readFileSync(path, "utf8"));
  expect(exported.data.length).toBe(tasks);
  expect(exported.data.every((r) => r.status === "error")).toBe(true);
  await page.getByTestId("source-import").click();
  await page.getByTestId("import-file").setInputFiles({ name: "export.json", mimeType: "application/json", buffer: readFileSync(path) });
  await expect(page.getByTestId("source-label")).toHaveText(`Imported: export.json, ${tasks.toLocaleString("en-US")} rows`);
  await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", String(tasks));
});

test("live load-all fills the KPIs; cancel keeps the partial rows and says so", async ({ page, baseURL }) => {
  const origin = baseURL.replace(/\/$/, "");
  await openDemo(page);
  await page.getByTestId("source-live").click();
  await page.getByTestId("live-base-url").fill(origin);
  await page.getByTestId("live-token").fill("admin-token");
  await page.getByTestId("live-connect").click();
  await waitForRows(page);
  expectKpisMatch(await readKpis(page), await allRows(origin, page));
  // The runway's rate is over the last 30 days of the range, or the whole
  // range when it is shorter, and its label says which; the value is the
  // date the credits run out.
  await expect(page.getByTestId("kpi-runway").locator(".tile-label")).toHaveText("Credits run out, at the 30-day burn rate");
  await expect(page.getByTestId("kpi-runway").locator(".tile-value")).toHaveText(/^\d{4}-\d{2}-\d{2}$|^after they expire$/);
  await page.getByTestId("filter-preset").selectOption("7d");
  await expect(page.getByTestId("kpi-runway").locator(".tile-label")).toHaveText("Credits run out, at the 7-day burn rate");

  const slow = await startMock(["--latency-ms", "1000", "--tasks", "3000"]);
  try {
    await page.getByTestId("source-live").click();
    await page.getByTestId("live-base-url").fill(slow.url);
    await page.getByTestId("live-connect").click();
    await expect(page.getByTestId("progress")).toBeVisible();
    await expect(page.getByTestId("progress")).toContainText(/[1-9][\d,]* \/ [\d,]+ rows/);
    await page.getByTestId("cancel").click();
    await expect(page.getByTestId("partial")).toContainText("Partial figures");
    await expect(page.getByTestId("partial")).toContainText("cancelled");
  } finally {
    slow.stop();
  }
});

test("a load-all started by hand stops when the source changes; its rows never stand in for the new source's", async ({ page }) => {
  // 75,000 tasks over 90 days: the last 30 days hold more than the 20,000
  // rows live mode loads by itself, so the viewer offers the button.
  const slow = await startMock(["--latency-ms", "1000", "--tasks", "75000", "--window-days", "90"]);
  try {
    await openDemo(page);
    const demoTasks = await kpi(page, "kpi-tasks");
    await page.getByTestId("source-live").click();
    await page.getByTestId("live-base-url").fill(slow.url);
    await page.getByTestId("live-token").fill("admin-token");
    await page.getByTestId("live-connect").click();
    await page.getByTestId("load-all").click();
    await expect(page.getByTestId("progress")).toContainText(/[1-9][\d,]* \/ [\d,]+ rows/);

    await page.getByTestId("source-demo").click();
    await expect(page.getByTestId("source-label")).toContainText("Demo data");
    await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", demoTasks);
    // The cancelled load has ended (its progress bar is gone), and what it
    // loaded is not shown as the demo's figures.
    await expect(page.getByTestId("progress")).toHaveCount(0);
    await expect(page.getByTestId("partial")).toHaveCount(0);
    await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", demoTasks);
  } finally {
    slow.stop();
  }
});

test("a smaller demo asked for while a 100k demo is generated stops that generation; only the new one is shown", async ({ page }) => {
  // The size is changed as soon as the 100k demo's progress line shows (a
  // mutation observer, so the change cannot come after a fast generation
  // has already ended), as a person would pick it from the select.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const progress = document.querySelector('[data-testid="source-progress"]');
      if (!progress?.textContent.includes("Generating 100,000 demo tasks")) return;
      observer.disconnect();
      const size = document.querySelector('[data-testid="demo-size"]');
      size.value = "1000";
      size.dispatchEvent(new Event("input", { bubbles: true }));
      size.dispatchEvent(new Event("change", { bubbles: true }));
      window.sizeChangedWhileGenerating = true;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  // 100k rows can be made within the generator's first slice (a quarter
  // second) on a fast machine, with no yield to change anything in: a CPU
  // slowed six times takes longer, as in the screens test.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });
  await page.goto("./?rows=100000");
  await expect(page.getByTestId("source-label")).toContainText("Demo data: 1,000 seeded tasks", { timeout: 60_000 });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await waitForRows(page);
  expect(await page.evaluate(() => window.sizeChangedWhileGenerating)).toBe(true);
  await expect(page).toHaveURL(/rows=1000(&|$)/);
  // The superseded generation stopped at its next yield (it sets this mark
  // as it gives up) instead of running to its end: one demo was finished.
  await page.waitForFunction(() => performance.getEntriesByName("neo-usage:demo-abandoned").length === 1, null, { timeout: 20_000 });
  expect(await page.evaluate(() => performance.getEntriesByName("neo-usage:demo").length)).toBe(1);
  await expect(page.getByTestId("source-progress")).toHaveCount(0);
  await expect(page.getByTestId("source-label")).toContainText("Demo data: 1,000 seeded tasks");
});

test("a search for an old task, then a smaller demo: the figures follow the new rows and nothing crashes", async ({ page }) => {
  const crashes = watchCrashes(page);
  // A task far down the 5k demo: its row number is past the 1k demo's end.
  await openDemo(page, "range=all&offset=3000");
  const id = (await visibleIds(page))[0];
  await page.goto(`./?range=all&search=${id}`);
  await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", "1");

  await page.getByTestId("demo-size").selectOption("1000");
  await expect(page.getByTestId("source-label")).toContainText("1,000 seeded tasks");
  await page.getByTestId("filter-search").fill("");
  await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", "1000");
  expect(crashes).toEqual([]);
});
