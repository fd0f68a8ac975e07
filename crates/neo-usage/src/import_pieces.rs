//! An imported file read in pieces, as they come off the disk:
//! [`FileInPieces`] hands each complete row to a [`RowSink`] and keeps
//! only what a piece cut short (a row, a separator, a page's envelope), so
//! importing a file never holds the whole file either.
//!
//! It reads what the fast reader (`page_reader.rs`) takes, the same rows
//! with the same amounts refused as [`decode_rows_into`] refuses them. On
//! anything else (a file not in the form the API writes, a malformed one,
//! a row past [`MAX_HELD`] bytes) it stops and says
//! [`PiecesRead::NeedsWholeFile`]: the caller then reads the whole file
//! with [`decode_rows_into`], which gives the model's reader's rows or its
//! error, with the JSON path.
//!
//! How a piece is read: the bytes held are cut before a character the
//! piece cut in two, and read as text unit by unit (a page's envelope up to
//! its rows' `[`, a row, a separator). A unit that does not read whole is
//! tried again when the next piece has come; once the file has ended, it
//! is not in the form this reader takes. A unit that reads whole from a
//! prefix of the file reads the same from the whole of it: every value in
//! a row ends at a byte inside the row, which ends at its `}`. A page's
//! envelope (its bytes outside the rows) is read at the end, as a page with
//! no rows, by the fast reader.

use crate::error::NeoUsageError;
use crate::import::{CheckedRows, RowSink};
use crate::page_reader::{read_page_each, Cursor};

#[cfg(doc)]
use crate::import::decode_rows_into;

/// The most bytes held back for a unit cut short (or a page's envelope):
/// past it, the reader gives up and the whole file is read instead.
pub const MAX_HELD: usize = 16 << 20;

/// What reading a file in pieces came to ([`FileInPieces::finish`]).
#[derive(Debug, Clone, PartialEq)]
pub enum PiecesRead {
    /// Every row went to the sink.
    Read,
    /// A row's amount cannot be added exactly: the error
    /// [`decode_rows_into`] gives (what the sink holds is to be dropped).
    Refused(NeoUsageError),
    /// The file is not in the form the fast reader takes: drop what the
    /// sink holds and read the whole file with [`decode_rows_into`].
    NeedsWholeFile,
}

/// Where the reader is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Before the first byte that is not whitespace.
    Start,
    /// In a page's keys, before its rows.
    Envelope,
    /// After the rows' `[`.
    FirstRow,
    /// After a `,` between rows.
    Row,
    /// After a row.
    Separator,
    /// After the rows' `]`.
    AfterRows,
    /// Not in the form this reader takes.
    GaveUp,
}

/// An imported file read in pieces (see the module's docs).
///
/// ```
/// use neo_usage::import_pieces::{FileInPieces, PiecesRead};
/// use neo_usage::TaskUsage;
/// let file = br#"{"data":[{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
///   "status":"completed","step_count":1,"task_id":"t1","tool_calls":0}],"has_more":false,"total":1}"#;
/// let mut rows: Vec<TaskUsage> = Vec::new();
/// let mut reader = FileInPieces::new();
/// for piece in file.chunks(7) {
///     reader.feed(piece, &mut rows);
/// }
/// assert_eq!(reader.finish(&mut rows), PiecesRead::Read);
/// assert_eq!(rows, neo_usage::decode::decode_rows(file).unwrap());
/// ```
#[derive(Debug)]
pub struct FileInPieces {
    /// Bytes not read yet.
    held: Vec<u8>,
    /// Bytes of the file before `held`.
    consumed: usize,
    part: Part,
    is_page: bool,
    /// A page's bytes outside its rows: up to their `[`, then after their `]`.
    envelope: Vec<u8>,
    /// The rows read, checked for their amounts (made once the file's
    /// first byte says page or array).
    checked: CheckedRows,
    /// [`MAX_HELD`], or less in tests.
    max_held: usize,
}

impl Default for FileInPieces {
    fn default() -> Self {
        FileInPieces::new()
    }
}

impl FileInPieces {
    /// A reader at the start of a file.
    pub fn new() -> Self {
        FileInPieces {
            held: Vec::new(),
            consumed: 0,
            part: Part::Start,
            is_page: false,
            envelope: Vec::new(),
            checked: CheckedRows::new(false),
            max_held: MAX_HELD,
        }
    }

    /// Reads the file's next piece, handing each row it completes to
    /// `sink`. `false` once the reader has given up: the rest of the file
    /// need not be read in pieces ([`FileInPieces::finish`] says
    /// [`PiecesRead::NeedsWholeFile`]).
    pub fn feed(&mut self, piece: &[u8], sink: &mut impl RowSink) -> bool {
        if self.part != Part::GaveUp {
            self.held.extend_from_slice(piece);
            self.read_held(false, sink);
            if self.held.len() > self.max_held || self.envelope.len() > self.max_held {
                self.part = Part::GaveUp;
            }
        }
        self.part != Part::GaveUp
    }

    /// Reads what is left once the file has ended, and says what the
    /// file came to.
    pub fn finish(mut self, sink: &mut impl RowSink) -> PiecesRead {
        if self.part != Part::GaveUp {
            self.read_held(true, sink);
        }
        let whole = self.part == Part::AfterRows && self.held.is_empty();
        if !whole || (self.is_page && !envelope_reads(&self.envelope)) {
            return PiecesRead::NeedsWholeFile;
        }
        match self.checked.outcome() {
            Ok(()) => PiecesRead::Read,
            Err(error) => PiecesRead::Refused(error),
        }
    }

    /// Reads the held bytes unit by unit; keeps what does not read whole
    /// (unless the file has ended: then the reader gives up).
    fn read_held(&mut self, last: bool, sink: &mut impl RowSink) {
        let held = std::mem::take(&mut self.held);
        let done = match whole_characters(&held, last) {
            Some(text) => self.read_units(text, sink),
            None => {
                self.part = Part::GaveUp;
                0
            }
        };
        self.held = held;
        self.held.drain(..done);
        self.consumed += done;
        if last && !self.held.is_empty() {
            self.part = Part::GaveUp;
        }
    }

    /// Reads whole units from the start of `text`; the bytes they took.
    fn read_units(&mut self, text: &str, sink: &mut impl RowSink) -> usize {
        let mut c = Cursor::new(text);
        let mut done = 0;
        while self.read_unit(&mut c, text, done, sink).is_some() {
            done = c.at();
        }
        done
    }

    /// Reads one unit at the cursor: `None` when none reads whole.
    fn read_unit(
        &mut self,
        c: &mut Cursor<'_>,
        text: &str,
        from: usize,
        sink: &mut impl RowSink,
    ) -> Option<()> {
        match self.part {
            Part::Start => self.start(c),
            Part::Envelope => {
                envelope_to_rows(c)?;
                self.envelope
                    .extend_from_slice(&text.as_bytes()[from..c.at()]);
                self.part = Part::FirstRow;
                Some(())
            }
            Part::FirstRow if c.peek()? == b']' => self.rows_end(c),
            Part::FirstRow | Part::Row => self.row(c, sink),
            Part::Separator => match c.peek()? {
                b',' => {
                    c.eat(b',')?;
                    self.part = Part::Row;
                    Some(())
                }
                b']' => self.rows_end(c),
                _ => self.give_up(),
            },
            Part::AfterRows => self.after_rows(c, text),
            Part::GaveUp => None,
        }
    }

    /// The file's first byte: a page (its envelope is read from its `{`)
    /// or an array of rows.
    fn start(&mut self, c: &mut Cursor<'_>) -> Option<()> {
        match c.peek()? {
            b'{' => {
                self.is_page = true;
                self.checked = CheckedRows::new(true);
                self.part = Part::Envelope;
                Some(())
            }
            b'[' => {
                c.eat(b'[')?;
                self.part = Part::FirstRow;
                Some(())
            }
            _ => self.give_up(),
        }
    }

    /// A row, handed to `sink` unless an amount was refused.
    fn row(&mut self, c: &mut Cursor<'_>, sink: &mut impl RowSink) -> Option<()> {
        let row = c.row()?;
        self.checked.take(&row, self.consumed + c.at(), sink);
        self.part = Part::Separator;
        Some(())
    }

    /// The rows' closing `]`.
    fn rows_end(&mut self, c: &mut Cursor<'_>) -> Option<()> {
        c.eat(b']')?;
        if self.is_page {
            self.envelope.push(b']');
        }
        self.part = Part::AfterRows;
        Some(())
    }

    /// After the rows: a page's envelope goes on to its end; an array is
    /// followed by whitespace alone.
    fn after_rows(&mut self, c: &mut Cursor<'_>, text: &str) -> Option<()> {
        let rest = &text.as_bytes()[c.at()..];
        if rest.is_empty() {
            return None;
        }
        if self.is_page {
            self.envelope.extend_from_slice(rest);
        } else if rest
            .iter()
            .any(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        {
            return self.give_up();
        }
        c.skip_to_end();
        Some(())
    }

    fn give_up(&mut self) -> Option<()> {
        self.part = Part::GaveUp;
        None
    }
}

/// The held bytes as text, up to a character the piece's end cut in two
/// (`None` when they are not UTF-8, or end in a cut character once the
/// file has ended).
fn whole_characters(held: &[u8], last: bool) -> Option<&str> {
    match std::str::from_utf8(held) {
        Ok(text) => Some(text),
        Err(e) if e.error_len().is_none() && !last => {
            std::str::from_utf8(&held[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

/// Reads a page's keys and values up to its rows' `[` (any value but the
/// rows is skipped here and checked at the end, by [`envelope_reads`]).
fn envelope_to_rows(c: &mut Cursor<'_>) -> Option<()> {
    c.eat(b'{')?;
    loop {
        let key = c.string()?;
        c.eat(b':')?;
        if key == "data" {
            return c.eat(b'[');
        }
        c.skip_value(0)?;
        c.eat(b',')?;
    }
}

/// Whether a page's envelope (its bytes with the rows taken out) reads as
/// a page with no rows.
fn envelope_reads(envelope: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(envelope) else {
        return false;
    };
    let mut rows = 0;
    read_page_each(text, |_, _| rows += 1).is_some() && rows == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::borrowed::TaskUsageRef;
    use crate::import::decode_rows_into;
    use crate::model::TaskUsage;
    use crate::test_bodies::{mutated_pages, page, rows_of, Draw};

    /// `body` read in pieces of sizes drawn from `sizes`, then, where the
    /// reader says so, whole: what an importer ends up with.
    fn read_in_pieces(
        body: &[u8],
        d: &mut Draw,
        sizes: &[usize],
    ) -> (Result<Vec<TaskUsage>, NeoUsageError>, bool) {
        let mut reader = FileInPieces::new();
        let mut rows = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let size = sizes[d.below(sizes.len() as u64) as usize].min(rest.len());
            let (piece, after) = rest.split_at(size);
            if !reader.feed(piece, &mut rows) {
                break;
            }
            rest = after;
        }
        match reader.finish(&mut rows) {
            PiecesRead::Read => (Ok(rows), true),
            PiecesRead::Refused(e) => (Err(e), true),
            PiecesRead::NeedsWholeFile => {
                let mut whole = Vec::new();
                (decode_rows_into(body, &mut whole).map(|()| whole), false)
            }
        }
    }

    /// The whole file read at once.
    fn read_whole(body: &[u8]) -> Result<Vec<TaskUsage>, NeoUsageError> {
        let mut rows = Vec::new();
        decode_rows_into(body, &mut rows).map(|()| rows)
    }

    #[test]
    fn a_file_in_pieces_imports_as_the_whole_file_does() {
        let mut d = Draw(0x1234_5678_9abc_def1);
        let (mut in_pieces, mut refused_in_pieces, mut whole) = (0, 0, 0);
        for mutated in mutated_pages(0x9e37_79b9_7f4a_7c15, 20_000) {
            let text = match d.below(8) {
                0 => mutated.replacen("\"neo_cost\":", "\"neo_cost\":-1e13,\"x\":", 1),
                _ => mutated,
            };
            for body in [text.as_str(), rows_of(&text)] {
                let (ours, read_in_pieces) =
                    read_in_pieces(body.as_bytes(), &mut d, &[1, 2, 3, 7, 64, 4096]);
                assert_eq!(ours, read_whole(body.as_bytes()), "{body}");
                match (read_in_pieces, &ours) {
                    (true, Ok(_)) => in_pieces += 1,
                    (true, Err(_)) => refused_in_pieces += 1,
                    (false, _) => whole += 1,
                }
            }
        }
        assert!(
            in_pieces > 5_000 && refused_in_pieces > 500 && whole > 5_000,
            "in pieces {in_pieces}, refused in pieces {refused_in_pieces}, whole {whole}"
        );
    }

    #[test]
    fn files_in_the_api_form_are_read_in_pieces_of_any_size() {
        let mut d = Draw(0x0dd_ba11);
        for k in 0..300 {
            let rows = 1 + d.below(12);
            let text = format!("  {}\n", page(&mut d, rows));
            for body in [text.as_str(), rows_of(&text)] {
                let sizes: &[usize] = if k % 2 == 0 { &[1] } else { &[5, 50, 500] };
                let (ours, read_in_pieces) = read_in_pieces(body.as_bytes(), &mut d, sizes);
                assert!(read_in_pieces, "gave up on {body}");
                assert_eq!(ours, read_whole(body.as_bytes()), "{body}");
            }
        }
    }

    #[test]
    fn characters_cut_by_a_piece_and_rows_read_so_far_are_right() {
        let row = |id: &str| {
            format!(
                r#"{{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3","status":"completed","step_count":1,"task_id":"{id}","tool_calls":0,"task_title":"é ✓ 😀"}}"#
            )
        };
        let body = format!("[{},{}]", row("a"), row("b"));
        #[derive(Default)]
        struct ReadTo(Vec<usize>, Vec<String>);
        impl RowSink for ReadTo {
            fn row(&mut self, row: &TaskUsageRef<'_>, read_to: usize) {
                self.0.push(read_to);
                self.1
                    .push(row.task_title.as_deref().unwrap_or_default().to_owned());
            }
            fn restart(&mut self) {}
        }
        let mut sink = ReadTo::default();
        let mut reader = FileInPieces::new();
        for piece in body.as_bytes().chunks(1) {
            assert!(reader.feed(piece, &mut sink));
        }
        assert_eq!(reader.finish(&mut sink), PiecesRead::Read);
        assert_eq!(sink.0, [1 + row("a").len(), body.len() - 1]);
        assert_eq!(sink.1, ["é ✓ 😀", "é ✓ 😀"]);
    }

    #[test]
    fn a_unit_past_the_limit_or_a_file_cut_short_needs_the_whole_file() {
        let mut d = Draw(3);
        let text = page(&mut d, 3);
        let mut rows: Vec<TaskUsage> = Vec::new();
        let mut reader = FileInPieces::new();
        reader.max_held = 40;
        let mut fed = true;
        for piece in text.as_bytes().chunks(10) {
            fed = reader.feed(piece, &mut rows);
            if !fed {
                break;
            }
        }
        assert!(!fed, "a row of over 40 bytes held");
        assert_eq!(reader.finish(&mut rows), PiecesRead::NeedsWholeFile);
        let mut reader = FileInPieces::new();
        reader.feed(&text.as_bytes()[..text.len() - 1], &mut rows);
        assert_eq!(reader.finish(&mut rows), PiecesRead::NeedsWholeFile);
    }
}
