//! [`SortedMap`]: the model's maps (a row's agent and tool breakdowns, the
//! summary's usage by model and counts by status), kept as one vector of
//! entries sorted by key.
//!
//! The API's maps hold a handful of keys each. A `BTreeMap` for each of
//! them compiled its node code (search, insert, split, iterate, clone,
//! drop) once per key and value type: four copies, about 30 kB of the npm
//! package's wasm. A sorted vector is a binary search and a `Vec`; it reads
//! like a `BTreeMap` (`get`, `insert`, `iter` in key order, `map["key"]`,
//! `entry(key).or_default()`), serialises as a JSON object, and converts
//! to and from a `BTreeMap` where one is wanted.
//!
//! ```
//! use neo_usage::SortedMap;
//!
//! let mut calls: SortedMap<String, u64> = SortedMap::new();
//! calls.insert("nuclei".to_owned(), 3);
//! calls.insert("httpx".to_owned(), 4);
//! *calls.entry("httpx".to_owned()).or_default() += 1;
//! assert_eq!(calls["httpx"], 5);
//! assert_eq!(calls.keys().collect::<Vec<_>>(), ["httpx", "nuclei"]);
//! assert_eq!(serde_json::to_string(&calls).unwrap(), r#"{"httpx":5,"nuclei":3}"#);
//! ```

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Index;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map kept as a vector of `(key, value)` entries sorted by key, each key
/// once. Lookups are binary searches; iteration is in key order, as a
/// `BTreeMap`'s. Inserting a key already present replaces its value, so a
/// map built from entries keeps each key's last value, as a `BTreeMap`
/// does. Meant for small maps: inserting out of order moves the entries
/// after the new one.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }
}

impl<K, V> SortedMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order, as `(&key, &value)`.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(entry_refs)
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in their keys' order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in their keys' order, to change in place.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The values in their keys' order, taken out of the map.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    /// The entries as a slice, in key order.
    pub fn as_slice(&self) -> &[(K, V)] {
        &self.entries
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// Where `key` is (`Ok`), or where it would go (`Err`).
    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`, if the map holds it.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.position(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value of `key` to change in place, if the map holds it.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.position(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// Whether the map holds `key`.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`; returns the value it replaced, if any.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Entries mostly arrive in order (the API writes its maps sorted).
        let in_order = self.entries.last().is_none_or(|(last, _)| *last < key);
        let at = if in_order {
            Err(self.entries.len())
        } else {
            self.position(&key)
        };
        match at {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes `key` out of the map; returns its value, if the map held it.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.position(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The place of `key`, to read, fill or change, as
    /// `BTreeMap::entry`'s: `*map.entry(key).or_default() += 1`.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.position(&key);
        Entry { map: self, key, at }
    }
}

/// The place of one key in a [`SortedMap`], from [`SortedMap::entry`].
pub struct Entry<'a, K, V> {
    map: &'a mut SortedMap<K, V>,
    key: K,
    at: Result<usize, usize>,
}

impl<'a, K, V> Entry<'a, K, V> {
    /// The key's value, after putting `value` there if the map lacked the key.
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    /// The key's value, after putting `make()` there if the map lacked the key.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                self.map.entries.insert(i, (self.key, make()));
                i
            }
        };
        &mut self.map.entries[i].1
    }

    /// The key's value, after putting `V::default()` there if the map lacked
    /// the key.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

/// The iterator of [`SortedMap::iter`]: `(&key, &value)` in key order.
pub type Iter<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, EntryRefs<'a, K, V>>;

/// The function [`Iter`] maps each entry with.
pub type EntryRefs<'a, K, V> = fn(&'a (K, V)) -> (&'a K, &'a V);

fn entry_refs<K, V>((k, v): &(K, V)) -> (&K, &V) {
    (k, v)
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    /// Inserts each entry in turn: a key given twice keeps its last value.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// Inserted one by one, not sorted: a sort is kilobytes of wasm per map
    /// type, and these maps are small.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = SortedMap::new();
        map.extend(entries);
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K: Ord, V> From<BTreeMap<K, V>> for SortedMap<K, V> {
    fn from(map: BTreeMap<K, V>) -> Self {
        // Already in order: each entry goes on the end.
        map.into_iter().collect()
    }
}

impl<K: Ord, V> From<SortedMap<K, V>> for BTreeMap<K, V> {
    fn from(map: SortedMap<K, V>) -> Self {
        map.entries.into_iter().collect()
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> Index<&Q> for SortedMap<K, V> {
    type Output = V;
    /// The value of `key`. Panics if the map lacks it, as a `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Serialize, V: Serialize> Serialize for SortedMap<K, V> {
    /// A map (a JSON object), in key order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SortedMap<K, V> {
    /// From a map (a JSON object); a key given twice keeps its last value.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = SortedMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Self::Value, A::Error> {
                let mut map = SortedMap::new();
                while let Some((key, value)) = entries.next_entry()? {
                    map.insert(key, value);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_bodies::Draw;

    /// Any sequence of inserts and removals leaves the same entries, in the
    /// same order, as the same operations on a `BTreeMap`.
    #[test]
    fn behaves_as_a_btreemap_under_inserts_and_removals() {
        let mut rng = Draw(0x2545_f491_4f6c_dd1d);
        let mut draw = move |n: u64| rng.below(n);
        for _ in 0..200 {
            let mut ours: SortedMap<String, u64> = SortedMap::new();
            let mut theirs: BTreeMap<String, u64> = BTreeMap::new();
            for step in 0..draw(40) {
                let key = format!("k{}", draw(12));
                match draw(4) {
                    0 => assert_eq!(ours.remove(key.as_str()), theirs.remove(&key)),
                    1 => {
                        *ours.entry(key.clone()).or_default() += step;
                        *theirs.entry(key.clone()).or_default() += step;
                    }
                    _ => assert_eq!(
                        ours.insert(key.clone(), step),
                        theirs.insert(key.clone(), step)
                    ),
                }
                assert_eq!(ours.get(key.as_str()), theirs.get(&key));
            }
            let pairs: Vec<_> = ours.iter().collect();
            assert_eq!(pairs, theirs.iter().collect::<Vec<_>>());
            assert_eq!(BTreeMap::from(ours.clone()), theirs);
            assert_eq!(SortedMap::from(theirs), ours);
        }
    }

    #[test]
    fn a_key_given_twice_keeps_its_last_value_from_entries_and_from_json() {
        let map = SortedMap::from([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(map.as_slice(), [("a", 2), ("b", 3)]);
        let read: SortedMap<String, u64> = serde_json::from_str(r#"{"z":1,"y":2,"z":4}"#).unwrap();
        assert_eq!(
            read.iter().collect::<Vec<_>>(),
            [(&"y".to_owned(), &2), (&"z".to_owned(), &4)]
        );
        assert_eq!(serde_json::to_string(&read).unwrap(), r#"{"y":2,"z":4}"#);
        assert_eq!(format!("{read:?}"), r#"{"y": 2, "z": 4}"#);
    }

    #[test]
    #[should_panic(expected = "no entry found for key")]
    fn reading_a_missing_key_by_index_panics_with_the_btreemap_message() {
        let map: SortedMap<String, u64> = SortedMap::new();
        let _ = map["absent"];
    }
}
