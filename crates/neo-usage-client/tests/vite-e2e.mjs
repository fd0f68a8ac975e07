// Loads the built Vite example (served by the reference server with
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
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${base}/?token=solo-token`);
  await page.waitForSelector("body[data-state=ready], body[data-state=error]", { timeout: 20000 });
  const state = await page.getAttribute("body", "data-state");
  assert.equal(state, "ready", await page.textContent("#status"));
  const shown = await page.$$eval("#rows tr", (trs) => trs.map((tr) => tr.firstElementChild.textContent));
  const api = await fetch(`${base}/api/v1/usage/tasks?limit=20`, { headers: { Authorization: "Bearer solo-token" } });
  const expected = (await api.json()).data.map((r) => r.task_id);
  assert.deepEqual(shown, expected);
  assert.deepEqual(problems, []);
  console.log(`vite: rendered ${shown.length} rows from the API (${await page.textContent("#status")})`);
} finally {
  await browser.close();
}
