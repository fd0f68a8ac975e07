// Hostile data. Served with --data: HTML and script payloads in every
// string field render as text in the table, the filters, the chips and
// the detail panel; nothing runs, nothing is injected. Imported: files over
// the cap, deep nesting, numbers out of range, 100k-character strings and
// invalid UTF-8 get a clear message or render as they are, never a crash,
// and the rows on screen stay.
import { test, expect } from "@playwright/test";
import { writeFileSync, mkdirSync } from "node:fs";
import { startMock, api, waitForRows, visibleIds, watchCrashes } from "./helpers.mjs";

const PAYLOADS = {
  title: `<img src=x onerror="window.__pwned='title'">`,
  model: `<script>window.__pwned='model'</script>`,
  email: `"><svg onload="window.__pwned='email'">@x.example`,
  error: `<iframe src="javascript:window.__pwned='error'"></iframe>`,
  tool: `<b onmouseover="window.__pwned='tool'">nmap</b>`,
};

test("payloads in titles, models, emails, tool names and errors render as text", async ({ page, baseURL }) => {
  mkdirSync("target/e2e/files", { recursive: true });
  const source = await api(baseURL.replace(/\/$/, ""), "/api/v1/usage/tasks?limit=20");
  const rows = source.data.map((r, i) => ({
    ...r,
    task_title: PAYLOADS.title,
    model: i % 2 ? PAYLOADS.model : r.model,
    email: PAYLOADS.email,
    status: "error",
    error_message: PAYLOADS.error,
    tool_call_history: (r.tool_call_history ?? []).map((c) => ({ ...c, tool_name: PAYLOADS.tool })),
    tool_breakdown: { [PAYLOADS.tool]: { calls: 1, duration_ms: 5 } },
  }));
  const file = "target/e2e/files/hostile.json";
  writeFileSync(file, JSON.stringify(rows));
  const server = await startMock(["--data", file]);
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  try {
    await page.goto("./?range=all");
    await waitForRows(page);
    await page.getByTestId("source-live").click();
    await page.getByTestId("live-base-url").fill(server.url);
    await page.getByTestId("live-token").fill("admin-token");
    await page.getByTestId("live-connect").click();
    await expect(page.getByTestId("source-label")).toContainText("Live");
    await waitForRows(page);
    await expect(page.getByTestId("row")).toHaveCount(20);
    await expect(page.getByTestId("row").first()).toContainText(PAYLOADS.title);
    await expect(page.getByTestId("filter-model").locator("option", { hasText: PAYLOADS.model })).toHaveCount(1);
    await page.getByTestId("filter-model").selectOption(PAYLOADS.model);
    await expect(page.getByTestId("filter-chip")).toContainText(PAYLOADS.model);
    await waitForRows(page);
    await page.getByTestId("row").first().click();
    const panel = page.getByTestId("task-detail");
    await expect(panel.getByTestId("detail-error")).toHaveText(PAYLOADS.error);
    await expect(panel.getByTestId("detail-title")).toHaveText(PAYLOADS.title);
    await expect(panel.getByTestId("tool-breakdown")).toContainText(PAYLOADS.tool);
    await page.getByTestId("row").first().hover();
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    await expect(page.locator("main img, aside img, main iframe, aside iframe, main b, aside b")).toHaveCount(0);
    await expect(page.locator("body script")).toHaveCount(0);
    expect(dialogs).toEqual([]);
  } finally {
    server.stop();
  }
});

// Hostile files: each is refused with a message that says what is wrong
// and what to do (or, where the value is legitimate, shown as it is), the
// rows on screen stay, and the viewer keeps working afterwards.

const FILES = "target/e2e/files";

/** A valid row (the shape the API documents), with `extra` fields. */
function row(id, extra = {}) {
  return {
    task_id: id,
    created_at: "2026-11-01T10:00:00Z",
    model: "gpt-4o",
    status: "completed",
    step_count: 3,
    tool_calls: 2,
    agent_triggers: 0,
    neo_credits: 1.25,
    ...extra,
  };
}

/** Imports a small good file and waits for it: the "previous rows". */
async function importBaseline(page) {
  mkdirSync(FILES, { recursive: true });
  const rows = Array.from({ length: 30 }, (_, i) => row(`base-${String(i).padStart(2, "0")}`));
  writeFileSync(`${FILES}/baseline.json`, JSON.stringify(rows));
  await page.goto("./?range=all");
  await waitForRows(page);
  await page.getByTestId("source-import").click();
  await page.getByTestId("import-file").setInputFiles(`${FILES}/baseline.json`);
  await expect(page.getByTestId("source-label")).toHaveText("Imported: baseline.json, 30 rows");
  await waitForRows(page);
  return visibleIds(page);
}

/** The baseline is still what the viewer shows, and no error is left over
 * from before: the refused file changed nothing. */
async function expectBaselineKept(page, ids) {
  await expect(page.getByTestId("source-label")).toHaveText("Imported: baseline.json, 30 rows");
  await expect(page.getByTestId("pagination-status")).toHaveText("1–30 of 30");
  expect(await visibleIds(page)).toEqual(ids);
}

/** The first row's cell in the column headed `header`. */
async function cellOf(page, header) {
  const headers = await page.locator(".usage-table thead th").allInnerTexts();
  const col = headers.findIndex((h) => h.trim() === header);
  expect(col, `a column headed ${header}`).toBeGreaterThan(-1);
  return page.getByTestId("row").first().locator("td").nth(col);
}

/** Imports `name` with `content` (string or bytes) through the file input. */
async function importFile(page, name, content) {
  writeFileSync(`${FILES}/${name}`, content);
  await page.getByTestId("import-file").setInputFiles(`${FILES}/${name}`);
}

test("an import over the 256 MB cap is refused before it is read, by picker and by drop, naming the cap; the rows stay", async ({ page }) => {
  const crashes = watchCrashes(page);
  const ids = await importBaseline(page);
  // A 257 MiB File made of one 1 MiB blob repeated: Chromium keeps one copy,
  // so the test needs no 257 MiB on disk or in memory.
  const size = await page.evaluate(() => {
    const mb = new Blob([new Uint8Array(1 << 20).fill(91)]);
    window.__huge = new File(Array(257).fill(mb), "huge.json", { type: "application/json" });
    return window.__huge.size;
  });
  expect(size).toBe(257 * 1024 * 1024);

  await page.evaluate(() => {
    const input = document.querySelector('[data-testid="import-file"]');
    const dt = new DataTransfer();
    dt.items.add(window.__huge);
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  const error = page.getByTestId("error");
  await expect(error).toContainText("huge.json is 257.0 MB");
  await expect(error).toContainText("imports files of up to 256 MB");
  await expect(error).toContainText("Export a narrower date range and import that");
  await expectBaselineKept(page, ids);

  // The same file dropped on the drop zone gets the same refusal.
  await page.getByTestId("import-file").setInputFiles(`${FILES}/baseline.json`);
  await expect(error).toHaveCount(0);
  await page.getByTestId("import-panel").locator(".drop-zone").evaluate((zone) => {
    const dt = new DataTransfer();
    dt.items.add(window.__huge);
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(error).toContainText("huge.json is 257.0 MB");
  await expectBaselineKept(page, ids);
  expect(crashes).toEqual([]);
});

test("100,000 nested arrays are refused with the row and path; nesting inside an unknown field is ignored; no crash", async ({ page }) => {
  const crashes = watchCrashes(page);
  const ids = await importBaseline(page);
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const error = page.getByTestId("error");

  await importFile(page, "nested.json", deep);
  await expect(error).toContainText("nested.json could not be imported");
  // A row must be an object: the reader stops at the first array, without
  // descending the other 99,999 levels.
  await expect(error).toContainText("expected an object, found an array at row 1 ([0])");
  await expect(error).toContainText("Fix that value or export the file again");
  await expectBaselineKept(page, ids);

  // Deep nesting where a known field expects an object of counts.
  await importFile(page, "nested-field.json", `[${JSON.stringify(row("a")).slice(0, -1)},"agent_breakdown":${deep}}]`);
  await expect(error).toContainText("nested-field.json could not be imported");
  await expect(error).toContainText("at row 1 ([0].agent_breakdown");
  await expectBaselineKept(page, ids);

  // A field the viewer does not know is skipped however deep it is (the
  // API may add fields): the row imports.
  await importFile(page, "nested-unknown.json", `[${JSON.stringify(row("deep-1")).slice(0, -1)},"x_future":${deep}}]`);
  await expect(page.getByTestId("source-label")).toHaveText("Imported: nested-unknown.json, 1 rows");
  await expect(error).toHaveCount(0);
  expect(await visibleIds(page)).toEqual(["deep-1"]);
  expect(crashes).toEqual([]);
});

test("numbers JSON cannot hold or a field cannot take are refused with the row and path; negative amounts render", async ({ page }) => {
  const crashes = watchCrashes(page);
  const ids = await importBaseline(page);
  const error = page.getByTestId("error");
  const ok = JSON.stringify(row("ok"));
  // [file, text, what the message must name]
  const refused = [
    ["overflow.json", `[${ok},${ok.replace('"neo_credits":1.25', '"neo_credits":1e400')}]`, "number out of range at row 2 ([1].neo_credits)"],
    ["nan.json", `[${ok.replace('"neo_credits":1.25', '"neo_credits":NaN')}]`, "at row 1 ([0].neo_credits)"],
    ["infinity.json", `[${ok.replace('"neo_credits":1.25', '"neo_credits":-Infinity')}]`, "at row 1 ([0].neo_credits)"],
    ["infinity-text.json", `[${ok.replace('"neo_credits":1.25', '"neo_credits":"Infinity"')}]`, "expected a number, found a string at row 1 ([0].neo_credits)"],
    ["negative-steps.json", `[${ok.replace('"step_count":3', '"step_count":-5')}]`, "expected a non-negative integer, found -5 at row 1 ([0].step_count)"],
    ["huge-steps.json", `[${ok.replace('"step_count":3', '"step_count":18446744073709551616')}]`, "at row 1 ([0].step_count)"],
    ["huge-duration.json", `[${ok.replace('"neo_credits":1.25', '"total_execution_ms":1e308')}]`, "at row 1 ([0].total_execution_ms)"],
  ];
  for (const [name, text, names] of refused) {
    await importFile(page, name, text);
    await expect(error).toContainText(`${name} could not be imported`);
    await expect(error).toContainText(names);
    await expectBaselineKept(page, ids);
  }

  // A negative amount is a legitimate value (a refund or correction): shown
  // with its sign, the exact value on hover.
  await importFile(page, "negative.json", JSON.stringify([row("neg", { neo_credits: -5, llm_cost: -0.5 })]));
  await expect(page.getByTestId("source-label")).toHaveText("Imported: negative.json, 1 rows");
  const credits = await cellOf(page, "Credits");
  await expect(credits).toHaveText("-5.00 cr");
  await expect(credits).toHaveAttribute("title", "-5");
  await expect(await cellOf(page, "USD eq.")).toHaveText("-$50.00");
  await expect(await cellOf(page, "BYOK LLM")).toHaveText("-$0.50");
  expect(crashes).toEqual([]);
});

// An amount no task costs and the viewer cannot add exactly (money is
// summed as integer ten-thousandths; neo_usage::money::MAX_EXACT_AMOUNT):
// a refusal naming the row and field, and the previous rows stay. Before
// the check, the file imported, the cell showed a 418-digit number and the
// Credits total silently saturated (1e308 + 2 − 1e308 showed 1.9999).
test("an amount beyond what the viewer can add exactly (1e308 credits) is refused with the row and path", async ({ page }) => {
  const ids = await importBaseline(page);
  const ok = JSON.stringify(row("ok"));
  await importFile(page, "huge-credits.json", `[${ok},${ok.replace('"neo_credits":1.25', '"neo_credits":1e308')}]`);
  const error = page.getByTestId("error");
  await expect(error).toContainText("huge-credits.json could not be imported");
  await expect(error).toContainText("at row 2 ([1].neo_credits)");
  await expectBaselineKept(page, ids);
});

test("100,000-character titles, models and error messages: cells cut with the whole value on hover; the detail panel wraps it", async ({ page }) => {
  const crashes = watchCrashes(page);
  await importBaseline(page);
  const long = (c) => c.repeat(100_000);
  const title = long("T");
  const model = long("m");
  const message = long("E");
  await importFile(page, "long.json", JSON.stringify([row("long-1", { task_title: title, model, status: "error", error_message: message })]));
  await expect(page.getByTestId("source-label")).toHaveText("Imported: long.json, 1 rows");
  for (const [header, full] of [["Title", title], ["Model", model]]) {
    const cell = await cellOf(page, header);
    const shown = await cell.innerText();
    expect(shown.length).toBeLessThanOrEqual(80);
    expect(shown.endsWith("…")).toBe(true);
    expect(full.startsWith(shown.slice(0, -1))).toBe(true);
    // The whole value is the cell's tooltip.
    expect(await cell.getAttribute("title")).toBe(full);
  }
  // The table is not stretched by the long values.
  const tableWidth = await page.locator(".usage-table").evaluate((t) => t.getBoundingClientRect().width);
  expect(tableWidth).toBeLessThan(3000);

  // The detail panel shows the whole text, wrapped inside the panel.
  await page.getByTestId("row").first().click();
  const panel = page.getByTestId("task-detail");
  const error = panel.getByTestId("detail-error");
  expect((await error.textContent()).length).toBe(100_000);
  expect((await panel.getByTestId("detail-title").textContent()).length).toBe(100_000);
  const overflow = await error.evaluate((e) => e.scrollWidth - e.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  expect(crashes).toEqual([]);
});

test("invalid UTF-8 in an imported file is refused with the row and path; the rows stay", async ({ page }) => {
  const crashes = watchCrashes(page);
  const ids = await importBaseline(page);
  const error = page.getByTestId("error");
  const [before, after] = JSON.stringify([row("x", { task_title: "@@" })]).split("@@");
  // 0xFF and 0xFE never occur in UTF-8; 0xC3 0x28 is a cut two-byte sequence.
  await importFile(page, "bad-utf8.json", Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(after)]));
  await expect(error).toContainText("bad-utf8.json could not be imported");
  await expect(error).toContainText("at row 1 ([0].task_title)");
  await expectBaselineKept(page, ids);

  // A UTF-16 file (its byte-order mark is invalid UTF-8) is refused as a whole.
  await importFile(page, "utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("[]", "utf16le")]));
  await expect(error).toContainText("utf16.json could not be imported");
  await expect(error).toContainText("a JSON array of rows");
  await expectBaselineKept(page, ids);
  expect(crashes).toEqual([]);
});
