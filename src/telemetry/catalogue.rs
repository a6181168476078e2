//! The metric catalogue: every metric leadstream exports, with its kind, unit, help text and
//! label names.
//!
//! What it is for: describing metrics to the exporter (HELP lines, histogram buckets), and
//! checking dashboards and docs against one list (tests/telemetry_dashboards.rs,
//! tests/telemetry_docs.rs).
//! What it is not: the recording code (see [`super::events`]).

use super::names::*;

/// What kind of Prometheus metric a catalogue entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// Monotonic count; the name ends in `_total`.
    Counter,
    /// A value that goes up and down.
    Gauge,
    /// A distribution with cumulative buckets (`_bucket`, `_sum`, `_count` series).
    Histogram,
}

impl MetricKind {
    /// The Prometheus `# TYPE` word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Gauge => "gauge",
            Self::Histogram => "histogram",
        }
    }
}

/// One metric: name, kind, unit, help text and label names.
#[derive(Debug, Clone, Copy)]
pub struct MetricDef {
    /// The full metric name (one of [`super::names`]).
    pub name: &'static str,
    /// Counter, gauge or histogram.
    pub kind: MetricKind,
    /// The unit, when the metric has one (`metrics` prints it after the help text).
    pub unit: Option<metrics::Unit>,
    /// One sentence for `# HELP`.
    pub help: &'static str,
    /// Label names; every value set is bounded (never a lead id).
    pub labels: &'static [&'static str],
    /// Which layer records it, for the docs: "pipeline", "models" or "leads".
    pub group: &'static str,
}

/// Histogram buckets (seconds) for per-stage processing time: 1 microsecond to 1 second.
pub const STAGE_BUCKETS: &[f64] = &[
    0.000_001,
    0.000_002_5,
    0.000_005,
    0.000_01,
    0.000_025,
    0.000_05,
    0.000_1,
    0.000_25,
    0.000_5,
    0.001,
    0.002_5,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
];

/// Histogram buckets (seconds) for end-to-end latencies: 100 microseconds to 10 minutes (the
/// 100 ms budget of issue 4 sits in the middle; replays of old events land in +Inf).
pub const END_TO_END_BUCKETS: &[f64] = &[
    0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0, 30.0, 60.0, 300.0, 600.0,
];

const fn def(
    group: &'static str,
    name: &'static str,
    kind: MetricKind,
    unit: Option<metrics::Unit>,
    labels: &'static [&'static str],
    help: &'static str,
) -> MetricDef {
    MetricDef {
        name,
        kind,
        unit,
        help,
        labels,
        group,
    }
}

use metrics::Unit::{Bytes, Count, Seconds};
use MetricKind::{Counter, Gauge, Histogram};

/// Every metric leadstream exports. Dashboards may use only these (plus the `_bucket`, `_sum`
/// and `_count` series of the histograms).
#[rustfmt::skip]
pub const CATALOGUE: &[MetricDef] = &[
    // Pipeline.
    def("pipeline", EVENTS_CONSUMED, Counter, Some(Count), &["source"],
        "Events read from the source (kafka, simulator or file)."),
    def("pipeline", EVENTS_DECODED, Counter, Some(Count), &[],
        "Events decoded and validated against the event contract."),
    def("pipeline", EVENTS_REJECTED, Counter, Some(Count), &["reason"],
        "Events rejected by the decoder, by stable reason code."),
    def("pipeline", DECISIONS_EMITTED, Counter, Some(Count), &[],
        "Personalization decisions emitted to the sink."),
    def("pipeline", DEAD_LETTERS, Counter, Some(Count), &[],
        "Records written to the dead-letter sink."),
    def("pipeline", STAGE_DURATION, Histogram, Some(Seconds), &["stage"],
        "Processing time of one event in one pipeline stage, seconds; the shards time the stages of one event in 8."),
    def("pipeline", EVENT_TO_DECISION, Histogram, Some(Seconds), &[],
        "Time from the event's own timestamp to its decision, seconds."),
    def("pipeline", RECEIPT_TO_DECISION, Histogram, Some(Seconds), &[],
        "Time from receipt by the engine to the end of the processing of an event that got a decision, seconds."),
    def("pipeline", CONSUMER_LAG, Gauge, Some(Count), &["topic", "partition"],
        "Records between the consumer position and the high watermark, per partition."),
    def("pipeline", PARTITIONS_ASSIGNED, Gauge, Some(Count), &["topic"],
        "Partitions currently assigned to this instance."),
    def("pipeline", QUEUE_DEPTH, Gauge, Some(Count), &["queue", "worker"],
        "Items waiting in a bounded internal queue."),
    def("pipeline", COMMITS, Counter, Some(Count), &["result"],
        "Offset commits, by result (ok or error)."),
    def("pipeline", REBALANCES, Counter, Some(Count), &["kind"],
        "Consumer-group rebalances seen, by kind (assign or revoke), summed over the instance's shards (each is a member of the group)."),
    def("pipeline", ERRORS, Counter, Some(Count), &["kind"],
        "Errors, by kind (consume, produce, delivery, commit, sink, internal)."),
    def("pipeline", BUILD_INFO, Gauge, None, &["version"],
        "Always 1; the version label says which leadstream is running."),
    // Models.
    def("models", MODEL_ACCURACY, Gauge, None, &["model"],
        "Rolling prequential accuracy of a model on its delayed labels (0 to 1)."),
    def("models", MODEL_LOG_LOSS, Gauge, None, &["model"],
        "Rolling prequential log loss of a model on its delayed labels (nats)."),
    def("models", MODEL_ROC_AUC, Gauge, None, &["model"],
        "Rolling ROC AUC of a model on its delayed labels (0 to 1)."),
    def("models", MODEL_SAMPLES_LEARNED, Counter, Some(Count), &["model"],
        "Labelled samples a model has learned from."),
    def("models", MODEL_DRIFT_DETECTIONS, Counter, Some(Count), &["model", "detector"],
        "Drift detections on a model's error stream, by detector."),
    def("models", MODEL_RETRAININGS, Counter, Some(Count), &["model", "reason"],
        "Model replacements by a retrained model, by reason (drift or degradation)."),
    def("models", MODEL_VERSION, Gauge, None, &["model"],
        "Version number of the model currently serving predictions."),
    def("models", MODEL_SNAPSHOTS_SAVED, Counter, Some(Count), &["reason"],
        "Model snapshots written to the registry, by reason (initial, periodic, shutdown, drift_retrain, shadow_promotion, topic_import)."),
    def("models", MODEL_SNAPSHOT_LOAD_FAILURES, Counter, Some(Count), &["reason"],
        "Model snapshots that could not be loaded and were skipped for an older one, by reason (corrupted, incompatible, missing, incomplete)."),
    def("models", MODEL_ROLLBACKS, Counter, Some(Count), &[],
        "Rollbacks to another model version applied to the running engine without restart."),
    def("models", BANDIT_ARM_SELECTIONS, Counter, Some(Count), &["bandit", "arm"],
        "Arms chosen by a personalization bandit."),
    // Leads.
    def("leads", CHURN_ALERTS, Counter, Some(Count), &["risk_level"],
        "Churn alerts emitted, by risk level."),
    def("leads", INTERVENTIONS, Counter, Some(Count), &["intervention", "urgency"],
        "Interventions recommended, by type and urgency."),
    def("leads", MESSAGE_EMOTIONS, Counter, Some(Count), &["emotion"],
        "Inbound messages analysed, by detected emotional state."),
    def("leads", LEADS_BY_JOURNEY_STAGE, Gauge, Some(Count), &["journey_stage"],
        "Tracked leads currently in each journey stage."),
    def("leads", CAMPAIGN_MILESTONES, Counter, Some(Count), &["milestone"],
        "Retention-campaign milestones reached (started, contacted, responded, reengaged, recovered, lost; the names of the campaign events)."),
    def("leads", ACTIVE_LEADS, Gauge, Some(Count), &[],
        "Leads whose state is held in memory."),
    def("leads", LEAD_STATE_MEMORY, Gauge, Some(Bytes), &[],
        "Estimated memory held by lead state, bytes."),
    def("leads", ALERTS_DEDUPLICATED, Counter, Some(Count), &[],
        "Churn alerts not emitted because the lead was alerted at the same or a higher level within the cooldown."),
    def("leads", PENDING_LABELS_DROPPED, Counter, Some(Count), &["kind"],
        "Decisions whose outcome will never be learned because their lead had too many open (the oldest was dropped), by kind (touch, snapshot)."),
    def("leads", LEADS_FORGOTTEN, Counter, Some(Count), &[],
        "Leads whose decision memory (pending labels, alert history) was dropped because their partitions were revoked."),
    def("leads", LEADS_RESTORED, Counter, Some(Count), &[],
        "Lead states restored from persisted state (local snapshot or changelog)."),
    def("leads", LEAD_RESTORE_DURATION, Histogram, Some(Seconds), &[],
        "Time to read and decode persisted lead state before the first event, seconds."),
    def("leads", CHANGELOG_RECORDS, Counter, Some(Count), &[],
        "Lead-state changelog records produced (one per dirty lead per flush interval)."),
    def("leads", LEAD_SNAPSHOT_FALLBACKS, Counter, Some(Count), &["reason"],
        "Starts that used the previous lead-state snapshot because the latest was corrupted or missing, by reason."),
];

/// The catalogue entry of a metric name, if leadstream exports it.
pub fn find(name: &str) -> Option<&'static MetricDef> {
    CATALOGUE.iter().find(|d| d.name == name)
}

/// The catalogue entry a Prometheus series name belongs to: the metric itself, or a
/// histogram's `_bucket`, `_sum` or `_count` series.
pub fn find_series(series: &str) -> Option<&'static MetricDef> {
    if let Some(d) = find(series) {
        return (d.kind != MetricKind::Histogram).then_some(d);
    }
    ["_bucket", "_sum", "_count"].iter().find_map(|suffix| {
        let base = series.strip_suffix(suffix)?;
        find(base).filter(|d| d.kind == MetricKind::Histogram)
    })
}

/// The bucket boundaries of a histogram in the catalogue (`None` for other kinds).
pub fn buckets(def: &MetricDef) -> Option<&'static [f64]> {
    match (def.kind, def.name) {
        (MetricKind::Histogram, STAGE_DURATION) => Some(STAGE_BUCKETS),
        (MetricKind::Histogram, _) => Some(END_TO_END_BUCKETS),
        _ => None,
    }
}
