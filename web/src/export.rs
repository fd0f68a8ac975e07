//! The current filtered rows as CSV and JSON files: every column, times in
//! the chosen zone and in UTC, unformatted numbers. CSV text cells that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
//! tab or carriage return) are neutralised with a leading `'`. The JSON
//! export is a task-list page, so it imports back unchanged.

use std::borrow::Borrow;

use chrono::{FixedOffset, Offset, Utc};
use neo_usage::model_writer::ApiJson;
use neo_usage::TaskUsage;

use crate::format;

/// The CSV header, in column order.
pub const CSV_COLUMNS: [&str; 23] = [
    "task_id",
    "created_at_utc",
    "created_at_local",
    "time_zone",
    "task_title",
    "status",
    "model",
    "email",
    "is_byok",
    "neo_credits",
    "usd_equivalent",
    "llm_cost",
    "neo_cost",
    "step_count",
    "tool_calls",
    "agent_triggers",
    "total_execution_ms",
    "llm_time_ms",
    "tool_time_ms",
    "avg_step_latency_ms",
    "stream_count",
    "error_message",
    "stream_id",
];

/// A text cell as a spreadsheet may safely open it.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// Appends one CSV record (RFC 4180, `\n`-terminated) to `out`: a cell is
/// quoted, its quotes doubled, only when it holds a comma, a quote, `\r` or
/// `\n`, exactly as the csv crate's writer writes it by default (its tests
/// compare the two). Written by hand because that writer also decides its
/// non-numeric quoting style by parsing every cell as a float, which links
/// core's float parser and its 10 kB table into the viewer.
pub fn csv_record<S: AsRef<str>>(out: &mut String, cells: impl IntoIterator<Item = S>) {
    let start = out.len();
    let mut count = 0;
    for cell in cells {
        if count > 0 {
            out.push(',');
        }
        count += 1;
        let cell = cell.as_ref();
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    if count == 1 && out.len() == start {
        // A lone empty cell would read back as no record at all.
        out.push_str("\"\"");
    }
    out.push('\n');
}

/// `at` in the zone, ISO 8601 with its offset.
fn local_iso(row: &TaskUsage, offset_seconds: i32) -> String {
    let offset = FixedOffset::east_opt(offset_seconds).unwrap_or(Utc.fix());
    row.created_at
        .with_timezone(&offset)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// An amount's shortest round-trip digits ([`format::shortest`]); empty
/// when absent.
fn amount(value: Option<f64>) -> String {
    value.map(format::shortest).unwrap_or_default()
}

/// Text is handed on in parts of about this many bytes (a part runs over
/// by at most one row), so an export of every row is never one string.
pub const PART_BYTES: usize = 1 << 20;

/// Text written row by row and handed to `part` in parts of
/// [`PART_BYTES`].
struct Parts<'a> {
    out: String,
    part: &'a mut dyn FnMut(&str),
}

impl<'a> Parts<'a> {
    fn new(part: &'a mut dyn FnMut(&str)) -> Self {
        Parts {
            out: String::new(),
            part,
        }
    }

    /// After a row: hands the text on once it fills a part.
    fn row_done(&mut self) {
        if self.out.len() >= PART_BYTES {
            (self.part)(&self.out);
            self.out.clear();
        }
    }

    /// Hands on the rest.
    fn finish(self) {
        if !self.out.is_empty() {
            (self.part)(&self.out);
        }
    }
}

/// Writes the rows as CSV, handing the text to `part` a part at a time
/// ([`PART_BYTES`]); `offset_at` gives the zone's offset at an instant.
pub fn write_csv<R: Borrow<TaskUsage>>(
    rows: impl IntoIterator<Item = R>,
    zone: &str,
    offset_at: &dyn Fn(i64) -> i32,
    part: &mut dyn FnMut(&str),
) {
    let mut parts = Parts::new(part);
    csv_record(&mut parts.out, CSV_COLUMNS);
    for row in rows {
        csv_row(&mut parts.out, row.borrow(), zone, offset_at);
        parts.row_done();
    }
    parts.finish();
}

/// One row's CSV record.
fn csv_row(out: &mut String, row: &TaskUsage, zone: &str, offset_at: &dyn Fn(i64) -> i32) {
    let offset = offset_at(row.created_at.timestamp_millis());
    let text = |v: Option<&str>| neutralise(v.unwrap_or(""));
    let record = [
        neutralise(&row.task_id),
        row.created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        local_iso(row, offset),
        zone.to_owned(),
        text(row.task_title.as_deref()),
        neutralise(row.status.as_str()),
        neutralise(&row.model),
        text(row.email.as_deref()),
        opt(row.is_byok),
        amount(row.neo_credits),
        amount(row.neo_credits.map(format::usd_of_credits)),
        amount(row.llm_cost),
        amount(row.neo_cost),
        row.step_count.to_string(),
        row.tool_calls.to_string(),
        row.agent_triggers.to_string(),
        opt(row.total_execution_ms),
        opt(row.llm_time_ms),
        opt(row.tool_time_ms),
        opt(row.avg_step_latency_ms),
        opt(row.stream_count),
        text(row.error_message.as_deref()),
        text(row.stream_id.as_deref()),
    ];
    csv_record(out, &record);
}

/// Writes the rows as a task-list page (`{data, has_more, total}`) that the
/// viewer imports back, handing the text to `part` a part at a time
/// ([`PART_BYTES`]); each row also carries `created_at_local` in the zone,
/// and the file says which zone and query it was made with. One row a
/// line, each as the API writes it (`ApiJson`).
pub fn write_json<R: Borrow<TaskUsage>>(
    rows: impl IntoIterator<Item = R>,
    zone: &str,
    offset_at: &dyn Fn(i64) -> i32,
    query: &str,
    part: &mut dyn FnMut(&str),
) {
    let mut parts = Parts::new(part);
    parts.out.push_str("{\n  \"data\": [");
    let mut count = 0usize;
    for row in rows {
        parts
            .out
            .push_str(if count == 0 { "\n    " } else { ",\n    " });
        json_row(&mut parts.out, row.borrow(), offset_at);
        count += 1;
        parts.row_done();
    }
    let out = &mut parts.out;
    out.push_str(if count == 0 { "],\n" } else { "\n  ],\n" });
    out.push_str("  \"has_more\": false,\n");
    out.push_str(&format!("  \"total\": {count},\n"));
    out.push_str("  \"exported_by\": \"neo-usage viewer\",\n  \"time_zone\": ");
    zone.write_json(out);
    out.push_str(",\n  \"query\": ");
    query.write_json(out);
    out.push_str("\n}\n");
    parts.finish();
}

/// One row as the API writes it, with `created_at_local` added.
fn json_row(out: &mut String, row: &TaskUsage, offset_at: &dyn Fn(i64) -> i32) {
    row.write_json(out);
    // The row's closing brace gives way to one more member.
    out.pop();
    out.push_str(",\"created_at_local\":");
    let offset = offset_at(row.created_at.timestamp_millis());
    local_iso(row, offset).write_json(out);
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_usage::TaskStatus;

    /// The CSV text, its parts joined.
    fn rows_to_csv(rows: &[TaskUsage], zone: &str, offset_at: &dyn Fn(i64) -> i32) -> String {
        let mut text = String::new();
        write_csv(rows, zone, offset_at, &mut |part| text.push_str(part));
        text
    }

    /// The JSON text, its parts joined.
    fn rows_to_json(
        rows: &[TaskUsage],
        zone: &str,
        offset_at: &dyn Fn(i64) -> i32,
        query: &str,
    ) -> String {
        let mut text = String::new();
        write_json(rows, zone, offset_at, query, &mut |part| {
            text.push_str(part)
        });
        text
    }

    fn row(id: &str, title: &str) -> TaskUsage {
        let mut r = TaskUsage::new(
            id,
            "2026-11-01T05:30:00Z".parse().unwrap(),
            "o3",
            TaskStatus::Completed,
        );
        r.task_title = Some(title.to_owned());
        r.neo_credits = Some(0.1234);
        r
    }

    #[test]
    fn formula_payloads_are_neutralised_and_numbers_are_not() {
        let rows = [
            row("t1", "=HYPERLINK(\"http://x\")"),
            row("t2", "+1"),
            row("t3", "@SUM(A1)"),
            row("t4", "-2"),
            row("t5", "plain, with comma"),
        ];
        let csv = rows_to_csv(&rows, "UTC", &|_| 0);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let titles: Vec<String> = reader.records().map(|r| r.unwrap()[4].to_owned()).collect();
        assert_eq!(
            titles,
            [
                "'=HYPERLINK(\"http://x\")",
                "'+1",
                "'@SUM(A1)",
                "'-2",
                "plain, with comma"
            ]
        );
        assert!(csv.contains(",0.1234,1.234,"), "{csv}");
    }

    /// The hand-written records are byte for byte what the csv crate's
    /// writer writes, for cells that need quoting and cells that do not.
    #[test]
    fn records_are_written_as_the_csv_crate_writes_them() {
        let records: [&[&str]; 6] = [
            &["plain", "", "with, comma", "say \"hi\"", "two\nlines"],
            &["cr\rhere", "\"", ",", " spaced ", "ünïcødé"],
            &["", "", ""],
            &["'=SUM(A1)", "1.5", "-0", "#comment", "tab\there"],
            &["a\r\nb", "\"\"", "end,"],
            &[""],
        ];
        let mut ours = String::new();
        let mut theirs = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for record in records {
            csv_record(&mut ours, record);
            theirs.write_record(record).unwrap();
        }
        let theirs = String::from_utf8(theirs.into_inner().unwrap()).unwrap();
        assert_eq!(ours, theirs);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(ours.as_bytes());
        let back: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            back,
            records.map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        );
    }

    #[test]
    fn times_in_the_zone_and_in_utc() {
        let csv = rows_to_csv(&[row("t1", "x")], "America/New_York", &|_| -4 * 3600);
        let line = csv.lines().nth(1).unwrap();
        assert!(
            line.starts_with(
                "t1,2026-11-01T05:30:00.000Z,2026-11-01T01:30:00.000-04:00,America/New_York,"
            ),
            "{line}"
        );
    }

    #[test]
    fn json_export_imports_back_unchanged() {
        let mut rows = vec![row("t1", "a"), row("t2", "<b>b</b>")];
        rows[1].error_message = Some("boom".into());
        let text = rows_to_json(&rows, "UTC", &|_| 0, "status=completed");
        let back = neo_usage::decode::decode_rows(text.as_bytes()).unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn json_export_is_one_json_page_with_local_times_and_its_origin() {
        let rows = vec![row("t1", "a \"quoted\"\n"), row("t2", "b")];
        let text = rows_to_json(&rows, "Asia/Kolkata", &|_| 19_800, "search=a&b");
        let page: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["data"].as_array().map(Vec::len), Some(2));
        assert_eq!(page["data"][0]["task_title"], "a \"quoted\"\n");
        let local = page["data"][1]["created_at_local"].as_str().unwrap();
        assert!(local.ends_with("+05:30"), "{local}");
        assert_eq!(page["data"][1]["task_id"], "t2");
        assert_eq!(page["has_more"], false);
        assert_eq!(page["total"], 2);
        assert_eq!(page["exported_by"], "neo-usage viewer");
        assert_eq!(page["time_zone"], "Asia/Kolkata");
        assert_eq!(page["query"], "search=a&b");
        assert_eq!(
            text.lines().filter(|l| l.contains("\"task_id\"")).count(),
            2
        );
        let empty: serde_json::Value =
            serde_json::from_str(&rows_to_json(&[], "UTC", &|_| 0, "")).unwrap();
        assert_eq!(empty["data"], serde_json::json!([]));
        assert_eq!(empty["total"], 0);
    }

    #[test]
    fn many_rows_are_written_in_parts_that_join_to_the_whole() {
        let rows: Vec<TaskUsage> = (0..30_000)
            .map(|k| row(&format!("t{k:05}"), "a title, é"))
            .collect();
        for json in [true, false] {
            let mut parts: Vec<String> = Vec::new();
            let mut keep = |part: &str| parts.push(part.to_owned());
            if json {
                write_json(&rows, "UTC", &|_| 0, "", &mut keep);
            } else {
                write_csv(&rows, "UTC", &|_| 0, &mut keep);
            }
            assert!(parts.len() > 2, "{} parts", parts.len());
            for part in &parts[..parts.len() - 1] {
                assert!(
                    part.len() >= PART_BYTES && part.len() < PART_BYTES + 1_000,
                    "{}",
                    part.len()
                );
            }
            // Joined, the parts are the file: every row back, in order.
            let whole = parts.concat();
            if json {
                let back = neo_usage::decode::decode_rows(whole.as_bytes()).unwrap();
                assert_eq!(back, rows);
                assert!(whole.contains("\"total\": 30000,"));
            } else {
                let ids: Vec<String> = csv::Reader::from_reader(whole.as_bytes())
                    .records()
                    .map(|r| r.unwrap()[0].to_owned())
                    .collect();
                let expected: Vec<&str> = rows.iter().map(|r| r.task_id.as_str()).collect();
                assert_eq!(ids, expected);
            }
        }
    }
}
