//! Lenient readers for the API's numbers: integer fields accept JSON integers
//! and integral floats (`12.0`), as the documented sample and real servers mix
//! both.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// Largest integer an IEEE double holds exactly (2^53).
const MAX_EXACT_FLOAT_INT: f64 = 9_007_199_254_740_992.0;

struct UnsignedVisitor;

impl Visitor<'_> for UnsignedVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer (an integral float such as 12.0 is accepted)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v)
            .map_err(|_| E::custom(format!("expected a non-negative integer, found {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        count_of_float(v)
            .ok_or_else(|| E::custom(format!("expected a non-negative integer, found {v}")))
    }
}

struct SignedVisitor;

impl Visitor<'_> for SignedVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer (an integral float such as 12.0 is accepted)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("integer {v} is too large")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_EXACT_FLOAT_INT {
            Ok(v as i64)
        } else {
            Err(E::custom(format!("expected an integer, found {v}")))
        }
    }
}

/// Reads a non-negative integer, accepting integral floats.
pub fn unsigned<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(UnsignedVisitor)
}

/// Reads a signed integer, accepting integral floats.
pub fn signed<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(SignedVisitor)
}

/// Reads an optional (absent or `null`) non-negative integer.
pub fn option_unsigned<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct OptionVisitor;
    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative integer or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            unsigned(d).map(Some)
        }
    }
    d.deserialize_option(OptionVisitor)
}

/// A float read as a count: `Some` if it is a non-negative integer that
/// an IEEE double holds exactly (`12.0`), `None` otherwise.
pub fn count_of_float(v: f64) -> Option<u64> {
    (v.fract() == 0.0 && (0.0..=MAX_EXACT_FLOAT_INT).contains(&v)).then_some(v as u64)
}

/// Any JSON value read as a count that never fails: a non-negative integral
/// number is `Some`, anything else (a fraction, a negative, a string, an
/// object, `null`) is `None`. For the loosely documented `tool_breakdown`.
pub struct Count(pub Option<u64>);

impl<'de> serde::Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl<'de> Visitor<'de> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(Count(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                Ok(Count(u64::try_from(v).ok()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                Ok(Count(count_of_float(v)))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Count, E> {
                Ok(Count(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Count, E> {
                Ok(Count(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Count, E> {
                Ok(Count(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Count(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Count, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Count(None))
            }
        }
        d.deserialize_any(CountVisitor)
    }
}

/// Reads a map of name to non-negative integer (`agent_breakdown`); `null`
/// reads as empty.
pub fn unsigned_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<crate::sorted_map::SortedMap<String, u64>, D::Error> {
    unsigned_map_into::<D, String, _>(d)
}

/// Reads a map of name to non-negative integer into any collection of
/// entries `C` with names `K` (a map of owned names, or the borrowed rows'
/// list), entry by entry; `null` reads as empty. Inserting one by one, not
/// collecting: `collect` into a map sorts first, and each sort is
/// kilobytes of wasm in the npm package.
pub(crate) fn unsigned_map_into<'de, D, K, C>(d: D) -> Result<C, D::Error>
where
    D: Deserializer<'de>,
    K: serde::Deserialize<'de>,
    C: Default + Extend<(K, u64)>,
{
    struct Unsigned(u64);
    impl<'de> serde::Deserialize<'de> for Unsigned {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            unsigned(d).map(Unsigned)
        }
    }
    struct CountsVisitor<K, C>(PhantomData<(K, C)>);
    impl<'de, K, C> Visitor<'de> for CountsVisitor<K, C>
    where
        K: serde::Deserialize<'de>,
        C: Default + Extend<(K, u64)>,
    {
        type Value = C;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<C, E> {
            Ok(C::default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<C, E> {
            Ok(C::default())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<C, D::Error> {
            d.deserialize_map(self)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<C, A::Error> {
            let mut out = C::default();
            while let Some((name, Unsigned(n))) = map.next_entry::<K, Unsigned>()? {
                out.extend(Some((name, n)));
            }
            Ok(out)
        }
    }
    d.deserialize_option(CountsVisitor(PhantomData))
}

/// Reads a list that may be `null` as empty.
pub fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let list: Option<Vec<T>> = serde::Deserialize::deserialize(d)?;
    Ok(list.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Row {
        #[serde(deserialize_with = "super::unsigned")]
        n: u64,
        #[serde(default, deserialize_with = "super::option_unsigned")]
        o: Option<u64>,
        #[serde(default, deserialize_with = "super::signed")]
        s: i64,
    }

    #[test]
    fn integral_floats_are_integers() {
        let r: Row = serde_json::from_str(r#"{"n": 12.0, "o": 3.0, "s": -4.0}"#).unwrap();
        assert_eq!((r.n, r.o, r.s), (12, Some(3), -4));
    }

    #[test]
    fn null_and_absent_optionals() {
        let r: Row = serde_json::from_str(r#"{"n": 1, "o": null}"#).unwrap();
        assert_eq!(r.o, None);
        let r: Row = serde_json::from_str(r#"{"n": 1}"#).unwrap();
        assert_eq!(r.o, None);
    }

    #[test]
    fn fractions_and_negatives_are_refused_with_the_value() {
        let e = serde_json::from_str::<Row>(r#"{"n": 1.5}"#).unwrap_err();
        assert!(e.to_string().contains("1.5"), "{e}");
        let e = serde_json::from_str::<Row>(r#"{"n": -1}"#).unwrap_err();
        assert!(e.to_string().contains("-1"), "{e}");
        assert!(serde_json::from_str::<Row>(r#"{"n": "7"}"#).is_err());
    }
}
