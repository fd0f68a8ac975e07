#!/usr/bin/env node
// `make bench`: runs every measure of the performance issue in headless
// Chromium (/usr/bin/chromium through playwright-core; nothing is
// downloaded), each beside its peer in the same run, prints a table and
// writes target/bench/report.json. A benchmark, not a test: it asserts
// nothing about time. scripts/bench.sh builds its inputs and calls it.
//
//   node scripts/bench/run.mjs --inputs target/bench/inputs [--runs 7] [--smoke] [--only decode,store]
//
// The inputs folder holds: data/ (rows.json, page-200.json, page-N.json),
// pkg/ (the bench wasm), npm/ (the npm package), dist/ (the viewer),
// counter-dist/ (the peer Leptos app, optional) and mock (the server binary).

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync, brotliCompressSync, constants as zlib } from "node:zlib";
import { chromium } from "playwright-core";
import { serveStatic, startMock } from "./serve.mjs";
import { filterAsYouType, demoColdLoad, importFile } from "./viewer.mjs";
import { wideArithmeticCallers } from "./wide-arith.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const { values: opts } = parseArgs({
  options: {
    inputs: { type: "string", default: join(ROOT, "target/bench/inputs") },
    out: { type: "string", default: join(ROOT, "target/bench/report.json") },
    runs: { type: "string", default: "7" },
    smoke: { type: "boolean", default: false },
    // Comma-separated groups to run (bundles, decode, store, memory,
    // fetch-all, viewer); all by default.
    only: { type: "string", default: "bundles,decode,store,memory,fetch-all,viewer" },
  },
});
const groups = new Set(opts.only.split(","));
const inputs = resolve(opts.inputs);
const runs = opts.smoke ? 1 : Number(opts.runs);
const pageCount = readdirSync(join(inputs, "data")).filter((f) => /^page-\d+\.json$/.test(f)).length;

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1], runs: s.length };
};

const report = { generated: new Date().toISOString(), smoke: opts.smoke, measures: [] };

/** Adds a measure. `ratio` is always how many times better ours is than the
 *  peer (peer / ours: higher is better); `goal` is a ratio floor or a limit
 *  on ours, and `met` says whether the median reached it. */
function record({ name, unit, ours, peer = null, goal, note }) {
  const o = typeof ours === "number" ? { median: ours, min: ours, max: ours, runs: 1 } : ours;
  const p = peer === null ? null : typeof peer === "number" ? { median: peer, min: peer, max: peer, runs: 1 } : peer;
  const ratio = p && o.median > 0 ? p.median / o.median : null;
  const met =
    goal.ratioAtLeast !== undefined ? ratio !== null && ratio >= goal.ratioAtLeast : o.median <= goal.oursAtMost;
  report.measures.push({ name, unit, ours: o.median, peer: p?.median ?? null, ratio, goal, met, oursRuns: o, peerRuns: p, note });
}

const sizesOf = (files) => {
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
// Recursive: wasm-bindgen's JS snippets (snippets/<crate>/...) are part of
// a bundle too.
const bundleFiles = (dir, exts) =>
  readdirSync(dir, { recursive: true }).filter((f) => exts.some((e) => f.endsWith(e))).sort().map((f) => join(dir, f));

function bundles() {
  const viewer = sizesOf(bundleFiles(join(inputs, "dist"), [".wasm", ".js"]));
  // The browser's files: node.js is the Node entry only.
  const npm = sizesOf(bundleFiles(join(inputs, "npm"), [".wasm", ".js"]).filter((f) => !f.endsWith("/node.js")));
  const counterDir = join(inputs, "counter-dist");
  const counter = existsSync(counterDir) ? sizesOf(bundleFiles(counterDir, [".wasm", ".js"])) : null;
  const chartistryDir = join(inputs, "chartistry-dist");
  const chartistry = existsSync(chartistryDir) ? sizesOf(bundleFiles(chartistryDir, [".wasm", ".js"])) : null;
  report.bundles = { viewer, npm, counter, chartistry };
  const wasmDis = join(ROOT, "node_modules/.bin/wasm-dis");
  report.wideArithmetic = {
    viewer: wideArithmeticCallers(join(inputs, "raw-viewer.wasm"), wasmDis),
    bench: wideArithmeticCallers(join(inputs, "raw-bench.wasm"), wasmDis),
  };
  const note = counter ? `peer: a Leptos 0.8 counter app built the same way, ${counter.brotli} B brotli` : "peer not built in smoke mode";
  record({ name: "viewer bundle (wasm + js, brotli)", unit: "B", ours: viewer.brotli, peer: counter?.brotli ?? null, goal: { oursAtMost: 200_000 }, note });
  record({ name: "npm package (wasm + js, brotli)", unit: "B", ours: npm.brotli, peer: counter?.brotli ?? null, goal: { oursAtMost: 50_000 }, note });
}

async function inPage(browser, origin, path, f) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`[page error] ${e.message}`));
  try {
    await page.goto(`${origin}/${path}`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 120_000 });
    return await f(page);
  } finally {
    await page.close();
  }
}

async function decodeMeasures(page, dataRows) {
  const small = await page.evaluate((o) => window.bench.decode(o), { url: "/data/page-0.json", runs: Math.max(runs * 5, 1), repeat: 50 });
  record({ name: "decode a 200-row page into typed rows", unit: "ms", ours: stats(small.ours), peer: stats(small.peer), goal: { ratioAtLeast: 1.2 }, note: `${small.bytes} B, 50 decodes per sample; peer: JSON.parse of the same bytes` });
  const big = await page.evaluate((o) => window.bench.decode(o), { url: "/data/rows.json", runs, repeat: 1 });
  record({ name: `decode ${dataRows} rows into typed rows`, unit: "ms", ours: stats(big.ours), peer: stats(big.peer), goal: { ratioAtLeast: 1.2 }, note: `${big.bytes} B; peer: JSON.parse of the same bytes` });
}

async function storeMeasures(page, dataRows) {
  const load = await page.evaluate((o) => window.bench.loadAll(o), { prefix: "/data/page-", count: pageCount, runs });
  record({ name: `load-all: ${pageCount} pages into the column store`, unit: "ms", ours: stats(load.ours), peer: stats(load.peer), goal: { ratioAtLeast: 2 }, note: `ours: the viewer's load-all, each page's bytes decoded (borrowed strings, no TaskUsage per row) into a StorePage and joined in offset order; in the same run, every page straight into one store with no join ${stats(load.oneStore).median.toFixed(0)} ms, the typed path (decode to TaskUsage, then append) ${stats(load.typed).median.toFixed(0)} ms; peer: JSON.parse of each page into one array` });
  const agg = await page.evaluate((o) => window.bench.aggregates(o), { prefix: "/data/page-", count: pageCount, runs });
  const checked = agg.mismatches.length === 0 ? "all three agree on every figure" : `MISMATCH: ${agg.mismatches.join("; ")}`;
  if (agg.mismatches.length) console.error(`aggregates differ: ${agg.mismatches.join("\n")}`);
  report.aggregatesChecked = agg.mismatches.length === 0;
  record({ name: `every dashboard aggregate over ${dataRows} rows`, unit: "ms", ours: stats(agg.ours), goal: { oursAtMost: 3 }, note: checked });
  record({ name: `aggregates over ${dataRows} rows vs idiomatic JS`, unit: "ms", ours: stats(agg.ours), peer: stats(agg.idiomatic), goal: { ratioAtLeast: 40 }, note: checked });
  record({ name: `aggregates over ${dataRows} rows vs typed-array JS`, unit: "ms", ours: stats(agg.ours), peer: stats(agg.typed), goal: { ratioAtLeast: 2 }, note: checked });
}

async function heapUsed(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize;
}

async function memoryMeasure(browser, origin, dataRows) {
  const ours = await inPage(browser, origin, "page.html", (page) =>
    page.evaluate((o) => window.bench.storeMemory(o), { prefix: "/data/page-", count: pageCount }),
  );
  const peer = await inPage(browser, origin, "page.html", async (page) => {
    await page.evaluate((o) => window.bench.fetchPages(o), { prefix: "/data/page-", count: pageCount });
    const before = await heapUsed(page);
    await page.evaluate(() => window.bench.holdObjects());
    return (await heapUsed(page)) - before;
  });
  record({ name: `wasm memory holding ${dataRows} rows loaded page by page`, unit: "B", ours: ours.grown, peer, goal: { oursAtMost: 32_000_000 }, note: `wasm memory growth (the peak: it never shrinks) over the viewer's load-all (pages read and joined); the store's columns ${ours.columns} B; peer: the same rows as JS objects (JS heap after GC)` });
}

async function fetchAllMeasure(browser, rows) {
  const latency = 100;
  const mock = await startMock(join(inputs, "mock"), ["--tasks", String(rows), "--latency-ms", String(latency)]);
  try {
    const files = await serveStatic({ "/": HERE, "/npm/": join(inputs, "npm") });
    try {
      const run = (concurrency) =>
        inPage(browser, files.origin, "fetch-all.html", (page) =>
          page.evaluate((o) => window.fetchAllBench(o), { baseUrl: mock.url, concurrency, runs }),
        );
      const c6 = await run(6);
      const c1 = await run(1);
      if (c6.rows !== rows || c1.rows !== rows) throw new Error(`fetch-all got ${c6.rows} / ${c1.rows} rows of ${rows}`);
      const bound = (1 + Math.ceil((c6.pages - 1) / 6)) * latency;
      record({ name: `fetch-all ${rows} rows at ${latency} ms latency, concurrency 6`, unit: "ms", ours: stats(c6.samples), goal: { oursAtMost: 1200 }, note: `${c6.pages} pages; the first page, then ⌈${c6.pages - 1} / 6⌉ rounds: ${bound} ms at least` });
      record({ name: `fetch-all ${rows} rows, concurrency 6 vs 1`, unit: "ms", ours: stats(c6.samples), peer: stats(c1.samples), goal: { ratioAtLeast: 4 } });
    } finally {
      await files.close();
    }
  } finally {
    mock.stop();
  }
}

function printBundles() {
  const { viewer, npm, counter, chartistry } = report.bundles;
  const row = (name, b) => b && console.log(`${name.padEnd(44)} ${String(b.raw).padStart(10)} ${String(b.gzip).padStart(9)} ${String(b.brotli).padStart(9)}`);
  console.log(`\n${"bundle (wasm + js), bytes".padEnd(44)} ${"raw".padStart(10)} ${"gzip".padStart(9)} ${"brotli".padStart(9)}`);
  row("viewer (dist/)", viewer);
  row("npm package", npm);
  row("peer: Leptos counter app", counter);
  row("peer: cost chart with leptos-chartistry", chartistry);
  if (counter && chartistry) console.log(`leptos-chartistry adds ${chartistry.brotli - counter.brotli} B brotli over the counter app for one stacked chart`);
  printWideArithmetic();
}

/** Our functions that call wasm32's 128-bit routines (one in a hot loop is worth a look). */
function printWideArithmetic() {
  for (const [module, callers] of Object.entries(report.wideArithmetic ?? {})) {
    if (!callers) {
      console.log(`\n128-bit routines in the ${module} module: not read (no module or no wasm-dis)`);
      continue;
    }
    console.log(`\n128-bit routines our code calls in the ${module} module (cargo's output, before wasm-opt):`);
    for (const [routine, names] of Object.entries(callers)) console.log(`  ${routine}: ${names.join(", ")}`);
  }
}

function printTable() {
  const fmt = (x, unit) => (x === null ? "—" : unit === "B" ? `${(x / 1000).toFixed(1)} kB` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
  console.log(`\n${report.machine.browser}, ${report.machine.cores} cores, ${report.smoke ? "SMOKE (tiny sizes, one run)" : `${runs} runs after a warm-up, medians`}\n`);
  console.log(`${"measure".padEnd(58)} ${"ours".padStart(10)} ${"peer".padStart(10)} ${"ratio".padStart(7)}  goal            met`);
  for (const m of report.measures) {
    const goal = m.goal.ratioAtLeast !== undefined ? `ratio ≥ ${m.goal.ratioAtLeast}` : `≤ ${fmt(m.goal.oursAtMost, m.unit)}`;
    const ratio = m.ratio === null ? "—" : `${m.ratio.toFixed(2)}×`;
    console.log(`${m.name.padEnd(58)} ${fmt(m.ours, m.unit).padStart(10)} ${fmt(m.peer, m.unit).padStart(10)} ${ratio.padStart(7)}  ${goal.padEnd(15)} ${m.met ? "yes" : "NO"}`);
  }
}

const dataRows = JSON.parse(readFileSync(join(inputs, "data/rows.json"), "utf8")).data.length;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
report.machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown", browser: `Chromium ${browser.version()}`, node: process.version };
try {
  if (groups.has("bundles")) bundles();
  const files = await serveStatic({ "/": HERE, "/pkg/": join(inputs, "pkg"), "/data/": join(inputs, "data") });
  try {
    await inPage(browser, files.origin, "page.html", async (page) => {
      if (groups.has("decode")) await decodeMeasures(page, dataRows);
      if (groups.has("store")) await storeMeasures(page, dataRows);
    });
    if (groups.has("memory")) await memoryMeasure(browser, files.origin, dataRows);
  } finally {
    await files.close();
  }
  if (groups.has("fetch-all")) await fetchAllMeasure(browser, opts.smoke ? 1_000 : 10_000);
  if (groups.has("viewer")) {
    const mock = await startMock(join(inputs, "mock"), ["--serve-dir", join(inputs, "dist")]);
    const counterDir = join(inputs, "counter-dist");
    const counter = existsSync(counterDir) ? await serveStatic({ "/": counterDir }) : null;
    try {
      record(await demoColdLoad(browser, mock.url, opts.smoke ? 1_000 : 10_000, runs, stats, counter?.origin));
      record(await filterAsYouType(browser, mock.url, opts.smoke ? 1_000 : 100_000, opts.smoke ? 5 : 50, opts.smoke ? 1 : 3, stats));
      const rowsFile = join(inputs, "data/rows.json");
      record(await importFile(browser, mock.url, rowsFile, statSync(rowsFile).size, dataRows, opts.smoke ? 0 : 3, stats));
    } finally {
      await counter?.close();
      mock.stop();
    }
  }
} finally {
  await browser.close();
}
if (report.bundles) printBundles();
printTable();
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, JSON.stringify(report, null, 2));
console.log(`\nreport: ${opts.out}`);
if (report.aggregatesChecked === false) {
  console.error("the JS peers and the wasm dashboard disagree: the aggregate ratios compare different work");
  process.exit(1);
}
