// The request loops of the npm package's NeoUsageClient (src/js.rs): the
// waiting, the concurrency and the abort wiring, in JavaScript, where they
// cost a few hundred bytes instead of Rust futures (most of the package's
// wasm). Every decision is Rust's: the Call object (src/js_call.rs) says
// what to send, what an answer means, whether and when to try again; the
// FetchAllScan (src/js_scan.rs) runs the core's ScanState, as the Rust
// client's fetch-all does.
import { exchange, delay } from "./exchange.js";

// At most `n` requests on the network at once, handed out in the order
// asked: a client's `maxConcurrency`, a fetch-all's `concurrency`.
export class Limiter {
  constructor(n) {
    this.free = Math.max(1, n);
    this.queue = [];
  }

  // Resolves with a release function once a slot is free. Releasing
  // returns whether the slot went to a waiting request.
  acquire() {
    const release = () => {
      const next = this.queue.shift();
      if (next) next(release);
      else this.free += 1;
      return next !== undefined;
    };
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => this.queue.push(() => resolve(release)));
  }
}

// Waits `ms`, or less if `signal` aborts first.
function pause(ms, signal) {
  if (!signal) return delay(ms);
  return new Promise((resolve) => {
    const done = () => { signal.removeEventListener("abort", done); resolve(); };
    signal.addEventListener("abort", done);
    delay(ms).then(done);
  });
}

// One exchange of `call`, holding a slot of each of `limiters` from the
// request to the body's last byte; aborted with `signal`. Null when
// stopped before its request, else `{ answer }` or `{ failure }`. A
// request its slot went to is sent before this returns.
async function attempt(limiters, call, signal, halted) {
  const releases = [];
  const controller = new AbortController();
  const abort = () => controller.abort();
  try {
    for (const limiter of limiters) releases.push(await limiter.acquire());
    if (signal?.aborted || halted()) return null;
    signal?.addEventListener("abort", abort);
    const outcome = await exchange(call.url(), call.headerName(), call.headerValue(), call.timeoutMs(), controller)
      .then((answer) => ({ answer }), (failure) => ({ failure }));
    return outcome;
  } finally {
    signal?.removeEventListener("abort", abort);
    const handed = releases.map((release) => release()).some(Boolean);
    // A request that got a slot goes out before this body is decoded: its
    // way to `fetch` is promise reactions only, which all run before a
    // timer does.
    if (handed) await delay(0);
  }
}

// Runs `call` until Rust says it is done (resolves with its value) or has
// failed for good (rejects with its NeoUsageError). `signal` aborted, or
// `halted()` true, stops it before its next request (kind "aborted").
export async function send(limiters, call, signal, halted = () => false) {
  for (;;) {
    if (signal?.aborted || halted()) throw call.aborted();
    const outcome = await attempt(limiters, call, signal, halted);
    if (outcome === null || signal?.aborted) throw call.aborted();
    const wait = outcome.answer
      ? call.answer(outcome.answer[0], outcome.answer[1], outcome.answer[2])
      : call.failure(outcome.failure);
    if (wait < 0) return call.value();
    if (signal?.aborted || halted()) throw call.aborted();
    await pause(wait, signal);
  }
}

// Calls the user's progress callback; a throwing one must not break the scan.
function report(onProgress, progress) {
  try {
    onProgress?.(progress);
  } catch {
    // ignored
  }
}

// A fetch-all: the first page, then the planned pages with at most
// `concurrency` requests at once (handed out in plan order; after a failure
// or an abort no new request starts and those in flight finish), then page
// by page while the server says there is more. Resolves with the result
// object, rejects with a NeoUsageError that holds the rows fetched and the
// offsets missing.
export async function fetchAll(limiter, scan, signal, concurrency, onProgress) {
  try {
    if (signal?.aborted) throw scan.abortedBeforeStart();
    const first = scan.firstCall();
    try {
      await send([limiter], first, signal);
      report(onProgress, scan.start(first));
    } finally {
      first.free();
    }
    await fetchPlanned(limiter, scan, signal, concurrency, onProgress);
    for (let call = scan.nextCall(); call; call = scan.nextCall()) {
      try {
        await send([limiter], call, signal).catch(() => { throw scan.stopAt(call); });
        report(onProgress, scan.add(call));
      } finally {
        call.free();
      }
    }
    return scan.finish();
  } finally {
    scan.free();
  }
}

// The pages planned after the first, each call freed once the scan has
// taken its page (the first that failed is handed to the scan instead).
async function fetchPlanned(limiter, scan, signal, concurrency, onProgress) {
  const slots = [new Limiter(concurrency), limiter];
  const calls = scan.plannedCalls();
  let failed = null;
  const halted = () => failed !== null;
  await Promise.all(calls.map(async (call) => {
    try {
      await send(slots, call, signal, halted);
      report(onProgress, scan.add(call));
    } catch {
      failed ??= call;
    }
  }));
  for (const call of calls) if (call !== failed) call.free();
  if (failed !== null || signal?.aborted) throw scan.stopPlanned(failed ?? undefined);
}

// A one-request method: `call` under the client's `limiter`.
export function request(limiter, call) {
  return send([limiter], call).finally(() => call.free());
}
