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
}

impl Interner {
    /// The id of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = Sym::try_from(self.names.len()).expect("fewer than 2^32 distinct names");
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    /// The id of `name` if it was interned.
    pub fn lookup(&self, name: &str) -> Option<Sym> {
        self.ids.get(name).copied()
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
