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
