// The benchmark page: loads the bench wasm (crates/neo-usage-bench) and
// exposes one function per measure to run.mjs, which drives it from
// headless Chromium. Each measure returns raw samples in milliseconds or
// bytes; run.mjs takes the medians and writes the report.

import init, { BenchLoadAll, BenchStore, decodeRows } from "./pkg/neo_usage_bench.js";
import { differences, idiomatic, toColumns, typed } from "./aggregates.mjs";

const wasm = await init();

const bytesOf = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const time = (f) => {
  const start = performance.now();
  const out = f();
  return [performance.now() - start, out];
};
/** What `response.json()` does: bytes to text to objects. */
const parseJson = (bytes) => JSON.parse(new TextDecoder().decode(bytes));

/** Decoding one body into typed rows (`repeat` times per sample), against
 *  JSON.parse; `runs` samples after a warm-up. */
async function decode({ url, runs, repeat = 1 }) {
  const bytes = await bytesOf(url);
  const ours = [];
  const peer = [];
  const repeated = (f) => {
    let out;
    for (let k = 0; k < repeat; k++) out = f();
    return out;
  };
  for (let r = 0; r <= runs; r++) {
    const [p, objects] = time(() => repeated(() => parseJson(bytes)));
    const [o, count] = time(() => repeated(() => decodeRows(bytes)));
    const rows = Array.isArray(objects) ? objects : objects.data;
    if (count !== rows.length) throw new Error(`decoded ${count} rows, JSON.parse ${rows.length}`);
    if (r > 0) {
      peer.push(p);
      ours.push(o);
    }
  }
  return { ours, peer, bytes: bytes.length };
}

/** Fetches the pages (200 rows each) of a dataset. */
async function pagesOf(prefix, count) {
  const pages = [];
  for (let k = 0; k < count; k++) pages.push(await bytesOf(`${prefix}${k}.json`));
  return pages;
}

/** Load-all's path as the viewer runs it: every page decoded into a
 *  `StorePage` and joined into one column store (`OrderedPageJoin`),
 *  against JSON.parse of every page into one array of objects. Also timed:
 *  every page decoded straight into one store (no join), and the typed
 *  path (rows decoded to `TaskUsage`, then appended). */
async function loadAll({ prefix, count, runs }) {
  const pages = await pagesOf(prefix, count);
  const ours = [];
  const peer = [];
  const oneStore = [];
  const typed = [];
  for (let r = 0; r <= runs; r++) {
    const [p, held] = time(() => pages.flatMap((b) => parseJson(b).data));
    const [o, store] = time(() => {
      const load = new BenchLoadAll(200);
      pages.forEach((b) => load.put(b));
      return load.finish();
    });
    const direct = new BenchStore();
    const [d] = time(() => pages.forEach((b) => direct.appendPage(b)));
    const before = new BenchStore();
    const [t] = time(() => pages.forEach((b) => before.appendPageTyped(b)));
    for (const s of [store, direct, before]) {
      if (s.len() !== held.length) throw new Error(`store holds ${s.len()} rows, JSON.parse ${held.length}`);
    }
    const expected = store.fingerprint();
    if (direct.fingerprint() !== expected || before.fingerprint() !== expected) throw new Error("the load-all, direct and typed paths disagree");
    store.free();
    direct.free();
    before.free();
    if (r > 0) {
      peer.push(p);
      ours.push(o);
      oneStore.push(d);
      typed.push(t);
    }
  }
  return { ours, peer, oneStore, typed, rows: 200 * count };
}

/** Wasm memory grown by loading every page as the viewer's load-all does
 *  (read into a `StorePage`, joined into the store), so the peak includes
 *  the pages' bytes on their way in (this page is fresh: run.mjs opens a
 *  new one for each memory measure). */
async function storeMemory({ prefix, count }) {
  const pages = await pagesOf(prefix, count);
  const before = wasm.memory.buffer.byteLength;
  const load = new BenchLoadAll(200);
  pages.forEach((b) => load.put(b));
  const store = load.finish();
  window.heldStore = store;
  return { grown: wasm.memory.buffer.byteLength - before, columns: store.heapBytes(), rows: store.len() };
}

/** The same pages held as JS objects; run.mjs reads the heap around it. */
async function fetchPages({ prefix, count }) {
  window.pages = await pagesOf(prefix, count);
  return window.pages.length;
}
function holdObjects() {
  window.heldObjects = window.pages.flatMap((b) => parseJson(b).data);
  return window.heldObjects.length;
}

/** Every dashboard aggregate: wasm over the store, idiomatic JS over the
 *  objects, typed-array JS over columns; checked equal, then timed. */
async function aggregates({ prefix, count, runs }) {
  const pages = await pagesOf(prefix, count);
  const rows = pages.flatMap((b) => parseJson(b).data);
  const store = new BenchStore();
  pages.forEach((b) => store.appendPage(b));
  const columns = toColumns(rows);
  const expected = JSON.parse(store.fingerprint());
  const mismatches = [
    ...differences(expected, idiomatic(rows)).map((d) => `idiomatic ${d}`),
    ...differences(expected, typed(columns)).map((d) => `typed ${d}`),
  ];
  const ours = [];
  const idiom = [];
  const typedMs = [];
  for (let r = 0; r <= runs; r++) {
    const [o] = time(() => store.dashboard());
    const [i] = time(() => idiomatic(rows));
    const [t] = time(() => typed(columns));
    if (r > 0) {
      ours.push(o);
      idiom.push(i);
      typedMs.push(t);
    }
  }
  store.free();
  return { ours, idiomatic: idiom, typed: typedMs, mismatches: mismatches.slice(0, 10), rows: rows.length };
}

window.bench = { decode, loadAll, storeMemory, fetchPages, holdObjects, aggregates };
window.benchReady = true;
