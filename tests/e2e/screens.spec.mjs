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
    // Generating 100k rows in the browser takes about 0.7 s alone on this
    // kind of machine (measured 2026-12-01), many times that beside the
    // other worker's tests and slowed down below: wait for each state with
    // room to spare.
    test.slow();
    await page.emulateMedia({ colorScheme: theme });
    // Every text the progress shows, recorded as the page writes it: the
    // progress may come and go between two polls of an `expect`.
    await page.addInitScript(() => {
      window.progressSeen = [];
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="source-progress"]')?.textContent ?? "";
        if (text && window.progressSeen.at(-1) !== text) window.progressSeen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    // The generator reports a count after its first quarter second, so the
    // page shows how far it is only when generating takes longer: on a
    // fast, idle machine 100k rows can be made in less (CI failed so once).
    // A CPU slowed six times, as a busy laptop's, takes longer whatever the
    // machine, and runs at full speed again once the count was shown.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });
    await page.goto("./?rows=100000&range=all");
    const counted = (texts) => texts.some((text) => /[1-9][\d,]* \/ 100,000/.test(text));
    await page.waitForFunction(`(${counted})(window.progressSeen)`, null, { timeout: 90_000 }).catch(async () => {
      const seen = await page.evaluate(() => window.progressSeen);
      throw new Error(`the page never showed a count of generated rows; progress texts seen: ${JSON.stringify(seen)}`);
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await expect(page.getByTestId("source-label")).toContainText("Demo data", { timeout: 90_000 });
    await waitForRows(page, { timeout: 90_000 });
    await expect(page.getByTestId("kpi-tasks")).toHaveAttribute("data-value", "100000", { timeout: 90_000 });
    await expect(page.getByTestId("chart-cost-over-time").getByTestId("chart-segment").first()).toBeVisible();
    await page.screenshot({ path: `target/screenshots/desktop-100k-${theme}.png`, fullPage: true });
  });
}
