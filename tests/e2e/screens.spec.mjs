// Screenshots of the main desktop views in both themes, saved for people
// to look at (target/screenshots/), each taken once the view is loaded.
import { test, expect } from "@playwright/test";
import { openDemo, waitForRows } from "./helpers.mjs";

for (const theme of ["light", "dark"]) {
  test(`desktop views in the ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openDemo(page, "range=90d");
    await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
    await expect(page.getByTestId("kpi-tasks")).toBeVisible();
    await page.screenshot({ path: `target/screenshots/desktop-${theme}.png`, fullPage: true });
    await page.getByTestId("row").nth(2).click();
    await expect(page.getByTestId("task-detail").getByTestId("detail-title")).toBeVisible();
    await page.screenshot({ path: `target/screenshots/desktop-detail-${theme}.png` });
    await page.keyboard.press("Escape");
    await page.getByTestId("source-live").click();
    await page.screenshot({ path: `target/screenshots/desktop-connect-${theme}.png` });
  });
}

for (const theme of ["light", "dark"]) {
  test(`the dashboard over 100,000 demo rows in the ${theme} theme`, async ({ page }) => {
    // Generating 100k rows in the browser takes 3 s alone on this kind of
    // machine and over 20 s beside the other worker's tests: wait for the
    // state with room to spare.
    test.slow();
    await page.emulateMedia({ colorScheme: theme });
    await page.goto("./?rows=100000&range=all");
    // Generating takes seconds here, so the page says how far it is: after
    // its first quarter second the generator yields and reports a count.
    await expect(page.getByTestId("source-progress")).toContainText(/[1-9][\d,]* \/ 100,000/, { timeout: 90_000 });
    await expect(page.getByTestId("source-label")).toContainText("Demo data", { timeout: 90_000 });
    await waitForRows(page, { timeout: 90_000 });
    await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", "100000", { timeout: 90_000 });
    await expect(page.getByTestId("chart-cost-over-time").getByTestId("chart-segment").first()).toBeVisible();
    await page.screenshot({ path: `target/screenshots/desktop-100k-${theme}.png`, fullPage: true });
  });
}
