//! How long a failed job waits before its next attempt.

use std::time::Duration;

/// Exponential backoff: `base · 2^(attempt−1)`, capped at `cap`, plus up to 25 % jitter so
/// that many jobs failing together do not retry in lockstep. `jitter` is a number in `[0, 1)`
/// supplied by the caller (this crate has no randomness).
pub fn backoff(attempt: u32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let raw = base.saturating_mul(1u32 << exp).min(cap);
    let jitter = jitter.clamp(0.0, 0.999_999);
    // Jitter only spreads timing; it is never used for money.
    raw + raw.mul_f64(0.25 * jitter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_then_caps() {
        let b = Duration::from_secs(10);
        let cap = Duration::from_secs(3600);
        assert_eq!(backoff(1, b, cap, 0.0), Duration::from_secs(10));
        assert_eq!(backoff(2, b, cap, 0.0), Duration::from_secs(20));
        assert_eq!(backoff(4, b, cap, 0.0), Duration::from_secs(80));
        assert_eq!(backoff(40, b, cap, 0.0), cap);
    }

    proptest! {
        #[test]
        fn never_shrinks_and_stays_bounded(attempt in 1u32..100, jitter in 0.0f64..1.0) {
            let b = Duration::from_secs(5);
            let cap = Duration::from_secs(3600);
            let d = backoff(attempt, b, cap, jitter);
            prop_assert!(d >= b);
            prop_assert!(d <= cap + cap / 4);
            prop_assert!(backoff(attempt + 1, b, cap, 0.0) >= backoff(attempt, b, cap, 0.0));
        }
    }
}
