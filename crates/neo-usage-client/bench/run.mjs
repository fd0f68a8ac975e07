#!/usr/bin/env node
// Runs the decoding benchmark page (index.html, bench.mjs) in headless
// Chromium through playwright-core (/usr/bin/chromium; it never downloads a
// browser) and prints a table of median, min and max per method.
// Not a test; scripts/bench-decode.sh builds its inputs and calls it.
//
//   node run.mjs --data ROWS.json --pkg BENCH_PKG_DIR [--runs 7] [--json OUT.json]
//
// --pkg is the wasm-bindgen --target web output of neo-usage-client built
// with the `bench` feature; --data a task page from the mock's dump_rows.

import { writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { serveStatic } from "../../../scripts/bench/serve.mjs";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const { values: opts } = parseArgs({
  options: {
    data: { type: "string" },
    pkg: { type: "string" },
    runs: { type: "string", default: "7" },
    json: { type: "string" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
if (!opts.data || !opts.pkg) {
  console.error("usage: node run.mjs --data ROWS.json --pkg BENCH_PKG_DIR [--runs 7] [--json OUT.json]");
  process.exit(2);
}
const runs = Number(opts.runs);
const dataFile = resolve(opts.data);
const pkgDir = resolve(opts.pkg);

// /data/<file> -> --data's folder, /pkg/* -> --pkg, anything else -> this
// folder (the static server `make bench` uses).
const files = await serveStatic({ "/": BENCH_DIR, "/pkg/": pkgDir, "/data/": dirname(dataFile) });
const origin = files.origin;
const dataUrl = `/data/${basename(dataFile)}`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => x.toFixed(0).padStart(7);
const mb = (x) => (x / 1e6).toFixed(1);

let browser;
try {
  browser = await chromium.launch({ executablePath: opts.chromium, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  page.on("console", (msg) => console.error(`[page] ${msg.text()}`));
  page.on("pageerror", (e) => console.error(`[page error] ${e.message}`));
  let crashed = false;
  page.on("crash", () => {
    crashed = true;
    console.error("[page crashed] (out of memory? try fewer rows)");
  });
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  const result = await page
    .evaluate((o) => window.runBench(o), { data: dataUrl, runs })
    .catch((e) => {
      throw crashed ? new Error("the page crashed (memory?)") : e;
    });
  result.browserVersion = browser.version();

  const peer = median(result.samples.json_parse.map((s) => s.ms));
  console.log();
  console.log(
    `Chromium ${result.browserVersion}, ${result.hardwareConcurrency} cores; ` +
      `${result.rows} rows, ${result.bytes} bytes (${mb(result.bytes)} MB) of JSON; ` +
      `${runs} runs after 1 warm-up`,
  );
  console.log();
  console.log(`${"method".padEnd(12)} ${"median ms".padStart(9)} ${"min".padStart(7)} ${"max".padStart(7)}  vs JSON.parse  parts (medians, ms)`);
  const table = {};
  for (const [method, samples] of Object.entries(result.samples)) {
    const times = samples.map((s) => s.ms);
    const med = median(times);
    const parts = Object.keys(samples[0].parts)
      .map((k) => `${k} ${median(samples.map((s) => s.parts[k])).toFixed(0)}`)
      .join(", ");
    table[method] = { median: med, min: Math.min(...times), max: Math.max(...times), ratio: med / peer };
    console.log(
      `${method.padEnd(12)} ${ms(med).padStart(9)} ${ms(Math.min(...times))} ${ms(Math.max(...times))}  ${(med / peer).toFixed(2).padStart(12)}x  ${parts}`,
    );
  }
  const heaps = result.samples.json_parse.map((s) => s.heap).filter((h) => h !== null);
  console.log();
  if (heaps.length && result.heapBefore !== null) {
    console.log(
      `JS heap: ${mb(result.heapBefore)} MB before the runs (the fetched bytes included), ` +
        `${mb(median(heaps))} MB with the JSON.parse result alive (performance.memory, median)`,
    );
  }
  console.log(`wasm memory after the runs: ${mb(result.wasmMemoryBytes)} MB (never shrinks)`);
  result.table = table;
  if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 2));
} finally {
  await browser?.close();
  await files.close();
}
