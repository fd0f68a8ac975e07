//! The cost-over-time chart's SVG as one string: its grid, stacked
//! segments, anomaly marks and axis labels, written as markup and set
//! once, like the table's rows. Built element by element through the DOM,
//! its 400-odd elements and 2,200 attributes crossed the wasm boundary one
//! `setAttribute` at a time. The segments and marks are buttons; their
//! bucket's instants are in `data-start-ms` and `data-end-ms`, read by one
//! delegated listener on the `<svg>`.

use std::fmt::{self, Write};

use crate::table_rows::push_escaped;

/// A coordinate written to hundredths of a unit, as short as it goes
/// (`70.5`, `16`, `-3.25`): integer formatting instead of the shortest
/// `f64` that round-trips (`73.84444444444445`), which was the largest
/// part of writing the chart in a profile of the viewer built with names;
/// the 10k-row demo's cost chart is 190 kB of markup instead of 212 kB.
/// Hundredths of a unit are far below a pixel at any zoom a chart is read
/// at. A value that is not finite is written as `0`. Every chart writes
/// its numbers this way, so the viewer carries no `f64` formatting.
///
/// ```
/// # use neo_usage_web::svg_markup::Coord;
/// assert_eq!(Coord(73.844444).to_string(), "73.84");
/// assert_eq!(Coord(-3.0).to_string(), "-3");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Coord(pub f64);

impl fmt::Display for Coord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = (self.0 * 100.0).round();
        if !hundredths.is_finite() || hundredths.abs() >= 1e15 {
            return f.write_str("0");
        }
        let hundredths = hundredths as i64;
        let sign = if hundredths < 0 { "-" } else { "" };
        let (whole, fraction) = (
            hundredths.unsigned_abs() / 100,
            hundredths.unsigned_abs() % 100,
        );
        match fraction {
            0 => write!(f, "{sign}{whole}"),
            tenths if tenths % 10 == 0 => write!(f, "{sign}{whole}.{}", tenths / 10),
            _ => write!(f, "{sign}{whole}.{fraction:02}"),
        }
    }
}

/// `value` as a [`Coord`] text, for an attribute.
pub fn coord(value: f64) -> String {
    Coord(value).to_string()
}

/// One stacked segment, laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment<'a> {
    /// The series' value (a model, a status, a member, BYOK).
    pub label: &'a str,
    /// The bucket's label.
    pub bucket: &'a str,
    /// The tooltip and accessible name.
    pub tip: &'a str,
    /// Left edge, top edge, width and height in the plot's units.
    pub rect: [f64; 4],
    /// The CSS colour.
    pub fill: &'a str,
    /// The bucket's instants (ms, end exclusive).
    pub span_ms: (i64, i64),
}

/// Appends a segment: a `<rect>` button with its tooltip.
pub fn push_segment(out: &mut String, s: &Segment<'_>) {
    let [x, y, width, height] = s.rect.map(Coord);
    out.push_str(r#"<rect class="segment" data-testid="chart-segment" data-label=""#);
    push_escaped(out, s.label);
    out.push_str(r#"" data-bucket=""#);
    push_escaped(out, s.bucket);
    let _ = write!(
        out,
        r#"" data-start-ms="{}" data-end-ms="{}" tabindex="0" role="button" aria-label=""#,
        s.span_ms.0, s.span_ms.1
    );
    push_escaped(out, s.tip);
    let _ = write!(
        out,
        r#"" x="{x}" y="{y}" width="{width}" height="{height}" fill=""#
    );
    push_escaped(out, s.fill);
    out.push_str(r#""><title>"#);
    push_escaped(out, s.tip);
    out.push_str("</title></rect>");
}

/// Appends an anomaly mark: a triangle button above the bucket at `(x, y)`
/// (its bottom centre), for the bucket's instants.
pub fn push_anomaly(out: &mut String, tip: &str, x: f64, y: f64, span_ms: (i64, i64)) {
    let _ = write!(
        out,
        r#"<path class="anomaly" data-testid="chart-anomaly" data-start-ms="{}" data-end-ms="{}" role="button" tabindex="0" aria-label=""#,
        span_ms.0, span_ms.1
    );
    push_escaped(out, tip);
    let _ = write!(
        out,
        r#"" d="M{} {} l5 -8 l5 8 z"><title>"#,
        Coord(x - 5.0),
        Coord(y)
    );
    push_escaped(out, tip);
    out.push_str("</title></path>");
}

/// Appends a horizontal grid line from `x1` to `x2` at `y`, its value
/// label right-aligned before `x1`.
pub fn push_grid_line(out: &mut String, x1: f64, x2: f64, y: f64, label: &str) {
    let (label_x, label_y) = (Coord(x1 - 6.0), Coord(y + 4.0));
    let (x1, x2, y) = (Coord(x1), Coord(x2), Coord(y));
    let _ = write!(
        out,
        r#"<line class="grid" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"></line><text class="axis" x="{}" y="{}" text-anchor="end">"#,
        label_x, label_y
    );
    push_escaped(out, label);
    out.push_str("</text>");
}

/// Appends an axis label centred on `x`.
pub fn push_axis_label(out: &mut String, x: f64, y: f64, label: &str) {
    let (x, y) = (Coord(x), Coord(y));
    let _ = write!(
        out,
        r#"<text class="axis" x="{x}" y="{y}" text-anchor="middle">"#
    );
    push_escaped(out, label);
    out.push_str("</text>");
}

/// The bucket a clicked or keyed element stands for, from its
/// `data-start-ms` and `data-end-ms` values and its `data-label` (absent on
/// an anomaly mark): `(label, start, end)`.
pub fn hit(
    label: Option<String>,
    start: Option<String>,
    end: Option<String>,
) -> Option<(Option<String>, i64, i64)> {
    let start = start?.parse().ok()?;
    let end = end?.parse().ok()?;
    Some((label, start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_a_button_with_its_bucket_and_escaped_text() {
        let mut out = String::new();
        push_segment(
            &mut out,
            &Segment {
                label: "a<b>&\"c\"",
                bucket: "2026-11-01",
                tip: "2026-11-01 a<b>: 1.00 cr",
                rect: [70.5, 16.0, 20.0, 0.5],
                fill: "var(--series-1)",
                span_ms: (1_761_955_200_000, 1_762_041_600_000),
            },
        );
        assert_eq!(
            out,
            concat!(
                r#"<rect class="segment" data-testid="chart-segment" data-label="a&lt;b&gt;&amp;&quot;c&quot;" "#,
                r#"data-bucket="2026-11-01" data-start-ms="1761955200000" data-end-ms="1762041600000" "#,
                r#"tabindex="0" role="button" aria-label="2026-11-01 a&lt;b&gt;: 1.00 cr" "#,
                r#"x="70.5" y="16" width="20" height="0.5" fill="var(--series-1)">"#,
                r#"<title>2026-11-01 a&lt;b&gt;: 1.00 cr</title></rect>"#
            )
        );
    }

    #[test]
    fn marks_lines_and_labels() {
        let mut out = String::new();
        push_anomaly(&mut out, "11-02: far above", 100.0, 50.0, (1, 2));
        assert!(out.starts_with(
            r#"<path class="anomaly" data-testid="chart-anomaly" data-start-ms="1" data-end-ms="2""#
        ));
        assert!(out.contains(r#"d="M95 50 l5 -8 l5 8 z""#));
        out.clear();
        push_grid_line(&mut out, 64.0, 752.0, 100.0, "$1.00");
        assert_eq!(
            out,
            r#"<line class="grid" x1="64" x2="752" y1="100" y2="100"></line><text class="axis" x="58" y="104" text-anchor="end">$1.00</text>"#
        );
        out.clear();
        push_axis_label(&mut out, 10.0, 252.0, "11-01");
        assert_eq!(
            out,
            r#"<text class="axis" x="10" y="252" text-anchor="middle">11-01</text>"#
        );
    }

    #[test]
    fn coordinates_are_written_to_hundredths() {
        let cases = [
            (16.0, "16"),
            (70.5, "70.5"),
            (73.844_444_444_444_45, "73.84"),
            (0.005, "0.01"),
            (-3.25, "-3.25"),
            (-0.001, "0"),
            (99.999, "100"),
            (1_000_000.1, "1000000.1"),
            (f64::NAN, "0"),
            (f64::INFINITY, "0"),
        ];
        for (value, written) in cases {
            assert_eq!(Coord(value).to_string(), written, "{value}");
        }
    }

    #[test]
    fn a_hit_needs_both_instants() {
        assert_eq!(
            hit(Some("o3".into()), Some("5".into()), Some("9".into())),
            Some((Some("o3".into()), 5, 9))
        );
        assert_eq!(
            hit(None, Some("5".into()), Some("9".into())),
            Some((None, 5, 9))
        );
        assert_eq!(hit(Some("o3".into()), None, Some("9".into())), None);
        assert_eq!(hit(None, Some("x".into()), Some("9".into())), None);
    }
}
