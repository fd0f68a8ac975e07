// Node 20 ESM: the built package `neo-usage` against a reference server.
// Usage: node smoke.mjs http://127.0.0.1:PORT   (server: --seed 7 --tasks 2000)
import assert from "node:assert/strict";
import init, { NeoUsageClient } from "neo-usage";

const base = process.argv[2];
assert.ok(base, "usage: node smoke.mjs BASE_URL");
await init();
let checks = 0;
const check = (what, fn) => fn().then(() => { checks += 1; console.log("ok", what); });

const client = new NeoUsageClient({ baseUrl: base, token: "admin-token", maxConcurrency: 3, timeoutMs: 10000 });

await check("lists pages of plain objects with API field names", async () => {
  const page = await client.listTaskUsages({ limit: 50 });
  assert.equal(page.data.length, 50);
  assert.equal(page.total, 2000);
  assert.equal(page.has_more, true);
  const row = page.data[0];
  assert.equal(Object.getPrototypeOf(row), Object.prototype);
  for (const field of ["task_id", "created_at", "model", "status", "step_count", "tool_calls", "agent_triggers"]) {
    assert.ok(field in row, field);
  }
  const next = await client.listTaskUsages({ limit: 50, offset: 50 });
  const ids = new Set(page.data.map((r) => r.task_id));
  assert.ok(next.data.every((r) => !ids.has(r.task_id)));
});

await check("gets one task, its streams, the summary", async () => {
  const [row] = (await client.listTaskUsages({ limit: 1 })).data;
  assert.deepEqual(await client.getTaskUsage(row.task_id), row);
  const streams = await client.listStreamUsages({ task_id: row.task_id });
  assert.ok(streams.data.length >= 1 && streams.data.every((s) => s.task_id === row.task_id && s.stream_id));
  const summary = await client.getUsageSummary({ group_by: "month" });
  assert.equal(summary.total_tasks, 2000);
  assert.ok(!(summary.by_status instanceof Map) && typeof summary.by_status === "object");
  assert.equal(Object.values(summary.by_status).reduce((a, b) => a + b, 0), 2000);
  assert.ok(Array.isArray(summary.by_period) && summary.by_period.length > 0);
});

await check("fetches all rows with progress", async () => {
  const progress = [];
  const all = await client.fetchAllTaskUsages({}, { concurrency: 3, onProgress: (p) => progress.push(p) });
  assert.equal(all.rows.length, 2000);
  assert.equal(new Set(all.rows.map((r) => r.task_id)).size, 2000);
  assert.equal(all.total, 2000);
  assert.equal(progress.at(-1).rowsLoaded, 2000);
  assert.ok(all.query.to, "to pinned");
  // Each page's rows are written as JS objects as it arrives: joined, they
  // are the pages listTaskUsages gives, in order, field for field.
  const listed = [];
  for (let offset = 0; offset < 2000; offset += 200) {
    listed.push(...(await client.listTaskUsages({ to: all.query.to, limit: 200, offset })).data);
  }
  assert.deepEqual(all.rows, listed);
  const capped = await client.fetchAllTaskUsages({ limit: 100 }, { maxRows: 250 });
  assert.equal(capped.rows.length, 250);
  assert.equal(capped.truncated, true);
});

await check("rejects with Error objects carrying kind, status, problems", async () => {
  const rejection = async (promise) => {
    try { await promise; } catch (e) { return e; }
    assert.fail("expected a rejection");
  };
  let e = await rejection(client.listTaskUsages({ limit: 500, from: "yesterday" }));
  assert.ok(e instanceof Error);
  assert.equal(e.name, "NeoUsageError");
  assert.equal(e.kind, "invalid_query");
  assert.deepEqual(e.problems.map((p) => p.parameter).sort(), ["from", "limit"]);
  e = await rejection(client.listTaskUsages({ stauts: "error" }));
  assert.equal(e.kind, "invalid_query");
  assert.equal(e.problems[0].parameter, "stauts");
  e = await rejection(new NeoUsageClient({ baseUrl: base, token: "nope" }).listTaskUsages({}));
  assert.equal(e.kind, "unauthorized");
  assert.equal(e.status, 401);
  e = await rejection(new NeoUsageClient({ baseUrl: base, apiKey: "member-token" }).getUsageSummary({}));
  assert.equal(e.kind, "forbidden");
  e = await rejection(client.getTaskUsage("no-such-task"));
  assert.equal(e.kind, "not_found");
  assert.equal(e.status, 404);
  e = await rejection(new NeoUsageClient({ baseUrl: "http://127.0.0.1:9", token: "t", maxAttempts: 1 }).listTaskUsages());
  assert.equal(e.kind, "network");
  e = await rejection(new NeoUsageClient({ baseUrl: "http://127.0.0.1:9", token: "t", retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).listTaskUsages());
  assert.equal(e.kind, "network");
  assert.throws(() => new NeoUsageClient({ token: "t", retry: { maxAtempts: 2 } }), (err) => err.kind === "invalid_query" && err.message.includes("maxAtempts"));
  assert.throws(() => new NeoUsageClient({ token: "t", retry: { baseDelayMs: -1 } }), (err) => err.problems[0].parameter === "retry.baseDelayMs");
  assert.throws(() => new NeoUsageClient({ token: "t", maxAttempts: 2, retry: { maxAttempts: 3 } }), (err) => err.problems[0].parameter === "maxAttempts");
  assert.throws(() => new NeoUsageClient({ baseUrl: base }), (err) => err.kind === "invalid_query");
  assert.throws(() => new NeoUsageClient({ baseUrl: "localhost:8080", token: "t" }), (err) => err.problems[0].parameter === "baseUrl");
  assert.throws(() => new NeoUsageClient({ token: "t", tiemoutMs: 5 }), (err) => err.problems[0].parameter === "tiemoutMs");
  assert.throws(() => new NeoUsageClient({ token: 5 }), (err) => err.problems[0].parameter === "token" && err.message.includes("string"));
  assert.throws(() => new NeoUsageClient({ token: "t", maxConcurrency: 1.5 }), (err) => err.problems[0].parameter === "maxConcurrency");
  assert.throws(() => new NeoUsageClient("t"), (err) => err.problems[0].parameter === "options");
});

await check("huge timeouts and delays are no practical limit, not a crash", async () => {
  // The wasm once trapped ("unreachable") on these, valid numbers all.
  const unhurried = new NeoUsageClient({ baseUrl: base, token: "admin-token", timeoutMs: 1e300, retry: { baseDelayMs: 1e300, maxDelayMs: Number.MAX_VALUE, maxRetryAfterMs: 1e300 } });
  assert.equal((await unhurried.listTaskUsages({ limit: 1 })).data.length, 1);
});

await check("queries are read by their API names, each value checked and named", async () => {
  const problem = async (promise) => {
    try { await promise; } catch (e) { assert.equal(e.kind, "invalid_query"); return e.problems[0]; }
    assert.fail("expected a rejection");
  };
  assert.equal((await problem(client.listTaskUsages({ limit: "5" }))).parameter, "limit");
  assert.equal((await problem(client.listTaskUsages({ offset: -1 }))).parameter, "offset");
  assert.equal((await problem(client.listTaskUsages({ is_byok: "yes" }))).parameter, "is_byok");
  assert.equal((await problem(client.listStreamUsages({ sort: "price" }))).parameter, "sort");
  assert.equal((await problem(client.getUsageSummary({ group_by: "year" }))).parameter, "group_by");
  const unknown = await problem(client.getUsageSummary({ groupBy: "day" }));
  assert.equal(unknown.parameter, "groupBy");
  assert.ok(unknown.message.includes("group_by"), unknown.message);
  // null and undefined values are "not given", as in the typed query.
  const page = await client.listTaskUsages({ status: null, model: undefined, limit: 3 });
  assert.equal(page.data.length, 3);
  const summary = await client.getUsageSummary({ group_by: "week" });
  assert.ok(summary.by_period.length > 0);
});

await check("an AbortSignal stops fetch-all and keeps the rows", async () => {
  const controller = new AbortController();
  let e;
  try {
    await client.fetchAllTaskUsages({ limit: 10 }, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => { if (p.pagesDone === 3) controller.abort(); },
    });
  } catch (err) { e = err; }
  assert.ok(e, "rejected");
  assert.equal(e.kind, "aborted");
  assert.ok(e.rows.length >= 30 && e.rows.length < 2000, `${e.rows.length} rows`);
  assert.equal(new Set(e.rows.map((r) => r.task_id)).size, e.rows.length, "each row once");
  assert.ok(e.missingOffsets.length > 0);
});

console.log(`node: ${checks} checks passed`);
