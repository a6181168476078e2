//! Pipeline events: consumption, decoding, rejects, outputs, latencies, lag, queues, commits,
//! rebalances and errors.
//!
//! What it is for: the instrumentation API of `src/pipeline`.
//! What it is not: a place that knows the pipeline's types; it takes counts and label enums.

use std::time::Duration;

use super::TelemetryEvent;
use crate::telemetry::labels::{CommitResult, ErrorKind, Queue, Rebalance, Source, Stage};
use crate::telemetry::names;

/// `count` events were read from `source`.
#[derive(Debug, Clone, Copy)]
pub struct EventsConsumed {
    /// Where they came from.
    pub source: Source,
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for EventsConsumed {
    fn emit(self) {
        metrics::counter!(names::EVENTS_CONSUMED, "source" => self.source.as_str())
            .increment(self.count);
    }
}

/// `count` events were decoded and validated.
#[derive(Debug, Clone, Copy)]
pub struct EventsDecoded {
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for EventsDecoded {
    fn emit(self) {
        metrics::counter!(names::EVENTS_DECODED).increment(self.count);
    }
}

/// `count` events were rejected by the decoder for `reason`.
#[derive(Debug, Clone, Copy)]
pub struct EventsRejected {
    /// The decoder's stable reason code (`DecodeError::reason`).
    pub reason: &'static str,
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for EventsRejected {
    fn emit(self) {
        metrics::counter!(names::EVENTS_REJECTED, "reason" => self.reason).increment(self.count);
    }
}

/// `count` personalization decisions were emitted.
#[derive(Debug, Clone, Copy)]
pub struct DecisionsEmitted {
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for DecisionsEmitted {
    fn emit(self) {
        metrics::counter!(names::DECISIONS_EMITTED).increment(self.count);
    }
}

/// `count` records were written to the dead-letter sink.
#[derive(Debug, Clone, Copy)]
pub struct DeadLettered {
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for DeadLettered {
    fn emit(self) {
        metrics::counter!(names::DEAD_LETTERS).increment(self.count);
    }
}

/// One stage took `duration` for one event. For batches, use [`crate::telemetry::LatencyBatch`].
#[derive(Debug, Clone, Copy)]
pub struct StageTimed {
    /// Which stage.
    pub stage: Stage,
    /// How long it took.
    pub duration: Duration,
}

impl TelemetryEvent for StageTimed {
    fn emit(self) {
        metrics::histogram!(names::STAGE_DURATION, "stage" => self.stage.as_str())
            .record(self.duration.as_secs_f64());
    }
}

/// Which latency histogram a [`LatencyObserved`] goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatencyMetric {
    /// `leadstream_stage_duration_seconds{stage}`.
    Stage(Stage),
    /// `leadstream_event_to_decision_seconds`.
    EventToDecision,
    /// `leadstream_receipt_to_decision_seconds`.
    ReceiptToDecision,
}

/// `count` observations of `seconds` (one value of a locally aggregated histogram).
#[derive(Debug, Clone, Copy)]
pub struct LatencyObserved {
    /// The histogram.
    pub metric: LatencyMetric,
    /// The observed latency, seconds.
    pub seconds: f64,
    /// How many observations had this value.
    pub count: u64,
}

impl LatencyMetric {
    /// The histogram's handle in the installed recorder (one registry lookup: callers that
    /// record many values fetch it once).
    pub fn handle(self) -> metrics::Histogram {
        match self {
            Self::Stage(stage) => {
                metrics::histogram!(names::STAGE_DURATION, "stage" => stage.as_str())
            }
            Self::EventToDecision => metrics::histogram!(names::EVENT_TO_DECISION),
            Self::ReceiptToDecision => metrics::histogram!(names::RECEIPT_TO_DECISION),
        }
    }
}

impl TelemetryEvent for LatencyObserved {
    fn emit(self) {
        self.metric.handle().record_many(
            self.seconds,
            usize::try_from(self.count).unwrap_or(usize::MAX),
        );
    }
}

/// The consumer is `lag` records behind the high watermark of one partition.
#[derive(Debug, Clone, Copy)]
pub struct ConsumerLag<'a> {
    /// The topic (from configuration, so a bounded set).
    pub topic: &'a str,
    /// The partition.
    pub partition: i32,
    /// Records behind; negative values (unknown offsets) are recorded as 0.
    pub lag: i64,
}

impl TelemetryEvent for ConsumerLag<'_> {
    fn emit(self) {
        metrics::gauge!(
            names::CONSUMER_LAG,
            "topic" => self.topic.to_owned(),
            "partition" => self.partition.to_string()
        )
        .set(self.lag.max(0) as f64);
    }
}

/// This instance now owns `count` partitions of `topic`.
#[derive(Debug, Clone, Copy)]
pub struct PartitionsAssigned<'a> {
    /// The topic (from configuration).
    pub topic: &'a str,
    /// How many partitions are assigned.
    pub count: usize,
}

impl TelemetryEvent for PartitionsAssigned<'_> {
    fn emit(self) {
        metrics::gauge!(names::PARTITIONS_ASSIGNED, "topic" => self.topic.to_owned())
            .set(self.count as f64);
    }
}

/// A bounded queue holds `depth` items.
#[derive(Debug, Clone, Copy)]
pub struct QueueDepth {
    /// Which queue.
    pub queue: Queue,
    /// Which worker (shard or learner index; 0 for a single queue), bounded by configuration.
    pub worker: u32,
    /// Items waiting.
    pub depth: usize,
}

impl TelemetryEvent for QueueDepth {
    fn emit(self) {
        metrics::gauge!(
            names::QUEUE_DEPTH,
            "queue" => self.queue.as_str(),
            "worker" => self.worker.to_string()
        )
        .set(self.depth as f64);
    }
}

/// An offset commit finished with `result`.
#[derive(Debug, Clone, Copy)]
pub struct OffsetsCommitted {
    /// Whether it succeeded.
    pub result: CommitResult,
}

impl TelemetryEvent for OffsetsCommitted {
    fn emit(self) {
        metrics::counter!(names::COMMITS, "result" => self.result.as_str()).increment(1);
    }
}

/// The consumer group rebalanced.
#[derive(Debug, Clone, Copy)]
pub struct RebalanceSeen {
    /// Assignment or revocation.
    pub kind: Rebalance,
}

impl TelemetryEvent for RebalanceSeen {
    fn emit(self) {
        metrics::counter!(names::REBALANCES, "kind" => self.kind.as_str()).increment(1);
    }
}

/// `count` errors of `kind` happened.
#[derive(Debug, Clone, Copy)]
pub struct ErrorOccurred {
    /// What failed.
    pub kind: ErrorKind,
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for ErrorOccurred {
    fn emit(self) {
        metrics::counter!(names::ERRORS, "kind" => self.kind.as_str()).increment(self.count);
    }
}
