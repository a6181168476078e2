//! Telemetry: metric names and their catalogue, typed events that record them, per-batch
//! counters, the Prometheus exporter, and HdrHistogram latency helpers.
//!
//! What it is for: everything an operator sees about a running engine (docs/metrics.md lists
//! every metric; grafana/ charts them). The pipeline and the decision layer call
//! [`install_exporter`] once at start-up, count per record in a [`PipelineBatch`],
//! [`LeadBatch`] and [`LatencyBatch`], flush per batch, and emit rarer things directly with
//! [`events`] (`ModelRetrained { .. }.emit()`).
//! What it is not: a user of the pipeline or decision types. This is a low layer: it imports
//! nothing above it, and takes counts, label enums ([`labels`]) or `&'static str` names.
//!
//! # Examples
//! ```
//! use leadstream::telemetry::events::{DriftDetected, TelemetryEvent};
//! use leadstream::telemetry::{labels::Source, PipelineBatch};
//!
//! // Without an installed recorder these record nothing; with one, they feed /metrics.
//! let mut batch = PipelineBatch::new(Source::Simulator);
//! batch.consumed(100);
//! batch.flush();
//! DriftDetected { model: "churn", detector: "adwin" }.emit();
//! ```

mod batch;
pub mod catalogue;
pub mod events;
mod exporter;
pub mod labels;
mod latency;
pub mod names;

pub use batch::{LabelCounts, LatencyBatch, LeadBatch, PipelineBatch};
pub use catalogue::{MetricDef, MetricKind, CATALOGUE};
pub use exporter::{default_listen, install_exporter, install_recorder, ExporterHandle};
pub use latency::{LatencyHistogram, LatencySummary, DEFAULT_MAX_NS};

/// An error from telemetry start-up or latency histograms.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The Prometheus exporter could not be built or bound.
    #[error("cannot start the metrics exporter ({what}): {source}")]
    Exporter {
        /// What was being set up.
        what: String,
        /// The exporter's error.
        source: metrics_exporter_prometheus::BuildError,
    },
    /// The exporter's runtime or thread could not start.
    #[error("cannot start the metrics exporter thread: {0}")]
    Runtime(String),
    /// A metrics recorder is already installed in this process.
    #[error("a metrics recorder is already installed")]
    AlreadyInstalled,
    /// A histogram could not be built or merged.
    #[error("latency histogram: {0}")]
    Histogram(String),
}
