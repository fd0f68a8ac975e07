// Fetch-all through the npm package (crates/neo-usage-client/pkg) against
// a reference server with added latency, at a given concurrency; run.mjs
// compares concurrency 6 with concurrency 1 and with ⌈pages / c⌉ × RTT.

import init, { NeoUsageClient } from "./npm/neo_usage.js";

await init();

/** Times `runs` scans (after a warm-up) of every row the server holds. */
async function fetchAll({ baseUrl, concurrency, runs }) {
  const client = new NeoUsageClient({ baseUrl, token: "admin-token", maxConcurrency: concurrency });
  const samples = [];
  let rows = 0;
  let pages = 0;
  for (let r = 0; r <= runs; r++) {
    const start = performance.now();
    const out = await client.fetchAllTaskUsages({ limit: 200 }, { concurrency });
    const ms = performance.now() - start;
    rows = out.rows.length;
    pages = out.pages;
    if (r > 0) samples.push(ms);
  }
  client.free();
  return { samples, rows, pages };
}

window.fetchAllBench = fetchAll;
window.benchReady = true;
