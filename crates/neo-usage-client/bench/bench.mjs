// Decoding benchmark, in the page: the same bytes (fetch().arrayBuffer())
// decoded by
//   json_parse  JSON.parse(new TextDecoder().decode(bytes)) (the peer);
//   wasm_bytes  the client's path: the bytes copied into wasm memory by the
//               binding (&[u8]) and decoded by neo_usage::decode::decode_json;
//   wasm_str    the &str path: TextDecoder, the binding's string copy into
//               wasm memory, serde_json::from_str.
// A method's time runs from the bytes to decoded rows; the wasm exports
// also time their decoding inside wasm (performance.now) and the drop of
// the rows, which is left out of their total (JSON.parse's garbage is
// collected later too). Driven by run.mjs; not a test.

import init, {
  bench_decode_bytes,
  bench_decode_str,
  bench_last_decode_ms,
  bench_last_drop_ms,
} from "./pkg/neo_usage_client.js";

const now = () => performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const heapBytes = () => (performance.memory ? performance.memory.usedJSHeapSize : null);

function log(line) {
  console.log(line);
  document.getElementById("log").textContent += line + "\n";
}

const METHODS = {
  json_parse(bytes) {
    const t0 = now();
    const text = new TextDecoder().decode(bytes);
    const t1 = now();
    const page = JSON.parse(text);
    const t2 = now();
    const heap = heapBytes(); // the parsed page is still alive here
    return {
      ms: t2 - t0,
      parts: { text_decode: t1 - t0, parse: t2 - t1 },
      rows: page.data.length,
      heap,
    };
  },
  wasm_bytes(bytes) {
    const t0 = now();
    const rows = bench_decode_bytes(bytes);
    const t1 = now();
    const decode = bench_last_decode_ms();
    const drop = bench_last_drop_ms();
    return {
      ms: t1 - t0 - drop,
      parts: { copy_in: t1 - t0 - drop - decode, decode, drop },
      rows,
    };
  },
  wasm_str(bytes) {
    const t0 = now();
    const text = new TextDecoder().decode(bytes);
    const t1 = now();
    const rows = bench_decode_str(text);
    const t2 = now();
    const decode = bench_last_decode_ms();
    const drop = bench_last_drop_ms();
    return {
      ms: t2 - t0 - drop,
      parts: { text_decode: t1 - t0, copy_in: t2 - t1 - drop - decode, decode, drop },
      rows,
    };
  },
};

export async function runBench({ data = "/rows.json", runs = 7, methods = Object.keys(METHODS), pauseMs = 500 } = {}) {
  const wasm = await init();
  const t0 = now();
  const response = await fetch(data, { cache: "no-store" });
  if (!response.ok) throw new Error(`GET ${data}: ${response.status}`);
  const buffer = await response.arrayBuffer();
  const fetchMs = now() - t0;
  const bytes = new Uint8Array(buffer);
  log(`${bytes.length} bytes fetched in ${fetchMs.toFixed(0)} ms`);

  const heapBefore = heapBytes();
  const samples = Object.fromEntries(methods.map((m) => [m, []]));
  let expectedRows = null;
  // Run 0 warms up (wasm memory growth, JIT) and is not counted.
  for (let run = 0; run <= runs; run++) {
    for (const method of methods) {
      await sleep(pauseMs);
      const sample = METHODS[method](bytes);
      if (expectedRows === null) expectedRows = sample.rows;
      if (sample.rows !== expectedRows || sample.rows === 0xffffffff) {
        throw new Error(`${method}: ${sample.rows} rows, expected ${expectedRows}`);
      }
      const label = run === 0 ? "warm-up" : `run ${run}`;
      log(`${label} ${method}: ${sample.ms.toFixed(1)} ms`);
      if (run > 0) samples[method].push(sample);
    }
  }
  return {
    bytes: bytes.length,
    rows: expectedRows,
    fetchMs,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    heapBefore,
    wasmMemoryBytes: wasm.memory.buffer.byteLength,
    samples,
  };
}
