//! Interning: each distinct name (model, status, email, tool, agent) is
//! stored once and rows hold its small integer id.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: names are short and come from the user's own data, so a fast
/// hash beats SipHash's protection against chosen collisions here (every
/// row interns four to a few dozen names while loading).
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The id of an interned name: its position in [`Interner::names`].
pub type Sym = u32;

/// Distinct strings in first-seen order, each with a [`Sym`].
///
/// ```
/// use neo_usage_analytics::intern::Interner;
/// let mut models = Interner::default();
/// let a = models.intern("gpt-4o");
/// assert_eq!(models.intern("o3"), 1);
/// assert_eq!(models.intern("gpt-4o"), a);
/// assert_eq!((models.name(a), models.lookup("o3"), models.lookup("x")), ("gpt-4o", Some(1), None));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, Sym, BuildHasherDefault<Fnv>>,
    /// The last id found per [`recent_slot`] of a name: a row's names are
    /// few and repeat (its tools, its model), so most are found here with
    /// one compare, before any hashing. Any id in a slot is checked against
    /// the name, so a stale or colliding one only misses.
    recent: [Sym; RECENT],
}

/// Slots of [`Interner::recent`].
const RECENT: usize = 32;

/// A name's slot in [`Interner::recent`], from its length and its first and
/// last bytes: no loop over the name.
#[inline(always)]
fn recent_slot(name: &[u8]) -> usize {
    let (first, last) = match name {
        [] => (0, 0),
        [first, .., last] => (*first, *last),
        [only] => (*only, *only),
    };
    (name.len() ^ usize::from(first) << 1 ^ usize::from(last) << 2) % RECENT
}

impl Interner {
    /// The id of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> Sym {
        let slot = recent_slot(name.as_bytes());
        if let Some(id) = self.recent_at(slot, name) {
            return id;
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = Sym::try_from(self.names.len()).expect("fewer than 2^32 distinct names");
                self.names.push(name.into());
                self.ids.insert(name.into(), id);
                id
            }
        };
        self.recent[slot] = id;
        id
    }

    /// The id of `name` if it was interned.
    pub fn lookup(&self, name: &str) -> Option<Sym> {
        self.recent_at(recent_slot(name.as_bytes()), name)
            .or_else(|| self.ids.get(name).copied())
    }

    /// The id in `slot` if it names `name`.
    #[inline(always)]
    fn recent_at(&self, slot: usize, name: &str) -> Option<Sym> {
        let id = self.recent[slot];
        (self.names.get(id as usize).map(|n| &**n) == Some(name)).then_some(id)
    }

    /// The name with id `id` (panics on an id this interner did not give).
    pub fn name(&self, id: Sym) -> &str {
        &self.names[id as usize]
    }

    /// Every name, in id order.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.names.iter().map(|n| &**n)
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Bytes held on the heap (strings, list and map, with capacity).
    pub fn heap_bytes(&self) -> usize {
        let strings: usize = self.names.iter().map(|n| n.len()).sum();
        // Each name is held twice (list and map key); a map slot is a boxed
        // str, an id and a control byte.
        2 * strings
            + self.names.capacity() * std::mem::size_of::<Box<str>>()
            + self.ids.capacity() * (std::mem::size_of::<(Box<str>, Sym)>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names that share a recent slot (same length and end bytes), names
    /// that differ only inside, and the empty name: each keeps one id, the
    /// one a plain map gives in first-seen order, however they interleave.
    #[test]
    fn ids_are_first_seen_order_whatever_shares_a_recent_slot() {
        let names: Vec<String> = (0..400)
            .map(|k| match k % 4 {
                0 => format!("a{k:03}z"),
                1 => format!("a{:03}z", 999 - k),
                2 => "x".repeat(k % 7),
                _ => format!("tool-{}", k % 13),
            })
            .collect();
        let mut interner = Interner::default();
        let mut expected: HashMap<&str, Sym> = HashMap::new();
        let mut seed = 7u64;
        for _ in 0..5_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let name = &names[(seed >> 33) as usize % names.len()];
            let next = expected.len() as Sym;
            let want = *expected.entry(name).or_insert(next);
            assert_eq!(interner.intern(name), want, "{name:?}");
            assert_eq!(interner.lookup(name), Some(want));
            assert_eq!(interner.name(want), name);
        }
        assert_eq!(interner.lookup("never"), None);
        assert_eq!(interner.len(), expected.len());
    }
}
