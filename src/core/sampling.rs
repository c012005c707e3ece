//! Sampling: `sampleRate` (0 to 1, default 1) is the share of traces a caller sends. It is
//! decided once per trace, at its root, from one draw of the host's random numbers; every span of
//! the trace follows, so that a trace is sent whole or not at all. Single calls (`start`, `log`,
//! `update`, `logBatch`) are always sent: an `update` must find the event its `log` made.

/// The share of traces sent: a number from 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleRate(f64);

impl SampleRate {
    /// The least rate: no trace is sent.
    pub const MIN: f64 = 0.0;
    /// The greatest rate, and the default: every trace is sent.
    pub const MAX: f64 = 1.0;
    /// Every trace is sent (the default).
    pub const ALL: SampleRate = SampleRate(SampleRate::MAX);
    /// How an error names the rates the option takes.
    pub const EXPECTED: &'static str = "a number from 0 to 1";

    /// The rate `rate`, when it is one (a number from 0 to 1).
    pub fn new(rate: f64) -> Option<SampleRate> {
        (SampleRate::MIN..=SampleRate::MAX)
            .contains(&rate)
            .then_some(SampleRate(rate))
    }

    /// Whether a trace is sent, given a draw in `[0, 1)`: `draw` is called only for a rate
    /// between 0 and 1, so that the default costs no random number.
    pub fn keeps(self, draw: impl FnOnce() -> f64) -> bool {
        match self.0 {
            rate if rate >= SampleRate::MAX => true,
            rate if rate <= SampleRate::MIN => false,
            rate => draw() < rate,
        }
    }
}

impl Default for SampleRate {
    fn default() -> Self {
        SampleRate::ALL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_is_a_number_from_0_to_1() {
        assert_eq!(SampleRate::new(0.0), Some(SampleRate(0.0)));
        assert_eq!(SampleRate::new(1.0), Some(SampleRate::ALL));
        for bad in [-0.01, 1.01, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(SampleRate::new(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_ends_draw_nothing() {
        let never = || -> f64 { panic!("no draw at 0 or 1") };
        assert!(SampleRate::ALL.keeps(never));
        assert!(!SampleRate(0.0).keeps(never));
    }

    #[test]
    fn a_trace_is_kept_when_its_draw_is_below_the_rate() {
        let half = SampleRate(0.5);
        assert!(half.keeps(|| 0.0));
        assert!(half.keeps(|| 0.499_999));
        assert!(!half.keeps(|| 0.5));
        assert!(!half.keeps(|| 0.999_999));
        // Over an even spread of draws, the share kept is the rate.
        let kept = (0..1000)
            .filter(|i| SampleRate(0.3).keeps(|| f64::from(*i) / 1000.0))
            .count();
        assert_eq!(kept, 300);
    }
}
