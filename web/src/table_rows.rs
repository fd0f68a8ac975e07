//! The usage table's rows as HTML: the columns, each cell's text and
//! tooltip, and a page of rows written as one string that the table sets
//! at once (50 rows are about 700 elements; made one by one through the
//! DOM they cost more than all the aggregates of a keystroke). Every value
//! is escaped; tested natively.

use std::fmt::Write as _;

use neo_usage::money::{from_units, to_units, total_cost_units};
use neo_usage::TaskUsage;

use crate::format;
use crate::url_state::SortColumn;

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// `created_at` in the chosen zone.
    Time,
    /// `task_title`.
    Title,
    /// `status`.
    Status,
    /// `model`.
    Model,
    /// `email` (admins only).
    Member,
    /// `neo_credits`.
    Credits,
    /// Credits × 10.
    Usd,
    /// Total cost in USD: credits × 10, plus the BYOK costs of BYOK rows.
    Cost,
    /// BYOK `llm_cost`.
    LlmCost,
    /// BYOK `neo_cost`.
    NeoCost,
    /// `step_count`.
    Steps,
    /// `tool_calls`.
    ToolCalls,
    /// `total_execution_ms`.
    Duration,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 13] = [
        Column::Time,
        Column::Title,
        Column::Status,
        Column::Model,
        Column::Member,
        Column::Credits,
        Column::Usd,
        Column::Cost,
        Column::LlmCost,
        Column::NeoCost,
        Column::Steps,
        Column::ToolCalls,
        Column::Duration,
    ];

    /// The column's id (test ids, the stored column choice).
    pub fn id(self) -> &'static str {
        match self {
            Column::Time => "time",
            Column::Title => "title",
            Column::Status => "status",
            Column::Model => "model",
            Column::Member => "member",
            Column::Credits => "credits",
            Column::Usd => "usd",
            Column::Cost => "cost",
            Column::LlmCost => "llm_cost",
            Column::NeoCost => "neo_cost",
            Column::Steps => "steps",
            Column::ToolCalls => "tool_calls",
            Column::Duration => "duration",
        }
    }

    /// The header's text.
    pub fn label(self) -> &'static str {
        match self {
            Column::Time => "Time",
            Column::Title => "Title",
            Column::Status => "Status",
            Column::Model => "Model",
            Column::Member => "Member",
            Column::Credits => "Credits",
            Column::Usd => "USD eq.",
            Column::Cost => "Total USD",
            Column::LlmCost => "BYOK LLM",
            Column::NeoCost => "BYOK platform",
            Column::Steps => "Steps",
            Column::ToolCalls => "Tool calls",
            Column::Duration => "Duration",
        }
    }

    /// Whether the column holds numbers (right-aligned).
    pub fn numeric(self) -> bool {
        !matches!(
            self,
            Column::Time | Column::Title | Column::Status | Column::Model | Column::Member
        )
    }

    /// The sort a click on the header asks for, if the column sorts.
    pub fn sort_column(self) -> Option<SortColumn> {
        Some(match self {
            Column::Time => SortColumn::Time,
            Column::Credits | Column::Usd => SortColumn::Credits,
            Column::Cost => SortColumn::Cost,
            Column::LlmCost => SortColumn::LlmCost,
            Column::NeoCost => SortColumn::NeoCost,
            Column::Steps => SortColumn::Steps,
            Column::ToolCalls => SortColumn::ToolCalls,
            Column::Duration => SortColumn::Duration,
            _ => return None,
        })
    }
}

/// Characters of free text (title, model, member) a cell shows.
pub const CELL_CHARS: usize = 80;

/// One cell: the text shown and the exact value for its tooltip.
pub fn cell(column: Column, row: &TaskUsage, offset: i32) -> (String, String) {
    let usd = row.neo_credits.map(format::usd_of_credits);
    let plain = |text: String| (text.clone(), text);
    // Free text is cut in the cell (a 100k-character value must not
    // stretch the table); the tooltip keeps the whole value.
    let clipped = |text: String| (format::clip(&text, CELL_CHARS), text);
    match column {
        Column::Time => (
            format::wall_time(row.created_at, offset),
            format::wall_time_long(row.created_at, offset),
        ),
        Column::Title => clipped(row.task_title.clone().unwrap_or_default()),
        Column::Status => plain(row.status.as_str().to_owned()),
        Column::Model => clipped(row.model.clone()),
        Column::Member => clipped(row.email.clone().unwrap_or_default()),
        Column::Credits => (
            format::credits(row.neo_credits),
            format::exact(row.neo_credits),
        ),
        Column::Usd => (format::usd(usd), format::exact(usd)),
        Column::Cost => {
            let cost = Some(from_units(row_cost_units(row)));
            (format::usd(cost), format::exact(cost))
        }
        Column::LlmCost => (format::usd(row.llm_cost), format::exact(row.llm_cost)),
        Column::NeoCost => (format::usd(row.neo_cost), format::exact(row.neo_cost)),
        Column::Steps => plain(format::count(row.step_count)),
        Column::ToolCalls => plain(format::count(row.tool_calls)),
        Column::Duration => (
            format::duration_ms(row.total_execution_ms),
            row.total_execution_ms
                .map_or_else(|| "not reported".into(), |ms| format!("{ms} ms")),
        ),
    }
}

/// A row's total cost in USD units (1e-4), summed exactly: credits × 10,
/// plus the BYOK LLM and platform costs of a BYOK row (what the cost sort
/// and the p99 flag use).
pub fn row_cost_units(row: &TaskUsage) -> i64 {
    let units = |v: Option<f64>| v.map_or(0, to_units);
    let credits = units(row.neo_credits);
    if row.is_byok == Some(true) {
        total_cost_units(credits, units(row.llm_cost), units(row.neo_cost))
    } else {
        total_cost_units(credits, 0, 0)
    }
}

/// The CSS class of a status badge: the status itself when known, else
/// `unknown` (a neutral badge).
pub fn status_class(status: &str) -> &str {
    match status {
        "completed" | "error" | "failed" | "aborted" | "blocked" => status,
        _ => "unknown",
    }
}

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped, for HTML text
/// and quoted attribute values. Runs of plain text are copied whole: the
/// table's and the chart's markup is mostly plain, and a `char` at a time
/// was most of the time spent writing the table's rows in a profile of the
/// viewer built with names.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `at` is an ASCII byte, so both slices end on char boundaries.
        out.push_str(&text[plain_from..at]);
        out.push_str(entity);
        plain_from = at + 1;
    }
    out.push_str(&text[plain_from..]);
}

/// What the rows are drawn with besides themselves.
pub struct RowsLook<'a, Z: Fn(i64) -> i32> {
    /// The columns shown, in order.
    pub columns: &'a [Column],
    /// The zone's UTC offset in seconds at an instant (ms).
    pub offset_at: Z,
    /// The range's p99 task cost in USD units: rows above it are marked.
    pub p99_units: Option<i64>,
}

/// The `<tr>` elements of `rows`: each focusable, carrying its task id,
/// marked `costly` (and `data-above-p99`) above the p99 task cost, one
/// cell per column with the exact value as its tooltip.
pub fn rows_html<Z: Fn(i64) -> i32>(rows: &[TaskUsage], look: &RowsLook<'_, Z>) -> String {
    let mut out = String::with_capacity(rows.len() * 160 * look.columns.len().max(1));
    for row in rows {
        push_row(&mut out, row, look);
    }
    out
}

fn push_row<Z: Fn(i64) -> i32>(out: &mut String, row: &TaskUsage, look: &RowsLook<'_, Z>) {
    let costly = look.p99_units.is_some_and(|p99| row_cost_units(row) > p99);
    out.push_str(r#"<tr data-testid="row" tabindex="0" data-task-id=""#);
    push_escaped(out, &row.task_id);
    let _ = write!(out, r#"" data-above-p99="{costly}""#);
    out.push_str(if costly { r#" class="costly">"# } else { ">" });
    let offset = (look.offset_at)(row.created_at.timestamp_millis());
    for &column in look.columns {
        let (text, exact) = cell(column, row, offset);
        if column == Column::Status {
            out.push_str(r#"<td><span class="badge status-"#);
            out.push_str(status_class(&text));
            out.push_str(r#"">"#);
            push_escaped(out, &text);
            out.push_str("</span></td>");
        } else {
            out.push_str(if column.numeric() {
                r#"<td class="num" title=""#
            } else {
                r#"<td title=""#
            });
            push_escaped(out, &exact);
            out.push_str(r#"">"#);
            push_escaped(out, &text);
            out.push_str("</td>");
        }
    }
    out.push_str("</tr>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_usage::TaskStatus;

    fn hostile_row() -> TaskUsage {
        let mut row = TaskUsage::new(
            "t\"><script>alert(1)</script>",
            "2026-11-28T23:30:05Z".parse().unwrap(),
            "o3 & <b>friends</b>",
            TaskStatus::parse("weird\"><img src=x onerror=alert(1)>"),
        );
        row.task_title = Some("'quoted' <title>".into());
        row.neo_credits = Some(2.5);
        row
    }

    #[test]
    fn every_value_is_escaped_in_text_and_attributes() {
        let look = RowsLook {
            columns: &Column::ALL,
            offset_at: |_| 0,
            p99_units: None,
        };
        let html = rows_html(&[hostile_row()], &look);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains(r#"data-task-id="t&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="badge status-unknown">weird&quot;&gt;&lt;img"#),
            "{html}"
        );
        assert!(html.contains("&#39;quoted&#39; &lt;title&gt;"), "{html}");
        assert_eq!(html.matches("<td").count(), Column::ALL.len());
        assert_eq!(html.matches("</td>").count(), Column::ALL.len());
    }

    #[test]
    fn escaping_keeps_the_text_between_entities_whole() {
        let cases = [
            ("", ""),
            ("plain", "plain"),
            ("&", "&amp;"),
            ("a<b>c", "a&lt;b&gt;c"),
            ("\"'", "&quot;&#39;"),
            ("é<ü>ß", "é&lt;ü&gt;ß"),
            ("東京&", "東京&amp;"),
        ];
        for (text, escaped) in cases {
            let mut out = String::from("[");
            push_escaped(&mut out, text);
            assert_eq!(out, format!("[{escaped}"), "{text:?}");
        }
    }

    #[test]
    fn rows_carry_their_cells_in_column_order_and_the_p99_mark() {
        let mut cheap = TaskUsage::new(
            "a",
            "2026-11-28T23:30:05Z".parse().unwrap(),
            "o3",
            TaskStatus::Completed,
        );
        cheap.neo_credits = Some(1.0);
        let mut costly = cheap.clone();
        costly.task_id = "b".into();
        costly.neo_credits = Some(3.0);
        let look = RowsLook {
            columns: &[Column::Time, Column::Status, Column::Credits],
            offset_at: |_| 3600,
            p99_units: Some(row_cost_units(&cheap)),
        };
        let html = rows_html(&[cheap, costly], &look);
        let rows: Vec<&str> = html.split("</tr>").filter(|r| !r.is_empty()).collect();
        assert_eq!(rows.len(), 2);
        assert!(
            rows[0].starts_with(
                r#"<tr data-testid="row" tabindex="0" data-task-id="a" data-above-p99="false">"#
            ),
            "{}",
            rows[0]
        );
        assert!(
            rows[1].contains(r#"data-above-p99="true" class="costly">"#),
            "{}",
            rows[1]
        );
        assert!(
            rows[0].contains(r#"<td title="2026-11-29 00:30:05 UTC+01:00">2026-11-29 00:30</td>"#),
            "{}",
            rows[0]
        );
        assert!(rows[0].contains(r#"<span class="badge status-completed">completed</span>"#));
        assert!(
            rows[0].ends_with(r#"<td class="num" title="1">1.00 cr</td>"#),
            "{}",
            rows[0]
        );
    }
}
