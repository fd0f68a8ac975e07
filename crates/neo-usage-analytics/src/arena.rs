//! String arenas: many strings in one `String` with end offsets, so a row's
//! text costs its bytes plus four, with no heap pointer per row.

/// Marks an absent entry in [`OptStrArena`]'s end offsets.
const ABSENT: u32 = 1 << 31;

/// Strings appended one after another; string `i` is
/// `text[ends[i - 1]..ends[i]]`.
///
/// ```
/// use neo_usage_analytics::arena::StrArena;
/// let mut ids = StrArena::default();
/// ids.push("t-1");
/// ids.push("");
/// ids.push("t-3");
/// assert_eq!((ids.get(0), ids.get(1), ids.get(2), ids.len()), ("t-1", "", "t-3", 3));
/// ```
#[derive(Debug, Clone, Default)]
pub struct StrArena {
    text: String,
    ends: Vec<u32>,
}

impl StrArena {
    /// Appends a string (panics past 4 GiB of text in total).
    pub fn push(&mut self, value: &str) {
        self.text.push_str(value);
        self.ends
            .push(u32::try_from(self.text.len()).expect("string arena under 4 GiB"));
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no string was pushed.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held on the heap, with capacity.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }

    /// Reserves room for `more` strings of `bytes` bytes in all.
    pub fn reserve(&mut self, more: usize, bytes: usize) {
        self.ends.reserve_exact(more);
        self.text.reserve_exact(bytes);
    }

    /// Bytes of text held (without spare capacity).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Frees spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// Optional strings: like [`StrArena`], with absence marked per entry.
///
/// ```
/// use neo_usage_analytics::arena::OptStrArena;
/// let mut titles = OptStrArena::default();
/// titles.push(Some("Scan"));
/// titles.push(None);
/// titles.push(Some(""));
/// assert_eq!((titles.get(0), titles.get(1), titles.get(2)), (Some("Scan"), None, Some("")));
/// ```
#[derive(Debug, Clone, Default)]
pub struct OptStrArena {
    text: String,
    /// End of each entry's text, with [`ABSENT`] set when the entry is
    /// `None` (an absent entry adds no text, so its end is the previous one).
    ends: Vec<u32>,
}

impl OptStrArena {
    /// Appends an optional string (panics past 2 GiB of text in total).
    pub fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.text.push_str(v);
        }
        let end = u32::try_from(self.text.len())
            .ok()
            .filter(|e| e & ABSENT == 0)
            .expect("optional string arena under 2 GiB");
        self.ends
            .push(if value.is_some() { end } else { end | ABSENT });
    }

    /// String `i`, if present.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = self.ends[i];
        if end & ABSENT != 0 {
            return None;
        }
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] & !ABSENT
        };
        Some(&self.text[start as usize..end as usize])
    }

    /// Number of entries (present or not).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no entry was pushed.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held on the heap, with capacity.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }

    /// Reserves room for `more` strings of `bytes` bytes in all.
    pub fn reserve(&mut self, more: usize, bytes: usize) {
        self.ends.reserve_exact(more);
        self.text.reserve_exact(bytes);
    }

    /// Bytes of text held (without spare capacity).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Frees spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}
