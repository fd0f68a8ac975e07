//! Decoding response bodies from bytes, with errors that name the JSON path,
//! the page offset and show the body around the failure.
//!
//! Bodies are decoded from the response's bytes (`serde_json::from_slice`),
//! never through a JS string: see the client crate's docs for the figures.
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

use crate::error::{excerpt, NeoUsageError};
use crate::model::{TaskUsage, TaskUsagePage};

/// Decodes a JSON body into `T`. `offset` is the page offset of a list
/// request, kept in the error.
pub fn decode_json<T: DeserializeOwned>(
    body: &[u8],
    offset: Option<u64>,
) -> Result<T, NeoUsageError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        decode_error(body, offset, path, e.into_inner())
    })?;
    de.end()
        .map_err(|e| decode_error(body, offset, ".".into(), e))?;
    Ok(value)
}

fn decode_error(
    body: &[u8],
    offset: Option<u64>,
    path: String,
    e: serde_json::Error,
) -> NeoUsageError {
    let at = byte_position(body, e.line(), e.column());
    // serde_json appends " at line L column C"; the path and excerpt say more.
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    };
    NeoUsageError::Decode {
        path: if path.is_empty() { ".".into() } else { path },
        offset,
        message,
        excerpt: excerpt(body, at),
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
    (line_start + column.saturating_sub(1)).min(body.len())
}

/// Decodes a file of rows: a task-list page (`{"data": [...], ...}`) or a
/// bare JSON array of rows. Used for imported files and the reference
/// server's `--data`.
///
/// ```
/// let rows = neo_usage::decode::decode_rows(br#"[{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z",
///   "model":"m","status":"aborted","step_count":0,"task_id":"t","tool_calls":0}]"#).unwrap();
/// assert_eq!(rows.len(), 1);
/// ```
pub fn decode_rows(body: &[u8]) -> Result<Vec<TaskUsage>, NeoUsageError> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => decode_json::<Vec<TaskUsage>>(body, None),
        Some(b'{') => decode_json::<TaskUsagePage>(body, None).map(|page| page.data),
        _ => Err(NeoUsageError::Decode {
            path: ".".into(),
            offset: None,
            message:
                "expected a task-list page (a JSON object with `data`) or a JSON array of rows"
                    .into(),
            excerpt: excerpt(body, 0),
        }),
    }
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
            } => {
                assert_eq!(path, "data[1].step_count");
                assert_eq!(offset, Some(400));
                assert!(message.contains("-2"), "{message}");
                assert!(excerpt.contains("\"step_count\":-2"), "{excerpt}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn truncated_body_is_a_decode_error() {
        let e = decode_json::<TaskUsagePage>(br#"{"data":[{"agent_tr"#, Some(0)).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Decode);
        assert!(e.to_string().contains("offset 0"), "{e}");
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
