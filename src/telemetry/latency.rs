//! Latency histograms on HdrHistogram: record durations with bounded relative error, read
//! percentiles, merge across threads, and measure open-loop latency without coordinated
//! omission.
//!
//! What it is for: the load generator's per-event end-to-end latencies, benchmarks, and the
//! local aggregation behind [`super::LatencyBatch`].
//! What it is not: the Prometheus histograms (those have fixed buckets; see
//! [`super::catalogue`]).
//!
//! Coordinated omission (Gil Tene): a closed-loop tester that waits for a slow response also
//! stops sending, so the stall is recorded once instead of for every request that should have
//! been sent during it. An open-loop tester fixes this by measuring each event from its
//! *intended* send time (start + i / rate), not from when it was actually sent:
//! [`LatencyHistogram::record_since_intended`].
//!
//! # Examples
//! ```
//! use std::time::Duration;
//! use leadstream::telemetry::LatencyHistogram;
//!
//! let mut h = LatencyHistogram::new();
//! for ms in 1..=100 {
//!     h.record(Duration::from_millis(ms));
//! }
//! let s = h.summary();
//! assert_eq!(s.count, 100);
//! assert!((49_000_000..=51_000_000).contains(&s.p50_ns));
//! assert!((99_000_000..=100_100_000).contains(&s.max_ns));
//! ```

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use super::TelemetryError;

/// Largest latency [`LatencyHistogram::new`] tracks exactly: one hour, in nanoseconds. Larger
/// values are clamped to it (and so still counted).
pub const DEFAULT_MAX_NS: u64 = 3_600_000_000_000;

/// A histogram of latencies in nanoseconds.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    hist: Histogram<u64>,
}

/// Percentiles of a [`LatencyHistogram`], nanoseconds (0 when empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LatencySummary {
    /// Number of recorded values.
    pub count: u64,
    /// Smallest value.
    pub min_ns: u64,
    /// Mean, rounded down.
    pub mean_ns: u64,
    /// Median.
    pub p50_ns: u64,
    /// 90th percentile.
    pub p90_ns: u64,
    /// 99th percentile.
    pub p99_ns: u64,
    /// 99.9th percentile.
    pub p999_ns: u64,
    /// Largest value.
    pub max_ns: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    /// 1 ns to one hour with 3 significant digits (0.1% relative error).
    pub fn new() -> Self {
        // Constant, valid bounds: construction cannot fail.
        Self::with_bounds(DEFAULT_MAX_NS, 3).expect("constant histogram bounds are valid")
    }

    /// 1 ns to `max_ns` with `sigfigs` significant digits (0 to 5).
    ///
    /// # Errors
    /// [`TelemetryError::Histogram`] if `max_ns < 2` or `sigfigs > 5`.
    pub fn with_bounds(max_ns: u64, sigfigs: u8) -> Result<Self, TelemetryError> {
        Histogram::new_with_bounds(1, max_ns, sigfigs)
            .map(|hist| Self { hist })
            .map_err(|e| TelemetryError::Histogram(format!("{e:?}")))
    }

    /// Records one latency; values above the maximum are clamped to it.
    pub fn record(&mut self, latency: Duration) {
        self.record_ns(u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX));
    }

    /// Records one latency in nanoseconds (0 counts as 1 ns; above the maximum is clamped).
    pub fn record_ns(&mut self, ns: u64) {
        self.hist.saturating_record(ns.max(1));
    }

    /// Records `count` observations of `ns` nanoseconds.
    pub fn record_n(&mut self, ns: u64, count: u64) {
        let clamped = ns.max(1).min(self.hist.high());
        // Clamped into range, so recording cannot fail.
        let _ = self.hist.record_n(clamped, count);
    }

    /// Records the open-loop latency of an event that should have been sent at `intended` and
    /// was answered at `done`: waiting time before a late send counts (no coordinated omission).
    pub fn record_since_intended(&mut self, intended: Instant, done: Instant) {
        self.record(done.saturating_duration_since(intended));
    }

    /// Records `ns` from a closed-loop tester that sends every `expected_interval_ns`, adding the
    /// values that stalled requests would have seen (HdrHistogram's correction).
    pub fn record_corrected(&mut self, ns: u64, expected_interval_ns: u64) {
        let clamped = ns.max(1).min(self.hist.high());
        // Clamped into range, so recording cannot fail.
        let _ = self.hist.record_correct(clamped, expected_interval_ns);
    }

    /// Adds every value of `other` (same or narrower bounds) into this histogram.
    ///
    /// # Errors
    /// [`TelemetryError::Histogram`] if `other` holds values this one cannot represent.
    pub fn merge(&mut self, other: &Self) -> Result<(), TelemetryError> {
        self.hist
            .add(&other.hist)
            .map_err(|e| TelemetryError::Histogram(format!("{e:?}")))
    }

    /// Number of recorded values.
    pub fn len(&self) -> u64 {
        self.hist.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.hist.is_empty()
    }

    /// Forgets every value, keeping the allocation.
    pub fn clear(&mut self) {
        self.hist.reset();
    }

    /// The value at `quantile` (0 to 1), nanoseconds.
    pub fn quantile_ns(&self, quantile: f64) -> u64 {
        self.hist.value_at_quantile(quantile.clamp(0.0, 1.0))
    }

    /// Count and percentiles.
    pub fn summary(&self) -> LatencySummary {
        if self.hist.is_empty() {
            return LatencySummary {
                count: 0,
                min_ns: 0,
                mean_ns: 0,
                p50_ns: 0,
                p90_ns: 0,
                p99_ns: 0,
                p999_ns: 0,
                max_ns: 0,
            };
        }
        LatencySummary {
            count: self.hist.len(),
            min_ns: self.hist.min(),
            mean_ns: self.hist.mean() as u64,
            p50_ns: self.quantile_ns(0.5),
            p90_ns: self.quantile_ns(0.9),
            p99_ns: self.quantile_ns(0.99),
            p999_ns: self.quantile_ns(0.999),
            max_ns: self.hist.max(),
        }
    }

    /// Every distinct recorded value (a representative in nanoseconds) with its count.
    pub fn recorded(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.hist.iter_recorded().map(|v| {
            (
                self.hist.median_equivalent(v.value_iterated_to()),
                v.count_at_value(),
            )
        })
    }

    /// The underlying HdrHistogram, for serialization or custom queries.
    pub fn as_hdr(&self) -> &Histogram<u64> {
        &self.hist
    }
}
