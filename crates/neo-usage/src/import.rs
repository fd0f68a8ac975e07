//! An imported file's rows, read one at a time: [`decode_rows_into`] hands
//! each row of a file (a task-list page or a JSON array of rows) to a
//! [`RowSink`] as it is read, so an importer that keeps rows in a form of
//! its own (the viewer's columns) never holds the file's rows as well.
//! Amounts the viewer cannot add exactly are refused
//! ([`refuse_inexact_amounts`]).
//!
//! The rows come from the fast reader (`page_reader.rs`) while it takes the
//! file. Where it gives up part way (a file not in the form the API
//! writes), the sink is told to [`restart`](RowSink::restart) and gets the
//! rows of the model's reader instead: the same rows, or the same error, as
//! [`decode_rows`](crate::decode::decode_rows) followed by [`refuse_inexact_amounts`].

use crate::borrowed::TaskUsageRef;
use crate::decode::{decode_rows_typed, first_byte};
use crate::error::NeoUsageError;
use crate::model::TaskUsage;
use crate::model_writer::ApiJson;
use crate::money::MAX_EXACT_AMOUNT;
use crate::page_reader;

/// Takes an imported file's rows one at a time, in file order
/// ([`decode_rows_into`]).
pub trait RowSink {
    /// The next row. `read_to` is how many of the file's bytes are read
    /// so far (to estimate how many rows are still to come).
    fn row(&mut self, row: &TaskUsageRef<'_>, read_to: usize);

    /// Forgets every row taken so far: the file is read again from its
    /// start.
    fn restart(&mut self);
}

/// Collects the rows, as [`decode_rows`](crate::decode::decode_rows) returns them.
impl RowSink for Vec<TaskUsage> {
    fn row(&mut self, row: &TaskUsageRef<'_>, _read_to: usize) {
        self.push(row.clone().into_owned());
    }

    fn restart(&mut self) {
        self.clear();
    }
}

/// Reads an imported file, a task-list page or a JSON array of rows, into
/// `sink`: on `Ok` the sink holds, since its last restart, exactly the rows
/// [`decode_rows`](crate::decode::decode_rows) reads, in the same order; on `Err` (the error
/// [`decode_rows`](crate::decode::decode_rows) or [`refuse_inexact_amounts`] gives) what it holds is
/// not the file's rows and is to be dropped.
///
/// ```
/// use neo_usage::import::decode_rows_into;
/// use neo_usage::TaskUsage;
/// let file = br#"[{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
///   "status":"completed","step_count":1,"task_id":"t1","tool_calls":0,"neo_credits":1.5}]"#;
/// let mut rows: Vec<TaskUsage> = Vec::new();
/// decode_rows_into(file, &mut rows).unwrap();
/// assert_eq!(rows, neo_usage::decode::decode_rows(file).unwrap());
///
/// let huge = String::from_utf8_lossy(file).replace("1.5", "1e15");
/// let err = decode_rows_into(huge.as_bytes(), &mut rows).unwrap_err();
/// assert!(err.to_string().contains("[0].neo_credits"), "{err}");
/// ```
pub fn decode_rows_into(body: &[u8], sink: &mut impl RowSink) -> Result<(), NeoUsageError> {
    let is_page = first_byte(body) == Some(b'{');
    if let Some(read) = read_fast(body, is_page, sink) {
        return read;
    }
    sink.restart();
    let rows = decode_rows_typed(body)?;
    let count = rows.len();
    let mut checked = CheckedRows::new(is_page);
    for (i, row) in rows.into_iter().enumerate() {
        // Rows read so far, in the file's bytes, as an even share each.
        let read_to = body.len() / count * (i + 1);
        checked.take(&TaskUsageRef::from(row), read_to, sink);
    }
    checked.outcome()
}

/// The fast reader's pass over the file: `None` where it gives up.
fn read_fast(
    body: &[u8],
    is_page: bool,
    sink: &mut impl RowSink,
) -> Option<Result<(), NeoUsageError>> {
    let text = std::str::from_utf8(body).ok()?;
    let mut checked = CheckedRows::new(is_page);
    page_reader::read_file_each(text, |row, read_to| checked.take(&row, read_to, sink))?;
    Some(checked.outcome())
}

/// Rows handed to a sink in file order, each checked for amounts the
/// viewer cannot add exactly. After the first refused one no row is handed
/// on, but rows are still counted, so a file that is also malformed
/// further on gets the reader's error, as
/// [`decode_rows`](crate::decode::decode_rows) gives it first.
#[derive(Debug)]
pub(crate) struct CheckedRows {
    rows: usize,
    refused: Option<NeoUsageError>,
    /// `data` for a page, empty for an array: the JSON path's start.
    prefix: &'static str,
}

impl CheckedRows {
    /// None taken yet, of a page or an array of rows.
    pub(crate) fn new(is_page: bool) -> Self {
        CheckedRows {
            rows: 0,
            refused: None,
            prefix: if is_page { "data" } else { "" },
        }
    }

    /// Checks the next row and hands it to `sink` unless an amount was
    /// refused, in it or before it.
    pub(crate) fn take(&mut self, row: &TaskUsageRef<'_>, read_to: usize, sink: &mut impl RowSink) {
        if self.refused.is_none() {
            let amounts = [row.neo_credits, row.llm_cost, row.neo_cost];
            self.refused = inexact_amount(amounts, self.rows, self.prefix);
            if self.refused.is_none() {
                sink.row(row, read_to);
            }
        }
        self.rows += 1;
    }

    /// The first refused amount's error, if any.
    pub(crate) fn outcome(self) -> Result<(), NeoUsageError> {
        self.refused.map_or(Ok(()), Err)
    }
}

/// Refuses rows whose amounts (`neo_credits`, `llm_cost`, `neo_cost`) lie
/// beyond [`MAX_EXACT_AMOUNT`]: a `Decode` error naming the first such
/// value's JSON path, `path_prefix` (`data` for a page, empty for an array)
/// before the row index.
///
/// ```
/// use neo_usage::{TaskStatus, TaskUsage};
/// let mut row = TaskUsage::new("t", "2026-11-01T00:00:00Z".parse().unwrap(), "o3", TaskStatus::Completed);
/// row.neo_credits = Some(1e308);
/// let err = neo_usage::import::refuse_inexact_amounts(&[row], "data").unwrap_err();
/// assert!(matches!(err, neo_usage::NeoUsageError::Decode { path, .. } if path == "data[0].neo_credits"));
/// ```
pub fn refuse_inexact_amounts(rows: &[TaskUsage], path_prefix: &str) -> Result<(), NeoUsageError> {
    let refused = rows
        .iter()
        .enumerate()
        .find_map(|(i, row)| inexact_amount(amounts(row), i, path_prefix));
    refused.map_or(Ok(()), Err)
}

/// A row's `neo_credits`, `llm_cost` and `neo_cost`.
fn amounts(row: &TaskUsage) -> [Option<f64>; 3] {
    [row.neo_credits, row.llm_cost, row.neo_cost]
}

/// The error for row `index`'s first amount (`neo_credits`, `llm_cost`,
/// `neo_cost`) beyond [`MAX_EXACT_AMOUNT`].
fn inexact_amount(
    amounts: [Option<f64>; 3],
    index: usize,
    path_prefix: &str,
) -> Option<NeoUsageError> {
    const FIELDS: [&str; 3] = ["neo_credits", "llm_cost", "neo_cost"];
    let (field, value) = FIELDS.into_iter().zip(amounts).find_map(|(field, value)| {
        Some((field, value?)).filter(|(_, v)| v.abs() > MAX_EXACT_AMOUNT)
    })?;
    Some(NeoUsageError::Decode {
        path: format!("{path_prefix}[{index}].{field}"),
        offset: None,
        message: format!(
            "the amount {} is beyond ±900,000,000,000, the largest the viewer adds exactly",
            value.to_json()
        ),
        excerpt: String::new(),
        truncated: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::decode::decode_rows;
    use crate::test_bodies::{mutated_pages, page, rows_of, Draw};

    /// Collects rows and counts restarts, and the rows taken before one.
    #[derive(Default)]
    struct Counting {
        rows: Vec<TaskUsage>,
        restarts: usize,
        dropped: usize,
        last_read_to: usize,
    }

    impl RowSink for Counting {
        fn row(&mut self, row: &TaskUsageRef<'_>, read_to: usize) {
            assert!(read_to >= self.last_read_to, "read_to went back");
            self.last_read_to = read_to;
            self.rows.push(row.clone().into_owned());
        }
        fn restart(&mut self) {
            self.restarts += 1;
            self.dropped += self.rows.len();
            self.rows.clear();
            self.last_read_to = 0;
        }
    }

    /// What importing `body` should give: the rows decoded, then checked.
    fn expected(body: &[u8]) -> Result<Vec<TaskUsage>, NeoUsageError> {
        let rows = decode_rows(body)?;
        let is_page = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        refuse_inexact_amounts(&rows, if is_page { "data" } else { "" })?;
        Ok(rows)
    }

    #[test]
    fn every_file_imports_as_decoded_and_checked_rows_or_the_same_error() {
        let (mut restarted_after_rows, mut read, mut refused, mut inexact) = (0, 0, 0, 0);
        let mut d = Draw(0x5851_f42d_4c95_7f2d);
        for mutated in mutated_pages(0x2545_f491_4f6c_dd1d, 20_000) {
            // Now and then an amount the viewer cannot add exactly.
            let text = match d.below(8) {
                0 => mutated.replacen("\"neo_credits\":", "\"neo_credits\":1e15,\"x\":", 1),
                1 => mutated.replacen("\"llm_cost\":", "\"llm_cost\":-2e12,\"x\":", 1),
                _ => mutated,
            };
            for body in [text.as_str(), rows_of(&text)] {
                let mut sink = Counting::default();
                let ours = decode_rows_into(body.as_bytes(), &mut sink).map(|()| sink.rows);
                assert_eq!(ours, expected(body.as_bytes()), "{body}");
                if sink.dropped > 0 {
                    restarted_after_rows += 1;
                }
                match ours {
                    Ok(_) => read += 1,
                    Err(e) if e.to_string().contains("900,000,000,000") => inexact += 1,
                    Err(_) => refused += 1,
                }
            }
        }
        // Every path ran: files read, files refused for their JSON or an
        // amount, and fast reads that gave up after handing rows over.
        assert!(
            read > 1_000 && refused > 1_000 && inexact > 1_000,
            "read {read}, refused {refused}, inexact {inexact}"
        );
        assert!(restarted_after_rows > 100, "{restarted_after_rows}");
    }

    #[test]
    fn a_refused_amount_gives_way_to_a_malformed_row_further_on() {
        let row = |id: &str, credits: &str| {
            format!(
                r#"{{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3","status":"completed","step_count":1,"task_id":"{id}","tool_calls":0,"neo_credits":{credits}}}"#
            )
        };
        let rows = [row("a", "1e15"), row("b", "1"), row("c", "2")].join(",");
        let text = format!(r#"{{"data":[{rows}],"has_more":false,"total":3}}"#);
        let mut sink = Vec::new();
        let err = decode_rows_into(text.as_bytes(), &mut sink).unwrap_err();
        assert!(err.to_string().contains("data[0].neo_credits"), "{err}");
        let broken = format!("{}{{", &text[..text.len() - 1]);
        let err = decode_rows_into(broken.as_bytes(), &mut sink).unwrap_err();
        assert_eq!(Err(err.clone()), expected(broken.as_bytes()));
        assert!(!err.to_string().contains("900,000,000,000"), "{err}");
    }

    #[test]
    fn rows_come_once_each_in_file_order_with_the_bytes_read() {
        let mut d = Draw(11);
        let text = page(&mut d, 50);
        let mut sink = Counting::default();
        decode_rows_into(text.as_bytes(), &mut sink).unwrap();
        assert_eq!((sink.restarts, sink.rows.len()), (0, 50));
        assert_eq!(sink.rows, decode_rows(text.as_bytes()).unwrap());
        assert!(sink.last_read_to < text.len() && sink.last_read_to > text.len() / 2);
        // The last row's key escaped: the fast reader gives up on it, after
        // handing over 49 rows, and the model's reader reads the file.
        let at = text.rfind("\"task_id\"").unwrap();
        let escaped = format!("{}\"task\\u005fid\"{}", &text[..at], &text[at + 9..]);
        let mut sink = Counting::default();
        decode_rows_into(escaped.as_bytes(), &mut sink).unwrap();
        assert_eq!((sink.restarts, sink.dropped), (1, 49));
        assert_eq!(sink.rows, decode_rows(text.as_bytes()).unwrap());
        assert_eq!(sink.last_read_to, escaped.len() / 50 * 50);
    }
}
