//! Reading RFC 3339 instants (`created_at`, the summary's instants, a
//! query's `from` and `to`) by hand, in one pass: `YYYY-MM-DD`, `T` (or
//! `t` or a space, as RFC 3339 allows), `HH:MM:SS`, an optional fraction,
//! then `Z` (or `z`) or an offset `±HH:MM`.
//!
//! chrono's parsers read these before: its general one took 8 % of
//! decoding a page in wasm (a Chromium profile of the bench page), and the
//! parsers with their scanners were some 15 kB of every module (the npm
//! package, the viewer). What they read beyond RFC 3339 (`UTC` for `Z`,
//! `+0200`, years past 9999, spaces inside) is refused here, with a
//! message that says which part is wrong and shows the form.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// Reads an RFC 3339 timestamp into UTC ([`parse`]); a refusal is a
/// serde error whose message says what is wrong.
pub fn utc<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    struct UtcVisitor;
    impl Visitor<'_> for UtcVisitor {
        type Value = DateTime<Utc>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an RFC 3339 formatted date and time string")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
            parse(text.as_bytes()).map_err(|refusal| E::custom(refusal))
        }
    }
    d.deserialize_str(UtcVisitor)
}

/// [`utc`] for an optional field: `null` (or, with `#[serde(default)]`,
/// no field) is `None`. The summary's instants read through it rather
/// than chrono's own `Deserialize`, so a module carries one timestamp
/// reader.
pub fn option_utc<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    struct Instant(DateTime<Utc>);
    impl<'de> de::Deserialize<'de> for Instant {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            utc(d).map(Instant)
        }
    }
    Ok(Option::<Instant>::deserialize(d)?.map(|instant| instant.0))
}

/// Why a text is not an RFC 3339 instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not in the form at all.
    Form,
    /// A date the calendar has not (30 February), or past its ends.
    Date,
    /// An hour over 23, a minute or second over 59 (60 for a leap second).
    Time,
    /// An offset over ±23:59.
    Offset,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Refusal::Form => "not in the form YYYY-MM-DDTHH:MM:SS",
            Refusal::Date => "no such date",
            Refusal::Time => "no such time of day",
            Refusal::Offset => "an offset past ±23:59",
        };
        write!(
            f,
            "not an RFC 3339 date-time ({what}); write it as 2026-11-28T11:58:56Z, \
             with an optional fraction of a second and Z or an offset such as +02:00"
        )
    }
}

/// Reads `s` as an RFC 3339 instant, in UTC: `YYYY-MM-DD`, `T` (or `t` or
/// a space), `HH:MM:SS` (second 60 for a leap second), an optional `.` and
/// digits (nanoseconds: digits past the ninth are read and dropped), then
/// `Z` (or `z`) or `±HH:MM`; nothing before or after.
pub(crate) fn parse(s: &[u8]) -> Result<DateTime<Utc>, Refusal> {
    let separators =
        s.len() >= 20 && matches!(s[10], b'T' | b't' | b' ') && s[13] == b':' && s[16] == b':';
    if !separators {
        return Err(Refusal::Form);
    }
    let (year, month, day) = date_fields(s).ok_or(Refusal::Form)?;
    let field = |at: usize| digits(&s[at..at + 2]).ok_or(Refusal::Form);
    let (hour, minute, second) = (field(11)?, field(14)?, field(17)?);
    let (nanos, rest) = fraction(&s[19..]).ok_or(Refusal::Form)?;
    let offset = offset_seconds(rest)?;
    let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(Refusal::Date)?;
    // A leap second is the 59th second's nanoseconds past 10^9 (chrono's
    // way), so it orders after :59 and before the next minute.
    let time = match second {
        60 => NaiveTime::from_hms_nano_opt(hour, minute, 59, 1_000_000_000 + nanos),
        _ => NaiveTime::from_hms_nano_opt(hour, minute, second, nanos),
    };
    let local = date.and_time(time.ok_or(Refusal::Time)?);
    if offset == 0 {
        // `Z` (as the API writes every instant) or `+00:00`: no date
        // arithmetic.
        return Ok(local.and_utc());
    }
    let utc = local.checked_sub_signed(TimeDelta::seconds(offset));
    Ok(utc.ok_or(Refusal::Date)?.and_utc())
}

/// `YYYY-MM-DD` at the start of `s`: year, month and day as written, not
/// yet checked against the calendar. `None` if `s` does not start so.
pub(crate) fn date_fields(s: &[u8]) -> Option<(u32, u32, u32)> {
    let d = s.get(..10)?;
    if d[4] != b'-' || d[7] != b'-' {
        return None;
    }
    Some((digits(&d[0..4])?, digits(&d[5..7])?, digits(&d[8..10])?))
}

/// The value of a run of ASCII digits; `None` if any byte is not one.
pub(crate) fn digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// An optional `.` and at least one digit, as nanoseconds (digits past
/// the ninth dropped), and what follows.
fn fraction(s: &[u8]) -> Option<(u32, &[u8])> {
    let Some(after_dot) = s.strip_prefix(b".") else {
        return Some((0, s));
    };
    let len = after_dot.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 {
        return None;
    }
    let kept = len.min(9);
    let nanos = digits(&after_dot[..kept])? * 10u32.pow(9 - kept as u32);
    Some((nanos, &after_dot[len..]))
}

/// `Z` (or `z`) as 0, or `±HH:MM` as signed seconds east of UTC; nothing
/// may follow.
fn offset_seconds(s: &[u8]) -> Result<i64, Refusal> {
    match s {
        b"Z" | b"z" => Ok(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2]).ok_or(Refusal::Form)?;
            let minutes = digits(&[*m1, *m2]).ok_or(Refusal::Form)?;
            if hours > 23 || minutes > 59 {
                return Err(Refusal::Offset);
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            Ok(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => Err(Refusal::Form),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What chrono's own `Deserialize` reads from `text` as a JSON string.
    fn chrono_reads(text: &str) -> Result<DateTime<Utc>, String> {
        let json = serde_json::to_string(text).unwrap();
        serde_json::from_str::<DateTime<Utc>>(&json).map_err(|e| e.to_string())
    }

    fn ours(text: &str) -> Result<DateTime<Utc>, String> {
        let json = serde_json::to_string(text).unwrap();
        let mut de = serde_json::Deserializer::from_str(&json);
        utc(&mut de).map_err(|e| e.to_string())
    }

    #[test]
    fn the_api_form_reads_as_chrono_reads_it_for_many_instants() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let offsets = [
            "Z", "+00:00", "+02:00", "-05:30", "+14:00", "-23:59", "+05:45",
        ];
        for k in 0..20_000 {
            // Any instant from year 1 to 9999.
            let secs = (next() % 315_537_897_600) as i64 - 62_135_596_800;
            let nanos = (next() % 1_000_000_000) as u32;
            let at = DateTime::from_timestamp(secs, nanos).unwrap();
            let digits = k % 10;
            let base = at.format("%Y-%m-%dT%H:%M:%S").to_string();
            let fraction = match digits {
                0 => String::new(),
                n => format!(".{}", &format!("{nanos:09}")[..n]),
            };
            let text = format!("{base}{fraction}{}", offsets[k % offsets.len()]);
            assert_eq!(
                parse(text.as_bytes()).map_err(|r| r.to_string()),
                chrono_reads(&text),
                "{text}"
            );
            assert_eq!(ours(&text), chrono_reads(&text), "{text}");
        }
    }

    #[test]
    fn rfc_3339s_other_spellings_read_to_the_same_instant() {
        let at = chrono_reads("2026-11-28T11:58:56Z");
        for text in [
            "2026-11-28t11:58:56z",
            "2026-11-28 11:58:56Z",
            "2026-11-28T11:58:56+00:00",
            "2026-11-28T11:58:56-00:00",
            "2026-11-28T13:58:56+02:00",
            "2026-11-28T11:58:56.000Z",
        ] {
            assert_eq!(ours(text), at, "{text}");
        }
        // Digits past the ninth are read and dropped, as chrono does.
        let text = "2026-11-28T11:58:56.1234567891Z";
        assert_eq!(ours(text), chrono_reads("2026-11-28T11:58:56.123456789Z"));
        // A leap second, where chrono puts it.
        for text in ["2016-12-31T23:59:60.5Z", "2016-12-31T23:59:60Z"] {
            assert_eq!(ours(text), chrono_reads(text), "{text}");
        }
        assert_eq!(
            ours("0000-01-01T00:00:00+01:00"),
            chrono_reads("0000-01-01T00:00:00+01:00")
        );
        assert_eq!(
            ours("9999-12-31T23:59:59-01:00"),
            chrono_reads("9999-12-31T23:59:59-01:00")
        );
        assert_eq!(
            ours("2024-02-29T00:00:00Z"),
            chrono_reads("2024-02-29T00:00:00Z")
        );
    }

    #[test]
    fn a_refusal_says_which_part_is_wrong_and_shows_the_form() {
        let cases = [
            ("2026-02-29T00:00:00Z", Refusal::Date),
            ("2026-13-01T00:00:00Z", Refusal::Date),
            ("2026-11-31T00:00:00Z", Refusal::Date),
            ("2026-11-28T24:00:00Z", Refusal::Time),
            ("2026-11-28T11:60:00Z", Refusal::Time),
            ("2026-11-28T11:58:61Z", Refusal::Time),
            ("2026-11-28T11:58:56+24:00", Refusal::Offset),
            ("2026-11-28T11:58:56+02:60", Refusal::Offset),
            ("2026-11-28T11:58:56", Refusal::Form),
            ("2026-11-28T11:58:56.Z", Refusal::Form),
            ("2026-11-28T11:58:56+0200", Refusal::Form),
            ("2026-11-28T11:58:56+02:00:00", Refusal::Form),
            ("2026-11-28T11:58:56 UTC", Refusal::Form),
            ("2026-11-28T11:58:56Zjunk", Refusal::Form),
            (" 2026-11-28T11:58:56Z", Refusal::Form),
            ("+12026-11-28T11:58:56Z", Refusal::Form),
            ("2026-1-28T11:58:56Z", Refusal::Form),
            ("2026-11-28T11:58:5\u{ff16}Z", Refusal::Form),
            ("2026-11-28_11:58:56Z", Refusal::Form),
            ("yesterday", Refusal::Form),
            ("", Refusal::Form),
        ];
        for (text, refusal) in cases {
            assert_eq!(parse(text.as_bytes()), Err(refusal), "{text:?}");
            let message = ours(text).unwrap_err();
            assert!(message.contains("not an RFC 3339 date-time"), "{message}");
            assert!(message.contains("2026-11-28T11:58:56Z"), "{message}");
        }
        let message = ours("2026-11-31T00:00:00Z").unwrap_err();
        assert!(message.contains("(no such date)"), "{message}");
    }
}
