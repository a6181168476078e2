//! Typed telemetry events: one small struct per thing worth counting, whose `emit()` records
//! its metric in one place (Vector's internal-event style), so all instrumentation is greppable.
//!
//! What it is for: the API the pipeline and the decision layer call. Events carry counts, so a
//! caller counts locally and emits once per batch (see `telemetry::batch`); none of them should be
//! emitted per record in a tight loop.
//! What it is not: the exporter (`telemetry::exporter`); without an installed recorder, `emit()`
//! does nothing and costs a few nanoseconds.
//!
//! # Examples
//! ```
//! use leadstream::telemetry::events::{EventsConsumed, TelemetryEvent};
//! use leadstream::telemetry::labels::Source;
//!
//! EventsConsumed { source: Source::Kafka, count: 512 }.emit();
//! ```

mod leads;
mod models;
mod pipeline;

pub use leads::{
    CampaignMilestones, ChangelogRecordsProduced, ChurnAlertsEmitted, DecisionMemoryDiscarded,
    InterventionsRecommended, JourneyStageLeads, LeadSnapshotFallback, LeadStateRestored,
    LeadStateSize, MessageEmotions,
};
pub use models::{
    BanditArmsSelected, DriftDetected, ModelPerformance, ModelRegistryAttached, ModelRetrained,
    ModelRolledBack, ModelSnapshotLoadFailed, ModelSnapshotSaved, ModelVersion, SamplesLearned,
};
pub use pipeline::{
    ConsumerLag, DeadLettered, DecisionsEmitted, ErrorOccurred, EventsConsumed, EventsDecoded,
    EventsRejected, LatencyMetric, LatencyObserved, OffsetsCommitted, PartitionsAssigned,
    QueueDepth, RebalanceSeen, StageTimed,
};

/// Something that happened inside leadstream and is recorded as a metric.
pub trait TelemetryEvent {
    /// Records the event's metric(s) in the installed recorder.
    fn emit(self);
}

/// Emits `event`; the same as `event.emit()`, for call sites that read better as a function.
pub fn emit(event: impl TelemetryEvent) {
    event.emit();
}
