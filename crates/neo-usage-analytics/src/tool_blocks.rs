//! Tool sums per block of rows, kept as the store grows: the calls and time
//! per tool of each complete block of [`BLOCK_ROWS`] consecutive rows whose
//! tools all come from their histories, every call compact.
//!
//! Tool usage over a selection that holds a whole block (every row of an
//! unfiltered or date-ranged view, in the API's order) adds the block's few
//! sums instead of its thousands of calls. The history loop was a fifth of
//! the dashboard's time in WebAssembly; the blocks of 100k demo rows hold
//! some 400 × 20 sums (about 100 kB).

/// Rows per block.
pub(crate) const BLOCK_ROWS: usize = 256;

/// The per-block sums of a store's tool calls.
#[derive(Debug, Clone, Default)]
pub(crate) struct ToolBlocks {
    /// Per complete block: the end of its entries in `tool` and `sums`.
    ends: Vec<u32>,
    /// Per complete block: whether it is summed (no row of it has a
    /// breakdown of its own or a call kept whole; a block that is not has
    /// no entries).
    summed: Vec<bool>,
    /// Tool ids of the entries, ascending within a block.
    tool: Vec<u16>,
    /// `[calls, time_ms]` of the entries.
    sums: Vec<[u64; 2]>,
}

impl ToolBlocks {
    /// Records the next block: `per_tool` holds `[calls, time_ms]` by tool
    /// id (zero for a tool it does not use), or is `None` when the block
    /// cannot be summed.
    pub(crate) fn push(&mut self, per_tool: Option<&[[u64; 2]]>) {
        self.summed.push(per_tool.is_some());
        for (tool, sums) in per_tool.unwrap_or_default().iter().enumerate() {
            if sums[0] > 0 {
                // Compact calls have tool ids below u16::MAX.
                self.tool.push(tool as u16);
                self.sums.push(*sums);
            }
        }
        // Each entry has calls of its own: fewer entries than calls, which
        // the store keeps under 2^32.
        self.ends.push(self.tool.len() as u32);
    }

    /// The tool ids and `[calls, time_ms]` of block `b`, when it is summed.
    pub(crate) fn block(&self, b: usize) -> Option<(&[u16], &[[u64; 2]])> {
        if !*self.summed.get(b)? {
            return None;
        }
        let start = if b == 0 { 0 } else { self.ends[b - 1] as usize };
        let end = self.ends[b] as usize;
        Some((&self.tool[start..end], &self.sums[start..end]))
    }

    /// Bytes held on the heap, with capacity.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.ends.capacity() * 4
            + self.summed.capacity()
            + self.tool.capacity() * 2
            + self.sums.capacity() * 16
    }

    /// Frees spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.ends.shrink_to_fit();
        self.summed.shrink_to_fit();
        self.tool.shrink_to_fit();
        self.sums.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use neo_usage::{SortedMap, ToolStat};
    use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};

    use super::BLOCK_ROWS;
    use crate::store::UsageStore;

    #[test]
    fn complete_blocks_of_histories_are_summed_and_others_not() {
        let mut rows = generate(DatasetSpec::new(5, 3 * BLOCK_ROWS + 10, reference_now()));
        rows[BLOCK_ROWS + 3].tool_breakdown = SortedMap::from([(
            "own".to_owned(),
            ToolStat {
                calls: Some(1),
                duration_ms: Some(2),
            },
        )]);
        let store = UsageStore::from_rows(rows.clone());
        let calls_of = |block: usize| {
            rows[block * BLOCK_ROWS..(block + 1) * BLOCK_ROWS]
                .iter()
                .map(|r| r.tool_call_history.len() as u64)
                .sum::<u64>()
        };
        for block in [0, 2] {
            let (tools, sums) = store.tool_block(block).expect("a block of histories");
            assert!(tools.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(sums.iter().map(|s| s[0]).sum::<u64>(), calls_of(block));
        }
        assert_eq!(
            store.tool_block(1),
            None,
            "a row has a breakdown of its own"
        );
        assert_eq!(store.tool_block(3), None, "the last block is not complete");
    }
}
