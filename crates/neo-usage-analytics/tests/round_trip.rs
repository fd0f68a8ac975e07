//! Every row comes back exactly as appended, the store stays small, and
//! rows out of the API's order are still listed in it.

mod common;

use chrono::{DateTime, Utc};
use common::{dataset, store_of};
use neo_usage::borrowed::TaskUsageRef;
use neo_usage::model_writer::ApiJson;
use neo_usage::money::MAX_EXACT_AMOUNT;
use neo_usage::{SortedMap, TaskStatus, TaskUsage, ToolCall, ToolStat};
use neo_usage_analytics::store::RESERVE_AFTER_ROWS;
use neo_usage_analytics::{Selection, UsageStore};
use neo_usage_mock::dataset::{
    generate, generate_row_ref_in, newest_first_indices, reference_now, DatasetSpec,
};

#[test]
fn generated_rows_round_trip_exactly() {
    let rows = dataset(42, 20_000);
    let store = store_of(&rows);
    assert_eq!(store.len(), rows.len());
    assert!(store.is_in_api_order());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&store.row(i), row, "row {i}");
    }
    assert!(store.contains_task(&rows[777].task_id));
    assert!(!store.contains_task("not-a-task"));
    assert_eq!(store.task_index(&rows[777].task_id), Some(777));
    assert_eq!(store.task_index("not-a-task"), None);
}

#[test]
fn the_demo_generated_straight_into_columns_holds_the_generated_rows() {
    // The viewer's demo path: rows drawn in the API's order into one reused
    // borrowed row, each copied into the columns.
    let spec = DatasetSpec::new(42, 5_000, reference_now()).window_days(90);
    let mut store = UsageStore::default();
    let mut row = TaskUsageRef::default();
    for index in newest_first_indices(spec) {
        generate_row_ref_in(spec, index, &mut row);
        store.push_ref(&row);
    }
    let rows = generate(spec);
    assert_eq!(store.len(), rows.len());
    assert!(store.is_in_api_order());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&store.row(i), row, "row {i}");
    }
}

/// Rows that exercise every escape of the compact columns.
fn odd_rows() -> Vec<TaskUsage> {
    let at = |t: &str| t.parse::<DateTime<Utc>>().unwrap();
    let mut a = TaskUsage::new(
        "é-ünïcode ✓",
        at("2026-11-01T10:00:00.123456789+05:30"),
        "",
        TaskStatus::Unknown("paused".into()),
    );
    a.agent_triggers = u64::MAX;
    a.step_count = u64::from(u32::MAX);
    a.tool_calls = u64::from(u32::MAX) - 1;
    a.avg_step_latency_ms = Some(u64::MAX);
    a.llm_time_ms = Some(u64::from(u32::MAX) - 1);
    a.tool_time_ms = Some(u64::from(u32::MAX) - 2);
    a.total_execution_ms = Some(0);
    a.stream_count = Some(u64::from(u32::MAX));
    a.email = Some(String::new());
    a.error_message = Some("boom \u{0} \"quoted\"".into());
    a.is_byok = Some(false);
    a.llm_cost = Some(1e-9);
    a.neo_cost = Some(-0.0);
    a.neo_credits = Some(0.1 + 0.2);
    a.stream_id = Some("3c90c3cc-0d44-4b50-8888-8dd25736052a".into());
    a.task_title = Some(String::new());
    a.agent_breakdown = SortedMap::from([("x".into(), u64::MAX), ("".into(), 0)]);
    a.tool_breakdown = SortedMap::from([
        (
            "nuclei".into(),
            ToolStat {
                calls: None,
                duration_ms: Some(u64::MAX),
            },
        ),
        ("httpx".into(), ToolStat::default()),
    ]);
    a.tool_call_history = vec![
        ToolCall {
            duration_ms: 5,
            index: 7,
            timestamp: 0,
            tool_name: "nuclei".into(),
        },
        ToolCall {
            duration_ms: u64::from(u32::MAX),
            index: 1,
            timestamp: i64::MAX,
            tool_name: "new tool".into(),
        },
        ToolCall {
            duration_ms: 3,
            index: 2,
            timestamp: at("2026-11-01T04:30:01Z").timestamp_millis(),
            tool_name: "httpx".into(),
        },
    ];
    let mut b = TaskUsage::new(
        "b",
        at("1960-02-29T23:59:59.999Z"),
        "o3",
        TaskStatus::Blocked,
    );
    b.neo_credits = Some(f64::MAX);
    b.llm_cost = Some(f64::NEG_INFINITY);
    b.neo_cost = Some(123_456_789.123_456_78);
    b.is_byok = Some(true);
    let c = TaskUsage::new("c", at("2026-11-01T10:00:00Z"), "o3", TaskStatus::Completed);
    vec![a, b, c]
}

#[test]
fn odd_rows_round_trip_exactly() {
    let rows = odd_rows();
    let mut store = UsageStore::new();
    for row in &rows {
        store.push(row);
    }
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&store.row(i), row, "row {i}");
    }
    // The serialized form is the same too (what the JSON export writes).
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            serde_json::to_string(&store.row(i)).unwrap(),
            serde_json::to_string(row).unwrap()
        );
    }
}

#[test]
fn rows_pushed_through_one_reused_borrowed_row_round_trip_exactly() {
    // Odd rows between generated ones: the reused lists go from long
    // histories and maps to empty ones and back. Spread over more than
    // RESERVE_AFTER_ROWS rows, so some come after the store reserves.
    let odd = odd_rows();
    let stride = 2 * RESERVE_AFTER_ROWS / odd.len() + 1;
    let generated = dataset(7, stride * odd.len());
    let mut rows = Vec::new();
    for (k, odd) in odd.into_iter().enumerate() {
        rows.extend_from_slice(&generated[k * stride..(k + 1) * stride]);
        rows.push(odd);
    }
    assert!(rows.len() > 2 * RESERVE_AFTER_ROWS);
    let mut store = UsageStore::new();
    store.push_rows(&rows);
    assert_eq!(store.len(), rows.len());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&store.row(i), row, "row {i}");
    }
}

#[test]
fn a_file_read_straight_into_columns_holds_its_rows_in_file_order() {
    // The viewer's import: generated rows with odd ones between them,
    // reversed (out of the API's order), as a JSON array and as a page.
    // Amounts an import refuses are left out.
    let exact = |row: &TaskUsage| {
        let amounts = [row.neo_credits, row.llm_cost, row.neo_cost];
        amounts
            .into_iter()
            .flatten()
            .all(|v| v.abs() <= MAX_EXACT_AMOUNT)
    };
    let odd: Vec<TaskUsage> = odd_rows().into_iter().filter(exact).collect();
    assert!(!odd.is_empty());
    let stride = 2 * RESERVE_AFTER_ROWS / odd.len() + 1;
    let mut rows = dataset(9, stride * odd.len());
    for (k, odd) in odd.into_iter().enumerate() {
        rows.insert(k * (stride + 1), odd);
    }
    rows.reverse();
    let array = rows.to_json();
    let page = format!(
        r#"{{"has_more":false,"data":{array},"total":{}}}"#,
        rows.len()
    );
    for file in [array, page] {
        let store = UsageStore::from_rows_json(file.as_bytes()).unwrap();
        assert_eq!(store.len(), rows.len());
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(&store.row(i), row, "row {i}");
        }
        assert!(!store.is_in_api_order());
    }
}

#[test]
fn many_rows_pushed_at_once_or_read_from_a_file_take_less_room_than_one_by_one() {
    // Past RESERVE_AFTER_ROWS the columns are reserved for the rest, so
    // they grow once, not by doubling: for rows pushed at once by their
    // count, and for a file read row by row by the bytes the first rows
    // took (as little room as at once, give or take 5 %).
    let rows = dataset(3, 5_000);
    let mut at_once = UsageStore::new();
    at_once.push_rows(&rows);
    let read = UsageStore::from_rows_json(rows.to_json().as_bytes()).unwrap();
    let mut one_by_one = UsageStore::new();
    for row in &rows {
        one_by_one.push_rows(std::slice::from_ref(row));
    }
    assert_eq!((at_once.len(), read.len()), (rows.len(), rows.len()));
    assert!(
        at_once.heap_bytes() * 10 < one_by_one.heap_bytes() * 9
            && read.heap_bytes() * 20 < at_once.heap_bytes() * 21,
        "{} B at once, {} B read, {} B one by one",
        at_once.heap_bytes(),
        read.heap_bytes(),
        one_by_one.heap_bytes()
    );
}

#[test]
fn rows_out_of_order_are_listed_newest_first() {
    let rows = dataset(5, 3_000);
    let mut shuffled = rows.clone();
    shuffled.reverse();
    shuffled.swap(10, 2_000);
    let store = store_of(&shuffled);
    assert!(!store.is_in_api_order());
    let listed: Vec<TaskUsage> = store.rows(Selection::all(&store).indices());
    assert_eq!(listed, rows);
}

#[test]
fn the_api_order_is_judged_within_a_millisecond_and_across_a_leap_second() {
    use chrono::NaiveDate;
    let at = |t: &str| t.parse::<DateTime<Utc>>().unwrap();
    let row = |id: &str, when: DateTime<Utc>| TaskUsage::new(id, when, "o3", TaskStatus::Completed);
    let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
        .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
        .unwrap()
        .and_utc();
    let in_order = |rows: &[TaskUsage]| {
        let mut store = UsageStore::new();
        store.push_rows(rows);
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(&store.row(i), row, "row {i}");
        }
        store.is_in_api_order()
    };
    let later = at("2026-11-01T10:00:00.000900Z");
    let earlier = at("2026-11-01T10:00:00.000100Z");
    // One millisecond: the sub-millisecond digits, then the ids decide.
    assert!(in_order(&[row("a", later), row("b", earlier)]));
    assert!(!in_order(&[row("a", earlier), row("b", later)]));
    assert!(in_order(&[row("b", earlier), row("a", earlier)]));
    assert!(!in_order(&[row("a", earlier), row("b", earlier)]));
    // Half way through a leap second has the Unix milliseconds of half a
    // second after it, and comes first.
    let after = at("2017-01-01T00:00:00.500Z");
    assert_eq!(leap.timestamp_millis(), after.timestamp_millis());
    assert!(in_order(&[row("a", after), row("b", leap)]));
    assert!(!in_order(&[row("b", leap), row("a", after)]));
    // Its milliseconds are also past those of instants after it: the order
    // is the instants', whichever row is appended first.
    let soon = at("2017-01-01T00:00:00.200Z");
    assert!(leap.timestamp_millis() > soon.timestamp_millis());
    assert!(in_order(&[row("a", soon), row("b", leap)]));
    assert!(!in_order(&[row("b", leap), row("a", soon)]));
}

#[test]
fn hundred_thousand_demo_rows_fit_in_32_mb() {
    let rows = dataset(42, 100_000);
    let mut pages = rows.chunks(200);
    // As the viewer loads: the first page, then room for the query's total.
    let mut store = UsageStore::new();
    store.append(pages.next().unwrap().to_vec());
    store.reserve(rows.len() - store.len());
    for page in pages {
        store.append(page.to_vec());
    }
    let loaded = store.heap_bytes();
    // Without the reservation every column doubles as it grows.
    let doubled = store_of(&rows).heap_bytes();
    store.shrink_to_fit();
    let shrunk = store.heap_bytes();
    let mb = |b: usize| b as f64 / (1 << 20) as f64;
    eprintln!(
        "100k rows: {:.1} MiB reserved, {:.1} MiB doubling, {:.1} MiB shrunk; (agents, breakdown entries, calls) = {:?}",
        mb(loaded),
        mb(doubled),
        mb(shrunk),
        store.flattened_lens()
    );
    // The task ids' search masks take 1.5 MiB of these (16 bytes a row).
    assert!(loaded < 30 << 20, "{loaded} bytes loaded with reserve");
    assert!(doubled < 40 << 20, "{doubled} bytes loaded by doubling");
    assert!(shrunk < 26 << 20, "{shrunk} bytes shrunk");
    assert_eq!(store.row(99_999), rows[99_999]);
}

/// The rows as the API sends them: 200-row pages of JSON.
fn pages_json(rows: &[TaskUsage]) -> Vec<Vec<u8>> {
    let total = rows.len() as u64;
    rows.chunks(200)
        .map(|page| {
            let page = neo_usage::TaskUsagePage {
                data: page.to_vec(),
                has_more: true,
                total,
            };
            serde_json::to_vec(&page).unwrap()
        })
        .collect()
}

#[test]
fn pages_decoded_straight_into_the_store_equal_the_typed_rows() {
    let mut rows = dataset(7, 5_000);
    rows.extend(odd_rows());
    let mut store = UsageStore::new();
    let mut typed = Vec::new();
    for (n, body) in pages_json(&rows).iter().enumerate() {
        let borrowed = serde_json::from_slice::<neo_usage::TaskUsagePageRef>(body);
        assert!(borrowed.is_ok(), "page {n} needed the typed decoder");
        let page = store.append_page_json(body, Some(n as u64 * 200)).unwrap();
        assert_eq!(page.total, rows.len() as u64);
        let decoded: neo_usage::TaskUsagePage = serde_json::from_slice(body).unwrap();
        assert_eq!(page.rows, decoded.data.len());
        typed.extend(decoded.data);
    }
    // JSON has no infinity: the odd rows' -inf reads back as absent, by
    // either decoder.
    assert_eq!(typed.len(), rows.len());
    assert_eq!(store.len(), rows.len());
    for (i, row) in typed.iter().enumerate() {
        assert_eq!(&store.row(i), row, "row {i}");
    }
}

#[test]
fn a_page_that_fails_to_decode_appends_nothing_and_names_the_path() {
    let rows = dataset(8, 400);
    let bodies = pages_json(&rows);
    let mut store = UsageStore::new();
    store.append_page_json(&bodies[0], Some(0)).unwrap();
    // The last row of the second page is cut: 199 good rows before it.
    let mut broken = String::from_utf8(bodies[1].clone()).unwrap();
    let cut = broken.rfind("\"created_at\":\"").unwrap() + 14;
    broken.replace_range(cut..cut + 4, "soon");
    let err = store
        .append_page_json(broken.as_bytes(), Some(200))
        .unwrap_err();
    match err {
        neo_usage::NeoUsageError::Decode { path, offset, .. } => {
            assert_eq!(path, "data[199].created_at");
            assert_eq!(offset, Some(200));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.len(), 200);
    assert_eq!(store.row(199), rows[199]);
}

/// `rows` in 200-row pages, each page after the first repeating the
/// previous page's last row, as a row moved by a concurrent insert would.
fn pages_with_repeats(rows: &[TaskUsage]) -> Vec<Vec<TaskUsage>> {
    rows.chunks(200)
        .enumerate()
        .map(|(k, chunk)| {
            let mut page = chunk.to_vec();
            if k > 0 {
                page.insert(0, rows[k * 200 - 1].clone());
            }
            page
        })
        .collect()
}

#[test]
fn store_pages_join_as_fetch_all_joins_typed_rows() {
    use neo_usage::pagination::RowMerger;
    use neo_usage_analytics::StorePage;
    let rows = dataset(9, 1_000);
    let pages = pages_with_repeats(&rows);
    for cap in [None, Some(700)] {
        let mut typed = RowMerger::new();
        let mut store_pages = Vec::new();
        for (k, page) in pages.iter().enumerate() {
            let offset = k as u64 * 200;
            typed.add_page(offset, page.clone());
            let body = serde_json::to_vec(&neo_usage::TaskUsagePage {
                data: page.clone(),
                has_more: true,
                total: 1_000,
            })
            .unwrap();
            store_pages.push(StorePage::decode(body, offset).unwrap());
        }
        let (mut expected, expected_dropped) = typed.finish();
        expected.truncate(cap.map_or(usize::MAX, |c| c as usize));
        let mut store = UsageStore::new();
        let dropped = store.append_pages(store_pages, cap);
        assert_eq!(dropped, expected_dropped);
        assert_eq!(store.len(), expected.len());
        for (i, row) in expected.iter().enumerate() {
            assert_eq!(&store.row(i), row, "row {i} (cap {cap:?})");
        }
    }
}

/// Pages put into an [`OrderedPageJoin`] in any arrival order make the
/// store `append_pages` makes from them in offset order, repeats and cap
/// included; a page is held only while one before it is missing, and
/// past [`WAITING_AS_READ`] waiting pages the later ones wait as columns
/// (the pages in reverse: all but the first wait).
#[test]
fn pages_joined_as_they_arrive_equal_pages_joined_in_order() {
    use neo_usage::pagination::PageSink;
    use neo_usage_analytics::ordered_join::WAITING_AS_READ;
    use neo_usage_analytics::{OrderedPageJoin, StorePage};
    use neo_usage_mock::prng::SplitMix64;
    let rows = dataset(10, 4_000);
    let bodies: Vec<Vec<u8>> = pages_with_repeats(&rows)
        .into_iter()
        .map(|page| {
            serde_json::to_vec(&neo_usage::TaskUsagePage {
                data: page,
                has_more: true,
                total: 4_000,
            })
            .unwrap()
        })
        .collect();
    let decode = |k: usize| StorePage::decode(bodies[k].clone(), k as u64 * 200).unwrap();
    let mut rng = SplitMix64::new(5);
    for cap in [None, Some(1_500)] {
        let mut expected = UsageStore::new();
        let expected_dropped = expected.append_pages((0..bodies.len()).map(decode), cap);
        for round in 0..6 {
            let mut order: Vec<usize> = (0..bodies.len()).rev().collect();
            for i in (1..order.len()).rev().filter(|_| round > 0) {
                order.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let mut join = OrderedPageJoin::new(cap);
            join.begin(0, 200);
            let mut arrived = std::collections::BTreeSet::new();
            for &k in &order {
                join.put(k as u64 * 200, decode(k));
                arrived.insert(k);
                let first_missing = (0..).find(|j| !arrived.contains(j)).unwrap();
                let held = arrived.iter().filter(|&&j| j > first_missing).count();
                assert_eq!(join.waiting_pages(), held, "after page {k} of {order:?}");
                if round == 0 && k == 1 {
                    let columns = bodies.len() - 1 - WAITING_AS_READ;
                    assert_eq!(join.waiting_as_columns(), columns, "pages in reverse");
                }
            }
            assert_eq!(
                join.waiting_pages(),
                0,
                "every page joined once all arrived"
            );
            let store = join.finish();
            assert_eq!(store.len(), expected.len(), "order {order:?}, cap {cap:?}");
            for i in 0..store.len() {
                assert_eq!(store.row(i), expected.row(i), "row {i}, order {order:?}");
            }
        }
        assert_eq!(expected_dropped, 19);
    }
}
