//! The study's own random stream: SplitMix64 started from the study's seed and a label, with an
//! unbiased bounded draw and a Fisher–Yates shuffle. Written out here rather than taken from
//! `rand`, whose algorithms change between versions, so that the page orders and item subsets
//! of a study can be redrawn from its data package in R or Python (docs/statistics.md,
//! "The random stream").

/// SplitMix64's increment (the golden ratio in 64 bits) and output multipliers (Steele, Lea &
/// Flood 2014; Vigna's reference `splitmix64.c`).
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
const MIX_1: u64 = 0xBF58_476D_1CE4_E5B9;
const MIX_2: u64 = 0x94D0_49BB_1331_11EB;

/// FNV-1a, 64 bits: how a label (`order:2:E007`) is folded into the seed.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(PRIME))
}

/// A stream of 64-bit numbers. The same seed and label always give the same numbers.
#[derive(Debug, Clone)]
pub struct Stream {
    state: u64,
}

impl Stream {
    /// SplitMix64 started at `state` itself (the published test vectors start this way).
    pub fn from_state(state: u64) -> Stream {
        Stream { state }
    }

    /// The stream for one purpose of one study: its state starts at `seed ⊕ FNV-1a-64(label)`.
    /// Labels keep the draws for different rounds, experts and purposes apart.
    pub fn new(seed: u64, label: &str) -> Stream {
        Stream::from_state(seed ^ fnv1a64(label.as_bytes()))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(MIX_1);
        z = (z ^ (z >> 27)).wrapping_mul(MIX_2);
        z ^ (z >> 31)
    }

    /// A whole number in `0..bound`, every value equally likely: numbers below `2^64 mod bound`
    /// are drawn again, so the rest is a whole number of copies of `0..bound`. 0 for a bound
    /// of 0 or 1, without drawing.
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound <= 1 {
            return 0;
        }
        let rejected_below = bound.wrapping_neg() % bound;
        loop {
            let x = self.next_u64();
            if x >= rejected_below {
                return x % bound;
            }
        }
    }

    /// Fisher–Yates (Durstenfeld): for `i` from the last index down to 1, swap element `i`
    /// with element `below(i + 1)`. A list of 0 or 1 element draws nothing.
    pub fn shuffle<T>(&mut self, list: &mut [T]) {
        for i in (1..list.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            list.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Rosetta Code, "Pseudo-random numbers/Splitmix64": the first five outputs for seed
    /// 1234567, and Vigna's `splitmix64.c` started at 0.
    #[test]
    fn the_published_splitmix64_outputs() {
        let mut stream = Stream::from_state(1_234_567);
        let first: Vec<u64> = (0..5).map(|_| stream.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
        assert_eq!(Stream::from_state(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    /// The FNV-1a test vectors of its authors' reference (`""`, `"a"`, `"foobar"`).
    #[test]
    fn the_published_fnv1a64_hashes() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    /// The worked example of docs/statistics.md, "The random stream".
    #[test]
    fn the_worked_example_of_the_documentation() {
        let mut stream = Stream::new(42, "order:2:E001");
        let mut items = ["A", "B", "C", "D"];
        stream.shuffle(&mut items);
        assert_eq!(items, ["C", "B", "A", "D"]);
    }

    #[test]
    fn small_bounds_draw_nothing() {
        let mut stream = Stream::new(7, "x");
        let before = stream.clone().next_u64();
        assert_eq!(stream.below(0), 0);
        assert_eq!(stream.below(1), 0);
        assert_eq!(stream.next_u64(), before);
    }

    proptest! {
        #[test]
        fn draws_stay_below_their_bound(seed: u64, bound in 1u64..=u64::MAX) {
            let mut stream = Stream::from_state(seed);
            prop_assert!(stream.below(bound) < bound);
        }

        /// A shuffle is a permutation, and the same seed and label give the same one.
        #[test]
        fn shuffles_are_reproducible_permutations(seed: u64, label in "[a-z0-9:]{0,12}", len in 0usize..40) {
            let original: Vec<usize> = (0..len).collect();
            let mut once = original.clone();
            Stream::new(seed, &label).shuffle(&mut once);
            let mut again = original.clone();
            Stream::new(seed, &label).shuffle(&mut again);
            prop_assert_eq!(&once, &again);
            once.sort_unstable();
            prop_assert_eq!(once, original);
        }
    }

    /// Every value of a small bound comes up about equally often (a bias of `2^64 mod bound`
    /// could not be seen this way, which is why the rejection is also tested on its own).
    #[test]
    fn a_small_bound_is_drawn_evenly() {
        let mut stream = Stream::new(1, "even");
        let mut seen = [0u32; 6];
        for _ in 0..60_000 {
            seen[stream.below(6) as usize] += 1;
        }
        assert!(seen.iter().all(|&n| (9_400..=10_600).contains(&n)), "{seen:?}");
    }

    /// With a bound just above 2^63, about half the numbers are rejected; the accepted ones
    /// wrap once, so the result is never the unbiased range's missing top.
    #[test]
    fn numbers_below_the_remainder_are_drawn_again() {
        let bound = (1u64 << 63) + 1;
        let rejected_below = bound.wrapping_neg() % bound;
        assert_eq!(rejected_below, (1u64 << 63) - 1);
        let mut stream = Stream::from_state(3);
        let mut copy = stream.clone();
        let value = stream.below(bound);
        let first_accepted = std::iter::repeat_with(|| copy.next_u64())
            .find(|&x| x >= rejected_below)
            .map(|x| x % bound);
        assert_eq!(Some(value), first_accepted);
    }
}
