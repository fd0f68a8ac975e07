//! Tool usage over selections that hold whole blocks of rows, which are
//! added by their stored sums, beside blocks that must be counted call by
//! call: the figures equal those counted from the rows themselves.

mod common;

use std::collections::BTreeMap;

use common::{dataset, store_of, tool_sums};
use neo_usage::{SortedMap, TaskUsage, ToolCall, ToolStat};
use neo_usage_analytics::tools::tool_usage;
use neo_usage_analytics::Selection;

/// 2,000 generated rows (seven blocks of 256 and a partial one), with a
/// breakdown of its own in block 1, a call kept whole in block 3 and an
/// empty history in block 5.
fn rows() -> Vec<TaskUsage> {
    let mut rows = dataset(77, 2_000);
    rows[300].tool_breakdown = SortedMap::from([(
        "own".to_owned(),
        ToolStat {
            calls: Some(5),
            duration_ms: Some(1 << 40),
        },
    )]);
    rows[800].tool_call_history.push(ToolCall {
        duration_ms: 1 << 40,
        index: 99,
        timestamp: 0,
        tool_name: "wide".into(),
    });
    rows[1300].tool_call_history.clear();
    rows
}

#[test]
fn tool_usage_equals_the_rows_for_selections_across_blocks() {
    let rows = rows();
    let store = store_of(&rows);
    let mut selections: Vec<Vec<u32>> = [
        0..2_000,
        0..256,
        1..256,
        256..512,
        255..1_025,
        300..1_900,
        1_792..2_000,
        512..513,
        0..0,
    ]
    .into_iter()
    .map(|r| r.collect())
    .collect();
    // Every row but one in the middle of each block: no run holds a
    // whole block.
    selections.push((0..2_000).filter(|i| i % 256 != 128).collect());
    // Whole blocks apart from each other.
    selections.push((0..256).chain(512..768).chain(1_024..1_536).collect());
    for indices in selections {
        let got: BTreeMap<String, (u64, u64)> =
            tool_usage(&store, &Selection::from_indices(indices.clone()))
                .into_iter()
                .map(|t| (t.name, (t.calls, t.duration_ms)))
                .collect();
        let first = indices.first().copied();
        assert_eq!(
            got,
            tool_sums(indices.iter().map(|&i| &rows[i as usize])),
            "{} rows from {first:?}",
            indices.len()
        );
    }
}

#[test]
fn a_store_appended_row_by_row_counts_as_one_filled_by_pages() {
    let rows = rows();
    let by_pages = store_of(&rows);
    let mut by_rows = neo_usage_analytics::UsageStore::new();
    for row in &rows {
        by_rows.push(row);
    }
    let all = Selection::all(&by_pages);
    assert_eq!(tool_usage(&by_rows, &all), tool_usage(&by_pages, &all));
}

#[test]
fn a_tool_whose_time_passes_u64_saturates_whatever_the_order_of_its_calls() {
    let mut rows = dataset(9, 40);
    let tool = rows[0].tool_call_history[0].tool_name.clone();
    // Row 3 names the tool in a breakdown of its own with the longest time;
    // the rows around it call the same tool in their histories.
    rows[3].tool_breakdown = SortedMap::from([(
        tool.clone(),
        ToolStat {
            calls: Some(1),
            duration_ms: Some(u64::MAX),
        },
    )]);
    rows[7].tool_call_history.push(ToolCall {
        duration_ms: u64::MAX - 1,
        index: 1_000,
        timestamp: 0,
        tool_name: tool.clone(),
    });
    let store = store_of(&rows);
    for indices in [
        (0..40).collect::<Vec<u32>>(),
        (3..40).collect(),
        (0..40).rev().collect(),
    ] {
        let usage = tool_usage(&store, &Selection::from_indices(indices));
        let found = usage.iter().find(|t| t.name == tool).expect("the tool");
        assert_eq!(found.duration_ms, u64::MAX);
    }
}
