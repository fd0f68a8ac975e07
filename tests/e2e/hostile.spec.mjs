// Hostile data served with --data: HTML and script payloads in every
// string field render as text in the table, the filters, the chips and
// the detail panel; nothing runs, nothing is injected.
import { test, expect } from "@playwright/test";
import { writeFileSync, mkdirSync } from "node:fs";
import { startMock, api, waitForRows } from "./helpers.mjs";

const PAYLOADS = {
  title: `<img src=x onerror="window.__pwned='title'">`,
  model: `<script>window.__pwned='model'</script>`,
  email: `"><svg onload="window.__pwned='email'">@x.example`,
  error: `<iframe src="javascript:window.__pwned='error'"></iframe>`,
  tool: `<b onmouseover="window.__pwned='tool'">nmap</b>`,
};

test("payloads in titles, models, emails, tool names and errors render as text", async ({ page, baseURL }) => {
  mkdirSync("target/e2e/files", { recursive: true });
  const source = await api(baseURL.replace(/\/$/, ""), "/api/v1/usage/tasks?limit=20");
  const rows = source.data.map((r, i) => ({
    ...r,
    task_title: PAYLOADS.title,
    model: i % 2 ? PAYLOADS.model : r.model,
    email: PAYLOADS.email,
    status: "error",
    error_message: PAYLOADS.error,
    tool_call_history: (r.tool_call_history ?? []).map((c) => ({ ...c, tool_name: PAYLOADS.tool })),
    tool_breakdown: { [PAYLOADS.tool]: { calls: 1, duration_ms: 5 } },
  }));
  const file = "target/e2e/files/hostile.json";
  writeFileSync(file, JSON.stringify(rows));
  const server = await startMock(["--data", file]);
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  try {
    await page.goto("./?range=all");
    await waitForRows(page);
    await page.getByTestId("source-live").click();
    await page.getByTestId("live-base-url").fill(server.url);
    await page.getByTestId("live-token").fill("admin-token");
    await page.getByTestId("live-connect").click();
    await expect(page.getByTestId("source-label")).toContainText("Live");
    await waitForRows(page);
    await expect(page.getByTestId("row")).toHaveCount(20);
    await expect(page.getByTestId("row").first()).toContainText(PAYLOADS.title);
    await expect(page.getByTestId("filter-model").locator("option", { hasText: PAYLOADS.model })).toHaveCount(1);
    await page.getByTestId("filter-model").selectOption(PAYLOADS.model);
    await expect(page.getByTestId("filter-chip")).toContainText(PAYLOADS.model);
    await waitForRows(page);
    await page.getByTestId("row").first().click();
    const panel = page.getByTestId("task-detail");
    await expect(panel.getByTestId("detail-error")).toHaveText(PAYLOADS.error);
    await expect(panel.getByTestId("detail-title")).toHaveText(PAYLOADS.title);
    await expect(panel.getByTestId("tool-breakdown")).toContainText(PAYLOADS.tool);
    await page.getByTestId("row").first().hover();
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    await expect(page.locator("main img, aside img, main iframe, aside iframe, main b, aside b")).toHaveCount(0);
    await expect(page.locator("body script")).toHaveCount(0);
    expect(dialogs).toEqual([]);
  } finally {
    server.stop();
  }
});
