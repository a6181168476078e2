//! The small running statistics a lead keeps: response latency, sentiment dynamics and
//! hour-of-week responsiveness, each in a few bytes.
//!
//! What it is for: compact, allocation-free accumulators with their update rules documented.
//! What it is not: a general statistics library; types are `f32` on purpose (memory per lead).

/// Response latency statistics over `ln(1 + seconds)` (Welford's online mean and variance;
/// the log tames the heavy tail of "replied a week later").
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct LatencyStats {
    n: u32,
    mean: f32,
    m2: f32,
    last: f32,
}

impl LatencyStats {
    /// Adds one latency in milliseconds (negative values are treated as 0).
    pub fn push(&mut self, latency_ms: i64) {
        let x = (1.0 + latency_ms.max(0) as f64 / 1_000.0).ln() as f32;
        self.n = self.n.saturating_add(1);
        let delta = x - self.mean;
        self.mean += delta / self.n as f32;
        self.m2 += delta * (x - self.mean);
        self.m2 = self.m2.max(0.0);
        self.last = x;
    }

    /// How many latencies were observed.
    pub const fn count(&self) -> u32 {
        self.n
    }

    /// Mean of `ln(1 + seconds)`; 0 before any observation.
    pub fn mean_log_s(&self) -> f64 {
        f64::from(self.mean)
    }

    /// Standard deviation of `ln(1 + seconds)`; 0 with fewer than two observations.
    pub fn std_log_s(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (f64::from(self.m2) / f64::from(self.n - 1)).sqrt()
        }
    }

    /// The most recent latency as `ln(1 + seconds)`.
    pub fn last_log_s(&self) -> f64 {
        f64::from(self.last)
    }
}

/// Smoothing of the slow sentiment average (about the last 9 messages).
pub const SENTIMENT_SLOW_ALPHA: f32 = 0.2;
/// Smoothing of the fast sentiment average (about the last 3 messages).
pub const SENTIMENT_FAST_ALPHA: f32 = 0.5;

/// Sentiment of a lead's messages over time: a slow and a fast exponentially weighted moving
/// average of VADER compound, their difference as the trend, and an exponentially weighted
/// deviation around the slow average as the volatility (the rolling deviation).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SentimentTracker {
    n: u32,
    slow: f32,
    fast: f32,
    var: f32,
    last: f32,
}

impl SentimentTracker {
    /// Adds one message's compound score (clamped to `[-1, 1]`; non-finite values are ignored).
    pub fn push(&mut self, compound: f64) {
        if !compound.is_finite() {
            return;
        }
        let x = compound.clamp(-1.0, 1.0) as f32;
        if self.n == 0 {
            self.slow = x;
            self.fast = x;
            self.var = 0.0;
        } else {
            let diff = x - self.slow;
            self.slow += SENTIMENT_SLOW_ALPHA * diff;
            self.fast += SENTIMENT_FAST_ALPHA * (x - self.fast);
            // Exponentially weighted variance (West 1979 / Finch 2009 incremental form).
            self.var =
                (1.0 - SENTIMENT_SLOW_ALPHA) * (self.var + SENTIMENT_SLOW_ALPHA * diff * diff);
        }
        self.last = x;
        self.n = self.n.saturating_add(1);
    }

    /// Messages scored so far.
    pub const fn count(&self) -> u32 {
        self.n
    }

    /// Slow average of compound sentiment, in `[-1, 1]`.
    pub fn ewma(&self) -> f64 {
        f64::from(self.slow)
    }

    /// Fast minus slow average: positive when sentiment is improving.
    pub fn trend(&self) -> f64 {
        f64::from(self.fast - self.slow)
    }

    /// Exponentially weighted standard deviation around the slow average.
    pub fn volatility(&self) -> f64 {
        f64::from(self.var.max(0.0)).sqrt()
    }

    /// The last message's compound score.
    pub fn last(&self) -> f64 {
        f64::from(self.last)
    }
}

/// Hours in a week.
pub const HOURS_PER_WEEK: usize = 168;

/// Hour of the week in UTC, Monday 00:00 = 0 (1970-01-01 was a Thursday, hence the 72 h offset).
pub fn hour_of_week(ts_ms: i64) -> usize {
    let hours = ts_ms.div_euclid(3_600_000);
    (hours + 72).rem_euclid(HOURS_PER_WEEK as i64) as usize
}

/// When in the week a lead responds: one saturating byte per hour of the week. When a bucket
/// would pass 255 every bucket is halved, so the shape (what features use) is kept in 168 bytes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HourOfWeek {
    #[serde(with = "super::byte_array")]
    counts: [u8; HOURS_PER_WEEK],
    total: u32,
}

impl Default for HourOfWeek {
    fn default() -> Self {
        Self {
            counts: [0; HOURS_PER_WEEK],
            total: 0,
        }
    }
}

impl HourOfWeek {
    /// Records one response at `ts_ms`.
    pub fn record(&mut self, ts_ms: i64) {
        let h = hour_of_week(ts_ms);
        if self.counts[h] == u8::MAX {
            for c in &mut self.counts {
                *c /= 2;
            }
            self.total = self.counts.iter().map(|&c| u32::from(c)).sum();
        }
        self.counts[h] += 1;
        self.total += 1;
    }

    /// Share of responses in the 3-hour window centred on the hour of `ts_ms`; 0 with no data.
    pub fn share_near(&self, ts_ms: i64) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let h = hour_of_week(ts_ms);
        let window: u32 = [HOURS_PER_WEEK - 1, 0, 1]
            .iter()
            .map(|d| u32::from(self.counts[(h + d) % HOURS_PER_WEEK]))
            .sum();
        f64::from(window) / f64::from(total)
    }

    /// Share of responses at the same hour of day (any weekday), in a 3-hour window.
    pub fn share_time_of_day(&self, ts_ms: i64) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let h = hour_of_week(ts_ms) % 24;
        let mut hits = 0_u32;
        for day in 0..7 {
            for d in [23, 0, 1] {
                hits += u32::from(self.counts[day * 24 + (h + d) % 24]);
            }
        }
        f64::from(hits) / f64::from(total)
    }

    /// The largest share of responses in any single hour (1 = always the same hour).
    pub fn peak_share(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let max = self.counts.iter().copied().max().unwrap_or(0);
        f64::from(max) / f64::from(total)
    }

    /// The raw bucket counts.
    pub fn counts(&self) -> &[u8; HOURS_PER_WEEK] {
        &self.counts
    }

    /// Sum of the bucket counts (kept, not recomputed, on the hot path).
    pub const fn total(&self) -> u32 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_of_week_anchors() {
        assert_eq!(hour_of_week(0), 72); // Thursday 1970-01-01 00:00
                                         // 2026-11-23T00:00:00Z is a Monday.
        assert_eq!(hour_of_week(1_795_392_000_000), 0);
        assert_eq!(hour_of_week(1_795_392_000_000 + 167 * 3_600_000), 167);
        assert_eq!(hour_of_week(-3_600_000), 71);
    }

    #[test]
    fn sentiment_trend_follows_direction() {
        let mut s = SentimentTracker::default();
        for x in [-0.8, -0.6, -0.2, 0.3, 0.7] {
            s.push(x);
        }
        assert!(s.trend() > 0.0);
        assert!(s.volatility() > 0.1);
        let mut flat = SentimentTracker::default();
        for _ in 0..5 {
            flat.push(0.4);
        }
        assert!(flat.volatility().abs() < 1e-6);
        assert!((flat.ewma() - 0.4).abs() < 1e-6);
    }

    #[test]
    fn latency_statistics() {
        let mut l = LatencyStats::default();
        l.push(59_000); // ln(60)
        l.push(3_599_000); // ln(3600)
        assert_eq!(l.count(), 2);
        let expect = (60f64.ln() + 3600f64.ln()) / 2.0;
        assert!((l.mean_log_s() - expect).abs() < 1e-4);
        assert!(l.std_log_s() > 2.0);
    }

    #[test]
    fn hour_buckets_halve_instead_of_overflowing() {
        let mut h = HourOfWeek::default();
        for _ in 0..600 {
            h.record(0);
        }
        h.record(3_600_000);
        let sum: u32 = h.counts().iter().map(|&c| u32::from(c)).sum();
        assert_eq!(h.total(), sum);
        assert!(h.counts()[72] > 100);
        assert_eq!(h.counts()[73], 1);
        assert!(h.peak_share() > 0.9);
    }
}
