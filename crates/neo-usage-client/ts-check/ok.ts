// Type-checked with `tsc --strict --noEmit` by scripts/client-tests.sh: every
// method of the package, typed through the generated definitions.
import init, {
  NeoUsageClient,
  type ClientOptions,
  type ErrorKind,
  type FetchAllOptions,
  type FetchAllResult,
  type FetchProgress,
  type NeoUsageError,
  type RetryOptions,
  type StreamUsageQuery,
  type SummaryQuery,
  type TaskStatus,
  type TaskUsage,
  type TaskUsagePage,
  type TaskUsageQuery,
  type UsageSummary,
} from "neo-usage";

await init();

const options: ClientOptions = { baseUrl: "http://127.0.0.1:8080", token: "solo-token", timeoutMs: 5000, maxConcurrency: 4 };
const client = new NeoUsageClient(options);
const byKey = new NeoUsageClient({ apiKey: "key" });
const retry: RetryOptions = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 2000, maxRetryAfterMs: 30_000 };
const patient = new NeoUsageClient({ apiKey: "key", retry });

const query: TaskUsageQuery = { status: "completed", is_byok: true, limit: 200, offset: 0, from: "2026-11-01T00:00:00Z" };
const page: TaskUsagePage = await client.listTaskUsages(query);
const first: TaskUsage | undefined = page.data[0];
const credits: number = first?.neo_credits ?? 0;
const status: TaskStatus = first?.status ?? "blocked";
const future: TaskStatus = "paused"; // unknown statuses are allowed
const calls: number | undefined = first?.tool_breakdown?.["nuclei"]?.calls;
const hasMore: boolean = page.has_more;

const one: TaskUsage = await byKey.getTaskUsage("task-1");
const created: string = one.created_at;

const streamQuery: StreamUsageQuery = { task_id: one.task_id, sort: "cost" };
const streams: TaskUsagePage = await client.listStreamUsages(streamQuery);
const streamId: string | undefined = streams.data[0]?.stream_id;

const summaryQuery: SummaryQuery = { group_by: "week" };
const summary: UsageSummary = await client.getUsageSummary(summaryQuery);
const total: number = summary.total_neo_credits + summary.total_tasks;
const modelTasks: number | undefined = summary.by_model["gpt-4o"]?.tasks;

const controller = new AbortController();
const fetchOptions: FetchAllOptions = {
  concurrency: 4,
  maxRows: 10_000,
  signal: controller.signal,
  onProgress: (p: FetchProgress) => console.log(p.rowsLoaded, p.total, p.pagesDone, p.pagesPlanned),
};
try {
  const all: FetchAllResult = await client.fetchAllTaskUsages({ model: "gpt-4o" }, fetchOptions);
  const rows: TaskUsage[] = all.rows;
  console.log(rows.length, all.total, all.pages, all.duplicatesDropped, all.truncated, all.query.to);
} catch (err) {
  const e = err as NeoUsageError;
  const kind: ErrorKind = e.kind;
  const partial: TaskUsage[] = e.rows ?? [];
  console.log(kind, e.status, e.retryAfter, e.problems?.[0]?.parameter, e.missingOffsets, partial.length, e.message);
}

console.log(credits, status, future, calls, hasMore, created, streamId, total, modelTasks);
