// Node 20 ESM: the retry, timeout and fault behaviour of the built package
// `neo-usage`, through its JavaScript API only, against reference servers
// started with fault flags, as scripts/client-tests.sh starts them (all
// `--seed 7 --tasks 2000 --now 2026-11-01T00:00:00Z`, so every server holds
// the same rows as the fault-free twin). Their URLs come from the variables
// that script exports (the same as tests/browser.rs reads):
//
//   NEO_MOCK_URL           none (the twin)
//   NEO_MOCK_FAULTY_URL    --drop-rate 0.2
//   NEO_MOCK_GROW_URL      --grow-every 3
//   NEO_MOCK_BOUND_URL     --latency-ms 200
//   NEO_MOCK_LIMITED_URL   --rate-limit 3 --rate-window-ms 3600000 --retry-after 1
//   NEO_MOCK_BROKEN_URL    --error-rate 1 --error-statuses 500
//   NEO_MOCK_FLAKY_URL     --error-rate 0.2 (500 or 503)
//   NEO_MOCK_TRUNCATE_URL  --truncate-rate 0.2
//   NEO_MOCK_HANG_URL      --stall-rate 1
//   NEO_MOCK_BUSY_URL      --error-rate 0.25 --error-statuses 429 --retry-after 1
//   NEO_MOCK_BURST_URL     --error-rate 0.6 --error-statuses 503
//   NEO_MOCK_HOLLOW_URL    --empty-page-rate 0.2
//   NEO_MOCK_DRIFT_URL     --total-drift 150
//
// A missing variable fails the run. Request counts come from the servers'
// `GET /__mock/stats`; `POST /__mock/reset` restarts them, and faults are
// drawn per request number, so a check that resets and sends its requests
// one at a time meets the same faults every run. Checks wait for promises
// and counters, never for a fixed time.
import assert from "node:assert/strict";
import init, { NeoUsageClient } from "neo-usage";

const VARIABLES = {
  clean: "NEO_MOCK_URL",
  faulty: "NEO_MOCK_FAULTY_URL",
  grow: "NEO_MOCK_GROW_URL",
  bound: "NEO_MOCK_BOUND_URL",
  limited: "NEO_MOCK_LIMITED_URL",
  broken: "NEO_MOCK_BROKEN_URL",
  flaky: "NEO_MOCK_FLAKY_URL",
  cut: "NEO_MOCK_TRUNCATE_URL",
  hang: "NEO_MOCK_HANG_URL",
  busy: "NEO_MOCK_BUSY_URL",
  burst: "NEO_MOCK_BURST_URL",
  hollow: "NEO_MOCK_HOLLOW_URL",
  drift: "NEO_MOCK_DRIFT_URL",
};
const url = {};
for (const [name, variable] of Object.entries(VARIABLES)) url[name] = process.env[variable];
const missing = Object.entries(VARIABLES).filter(([name]) => !url[name]).map(([, v]) => v);
assert.deepEqual(missing, [], `not set: ${missing.join(", ")} (run scripts/client-tests.sh)`);

const ADMIN = "admin-token";
await init();

// One check: `fn` must settle within CHECK_LIMIT_MS (a guard against a hung
// promise, never a wait: every check is much faster).
const CHECK_LIMIT_MS = 30000;
let checks = 0;
const check = async (what, fn) => {
  const started = Date.now();
  let guard;
  const limit = new Promise((_, reject) => {
    guard = setTimeout(() => reject(new Error(`${what}: not settled after ${CHECK_LIMIT_MS} ms`)), CHECK_LIMIT_MS);
  });
  try {
    await Promise.race([fn(), limit]);
  } finally {
    clearTimeout(guard);
  }
  checks += 1;
  console.log("ok", what, `(${Date.now() - started} ms)`);
};

const stats = async (base) => {
  const response = await fetch(`${base}/__mock/stats`);
  assert.ok(response.ok, `stats answered ${response.status}`);
  return response.json();
};
const reset = async (base) => {
  const response = await fetch(`${base}/__mock/reset`, { method: "POST" });
  assert.ok(response.ok, `reset answered ${response.status}`);
};
const requests = async (base) => (await stats(base)).requests;

// The error a promise rejects with; a resolved promise fails the check.
const rejection = async (promise) => {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof Error, `rejected with a non-Error: ${e}`);
    assert.equal(e.name, "NeoUsageError");
    return e;
  }
  assert.fail("expected a rejection");
};

// A client of `base` with the admin token and quick retries, so fault
// checks do not wait on production backoff.
const client = (base, options = {}) => new NeoUsageClient({ baseUrl: base, token: ADMIN, ...options });
const fastRetry = (maxAttempts, extra = {}) => ({ retry: { maxAttempts, baseDelayMs: 20, maxDelayMs: 200, ...extra } });

// The twin's rows in API order, by a plain sequential offset scan with
// listTaskUsages (not fetch-all): what every faulty server holds. Its first
// call sends requests to the twin, so checks read counters before it.
let twin;
const twinRows = async () => {
  if (!twin) {
    const c = client(url.clean);
    const rows = [];
    for (let offset = 0; ; offset += 200) {
      const page = await c.listTaskUsages({ limit: 200, offset });
      rows.push(...page.data);
      if (!page.has_more || page.data.length === 0) break;
    }
    assert.equal(rows.length, 2000, "the twin holds 2000 rows");
    twin = rows;
  }
  return twin;
};

// Same rows, same order, every field equal; a mismatch names the first row
// that differs instead of diffing 2000 rows.
const assertSameRows = (got, expected) => {
  assert.equal(got.length, expected.length, "none lost, none doubled");
  const first = got.findIndex((row, i) => row.task_id !== expected[i].task_id);
  assert.equal(first, -1, `task_id order differs first at row ${first}`);
  got.forEach((row, i) => assert.deepEqual(row, expected[i], `row ${i} (${row.task_id})`));
};

// A full fetch-all (pages of 200) against a faulty server equals the twin:
// none lost, none doubled, same order, every field, and faults were met.
const assertScanEqualsTwin = async (base, all) => {
  const sent = await requests(base);
  assertSameRows(all.rows, await twinRows());
  assert.equal(all.truncated, false);
  assert.equal(all.duplicatesDropped, 0);
  assert.ok(sent > 10, `faults were met: ${sent} requests for 10 pages`);
  return sent;
};

await check("401, 403, 404 and other 4xx answers are not retried", async () => {
  const base = url.clean;
  // Four attempts allowed: a retry would show as more than one request.
  const patient = (token) => new NeoUsageClient({ baseUrl: base, token, ...fastRetry(4) });

  await reset(base);
  let e = await rejection(patient("wrong-token").fetchAllTaskUsages({}, { concurrency: 4 }));
  assert.equal(e.kind, "unauthorized");
  assert.equal(e.status, 401);
  assert.ok(!e.message.includes("wrong-token"), e.message);
  assert.equal(await requests(base), 1, "401: one request, no retry");

  await reset(base);
  e = await rejection(patient("member-token").getUsageSummary({}));
  assert.equal(e.kind, "forbidden");
  assert.equal(e.status, 403);
  assert.equal(await requests(base), 1, "403: one request, no retry");

  await reset(base);
  e = await rejection(patient(ADMIN).getTaskUsage("no-such-task"));
  assert.equal(e.kind, "not_found");
  assert.equal(e.status, 404);
  assert.equal(await requests(base), 1, "404: one request, no retry");

  // The server's 422 cannot be reached through the JS API (the package
  // validates queries with the server's own rules and refuses them
  // locally, below); 414, another 4xx the server answers on its own, stands
  // for "any other 4xx".
  await reset(base);
  e = await rejection(patient(ADMIN).listTaskUsages({ search: "x".repeat(9000) }));
  assert.equal(e.kind, "http");
  assert.equal(e.status, 414);
  assert.equal(await requests(base), 1, "414: one request, no retry");

  await reset(base);
  e = await rejection(patient(ADMIN).listTaskUsages({ limit: 500 }));
  assert.equal(e.kind, "invalid_query");
  assert.equal(e.status, undefined);
  assert.deepEqual(e.problems.map((p) => p.parameter), ["limit"]);
  assert.equal(await requests(base), 0, "an invalid query is never sent");
});

await check("a 429 whose Retry-After exceeds retry.maxRetryAfterMs rejects at once with retryAfter", async () => {
  // A window of an hour: after a reset the 4th request is a 429 however
  // slow the machine is, and so is every one after it.
  const base = url.limited;
  await reset(base);
  const capped = client(base, { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 500 } });
  for (let i = 0; i < 3; i += 1) {
    assert.equal((await capped.listTaskUsages({ limit: 1 })).data.length, 1, "within the limit");
  }
  let e = await rejection(capped.listTaskUsages({ limit: 1 }));
  assert.equal(e.kind, "rate_limited");
  assert.equal(e.status, 429);
  assert.equal(e.retryAfter, 1, "Retry-After in seconds");
  assert.equal(await requests(base), 4, "Retry-After 1 s > cap 500 ms: not retried");

  // The same answer under a cap of 2 s is waited (at least the second the
  // server asked for) and retried; the window is still full, so the retry
  // is a 429 too and the attempts run out.
  const started = Date.now();
  const waiting = client(base, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 2000 } });
  e = await rejection(waiting.listTaskUsages({ limit: 1 }));
  const took = Date.now() - started;
  assert.equal(e.kind, "rate_limited");
  assert.equal(e.retryAfter, 1);
  assert.equal(await requests(base), 6, "within the cap: retried once");
  assert.ok(took >= 995, `retried after ${took} ms: Retry-After not honoured`);
});

await check("a 429 whose Retry-After is within the cap is waited out and succeeds", async () => {
  // 429s (Retry-After: 1) drawn per request number; for seed 7 request 1
  // is one. Retry-After is a floor on each wait.
  const base = url.busy;
  await reset(base);
  const started = Date.now();
  const page = await client(base, { retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 5000 } })
    .listTaskUsages({ limit: 5 });
  const took = Date.now() - started;
  const sent = await requests(base);
  assert.deepEqual(page.data, (await twinRows()).slice(0, 5));
  assert.ok(sent >= 2, `a 429 was met and waited out (${sent} requests)`);
  const limited = sent - 1;
  assert.ok(took >= limited * 1000 - 5, `${limited} 429s waited ${took} ms in all: Retry-After not honoured`);
});

await check("a 500 on every request rejects with kind server after exactly maxAttempts requests", async () => {
  const base = url.broken;
  await reset(base);
  let e = await rejection(client(base, { retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 } }).listTaskUsages({}));
  assert.equal(e.kind, "server");
  assert.equal(e.status, 500);
  assert.equal(await requests(base), 5, "5 attempts, then the 500");

  // The maxAttempts shorthand, and a fetch-all whose first page fails.
  await reset(base);
  e = await rejection(client(base, { maxAttempts: 3 }).getUsageSummary());
  assert.equal(e.kind, "server");
  assert.equal(await requests(base), 3, "maxAttempts 3: 3 requests");
  await reset(base);
  e = await rejection(client(base, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }).fetchAllTaskUsages({}, { concurrency: 4 }));
  assert.equal(e.kind, "server");
  assert.equal(e.status, 500);
  assert.equal(await requests(base), 3, "fetch-all: 3 attempts at the first page");
});

// Each faulty server, one fetch-all, the twin's rows exactly.
for (const [name, what, maxAttempts, concurrency] of [
  ["flaky", "500 and 503 at 20 %", 8, 4],
  ["faulty", "20 % of connections dropped", 8, 4],
  ["cut", "20 % of bodies cut short", 8, 4],
  // One page at a time: the same runs of 503 every time.
  ["burst", "runs of 503 (60 %)", 12, 1],
  ["hollow", "20 % of pages empty with has_more", 8, 4],
]) {
  await check(`fetch-all through ${what} (${name}) equals the twin's rows`, async () => {
    const base = url[name];
    await reset(base);
    const all = await client(base, fastRetry(maxAttempts)).fetchAllTaskUsages({}, { concurrency });
    const sent = await assertScanEqualsTwin(base, all);
    assert.equal(all.total, 2000);
    console.log(`   ${name}: ${sent} requests for ${all.pages} pages`);
  });
}

await check("fetch-all while total drifts between pages equals the twin's rows", async () => {
  const base = url.drift;
  await reset(base);
  const all = await client(base, fastRetry(8)).fetchAllTaskUsages({}, { concurrency: 4 });
  assertSameRows(all.rows, await twinRows());
  assert.ok(all.total >= 1850 && all.total <= 2150, `total ${all.total}`);
  assert.equal(all.duplicatesDropped, 0);
  assert.equal(all.truncated, false);
});

await check("timeoutMs: a stalled request rejects with kind timeout, once per attempt", async () => {
  // Every answer held 10 minutes: each attempt times out.
  const base = url.hang;
  await reset(base);
  let e = await rejection(client(base, { timeoutMs: 200, maxAttempts: 1 }).listTaskUsages({ limit: 1 }));
  assert.equal(e.kind, "timeout");
  assert.equal(e.status, undefined);
  assert.ok(e.message.includes("200 ms"), e.message);
  assert.equal(await requests(base), 1, "maxAttempts 1: one request");

  await reset(base);
  e = await rejection(client(base, { timeoutMs: 200, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).getTaskUsage("any"));
  assert.equal(e.kind, "timeout");
  assert.equal(await requests(base), 2, "maxAttempts 2: the timeout is retried once");
});

await check("requests in flight never exceed maxConcurrency or fetch-all's concurrency", async () => {
  // Every answer takes 200 ms, so requests allowed to overlap do.
  const base = url.bound;
  for (const [maxConcurrency, concurrency, bound] of [[3, 8, 3], [8, 2, 2]]) {
    await reset(base);
    const all = await client(base, { maxConcurrency }).fetchAllTaskUsages({ limit: 100 }, { concurrency });
    assert.equal(all.rows.length, 2000);
    const peak = (await stats(base)).peak_in_flight;
    assert.ok(peak <= bound, `maxConcurrency ${maxConcurrency}, concurrency ${concurrency}: peak ${peak} > ${bound}`);
    assert.ok(peak >= 2, `requests did overlap (peak ${peak})`);
  }
  // One-request methods called at once share the client's bound.
  await reset(base);
  const c = client(base, { maxConcurrency: 2 });
  const pages = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => c.listTaskUsages({ limit: 1, offset: i })));
  assert.equal(pages.length, 6);
  const { peak_in_flight: peak, requests: sent } = await stats(base);
  assert.equal(sent, 6);
  assert.equal(peak, 2, `6 calls at once, maxConcurrency 2: peak ${peak}`);
});

await check("an AbortSignal aborted before fetch-all rejects with kind aborted and sends nothing", async () => {
  const base = url.clean;
  await reset(base);
  const e = await rejection(client(base).fetchAllTaskUsages({}, { signal: AbortSignal.abort() }));
  assert.equal(e.kind, "aborted");
  assert.equal(e.status, undefined);
  // No page was fetched, and the error carries no `rows` or
  // `missingOffsets` at all (not empty arrays): the package rejects with
  // the plain aborted error, as for any scan stopped before its first page.
  assert.equal(e.rows, undefined);
  assert.equal(e.missingOffsets, undefined);
  assert.equal(await requests(base), 0, "nothing sent");
});

await check("maxRows through 500s and 503s gives exactly maxRows distinct rows, truncated", async () => {
  // Seed 7 at 20 %: request 1 after a reset is a 503, so the scan meets at
  // least one fault before its first page.
  const base = url.flaky;
  await reset(base);
  const all = await client(base, fastRetry(8)).fetchAllTaskUsages({ limit: 100 }, { maxRows: 250, concurrency: 3 });
  assert.equal(all.rows.length, 250);
  assert.equal(new Set(all.rows.map((r) => r.task_id)).size, 250, "each task_id once");
  assert.equal(all.truncated, true);
  const sent = await requests(base);
  assertSameRows(all.rows, (await twinRows()).slice(0, 250));
  assert.ok(sent > all.pages, `faults were met: ${sent} requests for ${all.pages} pages`);
});

await check("fetch-all with `to` pinned, while new tasks arrive, equals the twin's rows", async () => {
  // Every 3rd request inserts a new newest task. With `to` just after the
  // twin's newest row, inserted rows are outside the scan and offsets stay
  // stable.
  const base = url.grow;
  const expected = await twinRows();
  const to = new Date(Date.parse(expected[0].created_at) + 1).toISOString();
  await reset(base);
  const rowsBefore = (await stats(base)).rows;
  const all = await client(base, fastRetry(4)).fetchAllTaskUsages({ limit: 100, to }, { concurrency: 3 });
  assert.equal(new Set(all.rows.map((r) => r.task_id)).size, all.rows.length, "each task_id once");
  assertSameRows(all.rows, expected);
  assert.equal(all.query.to, to, "the given `to` is kept");
  const rowsAfter = (await stats(base)).rows;
  assert.ok(rowsAfter > rowsBefore, `the server grew during the scan (${rowsBefore} -> ${rowsAfter} rows)`);
});

await check("fetch-all without `to`, while new tasks arrive, pins `to` and gets every row present at its start once", async () => {
  // After a reset, request 1 (the first page) does not grow (every 3rd
  // does), so the first page sees exactly the rows at the start; fetch-all
  // pins `to` just after its newest row, on the server's clock.
  const base = url.grow;
  const expected = await twinRows();
  const newest = Date.parse(expected[0].created_at);
  await reset(base);
  const rowsAtStart = (await stats(base)).rows;
  const all = await client(base, fastRetry(4)).fetchAllTaskUsages({ limit: 100 }, { concurrency: 3 });
  const got = new Set(all.rows.map((r) => r.task_id));
  assert.equal(got.size, all.rows.length, "each task_id once");
  assert.equal(all.rows.length, rowsAtStart, "every row present at the start, once");
  assert.ok(expected.every((r) => got.has(r.task_id)), "no twin row missed");
  const known = new Set(expected.map((r) => r.task_id));
  assert.ok(all.rows.filter((r) => !known.has(r.task_id)).every((r) => Date.parse(r.created_at) > newest));
  const maxCreated = Math.max(...all.rows.map((r) => Date.parse(r.created_at)));
  assert.equal(Date.parse(all.query.to), maxCreated + 1, `to pinned 1 ms after the newest row: ${all.query.to}`);
  assert.ok((await stats(base)).rows > rowsAtStart, "the server grew during the scan");
});

console.log(`node faults: ${checks} checks passed`);
