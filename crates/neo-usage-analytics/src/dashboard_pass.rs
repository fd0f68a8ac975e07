//! The dashboard's single pass: every row of a selection is read once and
//! feeds the totals, the four groupings, the stacked series, the daily
//! costs, the burn windows and the distributions' values.

use std::ops::Range;

use crate::aggregate::{
    groups_from, member_key, Dimension, Group, GroupTotals, Keys, Outcomes, RowValues, Totals,
};
use crate::anomaly::{anomalies_from, Anomalies};
use crate::buckets::Buckets;
use crate::dashboard::DashboardOptions;
use crate::forecast::{burn_window_start, BurnRate};
use crate::pass_blocks::{PassBlock, BYOK, MEMBER, MODEL, STATUS};
use crate::pass_rows::{run_start, CompactRows, KeptValues, PassRows, StoreRows, RUN_ROWS};
use crate::pass_sums::{PassSums, Sum, CARRY_ROWS};
use crate::percentile::Distribution;
use crate::select::Selection;
use crate::series::{Cells, TimeSeries};
use crate::store::UsageStore;
use crate::tool_blocks::BLOCK_ROWS;

/// What the pass produces.
pub(crate) struct PassOutput {
    pub(crate) totals: Totals,
    pub(crate) outcomes: Outcomes,
    pub(crate) groups: [Vec<Group>; 4],
    pub(crate) series: TimeSeries,
    pub(crate) duration: Distribution,
    pub(crate) step_latency: Distribution,
    pub(crate) burn: Option<[BurnRate; 2]>,
    pub(crate) anomalies: Anomalies,
}

const DIMENSIONS: [Dimension; 4] = [
    Dimension::Model,
    Dimension::Status,
    Dimension::Member,
    Dimension::Byok,
];

/// What every row is placed by: the keys of the groupings and the stack,
/// the days of the range and the burn windows.
struct Frame<'a> {
    store: &'a UsageStore,
    keys: [Keys<'a>; 4],
    stack: Keys<'a>,
    days: &'a Buckets,
    range: Option<(i64, i64)>,
    /// Starts of the 7- and 30-day burn windows (both end at the range's end).
    windows: [i64; 2],
    options: &'a DashboardOptions,
}

/// What the row loop gathers.
struct Gathered {
    sums: PassSums<i128>,
    cells: Cells,
    kept: KeptValues,
}

/// Reads every row of `rows` once. `buckets` are the series' buckets and
/// `days` the local days of the range (for anomalies); `range` bounds the
/// burn windows. Without `CHARTS` (the headline scope) the groupings, the
/// series, the step latencies and the duration's histogram stay empty.
pub(crate) fn run<const CHARTS: bool>(
    store: &UsageStore,
    rows: &Selection,
    buckets: Buckets,
    days: &Buckets,
    range: Option<(i64, i64)>,
    options: &DashboardOptions,
) -> PassOutput {
    let (from, to) = range.unwrap_or((0, 0));
    let frame = Frame {
        store,
        keys: DIMENSIONS.map(|d| Keys::new(store, d)),
        stack: Keys::new(store, options.stack_by),
        days,
        range,
        windows: [
            burn_window_start(from, to, 7),
            burn_window_start(from, to, 30),
        ],
        options,
    };
    // A store with no wide value (nearly every one) sums in `i64`, read
    // through its plain slots; any other in `i128`, read with the checks.
    let gathered = match CompactRows::of(store) {
        Some(compact) => gather::<CHARTS, i64, _>(&frame, rows, &buckets, &compact),
        None => gather::<CHARTS, i128, _>(&frame, rows, &buckets, &StoreRows(store)),
    };
    output::<CHARTS>(&frame, gathered, buckets, rows)
}

/// The row loop: each row's values added to its cube cell, member, series
/// cell, day, burn windows and counts, in sums of width `S` carried into
/// `i128` every [`CARRY_ROWS`] rows; the per-row values the percentiles
/// need, kept. Contiguous chunks of the selection are read as runs.
fn gather<const CHARTS: bool, S: Sum, R: PassRows>(
    f: &Frame,
    rows: &Selection,
    buckets: &Buckets,
    source: &R,
) -> Gathered {
    let mut g = Gather::<S>::new::<CHARTS>(f, rows.len(), buckets);
    for carried in rows.indices().chunks(CARRY_ROWS) {
        for chunk in carried.chunks(RUN_ROWS) {
            let run = run_start(chunk)
                .and_then(|start| Some((start, source.narrowed(start, chunk.len())?)));
            match run {
                Some((start, run)) => {
                    g.add_run::<CHARTS, R>(f, buckets, &run, (start, chunk.len()))
                }
                None => chunk
                    .iter()
                    .for_each(|&i| g.add::<CHARTS, R>(f, buckets, source, i as usize)),
            }
        }
        g.sums.carry_into(&mut g.gathered.sums);
    }
    g.gathered
}

/// The row loop's state: sums in width `S`, what is gathered so far, and
/// the bucket and day last found.
struct Gather<S> {
    sums: PassSums<S>,
    gathered: Gathered,
    statuses: usize,
    /// The member key of rows without an email.
    no_member: usize,
    to: i64,
    bucket_hint: usize,
    day_hint: usize,
}

impl<S: Sum> Gather<S> {
    fn new<const CHARTS: bool>(f: &Frame, n: usize, buckets: &Buckets) -> Self {
        // Model × status × BYOK in one small cube (one add per row instead
        // of three, summed into the three groupings at the end), members
        // apart.
        let statuses = f.keys[1].count();
        let cells = Cells::new(&f.stack, buckets);
        let lengths = [
            f.keys[0].count() * statuses * 2,
            f.keys[2].count(),
            cells.len(),
            f.days.len(),
            f.keys[0].count(),
            statuses,
        ];
        Gather {
            sums: PassSums::new(lengths),
            gathered: Gathered {
                sums: PassSums::new(lengths),
                cells,
                kept: KeptValues::with_capacity::<CHARTS>(n),
            },
            statuses,
            no_member: f.store.emails().len(),
            to: f.range.map_or(0, |(_, to)| to),
            bucket_hint: 0,
            day_hint: 0,
        }
    }

    /// Adds row `i` of `rows`.
    #[inline(always)]
    fn add<const CHARTS: bool, R: PassRows>(
        &mut self,
        f: &Frame,
        buckets: &Buckets,
        rows: &R,
        i: usize,
    ) {
        let sums = &mut self.sums;
        let v = rows.values(i);
        let model = rows.key(Dimension::Model, i);
        let cube = (model * self.statuses + rows.key(Dimension::Status, i)) * 2;
        sums.cube[cube + usize::from(v.byok)].add(&v);
        if CHARTS {
            sums.members[rows.key(Dimension::Member, i)].add(&v);
        }
        sums.add_counts(&v);
        self.add_in_time::<CHARTS, R>(f, buckets, rows, i, &v);
        self.gathered.kept.keep::<CHARTS, R>(rows, i);
    }

    /// Adds what row `i` (whose values are `v`) gives the sums placed in
    /// time: its series cell, its day's cost and the burn windows.
    #[inline(always)]
    fn add_in_time<const CHARTS: bool, R: PassRows>(
        &mut self,
        f: &Frame,
        buckets: &Buckets,
        rows: &R,
        i: usize,
        v: &RowValues,
    ) {
        let (sums, g) = (&mut self.sums, &mut self.gathered);
        let at = rows.created_ms(i);
        if CHARTS {
            match buckets.index_near(at, &mut self.bucket_hint) {
                Some(b) => {
                    let cell = g.cells.place(rows.key(f.options.stack_by, i), b);
                    sums.cells[cell] += S::of(f.options.metric.of_values(v));
                }
                None => g.cells.outside += 1,
            }
        }
        if let Some(d) = f.days.index_near(at, &mut self.day_hint) {
            sums.daily[d] += S::of(rows.cost(i));
        }
        if at < self.to {
            for w in 0..2 {
                if at >= f.windows[w] {
                    sums.burned[w] += S::of(v.credits);
                }
            }
        }
    }

    /// Adds the rows of `run`, rows `start..` of the store: each complete
    /// block by its sums ([`Gather::add_block`]), the rest row by row.
    fn add_run<const CHARTS: bool, R: PassRows>(
        &mut self,
        f: &Frame,
        buckets: &Buckets,
        run: &R,
        (start, len): (usize, usize),
    ) {
        let mut j = 0;
        while j < len {
            // Up to the next block's start, or past a whole block.
            let at = start + j;
            let end = (j + BLOCK_ROWS - at % BLOCK_ROWS).min(len);
            let whole = at % BLOCK_ROWS == 0 && end - j == BLOCK_ROWS;
            let block = match R::SUMS_BLOCKS && whole {
                true => f.store.pass_block(at / BLOCK_ROWS),
                false => None,
            };
            match block {
                Some(block) => {
                    self.add_block::<CHARTS, R>(f, buckets, &block, run, j..end);
                    run.keep_rows::<CHARTS>(j..end, &mut self.gathered.kept);
                }
                None => (j..end).for_each(|k| self.add::<CHARTS, R>(f, buckets, run, k)),
            }
            j = end;
        }
    }

    /// Adds a block's sums: the groupings and counts always; the series
    /// cells, daily cost and burn windows too when its rows lie in one
    /// bucket, one day, and wholly inside or outside each burn window,
    /// else those row by row ([`Gather::add_in_time`]) for `rows` of
    /// `run`, the block's rows.
    fn add_block<const CHARTS: bool, R: PassRows>(
        &mut self,
        f: &Frame,
        buckets: &Buckets,
        block: &PassBlock,
        run: &R,
        rows: Range<usize>,
    ) {
        self.add_block_groups::<CHARTS>(block);
        match self.place_block::<CHARTS>(f, buckets, block) {
            Some(place) => self.add_block_in_time::<CHARTS>(f, block, place),
            None => rows.for_each(|k| {
                let v = run.values(k);
                self.add_in_time::<CHARTS, R>(f, buckets, run, k, &v);
            }),
        }
    }

    /// The bucket, day and burn windows all of `block`'s rows lie in, if
    /// they share them.
    fn place_block<const CHARTS: bool>(
        &mut self,
        f: &Frame,
        buckets: &Buckets,
        block: &PassBlock,
    ) -> Option<BlockPlace> {
        let [first, last] = block.span;
        let within = |b: &Buckets, hint: &mut usize| {
            let at = b.index_near(first, hint)?;
            (b.index_near(last, hint)? == at).then_some(at)
        };
        let bucket = match CHARTS {
            true => within(buckets, &mut self.bucket_hint)?,
            false => 0,
        };
        let day = within(f.days, &mut self.day_hint)?;
        let mut burned = [false; 2];
        for (w, inside) in burned.iter_mut().enumerate() {
            let (from, to) = (f.windows[w], self.to);
            *inside = first >= from && last < to;
            let outside = last < from || first >= to;
            if !*inside && !outside {
                return None;
            }
        }
        Some(BlockPlace {
            bucket,
            day,
            burned,
        })
    }

    /// Adds a block's sums by model, status, BYOK and (with `CHARTS`)
    /// member, and its counts.
    fn add_block_groups<const CHARTS: bool>(&mut self, block: &PassBlock) {
        let sums = &mut self.sums;
        for (g, marginal) in [MODEL, STATUS, BYOK].into_iter().zip(&mut sums.blocks_by) {
            block
                .by(g)
                .for_each(|(key, s)| marginal[key as usize].add_block(&s));
        }
        if CHARTS {
            block.by(MEMBER).for_each(|(email, s)| {
                sums.members[member_key(email, self.no_member)].add_block(&s)
            });
        }
        sums.add_block_counts(block.counts);
    }

    /// Adds a block's sums to the series cell, the day and the burn
    /// windows of `place`.
    fn add_block_in_time<const CHARTS: bool>(
        &mut self,
        f: &Frame,
        block: &PassBlock,
        place: BlockPlace,
    ) {
        let sums = &mut self.sums;
        let (cost, credits) = block.by(BYOK).fold((0, 0), |(cost, credits), (_, s)| {
            (cost + s.cost(), credits + s.credits)
        });
        if CHARTS {
            let (metric, cells) = (f.options.metric, &mut self.gathered.cells);
            let stacked = match f.options.stack_by {
                Dimension::Model => MODEL,
                Dimension::Status => STATUS,
                Dimension::Member => MEMBER,
                Dimension::Byok => BYOK,
            };
            for (key, s) in block.by(stacked) {
                let key = if stacked == MEMBER {
                    member_key(key, self.no_member)
                } else {
                    key as usize
                };
                let cell = cells.place(key, place.bucket);
                sums.cells[cell] += S::of(s.metric(metric));
            }
        }
        sums.daily[place.day] += S::of(cost);
        for (w, inside) in place.burned.into_iter().enumerate() {
            if inside {
                sums.burned[w] += S::of(credits);
            }
        }
    }
}

/// Where all of a block's rows lie: one bucket of the series, one day,
/// and whether inside each burn window.
struct BlockPlace {
    bucket: usize,
    day: usize,
    burned: [bool; 2],
}

/// The figures from the gathered sums and values.
fn output<const CHARTS: bool>(
    f: &Frame,
    g: Gathered,
    buckets: Buckets,
    rows: &Selection,
) -> PassOutput {
    let statuses = f.keys[1].count();
    let mut model = vec![GroupTotals::default(); f.keys[0].count()];
    let mut status = vec![GroupTotals::default(); statuses];
    let mut byok = vec![GroupTotals::default(); 2];
    for (cell, sums) in g.sums.cube.iter().enumerate() {
        let sums = sums.totals();
        model[cell / 2 / statuses].merge(&sums);
        status[cell / 2 % statuses].merge(&sums);
        byok[cell % 2].merge(&sums);
    }
    for (groups, blocks) in [&mut model, &mut status, &mut byok]
        .into_iter()
        .zip(&g.sums.blocks_by)
    {
        for (group, sums) in groups.iter_mut().zip(blocks) {
            group.merge(&sums.totals());
        }
    }
    let mut all = GroupTotals::default();
    byok.iter().for_each(|sums| all.merge(sums));
    // Non-negative: sums of u64 values.
    let counts = g.sums.counts.map(|c| c as u128);
    let totals = Totals::from_sums(&all, byok[1].tasks, counts);
    let outcomes = Outcomes::from_status_totals(f.store, &status);
    let members = g.sums.members.iter().map(|m| m.totals()).collect();
    let mut cells = g.cells;
    cells.add_sums(&g.sums.cells);
    let options = f.options;
    let to = f.range.map_or(0, |(_, to)| to);
    let burned = g.sums.burned;
    PassOutput {
        totals,
        outcomes,
        groups: if CHARTS {
            [
                groups_from(&f.keys[0], model),
                groups_from(&f.keys[1], status),
                groups_from(&f.keys[2], members),
                groups_from(&f.keys[3], byok),
            ]
        } else {
            Default::default()
        },
        series: cells.finish(&f.stack, buckets, options.stack_by, options.metric),
        duration: if CHARTS {
            Distribution::of(&g.kept.durations, options.histogram_bins)
        } else {
            Distribution::summary(&g.kept.durations)
        },
        step_latency: Distribution::of(&g.kept.latencies, options.histogram_bins),
        burn: f.range.map(|_| {
            [
                BurnRate::of_window(7, f.windows[0], to, burned[0]),
                BurnRate::of_window(30, f.windows[1], to, burned[1]),
            ]
        }),
        anomalies: anomalies_from(
            f.days,
            &g.sums.daily,
            g.kept.task_costs,
            rows,
            options.anomaly_k,
        ),
    }
}
