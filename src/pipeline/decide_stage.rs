//! The decision layer plugged into the pipeline: [`crate::decide`]'s per-shard decider and its
//! learner behind the pipeline's [`DecisionStage`] and [`LearnStage`] seam.
//!
//! What it is for: building one `decide::Learner` (on the learner thread) and one
//! `decide::ShardDecider` per shard sharing its lock-free model snapshots; filling the latency
//! fields of decisions and alerts (the pipeline knows the clocks) and serializing them.
//! What it is not: the models or the decision logic (see [`crate::decide`]).

use super::stage::{DecisionFactory, DecisionStage, LearnStage, StageOutputs, Timing};
use crate::decide::{DecideConfig, DecisionOutputs, LabelledExample, Learner, ShardDecider};
use crate::event::Event;
use crate::lead::{LeadState, N_FEATURES};
use crate::telemetry::labels::RiskLevel as RiskLabel;

/// Builds the decision layer from a validated [`DecideConfig`] and a seed.
#[derive(Debug, Clone)]
pub struct DecideFactory {
    config: DecideConfig,
    seed: u64,
}

impl DecideFactory {
    /// A factory for `config` (validated by the caller) seeded with `seed`; shard `i` uses
    /// `seed + 1 + i`, the learner `seed`.
    pub fn new(config: DecideConfig, seed: u64) -> Self {
        Self { config, seed }
    }
}

/// One shard's decider and its reused output buffers.
#[derive(Debug)]
pub struct DecideStage {
    decider: ShardDecider,
    out: DecisionOutputs,
}

/// The learner thread's side.
#[derive(Debug)]
pub struct DecideLearner(Learner);

impl DecisionFactory for DecideFactory {
    type Example = LabelledExample;
    type Stage = DecideStage;
    type Learner = DecideLearner;

    fn build(&self, shards: usize) -> (DecideLearner, Vec<DecideStage>) {
        let (learner, reader) = Learner::new(&self.config, self.seed);
        let stages = (0..shards)
            .map(|i| DecideStage {
                decider: ShardDecider::new(
                    reader.clone(),
                    &self.config,
                    i,
                    self.seed.wrapping_add(1 + i as u64),
                ),
                out: DecisionOutputs::default(),
            })
            .collect();
        (DecideLearner(learner), stages)
    }
}

impl DecideStage {
    fn drain(&mut self, timing: Option<(Timing, i64)>, out: &mut StageOutputs<LabelledExample>) {
        let latency = timing.map(|(t, ts)| {
            let from_event_ms = t.now_ms.saturating_sub(ts) as f64;
            let from_receipt_us = t.received.elapsed().as_secs_f64() * 1e6;
            (from_event_ms, from_receipt_us)
        });
        if let Some(decision) = self.out.decision.as_mut() {
            if let Some((e, r)) = latency {
                decision.set_latency(e, r);
            }
            if serde_json::to_writer(&mut out.decision, decision).is_err() {
                out.decision.clear();
            }
        }
        if let Some(alert) = self.out.alert.as_mut() {
            if let Some((e, r)) = latency {
                alert.set_latency(e, r);
            }
            if serde_json::to_writer(&mut out.alert, alert).is_err() {
                out.alert.clear();
            } else {
                out.alert_level = RiskLabel::from_index(alert.risk_level.index());
            }
        }
        out.examples.append(&mut self.out.examples);
    }
}

impl DecisionStage for DecideStage {
    type Example = LabelledExample;

    fn on_event(
        &mut self,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        state: &LeadState,
        features: &[f64; N_FEATURES],
        timing: Timing,
        out: &mut StageOutputs<LabelledExample>,
    ) {
        self.out.clear();
        self.decider
            .on_event(tenant_id, lead_id, event, state, features, &mut self.out);
        self.drain(Some((timing, event.ts)), out);
    }

    fn on_watermark(&mut self, event_time_ms: i64, out: &mut StageOutputs<LabelledExample>) {
        self.out.clear();
        self.decider.on_watermark(event_time_ms, &mut self.out);
        self.drain(None, out);
    }
}

impl LearnStage for DecideLearner {
    type Example = LabelledExample;

    fn learn(&mut self, example: LabelledExample) {
        self.0.learn(example);
    }

    fn publish(&mut self) {
        self.0.publish();
    }
}
