//! Decoding response bodies from bytes, with errors that name the JSON path,
//! the page offset and show the body around the failure.
//!
//! Bodies are decoded from the response's bytes, never through a JS string
//! (see the client crate's docs for the figures): checked to be UTF-8 once
//! ([`body_text`]), then read by the model's hand-written reader
//! ([`ApiBody`](crate::model_reader::ApiBody)), or, for a page in the form
//! the API writes, by the faster `page_reader.rs` first. [`decode_json`]
//! reads any serde type through `serde_json`.
//!
//! The JSON path of a failure is found by re-scanning the text up to the
//! error ([`json_path_at`]), not by `serde_path_to_error`: that crate wraps
//! every value of every row in its tracking deserializer, which was 19 % of
//! the npm package's wasm when it was dropped (commit b1bf088), on every
//! decode, to help the rare failed one. The scan runs only on failure, and
//! is fuzzed (`fuzz/`, `page_decoder`).
//!
//! ```
//! use neo_usage::{decode, TaskUsagePage, NeoUsageError};
//! let bad = br#"{"data":[{"task_id":"t","created_at":"yesterday"}],"has_more":false,"total":1}"#;
//! match decode::decode_json::<TaskUsagePage>(bad, Some(200)).unwrap_err() {
//!     NeoUsageError::Decode { path, offset, .. } => {
//!         assert_eq!(path, "data[0].created_at");
//!         assert_eq!(offset, Some(200));
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::{excerpt, NeoUsageError};
use crate::model::{TaskUsage, TaskUsagePage};
use crate::model_reader::ApiBody;

/// Decodes a task-list page: by the fast reader when the page is in the
/// form the API writes (see `page_reader.rs`), else by the model's reader
/// ([`ApiBody`]); the same rows, or the model reader's error, either way.
///
/// ```
/// let body = br#"{"data":[{"agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"o3",
///   "status":"completed","step_count":3,"task_id":"t1","tool_calls":2}],"has_more":false,"total":1}"#;
/// let page = neo_usage::decode::decode_page(body, Some(0)).unwrap();
/// assert_eq!(page, neo_usage::decode::decode_json(body, Some(0)).unwrap());
/// ```
#[doc(alias = "ApiBody")]
pub fn decode_page(body: &[u8], offset: Option<u64>) -> Result<TaskUsagePage, NeoUsageError> {
    let text = body_text(body, offset)?;
    match crate::page_reader::read_page(text) {
        Some(page) => Ok(page.into_owned()),
        None => TaskUsagePage::decode(body, offset),
    }
}

/// Decodes a JSON body into any serde type `T` through serde_json (the
/// clients read the API's bodies with [`ApiBody::decode`], which carries
/// no serde code). `offset` is the page offset of a list request, kept in
/// the error.
///
/// Decoding runs at full speed; only when it fails is the body scanned
/// again, up to the failure, to name the JSON path ([`json_path_at`]).
pub fn decode_json<T: DeserializeOwned>(
    body: &[u8],
    offset: Option<u64>,
) -> Result<T, NeoUsageError> {
    let text = body_text(body, offset)?;
    serde_json::from_str(text).map_err(|e| decode_error(body, offset, &e))
}

/// The body as text, checked to be UTF-8 in one pass over it, so that
/// serde_json reads each string without checking it again (`from_slice`
/// checks every string by itself: a tenth of a native profile of decoding
/// a page). A body that is not UTF-8 is a `Decode` error at the first bad
/// byte; one cut inside a character is `truncated`, like a cut JSON text.
///
/// ```
/// use neo_usage::{decode, NeoUsageError};
/// let body = b"{\"data\":[{\"task_id\":\"t\xff\"}]}";
/// match decode::body_text(body, Some(0)).unwrap_err() {
///     NeoUsageError::Decode { path, truncated, .. } => {
///         assert_eq!(path, "data[0].task_id");
///         assert!(!truncated);
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn body_text(body: &[u8], offset: Option<u64>) -> Result<&str, NeoUsageError> {
    std::str::from_utf8(body).map_err(|e| {
        let at = e.valid_up_to();
        NeoUsageError::Decode {
            path: json_path_at(body, at),
            offset,
            message: format!("the body is not UTF-8 text (byte {at} starts a malformed character)"),
            excerpt: excerpt(body, at),
            truncated: e.error_len().is_none(),
        }
    })
}

fn decode_error(body: &[u8], offset: Option<u64>, e: &serde_json::Error) -> NeoUsageError {
    let at = byte_position(body, e.line(), e.column());
    // serde_json appends " at line L column C"; the path and excerpt say more.
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    };
    NeoUsageError::Decode {
        path: json_path_at(body, at),
        offset,
        message,
        excerpt: excerpt(body, at),
        truncated: e.classify() == Category::Eof,
    }
}

/// Byte index of a 1-based line and column (serde_json's error position).
fn byte_position(body: &[u8], line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let line_start = body
        .split_inclusive(|b| *b == b'\n')
        .take(line - 1)
        .map(<[u8]>::len)
        .sum::<usize>();
    (line_start + column).min(body.len())
}

/// Where a scan of JSON text stands: inside an object (with the current
/// key once read) or an array (with the current index).
enum Frame {
    Object {
        key: Option<String>,
        after_colon: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON path (`data[3].created_at`) of the value being read at byte
/// `at` of `body`: `.` for the top level. Scans the text up to `at` only,
/// tolerating anything malformed after it.
///
/// ```
/// let body = br#"{"data":[{"a":1},{"b":[true, x]}]}"#;
/// let at = body.iter().position(|b| *b == b'x').unwrap();
/// assert_eq!(neo_usage::decode::json_path_at(body, at), "data[1].b[1]");
/// ```
pub fn json_path_at(body: &[u8], at: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let end = at.min(body.len());
    while i < end {
        match body[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                after_colon: false,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { after_colon, .. }) = stack.last_mut() {
                    *after_colon = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key, after_colon }) => {
                    *key = None;
                    *after_colon = false;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < end && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object {
                    key,
                    after_colon: false,
                }) = stack.last_mut()
                {
                    *key = Some(String::from_utf8_lossy(&body[start..i.min(end)]).into_owned());
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// Decodes a file of rows: a task-list page (`{"data": [...], ...}`) or a
/// bare JSON array of rows, by the hand-written reader when it takes the
/// file (see [`decode_page`]). Used for imported files and the reference
/// server's `--data`.
///
/// ```
/// let rows = neo_usage::decode::decode_rows(br#"[{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z",
///   "model":"m","status":"aborted","step_count":0,"task_id":"t","tool_calls":0}]"#).unwrap();
/// assert_eq!(rows.len(), 1);
/// ```
pub fn decode_rows(body: &[u8]) -> Result<Vec<TaskUsage>, NeoUsageError> {
    let mut rows = Vec::new();
    let fast = std::str::from_utf8(body).ok().and_then(|text| {
        crate::page_reader::read_file_each(text, |row, _| rows.push(row.into_owned()))
    });
    match fast {
        Some(()) => Ok(rows),
        None => decode_rows_typed(body),
    }
}

/// [`decode_rows`] by the model's reader alone: what it comes to when the
/// fast reader does not take the file.
pub(crate) fn decode_rows_typed(body: &[u8]) -> Result<Vec<TaskUsage>, NeoUsageError> {
    match first_byte(body) {
        Some(b'[') => Vec::<TaskUsage>::decode(body, None),
        Some(b'{') => TaskUsagePage::decode(body, None).map(|page| page.data),
        _ => Err(NeoUsageError::Decode {
            path: ".".into(),
            offset: None,
            message:
                "expected a task-list page (a JSON object with `data`) or a JSON array of rows"
                    .into(),
            excerpt: excerpt(body, 0),
            truncated: false,
        }),
    }
}

/// The first byte of `body` that is not whitespace.
pub(crate) fn first_byte(body: &[u8]) -> Option<u8> {
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_offset_and_excerpt_point_at_the_failure() {
        let mut body = String::from(r#"{"has_more":true,"total":3,"data":["#);
        let good = r#"{"agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"m","status":"completed","step_count":2,"task_id":"ok","tool_calls":3}"#;
        body.push_str(good);
        body.push(',');
        body.push_str(&good.replace("\"step_count\":2", "\"step_count\":-2"));
        body.push_str("]}");
        match decode_json::<TaskUsagePage>(body.as_bytes(), Some(400)).unwrap_err() {
            NeoUsageError::Decode {
                path,
                offset,
                message,
                excerpt,
                truncated,
            } => {
                assert!(!truncated);
                assert_eq!(path, "data[1].step_count");
                assert_eq!(offset, Some(400));
                assert!(message.contains("-2"), "{message}");
                assert!(excerpt.contains("\"step_count\":-2"), "{excerpt}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn truncated_body_is_a_retryable_decode_error() {
        let e = decode_json::<TaskUsagePage>(br#"{"data":[{"agent_tr"#, Some(0)).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Decode);
        assert!(e.to_string().contains("offset 0"), "{e}");
        assert!(
            e.is_retryable(),
            "a body cut short is a transport failure: {e:?}"
        );
        let wrong =
            decode_json::<TaskUsagePage>(br#"{"data":7,"has_more":false,"total":0}"#, Some(0))
                .unwrap_err();
        assert!(!wrong.is_retryable(), "a wrong body stays wrong: {wrong:?}");
    }

    #[test]
    fn a_body_that_is_not_utf8_names_the_byte_and_is_retryable_only_when_cut() {
        let cut = "{\"data\":[{\"task_id\":\"caf\u{e9}".as_bytes();
        let cut = &cut[..cut.len() - 1];
        let e = decode_json::<TaskUsagePage>(cut, Some(200)).unwrap_err();
        let NeoUsageError::Decode {
            ref path,
            ref message,
            ..
        } = e
        else {
            panic!("{e:?}");
        };
        assert_eq!(path, "data[0].task_id");
        assert!(
            message.contains(&format!("byte {}", cut.len() - 1)),
            "{message}"
        );
        assert!(e.is_retryable(), "cut inside a character: {e:?}");
        let wrong = b"{\"data\":[{\"task_id\":\"\xff\"}],\"has_more\":false,\"total\":1}";
        let e = decode_json::<TaskUsagePage>(wrong, Some(200)).unwrap_err();
        assert!(!e.is_retryable(), "a wrong byte stays wrong: {e:?}");
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }

    #[test]
    fn paths_name_keys_indices_and_missing_fields() {
        let row = r#"{"agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"m","status":"completed","step_count":2,"task_id":"t","tool_calls":3}"#;
        let page = |rows: &str| format!(r#"{{"has_more":false,"total":1,"data":[{rows}]}}"#);
        let path =
            |body: String| match decode_json::<TaskUsagePage>(body.as_bytes(), None).unwrap_err() {
                NeoUsageError::Decode { path, .. } => path,
                other => panic!("{other:?}"),
            };
        assert_eq!(
            path(page(&row.replace(r#""model":"m""#, r#""model":5"#))),
            "data[0].model"
        );
        assert_eq!(
            path(page(&format!(
                "{row},{row},{}",
                row.replace("\"t\"", "null")
            ))),
            "data[2].task_id"
        );
        let history = row.replace(
            r#""tool_calls":3"#,
            r#""tool_calls":3,"tool_call_history":[{"duration_ms":1,"index":0,"timestamp":1,"tool_name":"a"},{"duration_ms":"x"}]"#,
        );
        assert_eq!(
            path(page(&history)),
            "data[0].tool_call_history[1].duration_ms"
        );
        assert_eq!(path(page(&row.replace(r#","task_id":"t""#, ""))), "data[0]");
        assert_eq!(
            path(r#"{"data":[],"has_more":"no","total":0}"#.into()),
            "has_more"
        );
        assert_eq!(path("[]".into()), ".");
        let spaced = "{\n  \"data\": [\n    {\"task_id\": 1}\n  ]\n}";
        assert_eq!(path(spaced.into()), "data[0].task_id");
    }

    #[test]
    fn decode_json_reads_floats_correctly_rounded() {
        // Long mantissas where serde_json's default reader lands one bit
        // off; `str::parse` (and `JSON.parse`) round correctly.
        for text in [
            "0.1234567890123456789",
            "2.2250738585072011e-308",
            "9007199254740993.0000000001",
            "0.30000000000000004441",
            "1.7976931348623157e308",
        ] {
            let read: Vec<f64> = decode_json(format!("[{text}]").as_bytes(), None).unwrap();
            let exact: f64 = text.parse().unwrap();
            assert_eq!(read[0].to_bits(), exact.to_bits(), "{text}");
        }
    }

    #[test]
    fn trailing_garbage_is_refused() {
        assert!(
            decode_json::<TaskUsagePage>(br#"{"data":[],"has_more":false,"total":0} x"#, None)
                .is_err()
        );
    }

    #[test]
    fn rows_file_accepts_page_or_array_and_refuses_other() {
        assert!(decode_rows(br#"{"data":[],"has_more":false,"total":0}"#)
            .unwrap()
            .is_empty());
        assert!(decode_rows(b" []").unwrap().is_empty());
        let e = decode_rows(b"42").unwrap_err();
        assert!(e.to_string().contains("JSON array of rows"), "{e}");
    }
}
