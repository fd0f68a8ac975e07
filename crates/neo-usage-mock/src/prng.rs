//! A small seeded pseudo-random generator (SplitMix64) used by the dataset and
//! by the server's fault injection.
//!
//! Hand-written so the crate needs no `rand`/`getrandom` and yields the same
//! numbers on every target: only integer arithmetic and exact IEEE-754
//! operations (one multiplication) are used, never platform math functions.

/// SplitMix64: 64 bits of state, one addition and [`mix`] per number.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

/// The SplitMix64 finaliser: a bijection on `u64` that scrambles its bits.
/// Distinct inputs give distinct outputs, which the dataset relies on for
/// unique task ids.
pub fn mix(value: u64) -> u64 {
    let mut z = value;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The high 64 bits of the 128-bit product `a * b`: the same number as
/// `((a as u128 * b as u128) >> 64) as u64`. wasm32 has no 128-bit
/// multiplication and calls a routine for one (LLVM turns the four-product
/// expansion back into that call), and the demo's generation draws a few
/// dozen numbers per row, nearly all below 2^32: for such a `b` two 64-bit
/// products give the high half.
fn mul_high(a: u64, b: u64) -> u64 {
    match u32::try_from(b) {
        Ok(b) => {
            let b = u64::from(b);
            // (a_high b) 2^32 + a_low b, shifted right by 64: the low
            // product's carry into the high one is its top 32 bits.
            // Each product is under 2^64, and so is their sum below.
            let low = (a & 0xffff_ffff) * b;
            let high = (a >> 32) * b + (low >> 32);
            high >> 32
        }
        Err(_) => ((u128::from(a) * u128::from(b)) >> 64) as u64,
    }
}

/// FNV-1a, 64 bits: a stable hash of bytes (Rust's `Hash` is not stable
/// across versions or targets).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
    }
    hash
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// A generator for item `index` of a stream seeded by `seed`: items get
    /// independent sequences, so item 7 is the same whatever the count.
    pub fn for_item(seed: u64, index: u64) -> Self {
        SplitMix64::new(mix(mix(seed) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// A number in `0..n` (`0` when `n` is 0), by the multiply-shift method.
    pub fn below(&mut self, n: u64) -> u64 {
        mul_high(self.next_u64(), n)
    }

    /// A number in `low..=high` (`low` when `high < low`).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `true` with probability `p` (clamped to `0..=1`).
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index into `weights`, chosen with probability proportional to its
    /// weight (`0` when all weights are zero or the slice is empty).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut ticket = self.below(total);
        for (index, weight) in weights.iter().enumerate() {
            let weight = u64::from(*weight);
            if ticket < weight {
                return index;
            }
            ticket -= weight;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        // A pinned value: any change to the generator changes every dataset.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn mul_high_is_the_high_half_of_the_wide_product() {
        let mut r = SplitMix64::new(11);
        let edges = [
            0,
            1,
            2,
            u64::from(u32::MAX),
            1 << 32,
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut pairs: Vec<(u64, u64)> = edges
            .iter()
            .flat_map(|&a| edges.iter().map(move |&b| (a, b)))
            .collect();
        for k in 0..200_000 {
            let (a, b) = (r.next_u64(), r.next_u64());
            // Half with bounds under 2^32, the path the generator's draws take.
            pairs.push((a, if k % 2 == 0 { b } else { b >> (32 + k % 32) }));
        }
        for (a, b) in pairs {
            let wide = ((u128::from(a) * u128::from(b)) >> 64) as u64;
            assert_eq!(mul_high(a, b), wide, "{a} * {b}");
        }
    }

    #[test]
    fn ranges_hold() {
        let mut r = SplitMix64::new(7);
        for _ in 0..10_000 {
            assert!(r.below(10) < 10);
            let v = r.between(3, 5);
            assert!((3..=5).contains(&v));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.weighted(&[0, 0, 5]), 2);
    }
}
