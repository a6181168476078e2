//! The seam between the pipeline and the decision layer: what a shard worker and the learner
//! thread ask of the models.
//!
//! What it is for: keeping delivery (routing, batching, offsets) independent of what is decided.
//! A [`DecisionStage`] runs inside one shard worker (single-threaded, owns its leads' pending
//! labels); a [`LearnStage`] runs on the one learner thread and publishes immutable snapshots the
//! decision stages read without locks. [`DecisionFactory`] builds one learner and N stages that
//! share its snapshots. `crate::decide` implements these for the real models.
//! What it is not: the models themselves, nor transport.

use std::time::Instant;

use crate::event::Event;
use crate::lead::{LeadState, N_FEATURES};
use crate::telemetry::labels::RiskLevel;

/// What a decision stage produced for one event or one watermark: JSON written straight into
/// the buffers (empty means "none"), and labelled examples for the learner. Buffers are reused:
/// the shard worker clears the JSON buffers before each call, and collects the examples of a
/// whole batch in `examples` (a stage pushes or appends to it, and never clears it).
#[derive(Debug)]
pub struct StageOutputs<E> {
    /// A decision as one JSON object, or empty.
    pub decision: Vec<u8>,
    /// A churn alert as one JSON object, or empty.
    pub alert: Vec<u8>,
    /// Labelled examples that became known (outcome arrived or horizon passed), for the whole
    /// batch so far: push or append.
    pub examples: Vec<E>,
    /// The alert's risk level, for the per-level alert counter (when `alert` is set).
    pub alert_level: Option<RiskLevel>,
}

impl<E> Default for StageOutputs<E> {
    fn default() -> Self {
        Self {
            decision: Vec::with_capacity(1024),
            alert: Vec::with_capacity(1024),
            examples: Vec::new(),
            alert_level: None,
        }
    }
}

impl<E> StageOutputs<E> {
    /// Empties every buffer, keeping capacity.
    pub fn clear(&mut self) {
        self.clear_json();
        self.examples.clear();
    }

    /// Empties the decision and alert buffers (and the alert's level) for the next call,
    /// keeping the examples collected so far.
    pub fn clear_json(&mut self) {
        self.decision.clear();
        self.alert.clear();
        self.alert_level = None;
    }
}

/// Timing of the event being decided, for the latency fields of outputs.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// When the source received the record.
    pub received: Instant,
    /// Wall-clock time now, epoch milliseconds (latency from event time = this minus `ts`).
    pub now_ms: i64,
}

/// The per-shard decision logic (one instance per shard worker thread).
pub trait DecisionStage: Send + 'static {
    /// A labelled example sent to the learner.
    type Example: Send + 'static;

    /// Decides for one lead event, after its state was updated; writes outputs into `out`.
    /// Examples are appended to `out.examples`, never cleared or replaced: it holds the
    /// examples of the whole batch so far (and the shard's backlog for the learner).
    #[allow(clippy::too_many_arguments)]
    fn on_event(
        &mut self,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        state: &LeadState,
        features: &[f64; N_FEATURES],
        timing: Timing,
        out: &mut StageOutputs<Self::Example>,
    );

    /// Event time has advanced to `event_time_ms` on this shard (horizons may close); examples
    /// are appended to `out.examples` as in [`on_event`](Self::on_event). Default: nothing.
    fn on_watermark(&mut self, event_time_ms: i64, out: &mut StageOutputs<Self::Example>) {
        let _ = (event_time_ms, out);
    }

    /// This shard no longer owns these leads, `(tenant_id, lead_id)` (their partitions were
    /// revoked: another instance decides for them now). Forget what is kept per lead, so that
    /// nothing is learned or emitted later from what they did before the revocation. Default:
    /// nothing.
    fn on_revoke(&mut self, leads: &[(&str, &str)]) {
        let _ = leads;
    }

    /// Emits the telemetry the stage counted since the last call (called once per batch).
    /// Default: nothing.
    fn flush_telemetry(&mut self) {}
}

/// The learner side: owned by the one learner thread.
pub trait LearnStage: Send + 'static {
    /// A labelled example.
    type Example: Send + 'static;

    /// Learns from one example.
    fn learn(&mut self, example: Self::Example);

    /// Publishes a new immutable snapshot for every decision stage.
    fn publish(&mut self);

    /// Emits the telemetry the learner counted since the last call (called after learning a
    /// batch and at start-up).
    fn flush_telemetry(&mut self) {}

    /// Called on every turn of the learner loop (at least every publish interval) for
    /// housekeeping such as periodic checkpoints; must return quickly when there is nothing to
    /// do. Default: nothing.
    fn tick(&mut self) {}

    /// Called once after the last example was learned and published (e.g. a final checkpoint).
    /// Default: nothing.
    fn finish(&mut self) {}
}

/// Builds the learner and the per-shard decision stages that read its snapshots.
pub trait DecisionFactory {
    /// The labelled example type shared by both sides.
    type Example: Send + 'static;
    /// The per-shard stage.
    type Stage: DecisionStage<Example = Self::Example>;
    /// The learner.
    type Learner: LearnStage<Example = Self::Example>;

    /// One learner and `shards` stages sharing its snapshots.
    fn build(&self, shards: usize) -> (Self::Learner, Vec<Self::Stage>);
}
