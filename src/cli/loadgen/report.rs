//! The load generator's report: achieved rates, latency percentiles, errors and missing
//! outputs, as a table for people and JSON for scripts (BENCHMARKS.md is built from these).
//!
//! What it is for: one value that holds a run's results, and its two renderings.
//! What it is not: the measurement (see [`super::collect`]).

use std::fmt;

use crate::telemetry::LatencySummary;

/// The results of one loadgen run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoadReport {
    /// "engine" (decisions from leadstream) or "relay" (the `--baseline` relay).
    pub mode: &'static str,
    /// Bootstrap servers.
    pub brokers: String,
    /// Topic the events went to.
    pub events_topic: String,
    /// Topic the timed outputs came from.
    pub output_topic: String,
    /// Second topic the collector polled, whose records are counted, not timed: the engine's
    /// churn alerts, or in relay mode a topic the relay never writes to (so both modes poll
    /// two topics of the same partition count).
    pub alerts_topic: String,
    /// Relay mode: how many consumers the relay ran (`--relay-consumers`); `None` for the
    /// engine.
    pub relay_consumers: Option<u16>,
    /// Offered rate, events per second.
    pub target_rate: f64,
    /// How the sender waited for each event's intended time.
    pub pacing: super::Pacing,
    /// Events planned.
    pub planned: u64,
    /// Events handed to the producer.
    pub sent: u64,
    /// Sent events about no lead (market updates): no decision is expected for them.
    pub no_decision_expected: u64,
    /// Sends the client refused.
    pub send_errors: u64,
    /// Deliveries the broker reported as failed.
    pub delivery_errors: u64,
    /// Sent events per second over the sending phase.
    pub achieved_rate: f64,
    /// Largest delay of a send behind its intended time, milliseconds (a producer that could
    /// not keep up; latencies include it, as they are measured from the intended time).
    pub max_send_behind_ms: f64,
    /// Events with at least one output.
    pub outputs: u64,
    /// Extra outputs for events already seen.
    pub duplicates: u64,
    /// Sent lead events with no output by the end of the drain period (in relay mode, every
    /// sent event is expected back).
    pub missing: u64,
    /// Records of this run on `alerts_topic`: churn alerts in engine mode, 0 in relay mode.
    pub alerts: u64,
    /// Outputs per second from the first intended send to the last output.
    pub output_rate: f64,
    /// Open-loop end-to-end latency (intended send to output consumed), nanoseconds.
    pub latency: LatencySummary,
    /// The first part of `latency`: intended send to the output record's CreateTime (set by
    /// the relay's or engine's producer when handed the record; millisecond resolution, reads
    /// up to 1 ms low): the input leg, the consume and the work.
    pub latency_to_output_created: LatencySummary,
    /// The second part: the output's CreateTime to consumed (up to 1 ms high): the output
    /// producer's batching, the broker and the collector's fetch.
    pub latency_output_created_to_consumed: LatencySummary,
    /// The engine's own receipt-to-decision time, read from its decisions'
    /// `latency_from_receipt_us` (count 0 in relay mode): the part of the first leg spent inside
    /// the engine before its sink hands the decision to the producer.
    pub engine_receipt_to_decision: LatencySummary,
}

fn ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.latency;
        writeln!(
            f,
            "loadgen ({}): {} events offered at {:.0}/s to {} via {}",
            self.mode, self.planned, self.target_rate, self.events_topic, self.brokers
        )?;
        writeln!(f, "  {:<22} {:>12}", "sent", self.sent)?;
        writeln!(
            f,
            "  {:<22} {:>12.1}",
            "achieved rate (ev/s)", self.achieved_rate
        )?;
        writeln!(
            f,
            "  {:<22} {:>12.2}",
            "max send behind (ms)", self.max_send_behind_ms
        )?;
        writeln!(f, "  {:<22} {:>12}", "outputs (unique)", self.outputs)?;
        writeln!(
            f,
            "  {:<22} {:>12.1}",
            "output rate (ev/s)", self.output_rate
        )?;
        writeln!(
            f,
            "  {:<22} {:>12}",
            "no decision expected", self.no_decision_expected
        )?;
        writeln!(f, "  {:<22} {:>12}", "missing", self.missing)?;
        writeln!(f, "  {:<22} {:>12}", "duplicates", self.duplicates)?;
        writeln!(f, "  {:<22} {:>12}", "send errors", self.send_errors)?;
        writeln!(
            f,
            "  {:<22} {:>12}",
            "delivery errors", self.delivery_errors
        )?;
        if self.mode == "engine" {
            writeln!(f, "  {:<22} {:>12}", "churn alerts", self.alerts)?;
        }
        writeln!(
            f,
            "  latency, ms (intended send -> output consumed; {} events)",
            l.count
        )?;
        writeln!(
            f,
            "  {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "p50", "p90", "p99", "p99.9", "max", "mean"
        )?;
        write!(
            f,
            "  {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            ms(l.p50_ns),
            ms(l.p90_ns),
            ms(l.p99_ns),
            ms(l.p999_ns),
            ms(l.max_ns),
            ms(l.mean_ns)
        )?;
        for (name, l) in [
            ("to output created", &self.latency_to_output_created),
            (
                "created to consumed",
                &self.latency_output_created_to_consumed,
            ),
            ("engine receipt to dec.", &self.engine_receipt_to_decision),
        ] {
            write!(
                f,
                "\n  {:<22} p50 {:.3}  p99 {:.3}  max {:.3}",
                name,
                ms(l.p50_ns),
                ms(l.p99_ns),
                ms(l.max_ns)
            )?;
        }
        Ok(())
    }
}
