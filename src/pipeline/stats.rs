//! Counters and latency histograms of a running pipeline, and the summary printed at the end.
//!
//! What it is for: stages count locally and flush here (atomics for counts, once per batch;
//! mutex-held HdrHistograms for latency, merged by each shard every 50 ms and at the end), so
//! the live line and the final summary read one place without a call per record.
//! What it is not: the Prometheus exporter (telemetry); these are the engine's own figures.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use hdrhistogram::Histogram;

/// Highest latency tracked, in microseconds (one minute); larger values are clamped.
const MAX_LATENCY_US: u64 = 60_000_000;

/// A latency histogram in microseconds, 3 significant digits.
pub(crate) fn latency_histogram() -> Histogram<u64> {
    // Constant bounds that hdrhistogram accepts (1 <= low, high >= 2 * low, sigfig <= 5): not
    // input-dependent, so this cannot fail at run time.
    #[allow(clippy::expect_used)]
    Histogram::new_with_bounds(1, MAX_LATENCY_US, 3).expect("constant histogram bounds are valid")
}

/// Records `us` microseconds, clamped to the tracked range.
pub(crate) fn record_us(h: &mut Histogram<u64>, us: u64) {
    let _ = h.record(us.clamp(1, MAX_LATENCY_US));
}

/// Counts of a running pipeline, shared by every stage.
#[derive(Debug)]
pub struct PipelineStats {
    /// Input records read by the source.
    pub records_in: AtomicU64,
    /// Events decoded and applied by shard workers.
    pub events: AtomicU64,
    /// Decisions emitted.
    pub decisions: AtomicU64,
    /// Churn alerts emitted.
    pub alerts: AtomicU64,
    /// Records rejected to the dead-letter sink.
    pub dead_letters: AtomicU64,
    /// Labelled examples learned.
    pub examples: AtomicU64,
    /// Outputs acknowledged by the sink (written or delivered).
    pub delivered: AtomicU64,
    /// Input offsets committed (Kafka only).
    pub commits: AtomicU64,
    /// Leads held and leads per journey stage, summed over shards.
    pub leads: super::lead_gauges::LeadGauges,
    processing: Mutex<Histogram<u64>>,
    in_pipeline: Mutex<Histogram<u64>>,
    interval: Mutex<Histogram<u64>>,
}

impl Default for PipelineStats {
    fn default() -> Self {
        Self {
            records_in: AtomicU64::new(0),
            events: AtomicU64::new(0),
            decisions: AtomicU64::new(0),
            alerts: AtomicU64::new(0),
            dead_letters: AtomicU64::new(0),
            examples: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            commits: AtomicU64::new(0),
            leads: super::lead_gauges::LeadGauges::default(),
            processing: Mutex::new(latency_histogram()),
            in_pipeline: Mutex::new(latency_histogram()),
            interval: Mutex::new(latency_histogram()),
        }
    }
}

/// Adds `n` to a counter.
pub(crate) fn add(counter: &AtomicU64, n: u64) {
    if n > 0 {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// Reads a counter.
pub(crate) fn get(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

impl PipelineStats {
    /// Merges a shard's per-batch histograms: `processing` (time spent on each event) and
    /// `in_pipeline` (receipt to outputs ready, queueing included).
    pub fn merge_latency(&self, processing: &Histogram<u64>, in_pipeline: &Histogram<u64>) {
        if let Ok(mut h) = self.processing.lock() {
            let _ = h.add(processing);
        }
        if let Ok(mut h) = self.interval.lock() {
            let _ = h.add(processing);
        }
        if let Ok(mut h) = self.in_pipeline.lock() {
            let _ = h.add(in_pipeline);
        }
    }

    /// The p99 processing latency since the last call, in microseconds (for the live line).
    pub fn take_interval_p99_us(&self) -> Option<u64> {
        let mut h = self.interval.lock().ok()?;
        let p99 = (!h.is_empty()).then(|| h.value_at_quantile(0.99));
        h.reset();
        p99
    }

    /// The one-line live view: events/s over `elapsed`, counts and recent p99.
    pub fn live_line(&self, events_per_s: f64) -> String {
        let p99 = self
            .take_interval_p99_us()
            .map_or_else(|| "-".to_string(), |us| format!("{us} us"));
        format!(
            "{:>10.0} events/s | events {} | decisions {} | alerts {} | dead letters {} | p99 {}",
            events_per_s,
            get(&self.events),
            get(&self.decisions),
            get(&self.alerts),
            get(&self.dead_letters),
            p99
        )
    }

    /// The final summary after `elapsed`.
    pub fn summary(&self, elapsed: Duration) -> Summary {
        let quantiles = |h: &Mutex<Histogram<u64>>| {
            h.lock().map_or([0; 4], |h| {
                [
                    h.value_at_quantile(0.5),
                    h.value_at_quantile(0.99),
                    h.value_at_quantile(0.999),
                    h.max(),
                ]
            })
        };
        let events = get(&self.events);
        Summary {
            records: get(&self.records_in),
            events,
            decisions: get(&self.decisions),
            alerts: get(&self.alerts),
            dead_letters: get(&self.dead_letters),
            examples: get(&self.examples),
            elapsed_s: elapsed.as_secs_f64(),
            events_per_s: events as f64 / elapsed.as_secs_f64().max(1e-9),
            processing_us: quantiles(&self.processing),
            in_pipeline_us: quantiles(&self.in_pipeline),
        }
    }
}

/// What a finished run did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Input records read.
    pub records: u64,
    /// Events decoded and processed.
    pub events: u64,
    /// Decisions emitted.
    pub decisions: u64,
    /// Churn alerts emitted.
    pub alerts: u64,
    /// Records sent to the dead-letter sink.
    pub dead_letters: u64,
    /// Labelled examples learned.
    pub examples: u64,
    /// Wall-clock duration, seconds.
    pub elapsed_s: f64,
    /// Events processed per second of wall-clock time.
    pub events_per_s: f64,
    /// Per-event processing latency (decode to outputs serialized) p50, p99, p99.9, max in
    /// microseconds.
    pub processing_us: [u64; 4],
    /// Receipt-to-outputs latency (batching and queueing included) p50, p99, p99.9, max in
    /// microseconds.
    pub in_pipeline_us: [u64; 4],
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "records       {}", self.records)?;
        writeln!(f, "events        {}", self.events)?;
        writeln!(f, "decisions     {}", self.decisions)?;
        writeln!(f, "alerts        {}", self.alerts)?;
        writeln!(f, "dead letters  {}", self.dead_letters)?;
        writeln!(f, "examples      {}", self.examples)?;
        writeln!(f, "elapsed       {:.3} s", self.elapsed_s)?;
        writeln!(f, "throughput    {:.0} events/s", self.events_per_s)?;
        let [p50, p99, p999, max] = self.processing_us;
        writeln!(
            f,
            "processing    p50 {p50} us, p99 {p99} us, p99.9 {p999} us, max {max} us"
        )?;
        let [p50, p99, p999, max] = self.in_pipeline_us;
        write!(
            f,
            "in pipeline   p50 {p50} us, p99 {p99} us, p99.9 {p999} us, max {max} us"
        )
    }
}
