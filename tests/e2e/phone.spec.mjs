// At 375 px: no horizontal scrolling of the page itself, filters behind a
// button, the detail panel as a full-screen sheet; screenshots in both
// themes for people to look at.
import { test, expect } from "@playwright/test";
import { openDemo, waitForRows } from "./helpers.mjs";

test("the phone layout fits 375 px and every control is reachable", async ({ page }) => {
  await openDemo(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByTestId("filter-status")).toBeHidden();
  await page.getByRole("button", { name: /^Filters \(\d+\)$/ }).click();
  await expect(page.getByTestId("filter-status")).toBeVisible();
  await page.getByTestId("filter-status").selectOption("completed");
  await waitForRows(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "target/screenshots/phone-light.png", fullPage: true });
  await page.getByTestId("theme-toggle").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.screenshot({ path: "target/screenshots/phone-dark.png", fullPage: true });
  await page.getByTestId("row").first().click();
  const box = await page.getByTestId("task-detail").boundingBox();
  expect(box.width).toBeGreaterThanOrEqual(370);
  await page.screenshot({ path: "target/screenshots/phone-detail-dark.png" });
  await page.getByTestId("detail-close").click();
  await expect(page.getByTestId("task-detail")).toHaveCount(0);
});
