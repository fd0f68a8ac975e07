// The peers of the wasm dashboard in `make bench`: the same aggregates
// written twice in plain JavaScript, once as a JS developer would over the
// objects JSON.parse gives (idiomatic), once over typed-array columns built
// beforehand (typed). Both return the figures of
// crates/neo-usage-bench's `fingerprint`, so the page can check that all
// three agree exactly before it times them.
//
// Money is summed as integers of 1e-4 (as the API sends four decimals), so
// the sums are exact in doubles well past any account's spend.

const DAY_MS = 86_400_000;
const USD_PER_CREDIT = 10;
const INCOMPLETE = new Set(["error", "failed", "aborted", "blocked"]);
const NO_MEMBER = "(no email)";
const BYOK = "BYOK";
const NOT_BYOK = "Neo credits";
const TOP_TOOLS = 10;
const ANOMALY_K = 3.5;
const MAD_SCALE = 1.4826;

/** A money value in units of 1e-4 (a missing value is 0). */
const units = (x) => (x == null ? 0 : Math.round(x * 1e4));

/** The nearest-rank percentile of sorted numbers (null when empty). */
function nearestRank(sorted, p) {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.min(Math.max(Math.ceil((p / 100) * n), 1), n);
  return sorted[rank - 1];
}

const percentiles = (sorted) => [50, 90, 95, 99].map((p) => nearestRank(sorted, p));

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return 0;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Days whose cost is above median + k × 1.4826 × MAD, as bucket starts. */
function anomalyDays(dayCost, firstDay) {
  const med = median(dayCost);
  const mad = median(dayCost.map((c) => Math.abs(c - med)));
  const cut = med + ANOMALY_K * MAD_SCALE * mad;
  const out = [];
  dayCost.forEach((c, d) => {
    if (mad > 0 && c > cut) out.push(firstDay + d * DAY_MS);
  });
  return out;
}

/** The top tools by calls and by time, ties broken as the Rust side does. */
function topTools(tools) {
  const all = [...tools.entries()].map(([name, t]) => ({ name, ...t }));
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const byCalls = [...all].sort((a, b) => b.calls - a.calls || b.ms - a.ms || byName(a, b));
  const byTime = [...all].sort((a, b) => b.ms - a.ms || b.calls - a.calls || byName(a, b));
  return {
    topCalls: byCalls.slice(0, TOP_TOOLS).map((t) => [t.name, t.calls]),
    topTime: byTime.slice(0, TOP_TOOLS).map((t) => [t.name, t.ms]),
    distinctTools: all.length,
  };
}

/** The range [from, to) of the rows' times, and its UTC day buckets. */
function rangeOf(times) {
  let from = Infinity;
  let to = -Infinity;
  for (const t of times) {
    if (t < from) from = t;
    if (t + 1 > to) to = t + 1;
  }
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
  const days = Math.floor((to - 1) / DAY_MS) - Math.floor(from / DAY_MS) + 1;
  return { from, to, firstDay, days };
}

/** Every aggregate over rows as JSON.parse gives them, written plainly. */
export function idiomatic(rows) {
  const times = rows.map((r) => Date.parse(r.created_at));
  const { from, to, firstDay, days } = rangeOf(times);
  const rowCost = (r) =>
    units(r.neo_credits) * USD_PER_CREDIT + (r.is_byok ? units(r.llm_cost) + units(r.neo_cost) : 0);
  const sum = (f) => rows.reduce((acc, r) => acc + f(r), 0);
  const group = (key) => {
    const out = {};
    for (const r of rows) {
      const g = (out[key(r)] ??= [0, 0]);
      g[0] += 1;
      g[1] += units(r.neo_credits);
    }
    return out;
  };
  const status = {};
  for (const r of rows) status[r.status] = (status[r.status] ?? 0) + 1;
  const dayCredits = new Array(days).fill(0);
  const dayCost = new Array(days).fill(0);
  rows.forEach((r, i) => {
    const d = Math.floor((times[i] - firstDay) / DAY_MS);
    dayCredits[d] += units(r.neo_credits);
    dayCost[d] += rowCost(r);
  });
  const tools = new Map();
  for (const r of rows) {
    const breakdown = Object.entries(r.tool_breakdown ?? {});
    const calls = breakdown.length
      ? breakdown.map(([name, s]) => [name, s.calls ?? 0, s.duration_ms ?? 0])
      : (r.tool_call_history ?? []).map((c) => [c.tool_name, 1, c.duration_ms ?? 0]);
    for (const [name, n, ms] of calls) {
      const t = tools.get(name) ?? { calls: 0, ms: 0 };
      t.calls += n;
      t.ms += ms;
      tools.set(name, t);
    }
  }
  const sorted = (f) => rows.map(f).filter((v) => v != null).sort((a, b) => a - b);
  const burn = (n) => {
    const start = Math.max(to - n * DAY_MS, from);
    return rows.reduce((acc, r, i) => (times[i] >= start && times[i] < to ? acc + units(r.neo_credits) : acc), 0);
  };
  const costs = rows.map(rowCost);
  const p99Task = nearestRank([...costs].sort((a, b) => a - b), 99);
  const previousFrom = from - (to - from);
  return {
    rows: rows.length,
    tasks: rows.length,
    credits: sum((r) => units(r.neo_credits)),
    byokLlm: sum((r) => (r.is_byok ? units(r.llm_cost) : 0)),
    byokNeo: sum((r) => (r.is_byok ? units(r.neo_cost) : 0)),
    toolCalls: sum((r) => r.tool_calls),
    steps: sum((r) => r.step_count),
    triggers: sum((r) => r.agent_triggers),
    executionMs: sum((r) => r.total_execution_ms ?? 0),
    previousTasks: times.filter((t) => t >= previousFrom && t < from).length,
    status,
    incompleteCost: sum((r) => (INCOMPLETE.has(r.status) ? rowCost(r) : 0)),
    dayCredits,
    byModel: group((r) => r.model),
    byStatus: group((r) => r.status),
    byMember: group((r) => r.email ?? NO_MEMBER),
    byByok: group((r) => (r.is_byok ? BYOK : NOT_BYOK)),
    ...topTools(tools),
    duration: percentiles(sorted((r) => r.total_execution_ms)),
    stepLatency: percentiles(sorted((r) => r.avg_step_latency_ms)),
    burn7: burn(7),
    burn30: burn(30),
    anomalyDays: anomalyDays(dayCost, firstDay),
    p99Task,
    tasksAboveP99: costs.filter((c) => c > p99Task).length,
  };
}

/** An interning table: a small integer per distinct name. */
function interner() {
  const ids = new Map();
  const names = [];
  return {
    names,
    id(name) {
      let id = ids.get(name);
      if (id === undefined) {
        id = names.length;
        ids.set(name, id);
        names.push(name);
      }
      return id;
    },
  };
}

/** Typed-array columns of the rows (built once, outside the timing). */
export function toColumns(rows) {
  const n = rows.length;
  const f64 = () => new Float64Array(n);
  const c = {
    n,
    created: f64(), credits: f64(), llm: f64(), neo: f64(), toolCalls: f64(), steps: f64(),
    triggers: f64(), execMs: f64(), stepLatency: f64(),
    byok: new Uint8Array(n), model: new Uint16Array(n), status: new Uint8Array(n), email: new Uint32Array(n),
    toolEnd: new Uint32Array(n),
    models: interner(), statuses: interner(), emails: interner(), tools: interner(),
  };
  const toolId = [];
  const toolCalls = [];
  const toolMs = [];
  rows.forEach((r, i) => {
    c.created[i] = Date.parse(r.created_at);
    c.credits[i] = units(r.neo_credits);
    c.llm[i] = units(r.llm_cost);
    c.neo[i] = units(r.neo_cost);
    c.toolCalls[i] = r.tool_calls;
    c.steps[i] = r.step_count;
    c.triggers[i] = r.agent_triggers;
    c.execMs[i] = r.total_execution_ms ?? NaN;
    c.stepLatency[i] = r.avg_step_latency_ms ?? NaN;
    c.byok[i] = r.is_byok ? 1 : 0;
    c.model[i] = c.models.id(r.model);
    c.status[i] = c.statuses.id(r.status);
    c.email[i] = c.emails.id(r.email ?? NO_MEMBER);
    const breakdown = Object.entries(r.tool_breakdown ?? {});
    const calls = breakdown.length
      ? breakdown.map(([name, s]) => [name, s.calls ?? 0, s.duration_ms ?? 0])
      : (r.tool_call_history ?? []).map((t) => [t.tool_name, 1, t.duration_ms ?? 0]);
    for (const [name, k, ms] of calls) {
      toolId.push(c.tools.id(name));
      toolCalls.push(k);
      toolMs.push(ms);
    }
    c.toolEnd[i] = toolId.length;
  });
  c.toolId = Uint32Array.from(toolId);
  c.toolCallsFlat = Float64Array.from(toolCalls);
  c.toolMsFlat = Float64Array.from(toolMs);
  return c;
}

/** Sorted non-NaN values of a column. */
function sortedPresent(col) {
  let k = 0;
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) if (col[i] === col[i]) out[k++] = col[i];
  return out.subarray(0, k).sort();
}

/** Every aggregate over typed-array columns, in tight loops. */
export function typed(c) {
  const { n } = c;
  let from = Infinity;
  let to = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = c.created[i];
    if (t < from) from = t;
    if (t + 1 > to) to = t + 1;
  }
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
  const days = Math.floor((to - 1) / DAY_MS) - Math.floor(from / DAY_MS) + 1;
  const dayCredits = new Float64Array(days);
  const dayCost = new Float64Array(days);
  const nm = c.models.names.length;
  const ns = c.statuses.names.length;
  const ne = c.emails.names.length;
  const gModel = new Float64Array(nm * 2);
  const gStatus = new Float64Array(ns * 2);
  const gEmail = new Float64Array(ne * 2);
  const gByok = new Float64Array(4);
  const incompleteStatus = new Uint8Array(ns);
  c.statuses.names.forEach((s, k) => (incompleteStatus[k] = INCOMPLETE.has(s) ? 1 : 0));
  const costs = new Float64Array(n);
  const burn7From = Math.max(to - 7 * DAY_MS, from);
  const burn30From = Math.max(to - 30 * DAY_MS, from);
  const previousFrom = from - (to - from);
  let credits = 0, byokLlm = 0, byokNeo = 0, toolCalls = 0, steps = 0, triggers = 0, execMs = 0;
  let incomplete = 0, burn7 = 0, burn30 = 0, previous = 0;
  for (let i = 0; i < n; i++) {
    const cr = c.credits[i];
    const byok = c.byok[i];
    const llm = byok ? c.llm[i] : 0;
    const neo = byok ? c.neo[i] : 0;
    const cost = cr * USD_PER_CREDIT + llm + neo;
    const t = c.created[i];
    credits += cr;
    byokLlm += llm;
    byokNeo += neo;
    toolCalls += c.toolCalls[i];
    steps += c.steps[i];
    triggers += c.triggers[i];
    const ms = c.execMs[i];
    if (ms === ms) execMs += ms;
    const s = c.status[i];
    if (incompleteStatus[s]) incomplete += cost;
    const d = Math.floor((t - firstDay) / DAY_MS);
    dayCredits[d] += cr;
    dayCost[d] += cost;
    gModel[c.model[i] * 2] += 1;
    gModel[c.model[i] * 2 + 1] += cr;
    gStatus[s * 2] += 1;
    gStatus[s * 2 + 1] += cr;
    gEmail[c.email[i] * 2] += 1;
    gEmail[c.email[i] * 2 + 1] += cr;
    gByok[byok * 2] += 1;
    gByok[byok * 2 + 1] += cr;
    costs[i] = cost;
    if (t >= burn7From && t < to) burn7 += cr;
    if (t >= burn30From && t < to) burn30 += cr;
    if (t >= previousFrom && t < from) previous += 1;
  }
  const nt = c.tools.names.length;
  const tCalls = new Float64Array(nt);
  const tMs = new Float64Array(nt);
  const tSeen = new Uint8Array(nt);
  for (let k = 0; k < c.toolId.length; k++) {
    const id = c.toolId[k];
    tCalls[id] += c.toolCallsFlat[k];
    tMs[id] += c.toolMsFlat[k];
    tSeen[id] = 1;
  }
  const groups = (g, names) => {
    const out = {};
    for (let k = 0; k < names.length; k++) if (g[k * 2] > 0) out[names[k]] = [g[k * 2], g[k * 2 + 1]];
    return out;
  };
  const status = {};
  for (let k = 0; k < ns; k++) if (gStatus[k * 2] > 0) status[c.statuses.names[k]] = gStatus[k * 2];
  const tools = new Map();
  for (let k = 0; k < nt; k++) if (tSeen[k]) tools.set(c.tools.names[k], { calls: tCalls[k], ms: tMs[k] });
  const sortedCosts = costs.slice().sort();
  const p99Task = nearestRank(sortedCosts, 99);
  let above = 0;
  for (let i = 0; i < n; i++) if (costs[i] > p99Task) above++;
  return {
    rows: n, tasks: n, credits, byokLlm, byokNeo, toolCalls, steps, triggers, executionMs: execMs,
    previousTasks: previous, status, incompleteCost: incomplete,
    dayCredits: Array.from(dayCredits),
    byModel: groups(gModel, c.models.names),
    byStatus: groups(gStatus, c.statuses.names),
    byMember: groups(gEmail, c.emails.names),
    byByok: groups(gByok, [NOT_BYOK, BYOK]),
    ...topTools(tools),
    duration: percentiles(sortedPresent(c.execMs)),
    stepLatency: percentiles(sortedPresent(c.stepLatency)),
    burn7, burn30,
    anomalyDays: anomalyDays(Array.from(dayCost), firstDay),
    p99Task, tasksAboveP99: above,
  };
}

/** The paths where two fingerprints differ (empty when they agree). */
export function differences(a, b, path = "") {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return a === b ? [] : [`${path || "."}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].sort().flatMap((k) => differences(a[k], b[k], `${path}.${k}`));
}
