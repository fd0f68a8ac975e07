// Loads the built Vite example and the plain-ESM page (served by the reference server with
// --serve-dir) in headless Chromium and checks it rendered the rows the API
// returns. Usage: node vite-e2e.mjs http://127.0.0.1:PORT
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.argv[2];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
// Opens `path`, waits for the app to finish, returns the task ids it shows.
async function shownTaskIds(path, selector) {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${base}${path}`);
  // The token goes in through the form, as a user would type it.
  await page.fill("#token", "solo-token");
  await page.click("#credentials button[type=submit]");
  assert.ok(!page.url().includes("solo-token"), "the token must not reach the URL");
  await page.waitForSelector("body[data-state=ready], body[data-state=error]", { timeout: 20000 });
  const state = await page.getAttribute("body", "data-state");
  assert.equal(state, "ready", await page.textContent("#status"));
  const shown = await page.$$eval(selector, (els) => els.map((el) => el.textContent));
  assert.deepEqual(problems, [], `${path}: console errors`);
  console.log(`${path}: rendered ${shown.length} rows (${await page.textContent("#status")})`);
  await page.close();
  return shown;
}

try {
  const api = await fetch(`${base}/api/v1/usage/tasks?limit=20`, { headers: { Authorization: "Bearer solo-token" } });
  const expected = (await api.json()).data.map((r) => r.task_id);
  assert.equal(expected.length, 20);
  // The Vite build of examples/vite.
  assert.deepEqual(await shownTaskIds("/", "#rows tr td:first-child"), expected);
  // The package as plain ES modules (examples/plain, an import map, no bundler).
  assert.deepEqual(await shownTaskIds("/plain/index.html", "#rows li"), expected);
} finally {
  await browser.close();
}
