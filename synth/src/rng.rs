//! A tiny fixed-seed PRNG (SplitMix64), so the same inputs always give byte-identical projects
//! on every platform and Rust version.

/// SplitMix64: one `u64` of state, good enough statistics for picking shapes, no dependencies.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

/// The project-wide seed. Changing it changes every generated project.
const SEED: u64 = 0x666f_7267_6573_796e; // "forgesyn"

impl Rng {
    /// The generator for one model: it depends on the model's index only, so model `i` is the
    /// same whatever the total number of models.
    pub(crate) fn for_model(index: usize) -> Self {
        let mut rng = Rng(SEED ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        rng.next_u64();
        rng
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be zero.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `num / den`.
    pub(crate) fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_fixed() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut rng = Rng::for_model(7);
                move |_| rng.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut rng = Rng::for_model(7);
                move |_| rng.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(Rng::for_model(7).next_u64(), Rng::for_model(8).next_u64());
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::for_model(1);
        for n in 1..50 {
            assert!(rng.below(n) < n);
        }
    }
}
