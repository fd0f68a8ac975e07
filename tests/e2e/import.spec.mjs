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
