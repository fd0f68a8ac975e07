//! Compact integer columns: values that fit in 32 bits (nearly all) take
//! four bytes; the rare wider value is kept exactly in a side list.

use std::ops::Range;

/// Rare values kept beside a compact column, keyed by row, in push order.
#[derive(Debug, Clone)]
pub struct Escapes<T> {
    entries: Vec<(u32, T)>,
}

impl<T> Default for Escapes<T> {
    fn default() -> Self {
        Escapes {
            entries: Vec::new(),
        }
    }
}

impl<T> Escapes<T> {
    /// Records `value` for position `at` (positions must increase).
    pub fn push(&mut self, at: usize, value: T) {
        let at = u32::try_from(at).expect("fewer than 2^32 positions");
        debug_assert!(self.entries.last().is_none_or(|(last, _)| *last < at));
        self.entries.push((at, value));
    }

    /// The value recorded for position `at`.
    pub fn get(&self, at: usize) -> Option<&T> {
        let at = u32::try_from(at).ok()?;
        self.entries
            .binary_search_by_key(&at, |(pos, _)| *pos)
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Number of escaped values.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The position of the last value held, if any.
    ///
    /// ```
    /// use neo_usage_analytics::packed::Escapes;
    /// let mut e = Escapes::default();
    /// assert_eq!(e.last_position(), None);
    /// e.push(7, 'x');
    /// assert_eq!(e.last_position(), Some(7));
    /// ```
    pub fn last_position(&self) -> Option<usize> {
        self.entries.last().map(|(at, _)| *at as usize)
    }

    /// Whether nothing was escaped.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes held on the heap, with capacity.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<(u32, T)>()
    }

    /// Frees spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }
}

/// Marks a value kept in the escapes.
const WIDE: u32 = u32::MAX;
/// Marks an absent value of [`PackedOptU64`].
const NONE: u32 = u32::MAX - 1;

/// A column of `u64` held in `u32` slots.
///
/// ```
/// use neo_usage_analytics::packed::PackedU64;
/// let mut steps = PackedU64::default();
/// steps.push(3);
/// steps.push(u64::MAX);
/// assert_eq!((steps.get(0), steps.get(1)), (3, u64::MAX));
/// ```
#[derive(Debug, Clone, Default)]
pub struct PackedU64 {
    small: Vec<u32>,
    wide: Escapes<u64>,
}

impl PackedU64 {
    /// Whether every value is held in its `u32` slot (under 2^32), none
    /// escaped as wide.
    pub fn is_compact(&self) -> bool {
        self.wide.is_empty()
    }

    /// Appends a value.
    pub fn push(&mut self, value: u64) {
        match u32::try_from(value) {
            Ok(v) if v < WIDE => self.small.push(v),
            _ => {
                self.wide.push(self.small.len(), value);
                self.small.push(WIDE);
            }
        }
    }

    /// The column's slots, when no value is escaped as wide.
    pub(crate) fn compact(&self) -> Option<CompactSlots<'_>> {
        self.is_compact().then_some(CompactSlots(&self.small))
    }

    /// Value `i`.
    #[inline(always)]
    pub fn get(&self, i: usize) -> u64 {
        let v = self.small[i];
        if v == WIDE {
            return self.wide_value(i);
        }
        u64::from(v)
    }

    #[cold]
    #[inline(never)]
    fn wide_value(&self, i: usize) -> u64 {
        self.wide.get(i).copied().unwrap_or(0)
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.small.len()
    }

    /// Whether the column is empty.
    pub fn is_empty(&self) -> bool {
        self.small.is_empty()
    }

    /// Bytes held on the heap, with capacity.
    pub fn heap_bytes(&self) -> usize {
        self.small.capacity() * 4 + self.wide.heap_bytes()
    }

    /// Reserves room for `more` values.
    pub fn reserve(&mut self, more: usize) {
        self.small.reserve_exact(more);
    }

    /// Frees spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.small.shrink_to_fit();
        self.wide.shrink_to_fit();
    }
}

/// A column of `Option<u64>` held in `u32` slots.
///
/// ```
/// use neo_usage_analytics::packed::PackedOptU64;
/// let mut ms = PackedOptU64::default();
/// ms.push(Some(12));
/// ms.push(None);
/// ms.push(Some(u64::from(u32::MAX)));
/// assert_eq!((ms.get(0), ms.get(1), ms.get(2)), (Some(12), None, Some(4_294_967_295)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct PackedOptU64 {
    small: Vec<u32>,
    wide: Escapes<u64>,
}

impl PackedOptU64 {
    /// Whether every value is held in its `u32` slot (under 2^32), none
    /// escaped as wide.
    pub fn is_compact(&self) -> bool {
        self.wide.is_empty()
    }

    /// Appends a value.
    pub fn push(&mut self, value: Option<u64>) {
        match value.map(u32::try_from) {
            None => self.small.push(NONE),
            Some(Ok(v)) if v < NONE => self.small.push(v),
            Some(_) => {
                self.wide.push(self.small.len(), value.unwrap_or(0));
                self.small.push(WIDE);
            }
        }
    }

    /// The column's slots, when no value is escaped as wide (absent values
    /// read through [`CompactSlots::get_opt`]).
    pub(crate) fn compact(&self) -> Option<CompactSlots<'_>> {
        self.is_compact().then_some(CompactSlots(&self.small))
    }

    /// Value `i`.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<u64> {
        match self.small[i] {
            NONE => None,
            WIDE => self.wide.get(i).copied(),
            v => Some(u64::from(v)),
        }
    }

    /// Value `i`, 0 when absent; branch-free but for the rare wide value.
    #[inline(always)]
    pub fn get_or_zero(&self, i: usize) -> u64 {
        let v = self.small[i];
        if v == WIDE {
            return self.wide_value(i);
        }
        value_of_slot(v)
    }

    #[cold]
    #[inline(never)]
    fn wide_value(&self, i: usize) -> u64 {
        self.wide.get(i).copied().unwrap_or(0)
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.small.len()
    }

    /// Whether the column is empty.
    pub fn is_empty(&self) -> bool {
        self.small.is_empty()
    }

    /// Bytes held on the heap, with capacity.
    pub fn heap_bytes(&self) -> usize {
        self.small.capacity() * 4 + self.wide.heap_bytes()
    }

    /// Reserves room for `more` values.
    pub fn reserve(&mut self, more: usize) {
        self.small.reserve_exact(more);
    }

    /// Frees spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.small.shrink_to_fit();
        self.wide.shrink_to_fit();
    }
}

/// The value an optional slot that is not [`WIDE`] holds, 0 for
/// [`NONE`], branch free.
#[inline(always)]
fn value_of_slot(v: u32) -> u64 {
    u64::from(v) & u64::from(v != NONE).wrapping_neg()
}

/// The `u32` slots of a [`PackedU64`] or [`PackedOptU64`] with no wide
/// value: each value is its slot, so reading one is a load (and, for an
/// optional value, a compare).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompactSlots<'a>(&'a [u32]);

impl CompactSlots<'_> {
    /// Value `i` of a [`PackedU64`].
    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> u64 {
        u64::from(self.0[i])
    }

    /// Value `i` of a [`PackedOptU64`].
    #[inline(always)]
    pub(crate) fn get_opt(&self, i: usize) -> Option<u64> {
        let v = self.0[i];
        (v != NONE).then_some(u64::from(v))
    }

    /// Value `i` of a [`PackedOptU64`], 0 when absent.
    #[inline(always)]
    pub(crate) fn get_opt_or_zero(&self, i: usize) -> u64 {
        value_of_slot(self.0[i])
    }

    /// Rows `start..start + len`, counted from 0.
    #[inline(always)]
    pub(crate) fn narrowed(&self, start: usize, len: usize) -> Self {
        CompactSlots(&self.0[start..][..len])
    }

    /// The values present in rows `rows` of a [`PackedOptU64`], in order.
    #[inline(always)]
    pub(crate) fn present_in(&self, rows: Range<usize>) -> impl Iterator<Item = u64> + '_ {
        self.0[rows]
            .iter()
            .filter(|&&v| v != NONE)
            .map(|&v| u64::from(v))
    }
}
