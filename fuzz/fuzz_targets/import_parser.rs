//! The import parser (`decode_rows`, also the reference server's `--data`)
//! on any bytes: rows or an error, never a panic or a hang; an array of
//! rows reads as the model's reader (`ApiBody`) reads it; the viewer's
//! row-by-row import (`decode_rows_into`) gives the same rows or error as
//! `decode_rows` and then `refuse_inexact_amounts`, and so does reading the
//! bytes in pieces (`FileInPieces`), of a size the last byte picks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'[') {
        assert_eq!(
            neo_usage::decode::decode_rows(data),
            <Vec<neo_usage::TaskUsage> as neo_usage::model_reader::ApiBody>::decode(data, None)
        );
    }
    let mut imported = Vec::new();
    let imported = neo_usage::import::decode_rows_into(data, &mut imported).map(|()| imported);
    let is_page = data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let checked = neo_usage::decode::decode_rows(data).and_then(|rows| {
        neo_usage::import::refuse_inexact_amounts(&rows, if is_page { "data" } else { "" })
            .map(|()| rows)
    });
    assert_eq!(imported, checked);
    let size = usize::from(data.last().copied().unwrap_or(0) % 16) + 1;
    assert_eq!(in_pieces(data, size), checked);
    match neo_usage::decode::decode_rows(data) {
        Ok(rows) => {
            let _ = serde_json::to_vec(&rows);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});

/// `data` read by `FileInPieces` in pieces of `size` bytes, then whole
/// where it says so: what the viewer's import ends up with.
fn in_pieces(
    data: &[u8],
    size: usize,
) -> Result<Vec<neo_usage::TaskUsage>, neo_usage::NeoUsageError> {
    use neo_usage::import_pieces::{FileInPieces, PiecesRead};
    let mut reader = FileInPieces::new();
    let mut rows = Vec::new();
    for piece in data.chunks(size) {
        if !reader.feed(piece, &mut rows) {
            break;
        }
    }
    match reader.finish(&mut rows) {
        PiecesRead::Read => Ok(rows),
        PiecesRead::Refused(e) => Err(e),
        PiecesRead::NeedsWholeFile => {
            let mut whole = Vec::new();
            neo_usage::import::decode_rows_into(data, &mut whole).map(|()| whole)
        }
    }
}
