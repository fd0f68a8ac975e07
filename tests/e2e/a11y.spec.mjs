// Accessibility: axe-core on the dashboard, the table, the detail panel,
// the connect form and an error state, in both themes: no serious or
// critical violations; and the main path works by keyboard alone.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { openDemo } from "./helpers.mjs";

async function expectNoSeriousViolations(page, where) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${where}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  expect(serious).toEqual([]);
}

for (const theme of ["light", "dark"]) {
  test(`no serious axe violations in the ${theme} theme`, async ({ page }) => {
    // Three whole-page axe scans: about 50 s beside the other worker's tests.
    test.slow();
    await page.emulateMedia({ colorScheme: theme });
    await openDemo(page);
    await expect(page.getByTestId("kpi-tasks")).toBeVisible();
    await expectNoSeriousViolations(page, "dashboard");
    await page.getByTestId("row").first().click();
    await expect(page.getByTestId("detail-title")).toBeVisible();
    await expectNoSeriousViolations(page, "detail panel");
    await page.keyboard.press("Escape");
    await page.getByTestId("source-live").click();
    await page.getByTestId("live-token").fill("wrong");
    await page.getByTestId("live-base-url").fill("http://127.0.0.1:9/");
    await page.getByTestId("live-connect").click();
    await expect(page.getByTestId("error")).toBeVisible();
    await expectNoSeriousViolations(page, "connect form with an error");
  });
}

test("keyboard only: filter, open a row, close it", async ({ page }) => {
  await openDemo(page);
  await page.getByTestId("filter-status").focus();
  await page.keyboard.press("ArrowDown");
  await expect(page).toHaveURL(/status=/);
  await page.getByTestId("row").first().focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("task-detail")).toBeVisible();
  // The open row is marked in place and keeps the focus.
  await expect(page.getByTestId("row").first()).toHaveClass(/selected/);
  await expect(page.getByTestId("row").first()).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("task-detail")).toHaveCount(0);
});
