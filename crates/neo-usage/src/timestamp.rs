//! Reading `created_at`: the form the API writes
//! (`2026-11-28T11:58:56.559Z`, or with an offset such as `+02:00`) is read
//! by hand; anything else goes to chrono's parser, so every string reads as
//! chrono reads it, to the same instant or the same error.
//!
//! chrono's parser is general (a relaxed RFC 3339: a space for the `T`,
//! years past 9999, leap seconds) and took 8 % of decoding a page in wasm
//! (a Chromium profile of the bench page: `parse_internal`, `scan::number`,
//! `to_naive_time`); a row has one timestamp, so the common form is worth
//! a path of its own.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// Reads an RFC 3339 timestamp into UTC: the fast path for the API's own
/// form, chrono's `FromStr` for anything else.
pub fn utc<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    struct UtcVisitor;
    impl Visitor<'_> for UtcVisitor {
        type Value = DateTime<Utc>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an RFC 3339 formatted date and time string")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
            match parse_common(text.as_bytes()) {
                Some(at) => Ok(at),
                None => text.parse().map_err(E::custom),
            }
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

/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z`
/// or `±HH:MM`, each field in range; `None` for anything else (which
/// chrono then reads, or refuses with its own message).
pub(crate) fn parse_common(s: &[u8]) -> Option<DateTime<Utc>> {
    if s.len() < 20 || s[4] != b'-' || s[7] != b'-' || s[10] != b'T' {
        return None;
    }
    if s[13] != b':' || s[16] != b':' {
        return None;
    }
    let year = digits(&s[0..4])?;
    let date = NaiveDate::from_ymd_opt(year as i32, digits(&s[5..7])?, digits(&s[8..10])?)?;
    let (hour, minute, second) = (
        digits(&s[11..13])?,
        digits(&s[14..16])?,
        digits(&s[17..19])?,
    );
    if second > 59 {
        return None; // a leap second: chrono's rules
    }
    let (nanos, rest) = fraction(&s[19..])?;
    let offset = offset_seconds(rest)?;
    let local = date.and_hms_nano_opt(hour, minute, second, nanos)?;
    if offset == 0 {
        // `Z` (as the API writes every instant) or `+00:00`: no date
        // arithmetic.
        return Some(local.and_utc());
    }
    let utc = local.checked_sub_signed(TimeDelta::seconds(offset))?;
    Some(utc.and_utc())
}

/// The value of a run of ASCII digits; `None` if any byte is not one.
pub(crate) fn digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// An optional `.` and 1 to 9 digits, as nanoseconds, and what follows.
fn fraction(s: &[u8]) -> Option<(u32, &[u8])> {
    let Some(after_dot) = s.strip_prefix(b".") else {
        return Some((0, s));
    };
    let len = after_dot.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 || len > 9 {
        return None;
    }
    let nanos = digits(&after_dot[..len])? * 10u32.pow(9 - len as u32);
    Some((nanos, &after_dot[len..]))
}

/// `Z` as 0, or `±HH:MM` as signed seconds east of UTC; nothing may follow.
fn offset_seconds(s: &[u8]) -> Option<i64> {
    match s {
        b"Z" => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            Some(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => None,
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
                parse_common(text.as_bytes()).map(Ok),
                Some(chrono_reads(&text)),
                "{text}"
            );
            assert_eq!(ours(&text), chrono_reads(&text), "{text}");
        }
    }

    #[test]
    fn every_other_string_reads_or_fails_as_chrono_says() {
        let cases = [
            "2026-11-28 11:58:56Z",
            "2026-11-28t11:58:56z",
            "2026-11-28T11:58:60Z",
            "2016-12-31T23:59:60.5Z",
            "2026-02-29T00:00:00Z",
            "2024-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-31T00:00:00Z",
            "2026-11-28T24:00:00Z",
            "2026-11-28T11:60:00Z",
            "2026-11-28T11:58:56",
            "2026-11-28T11:58:56.Z",
            "2026-11-28T11:58:56.1234567891Z",
            "2026-11-28T11:58:56+0200",
            "2026-11-28T11:58:56+24:00",
            "2026-11-28T11:58:56+02:60",
            "2026-11-28T11:58:56+02:00:00",
            "2026-11-28T11:58:56Zjunk",
            "+12026-11-28T11:58:56Z",
            "0000-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "2026-1-28T11:58:56Z",
            "2026-11-28T11:58:5６Z",
            "yesterday",
            "",
        ];
        for text in cases {
            assert_eq!(ours(text), chrono_reads(text), "{text:?}");
        }
    }

    #[test]
    fn a_refused_timestamp_keeps_chronos_message() {
        let message = ours("2026-11-31T00:00:00Z").unwrap_err();
        assert_eq!(message, chrono_reads("2026-11-31T00:00:00Z").unwrap_err());
        assert!(message.starts_with("input is out of range"), "{message}");
    }
}
