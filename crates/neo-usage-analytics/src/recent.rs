//! [`RecentValues`]: the last few values computed for their keys, newest
//! first, within a count and a weight budget. The selection cache and the
//! viewer's dashboard cache keep their results in one.

use std::collections::VecDeque;

/// Values by key, most recently used first. At most `capacity` entries are
/// kept, and the entries besides the newest weigh at most `budget` in all
/// (`weight` gives an entry's weight, for example its rows).
///
/// ```
/// use neo_usage_analytics::recent::RecentValues;
/// let mut recent = RecentValues::new(2, 10, |v: &Vec<u32>| v.len());
/// recent.insert("a", vec![1, 2, 3]);
/// recent.insert("b", vec![4]);
/// assert_eq!(recent.get(&"a"), Some(vec![1, 2, 3])); // now the newest
/// recent.insert("c", vec![5]); // "b", the least recent, is forgotten
/// assert_eq!(recent.get(&"b"), None);
/// assert_eq!(recent.keys().collect::<Vec<_>>(), [&"c", &"a"]);
/// ```
#[derive(Debug)]
pub struct RecentValues<K, V> {
    entries: VecDeque<(K, V)>,
    capacity: usize,
    budget: usize,
    weight: fn(&V) -> usize,
}

impl<K: PartialEq, V: Clone> RecentValues<K, V> {
    /// An empty set keeping at most `capacity` values (at least one), the
    /// ones besides the newest weighing at most `budget` in all.
    pub fn new(capacity: usize, budget: usize, weight: fn(&V) -> usize) -> Self {
        RecentValues {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            budget,
            weight,
        }
    }

    /// The value kept for `key`, which becomes the most recently used.
    pub fn get(&mut self, key: &K) -> Option<V> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(at)?;
        let value = entry.1.clone();
        self.entries.push_front(entry);
        Some(value)
    }

    /// Keeps `value` for `key` as the most recently used (a key already
    /// kept is replaced), then forgets the least recent past the capacity
    /// or the budget.
    pub fn insert(&mut self, key: K, value: V) {
        self.entries.retain(|(k, _)| *k != key);
        self.entries.push_front((key, value));
        let mut weight = 0;
        let keep = self
            .entries
            .iter()
            .enumerate()
            .take_while(|(at, (_, v))| {
                weight += if *at == 0 { 0 } else { (self.weight)(v) };
                *at < self.capacity && weight <= self.budget
            })
            .count();
        self.entries.truncate(keep.max(1));
    }

    /// The entries, most recent first.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys, most recent first.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Forgets every value.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_is_forgotten_past_the_capacity() {
        let mut recent = RecentValues::new(3, usize::MAX, |_: &u8| 1);
        for k in 0..3 {
            recent.insert(k, k as u8);
        }
        assert_eq!(recent.get(&0), Some(0));
        recent.insert(3, 3);
        assert_eq!(recent.keys().copied().collect::<Vec<_>>(), [3, 0, 2]);
        assert_eq!(recent.get(&1), None);
    }

    #[test]
    fn the_budget_counts_every_value_but_the_newest() {
        let mut recent = RecentValues::new(10, 5, |v: &usize| *v);
        recent.insert("big", 100);
        assert_eq!(
            recent.get(&"big"),
            Some(100),
            "the newest is kept whatever it weighs"
        );
        recent.insert("small", 2);
        assert_eq!(
            recent.get(&"big"),
            None,
            "past the budget once not the newest"
        );
        recent.insert("more", 3);
        assert_eq!(
            recent.keys().copied().collect::<Vec<_>>(),
            ["more", "small"]
        );
        recent.insert("last", 1);
        assert_eq!(
            recent.keys().copied().collect::<Vec<_>>(),
            ["last", "more", "small"]
        );
    }

    #[test]
    fn inserting_a_kept_key_replaces_its_value() {
        let mut recent = RecentValues::new(4, usize::MAX, |_: &&str| 0);
        recent.insert(1, "old");
        recent.insert(2, "other");
        recent.insert(1, "new");
        assert_eq!(
            recent.iter().collect::<Vec<_>>(),
            [(&1, &"new"), (&2, &"other")]
        );
        recent.clear();
        assert_eq!(recent.get(&1), None);
    }
}
