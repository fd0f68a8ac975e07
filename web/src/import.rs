//! An imported file read into held rows: piece by piece as it comes off
//! the disk ([`StoreFromPieces`]), so neither the file's bytes nor its rows
//! are ever held whole; a file not in the form the API writes is read
//! whole by the model's reader ([`UsageStore::from_rows_json`]), whose
//! errors name the JSON path.

use std::rc::Rc;

use neo_usage::NeoUsageError;
use neo_usage_analytics::{StoreFromPieces, UsageStore};

use crate::analytics::HeldStore;
use crate::browser;
use crate::source::{DataSource, HeldOrigin, HeldRows};

/// Bytes of a file read at a time: few reads, little held.
const PIECE_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// What reading a file in pieces came to.
enum PiecesRead {
    /// The rows, or why the file is refused.
    Done(Box<Result<UsageStore, NeoUsageError>>),
    /// Not in the form read in pieces: read it whole.
    NeedsWholeFile,
    /// The browser could not read the file.
    Unreadable(String),
    /// A later source request took over.
    Superseded,
}

/// Reads `file` (a page response, an array of rows, or this viewer's JSON
/// export) into held rows, saying how far it is with `progress(read,
/// size)` after each piece. `None` once `still_wanted` says a later
/// request took over; otherwise the rows, or a message that names the
/// file, the row and the field.
pub async fn import_file(
    file: &web_sys::File,
    still_wanted: impl Fn() -> bool,
    progress: impl Fn(u64, u64),
) -> Option<Result<DataSource, String>> {
    let name = file.name();
    let read = match read_in_pieces(file, &still_wanted, &progress).await {
        PiecesRead::Done(read) => *read,
        PiecesRead::NeedsWholeFile => match browser::blob_bytes(file).await {
            Ok(bytes) => UsageStore::from_rows_json(&bytes),
            Err(reason) => return Some(Err(unreadable(&name, &reason))),
        },
        PiecesRead::Unreadable(reason) => return Some(Err(unreadable(&name, &reason))),
        PiecesRead::Superseded => return None,
    };
    if !still_wanted() {
        return None;
    }
    let refuse =
        |e: NeoUsageError| format!("{name} could not be imported: {}", describe_decode(&e));
    Some(read.map(|store| held_import(&name, store)).map_err(refuse))
}

/// Reads `file` a piece at a time into a new store.
async fn read_in_pieces(
    file: &web_sys::File,
    still_wanted: &impl Fn() -> bool,
    progress: &impl Fn(u64, u64),
) -> PiecesRead {
    let size = file.size();
    let mut import = StoreFromPieces::new(size as usize);
    let mut start = 0.0;
    while start < size {
        let end = (start + PIECE_BYTES).min(size);
        let piece = match file.slice_with_f64_and_f64(start, end) {
            Ok(piece) => browser::blob_bytes(&piece).await,
            Err(_) => Err("the browser could not cut the file into pieces".to_owned()),
        };
        if !still_wanted() {
            return PiecesRead::Superseded;
        }
        match piece {
            Ok(bytes) if import.feed(&bytes) => {}
            Ok(_) => return PiecesRead::NeedsWholeFile,
            Err(reason) => return PiecesRead::Unreadable(reason),
        }
        start = end;
        progress(end as u64, size as u64);
    }
    match import.finish() {
        Some(read) => PiecesRead::Done(Box::new(read)),
        None => PiecesRead::NeedsWholeFile,
    }
}

/// The rows of an imported file, held.
fn held_import(file_name: &str, store: UsageStore) -> DataSource {
    let now = browser::now_utc();
    DataSource::Held(HeldRows {
        rows: Rc::new(HeldStore::new(store, None, None)),
        origin: HeldOrigin::Import {
            file_name: file_name.to_owned(),
            now,
        },
    })
}

fn unreadable(file_name: &str, reason: &str) -> String {
    format!("{file_name} could not be read: {reason}. Pick it again.")
}

/// A decode failure in a file's terms: the JSON path and the row number.
fn describe_decode(error: &NeoUsageError) -> String {
    match error {
        NeoUsageError::Decode { path, message, .. } => {
            let row = row_number(path)
                .map(|n| format!("row {n} ({path})"))
                .unwrap_or_else(|| format!("`{path}`"));
            format!("{message} at {row}. Fix that value or export the file again.")
        }
        other => other.to_string(),
    }
}

/// `data[3].created_at` or `[3].model` → row 4 (1-based, as people count).
fn row_number(path: &str) -> Option<u64> {
    let start = path.find('[')? + 1;
    let end = start + path[start..].find(']')?;
    path[start..end].parse::<u64>().ok().map(|i| i + 1)
}
