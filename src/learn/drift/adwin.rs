//! ADWIN, ADaptive WINdowing (Bifet & Gavaldà, 2007), in its ADWIN2 form over an exponential
//! histogram, with River 0.26's semantics.
//!
//! What it is for: detecting a change in the mean of a stream of values (typically a learner's 0/1
//! error stream) with a false-positive bound `delta`, while keeping an estimate of the current mean.
//! What it is not: a warning-level detector; it only signals drift.

use serde::{Deserialize, Serialize};

use super::cut_test::CutTest;
use super::exponential_histogram::{bucket_size, ExponentialHistogram};
use crate::learn::params::{invalid, parse_value};
use crate::learn::{DriftDetector, Hyperparams, ParamError};

/// Hyperparameters of [`Adwin`]; `Default` gives River 0.26's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AdwinParams {
    /// Significance of the cut test, in (0, 1): smaller means fewer false alarms and later detection.
    pub delta: f64,
    /// The cut test runs once every `clock` updates (1 = every update).
    pub clock: u32,
    /// Buckets of each size kept before the two oldest merge (at least 1).
    pub max_buckets: u32,
    /// Smallest sub-window length considered by the cut test.
    pub min_window_length: u32,
    /// No cut test runs while the window holds `grace_period` values or fewer.
    pub grace_period: u32,
}

/// River's `ADWIN(delta=0.002)`.
const fn default_delta() -> f64 {
    0.002
}
/// River's `ADWIN(clock=32)`.
const fn default_clock() -> u32 {
    32
}
/// River's `ADWIN(max_buckets=5)`.
const fn default_max_buckets() -> u32 {
    5
}
/// River's `ADWIN(min_window_length=5)`.
const fn default_min_window_length() -> u32 {
    5
}
/// River's `ADWIN(grace_period=10)`.
const fn default_grace_period() -> u32 {
    10
}

impl Default for AdwinParams {
    fn default() -> Self {
        Self {
            delta: default_delta(),
            clock: default_clock(),
            max_buckets: default_max_buckets(),
            min_window_length: default_min_window_length(),
            grace_period: default_grace_period(),
        }
    }
}

impl Hyperparams for AdwinParams {
    const LEARNER: &'static str = "adwin";
    const KEYS: &'static [&'static str] = &[
        "delta",
        "clock",
        "max_buckets",
        "min_window_length",
        "grace_period",
    ];

    fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        match key {
            "delta" => self.delta = parse_value(key, value)?,
            "clock" => self.clock = parse_value(key, value)?,
            "max_buckets" => self.max_buckets = parse_value(key, value)?,
            "min_window_length" => self.min_window_length = parse_value(key, value)?,
            "grace_period" => self.grace_period = parse_value(key, value)?,
            _ => return Err(Self::unknown_key(key)),
        }
        Ok(())
    }
}

/// Largest accepted `max_buckets`: every row reserves `max_buckets + 1` slots up front, so an
/// absurd value would exhaust memory at build time (River's default is 5).
const MAX_BUCKETS_LIMIT: u32 = 1 << 16;

impl AdwinParams {
    /// Checks the hyperparameters and builds an empty detector.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] when `delta` is not in (0, 1), `clock` is 0, or `max_buckets`
    /// is 0 or above 65536.
    pub fn build(self) -> Result<Adwin, ParamError> {
        if !(self.delta > 0.0 && self.delta < 1.0) {
            return Err(invalid("delta", self.delta, "must be in (0, 1)"));
        }
        if self.clock == 0 {
            return Err(invalid("clock", self.clock, "must be at least 1"));
        }
        if !(1..=MAX_BUCKETS_LIMIT).contains(&self.max_buckets) {
            return Err(invalid(
                "max_buckets",
                self.max_buckets,
                format!("must be in 1..={MAX_BUCKETS_LIMIT}"),
            ));
        }
        Ok(Adwin::with_params(self))
    }
}

/// The ADWIN drift detector (Bifet & Gavaldà, "Learning from time-changing data with adaptive
/// windowing", SDM 2007), matching River 0.26's `drift.ADWIN` update for update.
///
/// The window `W` is split at every bucket boundary into an older `W0` and a newer `W1` of lengths
/// `n0`, `n1` (both at least `min_window_length`); with `m = 1/(n0 - mwl + 1) + 1/(n1 - mwl + 1)`,
/// `d' = ln(2 ln|W| / delta)` and `s2` the window variance, a cut is found when
/// `|mean(W0) - mean(W1)| > sqrt(2 m s2 d') + 2/3 d' m`. While a cut exists the oldest bucket is
/// dropped and the scan restarts. The scan runs every `clock` updates once the window holds more
/// than `grace_period` values.
///
/// After a detection, like River (and unlike MOA, which keeps the shrunken window), the next
/// update first resets the detector: the window restarts empty and the clock restarts. Detection
/// indices are identical to River's (see `tests/adwin_golden.rs`).
///
/// Deliberate differences from River: [`n_detections`](Adwin::n_detections) counts every detection
/// since the detector was built (River's counter is reset with the window, so it is at most 1);
/// [`variance`](Adwin::variance) is the window variance (River's `variance` property is the
/// unnormalised sum of squared deviations); non-finite values are ignored (River's state would
/// become NaN).
///
/// # Examples
/// ```
/// use leadstream::learn::drift::Adwin;
/// use leadstream::learn::DriftDetector;
///
/// let mut adwin = Adwin::default();
/// let mut detections = Vec::new();
/// for i in 0..2000 {
///     // An error rate that jumps from 10% to 60% at index 1000.
///     let x = if i < 1000 { f64::from(i % 10 == 0) } else { f64::from(i % 10 < 6) };
///     if adwin.update(x) {
///         detections.push(i);
///     }
/// }
/// assert_eq!(detections, vec![1055]); // River 0.26 gives 1055 too
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adwin {
    params: AdwinParams,
    histogram: ExponentialHistogram,
    /// Sum of the values in the window.
    total: f64,
    /// Sum of squared deviations from the window mean.
    sum_sq_dev: f64,
    /// Number of values in the window, as f64 because every use of it is floating-point.
    width: f64,
    /// Updates since the cut test last had its turn (River's `tick % clock`).
    ticks_since_check: u32,
    n_detections: u64,
    drift: bool,
}

impl Default for Adwin {
    fn default() -> Self {
        Self::with_params(AdwinParams::default())
    }
}

impl Adwin {
    fn with_params(params: AdwinParams) -> Self {
        Self {
            histogram: ExponentialHistogram::new(params.max_buckets as usize),
            params,
            total: 0.0,
            sum_sq_dev: 0.0,
            width: 0.0,
            ticks_since_check: 0,
            n_detections: 0,
            drift: false,
        }
    }

    /// The hyperparameters this detector was built with.
    pub fn params(&self) -> &AdwinParams {
        &self.params
    }

    /// Number of values in the current window.
    pub fn width(&self) -> u64 {
        self.width as u64
    }

    /// Mean of the current window (0 when it is empty).
    pub fn estimate(&self) -> f64 {
        if self.width > 0.0 {
            self.total / self.width
        } else {
            0.0
        }
    }

    /// Population variance of the current window (0 when it is empty).
    pub fn variance(&self) -> f64 {
        if self.width > 0.0 {
            self.sum_sq_dev / self.width
        } else {
            0.0
        }
    }

    /// Sum of the values in the current window.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Number of drifts detected since the detector was built.
    pub fn n_detections(&self) -> u64 {
        self.n_detections
    }

    fn reset_window(&mut self) {
        self.histogram.clear();
        self.total = 0.0;
        self.sum_sq_dev = 0.0;
        self.width = 0.0;
        self.ticks_since_check = 0;
        self.drift = false;
    }

    fn insert(&mut self, x: f64) {
        self.width += 1.0;
        if self.width > 1.0 {
            // Welford's update against the mean of the previous window; River's operation order.
            let dev = x - self.total / (self.width - 1.0);
            self.sum_sq_dev += (self.width - 1.0) * dev * dev / self.width;
        }
        self.total += x;
        self.histogram.push(x);
    }

    /// Drops the oldest bucket, taking it out of the window's sum and variance.
    fn drop_oldest_bucket(&mut self) {
        let Some((n, bucket_total, bucket_sq_dev)) = self.histogram.pop_oldest() else {
            return;
        };
        let bucket_mean = bucket_total / n;
        self.width -= n;
        self.total -= bucket_total;
        let gap = bucket_mean - self.total / self.width;
        self.sum_sq_dev -= bucket_sq_dev + n * self.width * gap * gap / (n + self.width);
    }

    /// Whether some split of the window into old and new parts passes the cut test. Splits are
    /// tried at every bucket boundary, oldest first, as River does.
    fn has_cut(&self) -> bool {
        let test = CutTest::new(
            self.width,
            self.sum_sq_dev,
            self.params.delta,
            f64::from(self.params.min_window_length),
        );
        let (mut n0, mut n1) = (0.0, self.width);
        let (mut u0, mut u1) = (0.0, self.total);
        for row in (0..self.histogram.n_rows()).rev() {
            let size = bucket_size(row);
            let (older, newer) = self.histogram.row_totals(row);
            for &bucket_total in older.iter().chain(newer) {
                n0 += size;
                n1 -= size;
                u0 += bucket_total;
                u1 -= bucket_total;
                // The split after the newest bucket leaves W1 empty: it is never tested.
                if n1 <= 0.0 {
                    return false;
                }
                if test.is_cut(n0, u0, n1, u1) {
                    return true;
                }
            }
        }
        false
    }
}

impl DriftDetector for Adwin {
    fn update(&mut self, x: f64) -> bool {
        if self.drift {
            self.reset_window();
        }
        if !x.is_finite() {
            return false;
        }
        self.insert(x);
        self.ticks_since_check += 1;
        if self.ticks_since_check == self.params.clock {
            self.ticks_since_check = 0;
            if self.width > f64::from(self.params.grace_period) {
                while self.has_cut() {
                    self.drift = true;
                    self.drop_oldest_bucket();
                }
            }
        }
        if self.drift {
            self.n_detections += 1;
        }
        self.drift
    }

    fn drift_detected(&self) -> bool {
        self.drift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_rivers() {
        let p = AdwinParams::default();
        assert_eq!(
            (
                p.delta,
                p.clock,
                p.max_buckets,
                p.min_window_length,
                p.grace_period
            ),
            (0.002, 32, 5, 5, 10)
        );
        assert_eq!(AdwinParams::default().build(), Ok(Adwin::default()));
    }

    #[test]
    fn set_and_build_validate() {
        let mut p = AdwinParams::default();
        p.set("delta", "0.01").unwrap();
        p.set("clock", "1").unwrap();
        assert_eq!((p.delta, p.clock), (0.01, 1));
        assert!(matches!(
            p.set("nope", "1"),
            Err(ParamError::UnknownKey { .. })
        ));
        assert!(matches!(
            p.set("clock", "-1"),
            Err(ParamError::InvalidValue { .. })
        ));
        for (key, value) in [
            ("delta", "0"),
            ("delta", "1"),
            ("clock", "0"),
            ("max_buckets", "0"),
            ("max_buckets", "4000000000"),
        ] {
            let mut p = AdwinParams::default();
            p.set(key, value).unwrap();
            assert!(p.build().is_err(), "{key}={value} must be refused");
        }
    }

    #[test]
    fn window_statistics_match_a_direct_computation() {
        let mut a = Adwin::default();
        for v in [1.0, 2.0, 3.0, 4.0, 5.0] {
            assert!(!a.update(v));
        }
        assert_eq!(a.width(), 5);
        assert_eq!(a.total(), 15.0);
        assert_eq!(a.estimate(), 3.0);
        assert!((a.variance() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn constant_stream_never_drifts_and_keeps_everything() {
        let mut a = Adwin::default();
        for _ in 0..10_000 {
            assert!(!a.update(0.25));
        }
        assert_eq!(a.width(), 10_000);
        assert_eq!(a.n_detections(), 0);
        assert!((a.estimate() - 0.25).abs() < 1e-12);
    }

    #[test]
    fn mean_shift_is_detected_then_the_window_resets() {
        let mut a = AdwinParams {
            clock: 1,
            ..AdwinParams::default()
        }
        .build()
        .unwrap();
        for _ in 0..500 {
            assert!(!a.update(0.0));
        }
        let mut at = None;
        for i in 0..500 {
            if a.update(1.0) {
                at = Some(i);
                break;
            }
        }
        let at = at.expect("a jump from 0 to 1 must be detected");
        assert!(at < 50, "detected {at} values after the change");
        assert!(a.drift_detected());
        // The window was cut to mostly new values; the next update starts a fresh window.
        assert!(a.width() < 501);
        assert!(!a.update(1.0));
        assert_eq!(a.width(), 1);
        assert_eq!(a.n_detections(), 1);
        assert!(!a.drift_detected());
    }

    #[test]
    fn the_cut_test_waits_for_the_clock_and_the_grace_period() {
        let params = AdwinParams {
            grace_period: 100,
            clock: 1,
            ..AdwinParams::default()
        };
        let mut a = params.build().unwrap();
        for i in 0..100 {
            assert!(!a.update(f64::from(u8::from(i >= 50)) * 100.0));
        }
        // Window of 101 > grace period: the stark jump is now found.
        assert!(a.update(100.0));
    }

    #[test]
    fn non_finite_values_are_ignored() {
        let mut a = Adwin::default();
        a.update(1.0);
        assert!(!a.update(f64::NAN));
        assert!(!a.update(f64::INFINITY));
        assert_eq!(a.width(), 1);
        assert_eq!(a.estimate(), 1.0);
    }

    #[test]
    fn serde_round_trip_continues_identically() {
        let mut a = AdwinParams {
            clock: 4,
            ..AdwinParams::default()
        }
        .build()
        .unwrap();
        for i in 0..300 {
            a.update(f64::from(i % 7) / 7.0);
        }
        let mut b: Adwin = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        for i in 0..300 {
            let x = f64::from(i % 3);
            assert_eq!(a.update(x), b.update(x));
        }
        assert_eq!(a, b);
    }
}
