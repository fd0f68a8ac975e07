// Import: a page response, a bare array and the viewer's own rows load;
// a broken file gets a message naming the row and field, and the data on
// screen stays.
import { test, expect } from "@playwright/test";
import { writeFileSync, mkdirSync } from "node:fs";
import { api, waitForRows, visibleIds } from "./helpers.mjs";

const dir = "target/e2e/files";

test("a page file imports; a broken file is refused with its row and field; the previous data stays", async ({ page, baseURL }) => {
  mkdirSync(dir, { recursive: true });
  const origin = baseURL.replace(/\/$/, "");
  const first = await api(origin, "/api/v1/usage/tasks?limit=200");
  const second = await api(origin, "/api/v1/usage/tasks?limit=100&offset=200");
  writeFileSync(`${dir}/page.json`, JSON.stringify(first));
  writeFileSync(`${dir}/rows.json`, JSON.stringify(second.data));
  const broken = structuredClone(second.data.slice(0, 5));
  broken[3].created_at = "last tuesday";
  writeFileSync(`${dir}/broken.json`, JSON.stringify({ data: broken, has_more: false, total: 5 }));

  await page.goto("./?range=all");
  await waitForRows(page);
  await page.getByTestId("source-import").click();
  await page.getByTestId("import-file").setInputFiles(`${dir}/page.json`);
  await expect(page.getByTestId("source-label")).toHaveText("Imported: page.json, 200 rows");
  await expect(page).toHaveURL(/source=import/);
  await expect(page.getByTestId("pagination-status")).toHaveText("1–50 of 200");
  expect(await visibleIds(page)).toEqual(first.data.slice(0, 50).map((r) => r.task_id));

  await page.getByTestId("source-import").click();
  await page.getByTestId("import-file").setInputFiles(`${dir}/broken.json`);
  await expect(page.getByTestId("error")).toContainText("broken.json could not be imported");
  await expect(page.getByTestId("error")).toContainText("row 4 (data[3].created_at)");
  await expect(page.getByTestId("source-label")).toHaveText("Imported: page.json, 200 rows");
  await expect(page.getByTestId("row")).toHaveCount(50);

  await page.getByTestId("import-file").setInputFiles(`${dir}/rows.json`);
  await expect(page.getByTestId("source-label")).toHaveText("Imported: rows.json, 100 rows");
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("error")).toContainText("pick or drop the file again");
});

test("imported rows in any order are shown in the API's order, and filters keep it", async ({ page, baseURL }) => {
  mkdirSync(dir, { recursive: true });
  const first = await api(baseURL.replace(/\/$/, ""), "/api/v1/usage/tasks?limit=200");
  writeFileSync(`${dir}/reversed.json`, JSON.stringify([...first.data].reverse()));

  await page.goto("./?range=all");
  await waitForRows(page);
  await page.getByTestId("source-import").click();
  await page.getByTestId("import-file").setInputFiles(`${dir}/reversed.json`);
  await expect(page.getByTestId("source-label")).toHaveText("Imported: reversed.json, 200 rows");
  expect(await visibleIds(page)).toEqual(first.data.slice(0, 50).map((r) => r.task_id));
  // The newest row is the API's first, though it is the file's last.
  const newest = first.data[0].created_at;
  await expect(page.getByTestId("data-as-of")).toContainText(`newest row ${newest.slice(0, 10)} ${newest.slice(11, 16)}`);

  const model = first.data[0].model;
  await page.getByTestId("filter-model").selectOption(model);
  await expect(page).toHaveURL(new RegExp(`model=${model}`));
  const matching = first.data.filter((r) => r.model === model);
  await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", String(matching.length));
  await waitForRows(page);
  expect(await visibleIds(page)).toEqual(matching.slice(0, 50).map((r) => r.task_id));

  // A task's detail comes from the imported row itself.
  const row = matching.find((r) => (r.tool_call_history ?? []).length > 0) ?? matching[0];
  await page.locator(`[data-testid=row][data-task-id="${row.task_id}"]`).click();
  const panel = page.getByTestId("task-detail");
  await expect(panel.getByTestId("detail-task-id")).toHaveText(row.task_id);
  await expect(panel.getByTestId("tool-timeline").locator("rect.bar")).toHaveCount((row.tool_call_history ?? []).length);
  await expect(panel.getByTestId("streams").locator("tbody tr")).toHaveCount(row.stream_count ?? 1);
});

test("a file of several pieces is read piece by piece: progress in MB, every row, totals equal to the file's", async ({ page, baseURL }) => {
  mkdirSync(dir, { recursive: true });
  const origin = baseURL.replace(/\/$/, "");
  let fetched = [];
  for (let offset = 0; offset < 2000; offset += 200) {
    fetched = fetched.concat((await api(origin, `/api/v1/usage/tasks?limit=200&offset=${offset}`)).data);
  }
  // Four copies under new ids, with text that is not ASCII all through,
  // so pieces end inside rows and inside characters.
  const rows = [0, 1, 2, 3].flatMap((copy) =>
    fetched.map((r) => ({ ...r, task_id: `${r.task_id}-${copy}`, task_title: `${r.task_title ?? ""} é ✓ 😀 ${copy}` })),
  );
  const text = JSON.stringify({ data: rows, has_more: false, total: rows.length });
  expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 4 * 1024 * 1024);
  writeFileSync(`${dir}/pieces.json`, text);

  await page.goto("./?range=all");
  await waitForRows(page);
  // Every text the progress line shows while the file is read.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const line = document.querySelector('[data-testid="source-progress"]');
      if (line) window.__progress.push(line.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId("source-import").click();
  await page.getByTestId("import-file").setInputFiles(`${dir}/pieces.json`);
  await expect(page.getByTestId("source-label")).toHaveText(`Imported: pieces.json, ${rows.length.toLocaleString("en-US")} rows`);
  await expect(page.getByTestId("error")).toHaveCount(0);
  const progress = await page.evaluate(() => window.__progress);
  expect(progress.some((t) => /Reading pieces\.json….*\d+\.\d \/ \d+\.\d MB/.test(t)), progress.join(" | ")).toBe(true);

  const units = (v) => Math.round((v ?? 0) * 10000);
  await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", String(rows.length));
  const credits = await page.getByTestId("kpi-credits").getAttribute("data-value");
  expect(Math.round(Number(credits) * 10000)).toBe(rows.reduce((s, r) => s + units(r.neo_credits), 0));
  // The API's order: newest first, then task id descending.
  const newestFirst = (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.task_id < b.task_id ? 1 : -1);
  expect(await visibleIds(page)).toEqual([...rows].sort(newestFirst).slice(0, 50).map((r) => r.task_id));
});
