//! An imported file straight into the columns:
//! [`UsageStore::from_rows_json`] reads each row of the file into the store
//! as it is read ([`decode_rows_into`]), so the file's rows are never held
//! as rows as well; [`StoreFromPieces`] does it as the file's pieces come
//! off the disk, so the file's bytes are not held whole either. Importing a
//! 20,000-row file of 23.8 MB grew the viewer's wasm memory by 61 MB when
//! the rows were decoded first and then copied into the columns
//! (docs/performance.md).

use neo_usage::import::{decode_rows_into, RowSink};
use neo_usage::import_pieces::{FileInPieces, PiecesRead};
use neo_usage::{NeoUsageError, TaskUsageRef};

use crate::store::{UsageStore, RESERVE_AFTER_ROWS};

impl UsageStore {
    /// Reads an imported file (a task-list page or a JSON array of rows,
    /// such as the viewer's export) into a new store, row by row, with no
    /// `TaskUsage` per row. After the first [`RESERVE_AFTER_ROWS`] rows it
    /// reserves room for the rest, estimated by the share of the file they
    /// took, so the columns grow once instead of doubling.
    ///
    /// The same rows, in file order, as
    /// [`decode_rows`](neo_usage::decode::decode_rows) reads; the error it
    /// gives, or that of
    /// [`refuse_inexact_amounts`](neo_usage::import::refuse_inexact_amounts).
    ///
    /// ```
    /// use neo_usage_analytics::UsageStore;
    /// let file = br#"[{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
    ///   "status":"completed","step_count":1,"task_id":"t1","tool_calls":0}]"#;
    /// let store = UsageStore::from_rows_json(file).unwrap();
    /// assert_eq!((store.len(), store.task_id(0)), (1, "t1"));
    /// let err = UsageStore::from_rows_json(b"[{}]").unwrap_err();
    /// assert!(err.to_string().contains("[0]"), "{err}");
    /// ```
    pub fn from_rows_json(body: &[u8]) -> Result<UsageStore, NeoUsageError> {
        let mut sink = StoreSink {
            store: UsageStore::new(),
            file_len: body.len(),
        };
        decode_rows_into(body, &mut sink)?;
        Ok(sink.store)
    }
}

/// An imported file read into a new store piece by piece
/// ([`FileInPieces`]): only the store and a cut-short row are held.
///
/// ```
/// use neo_usage_analytics::import::StoreFromPieces;
/// let file = br#"[{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
///   "status":"completed","step_count":1,"task_id":"t1","tool_calls":0}]"#;
/// let mut import = StoreFromPieces::new(file.len());
/// for piece in file.chunks(16) {
///     assert!(import.feed(piece));
/// }
/// let store = import.finish().expect("read in pieces").unwrap();
/// assert_eq!(store.task_id(0), "t1");
/// ```
#[derive(Debug)]
pub struct StoreFromPieces {
    reader: FileInPieces,
    sink: StoreSink,
}

impl StoreFromPieces {
    /// An import of a file of `file_len` bytes (to reserve room for its
    /// rows after the first [`RESERVE_AFTER_ROWS`]).
    pub fn new(file_len: usize) -> Self {
        StoreFromPieces {
            reader: FileInPieces::new(),
            sink: StoreSink {
                store: UsageStore::new(),
                file_len,
            },
        }
    }

    /// Reads the file's next piece into the store; `false` once the file
    /// is known not to be in the form read in pieces (stop reading pieces:
    /// [`StoreFromPieces::finish`] gives `None`).
    pub fn feed(&mut self, piece: &[u8]) -> bool {
        self.reader.feed(piece, &mut self.sink)
    }

    /// The store once the file has ended, or the error
    /// [`UsageStore::from_rows_json`] gives; `None` when the file is not
    /// in the form read in pieces: read it whole with
    /// [`UsageStore::from_rows_json`] (which reads it by the model's
    /// reader, with the JSON path of any error).
    pub fn finish(mut self) -> Option<Result<UsageStore, NeoUsageError>> {
        match self.reader.finish(&mut self.sink) {
            PiecesRead::Read => Some(Ok(self.sink.store)),
            PiecesRead::Refused(error) => Some(Err(error)),
            PiecesRead::NeedsWholeFile => None,
        }
    }
}

/// The store a file is read into.
#[derive(Debug)]
struct StoreSink {
    store: UsageStore,
    file_len: usize,
}

impl RowSink for StoreSink {
    fn row(&mut self, row: &TaskUsageRef<'_>, read_to: usize) {
        if self.store.len() == RESERVE_AFTER_ROWS {
            let rest = rows_to_come(RESERVE_AFTER_ROWS, read_to, self.file_len);
            self.store.reserve(rest);
        }
        self.store.push_ref(row);
    }

    fn restart(&mut self) {
        self.store = UsageStore::new();
    }
}

/// Rows still to come in a file of `file_len` bytes whose first `read_to`
/// bytes held `rows` rows, at their average size.
fn rows_to_come(rows: usize, read_to: usize, file_len: usize) -> usize {
    let left = file_len.saturating_sub(read_to) as u64;
    let estimate = left.saturating_mul(rows as u64) / (read_to.max(1) as u64);
    usize::try_from(estimate).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_to_come_is_the_rest_of_the_file_at_the_same_size() {
        assert_eq!(rows_to_come(1_000, 100_000, 1_000_000), 9_000);
        assert_eq!(rows_to_come(1_000, 100_000, 100_000), 0);
        assert_eq!(rows_to_come(1_000, 0, 10), 10_000);
        // 256 MB of 1 kB rows: no overflow on a 32-bit target.
        assert_eq!(rows_to_come(1_000, 1_024_000, 268_435_456), 261_144);
    }
}
