//! A small deterministic random source (SplitMix64): the corpus depends on the
//! seed alone, never on the clock, the platform or a crate's version.

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough to pick shapes.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream for document `index` of the corpus seeded with `seed`: any
    /// document can be generated alone, in any order, with the same result.
    pub fn for_document(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
        let mixed = r.next_u64() ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Rng(mixed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `p` (0..=1).
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items[self.next_u64() as usize % items.len()]
    }

    /// Skewed pick: early items are much more likely (a Zipf-like vocabulary,
    /// so that some words are common and others rare, as in real text).
    pub fn pick_skewed(&mut self, items: &[&'static str]) -> &'static str {
        let a = self.next_u64() as usize % items.len();
        let b = self.next_u64() as usize % items.len();
        items[a * b / items.len()]
    }
}
