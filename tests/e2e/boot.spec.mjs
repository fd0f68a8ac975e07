// What the page shows before the viewer's wasm runs: index.html's loading
// skeleton, in the theme the viewer will apply, replaced by the viewer as it
// mounts; and, when the viewer cannot start, a message that says what to do.
// The wasm's request is held (or refused) by the test, so each state is
// waited for, never timed.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { test, expect } from "@playwright/test";

/** Holds every request for the viewer's wasm until `release()` is called. */
async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(/_bg\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

for (const [system, stored, expected] of [["dark", null, "dark"], ["light", null, "light"], ["dark", "light", "light"]]) {
  test(`while the wasm loads, the skeleton is drawn in the ${expected} theme (system ${system}, stored ${stored ?? "none"}); the viewer replaces it`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: system });
    if (stored) await page.addInitScript((theme) => localStorage.setItem("neo-usage.theme", theme), stored);
    const release = await holdWasm(page);
    await page.goto("./");
    const boot = page.getByTestId("boot");
    await expect(boot).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("data-theme", expected);
    await expect(boot.locator(".kpis .tile")).toHaveCount(10);
    await expect(boot.getByRole("status")).toHaveText("Loading the viewer…");
    // The skeleton takes its colours from the theme's variables.
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(expected === "dark" ? "rgb(16, 19, 23)" : "rgb(246, 247, 249)");
    if (!stored) await page.screenshot({ path: `target/screenshots/boot-${expected}.png` });
    release();
    await expect(page.getByTestId("kpi-tasks")).toBeVisible();
    await expect(boot).toHaveCount(0);
    await expect(page.locator("html")).toHaveAttribute("data-theme", expected);
  });
}

test("a viewer that cannot start says so in the skeleton's place, and what to do", async ({ page }) => {
  await page.route(/_bg\.wasm$/, (route) => route.abort("failed"));
  await page.goto("./");
  const status = page.getByTestId("boot").getByRole("status");
  await expect(status).toHaveText(/^The viewer could not start.*Reload the page; if this goes on, open it in a current browser with JavaScript and WebAssembly enabled\.$/);
  await expect(status).toBeVisible();
  await expect(status).toHaveClass("boot-error");
  // The skeleton no longer says something is coming.
  await expect(page.getByTestId("boot").locator(".kpis")).toBeHidden();
  await page.screenshot({ path: "target/screenshots/boot-failed.png" });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("only the noscript message shows, no skeleton promising data", async ({ page }) => {
    await page.goto("./");
    await expect(page.getByTestId("boot")).toBeHidden();
    // What is rendered is the noscript text alone.
    await expect(page.locator("body")).toHaveText("neo-usage needs JavaScript and WebAssembly to show usage data.", { useInnerText: true });
  });
});

test("opened as a file, the page says to serve its folder over HTTP", async ({ page }) => {
  await page.goto(pathToFileURL(resolve("dist/index.html")).href);
  const status = page.getByTestId("boot").getByRole("status");
  await expect(status).toHaveText(/^The viewer cannot start from a file: .* Serve this folder over HTTP \(for example, python3 -m http\.server in it\) and open http:\/\/localhost:8000\/\.$/);
  await expect(status).toBeVisible();
});
