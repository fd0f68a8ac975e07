// Loads the built viewer in headless Chromium (Debian's, never a download)
// and checks that the wasm app started: name, version and docs link shown,
// no console errors, no failed requests. Saves a screenshot.
//
// Usage: node tests/e2e/smoke.mjs <url> [screenshot.png]
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const url = process.argv[2];
const shot = process.argv[3] ?? "target/screenshots/about.png";
if (!url) {
  console.error("usage: node tests/e2e/smoke.mjs <url> [screenshot.png]");
  process.exit(2);
}
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync("Cargo.toml", "utf8"))?.[1];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on("console", (m) => { if (m.type() === "error") failures.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => failures.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (r.status() >= 400) failures.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  const name = page.getByTestId("app-name");
  await name.waitFor({ timeout: 15000 });
  const expect = (cond, what) => { if (!cond) failures.push(what); };
  expect((await name.textContent()) === "neo-usage", "app name is shown");
  expect((await page.getByTestId("app-version").textContent()) === `version ${version}`, `version ${version} is shown`);
  const docs = page.getByTestId("docs-link");
  const href = await docs.getAttribute("href");
  const docsResponse = await page.request.get(new URL(href, page.url()).toString());
  expect(docsResponse.ok() && (await docsResponse.text()).startsWith("# neo-usage"), "docs link opens the README");
  expect((await page.getByTestId("endpoints").locator("tr").count()) === 4, "four endpoints listed");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`smoke: screenshot saved to ${shot}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error("smoke test failed:\n- " + failures.join("\n- "));
  process.exit(1);
}
console.log("smoke: viewer loads and shows its name, version and docs link");
