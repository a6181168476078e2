//! The decision layer plugged into the pipeline: [`crate::decide`]'s per-shard decider and its
//! learner behind the pipeline's [`DecisionStage`] and [`LearnStage`] seam.
//!
//! What it is for: building one `decide::Learner` (on the learner thread) and one
//! `decide::ShardDecider` per shard sharing its lock-free model snapshots; filling the latency
//! fields of decisions and alerts (the pipeline knows the clocks) and serializing them.
//! What it is not: the models or the decision logic (see [`crate::decide`]).

use std::time::{Duration, Instant};

use super::stage::{DecisionFactory, DecisionStage, LearnStage, StageOutputs, Timing};
use crate::decide::{
    DecideConfig, DecideEvent, DeciderCounters, DecisionOutputs, LabelledExample, Learner,
    LearnerCounters, LearnerEvent, RetrainReason, ShardDecider, SupervisorEvent,
};
use crate::event::Event;
use crate::lead::{LeadState, N_FEATURES};
use crate::registry::topic::{sync_registry, ModelTopic, Publisher, TopicStart};
use crate::registry::{RegistryHook, RegistrySettings, SaveReason};
use crate::telemetry::events::{
    DecisionMemoryDiscarded, DriftDetected, ModelPerformance, ModelRegistryAttached,
    ModelRetrained, ModelVersion, SamplesLearned, TelemetryEvent,
};
use crate::telemetry::labels::RiskLevel as RiskLabel;
use crate::telemetry::LeadBatch;

/// Builds the decision layer from a validated [`DecideConfig`] and a seed.
#[derive(Debug, Clone)]
pub struct DecideFactory {
    config: DecideConfig,
    seed: u64,
    registry: Option<RegistrySettings>,
    model_topic: Option<ModelTopic>,
}

impl DecideFactory {
    /// A factory for `config` (validated by the caller) seeded with `seed`; shard `i` uses
    /// `seed + 1 + i`, the learner `seed`.
    pub fn new(config: DecideConfig, seed: u64) -> Self {
        Self {
            config,
            seed,
            registry: None,
            model_topic: None,
        }
    }

    /// Loads the learner from the registry's active version (falling back to older ones, or a
    /// cold start) and snapshots it there (docs/models.md).
    #[must_use]
    pub fn with_registry(mut self, settings: RegistrySettings) -> Self {
        self.registry = Some(settings);
        self
    }

    /// With a registry: at start, imports the model topic's newest version when the registry
    /// has none or an older one, and publishes every saved version to the topic
    /// (docs/models.md).
    #[must_use]
    pub fn with_model_topic(mut self, topic: ModelTopic) -> Self {
        self.model_topic = Some(topic);
        self
    }

    /// Reads the model topic into the registry; the publisher of the versions saved from now.
    fn sync_model_topic(&self, settings: &RegistrySettings) -> Option<Publisher> {
        let topic = self.model_topic.as_ref()?;
        let start = match sync_registry(topic, &settings.registry, settings.keep_versions) {
            Ok(start) => start,
            Err(e) => {
                tracing::warn!(topic = %topic.topic, error = %e,
                    "Model topic unreadable; starting from the local registry only.");
                let instance = settings.registry.instance_id().ok()?;
                TopicStart {
                    imported: None,
                    instance,
                    first_slot: 'a',
                }
            }
        };
        match topic.publisher(&settings.registry, &start) {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::warn!(topic = %topic.topic, error = %e,
                    "Model topic publisher not started; versions stay local.");
                None
            }
        }
    }

    fn learner(&self) -> (Learner, crate::decide::ModelReader, Option<RegistryHook>) {
        let Some(settings) = &self.registry else {
            let (learner, reader) = Learner::new(&self.config, self.seed);
            return (learner, reader, None);
        };
        ModelRegistryAttached.emit();
        let publisher = self.sync_model_topic(settings);
        let loaded = match settings.registry.load_learner(&self.config) {
            Ok(loaded) => loaded,
            Err(e) => {
                tracing::warn!(error = %e, "Model registry unreadable; starting with untrained models.");
                None
            }
        };
        let (mut learner, reader, current) = match loaded {
            Some((learner, reader, loaded)) => {
                tracing::info!(
                    version = %loaded.info.id,
                    samples = loaded.info.samples_seen,
                    skipped = loaded.skipped.len(),
                    dir = %settings.registry.dir().display(),
                    "Models loaded from the registry (warm start)."
                );
                (learner, reader, Some(loaded.info.id))
            }
            None => {
                tracing::info!(
                    dir = %settings.registry.dir().display(),
                    "No model version to load; starting with untrained models."
                );
                let (learner, reader) = Learner::new(&self.config, self.seed);
                (learner, reader, None)
            }
        };
        let mut hook = RegistryHook::new(settings.clone(), current, &mut learner);
        if let Some(p) = publisher {
            hook = hook.with_publisher(p);
        }
        (learner, reader, Some(hook))
    }
}

/// One shard's decider and its reused output buffers.
#[derive(Debug)]
pub struct DecideStage {
    decider: ShardDecider,
    out: DecisionOutputs,
    /// Bandit arms, interventions and milestones counted per event, flushed per batch.
    counts: LeadBatch,
    /// The decider's counters when last reported (`None`: never, its series are not registered).
    reported: Option<DeciderCounters>,
}

/// The learner thread's side, with what it last reported to telemetry.
#[derive(Debug)]
pub struct DecideLearner {
    learner: Learner,
    reported: LearnerCounters,
    started: bool,
    registry: Option<RegistryHook>,
    /// When the rolling model scores were last reported (each report sorts the supervisors'
    /// windows for the exact ROC AUC, so it is not done for every batch of examples).
    scores_reported: Option<Instant>,
}

/// The rolling model scores are reported at most this often (and at the end).
const SCORES_EVERY: Duration = Duration::from_millis(200);

impl DecisionFactory for DecideFactory {
    type Example = LabelledExample;
    type Stage = DecideStage;
    type Learner = DecideLearner;

    fn build(&self, shards: usize) -> (DecideLearner, Vec<DecideStage>) {
        let (learner, reader, registry) = self.learner();
        let stages = (0..shards)
            .map(|i| DecideStage {
                decider: ShardDecider::new(
                    reader.clone(),
                    &self.config,
                    i,
                    self.seed.wrapping_add(1 + i as u64),
                ),
                out: DecisionOutputs::default(),
                counts: LeadBatch::new(),
                reported: None,
            })
            .collect();
        let learner = DecideLearner {
            // A warm-started learner's earlier samples were counted by the process that learned them.
            reported: learner.counters(),
            learner,
            started: false,
            registry,
            scores_reported: None,
        };
        (learner, stages)
    }
}

impl DecideStage {
    fn drain(&mut self, timing: Option<(Timing, i64)>, out: &mut StageOutputs<LabelledExample>) {
        let latency = timing.map(|(t, ts)| {
            let from_event_ms = t.now_ms.saturating_sub(ts) as f64;
            let from_receipt_us = t.received.elapsed().as_secs_f64() * 1e6;
            (from_event_ms, from_receipt_us)
        });
        for event in &self.out.events {
            if let DecideEvent::Campaign { milestone, .. } = event {
                self.counts.milestone(milestone.as_str());
            }
        }
        if let Some(decision) = self.out.decision.as_mut() {
            self.counts
                .arm_selected("channel", decision.channel.as_str());
            self.counts
                .arm_selected("variant", decision.variant.as_str());
            if let Some((e, r)) = latency {
                decision.set_latency(e, r);
            }
            if decision.write_json(&mut out.decision).is_err() {
                out.decision.clear();
            }
        }
        if let Some(alert) = self.out.alert.as_mut() {
            self.counts
                .intervention(alert.intervention.as_str(), alert.urgency.as_str());
            if let Some((e, r)) = latency {
                alert.set_latency(e, r);
            }
            if alert.write_json(&mut out.alert).is_err() {
                out.alert.clear();
            } else {
                out.alert_level = RiskLabel::from_index(alert.risk_level.index());
            }
        }
    }

    /// Runs `f` on the decider with its outputs' examples being the shard's batch of examples,
    /// so the decider pushes each example (~900 bytes) where it is sent from, not into a
    /// vector it would then be copied out of.
    fn with_batch_examples(
        &mut self,
        out: &mut StageOutputs<LabelledExample>,
        f: impl FnOnce(&mut ShardDecider, &mut DecisionOutputs),
    ) {
        self.out.clear();
        std::mem::swap(&mut self.out.examples, &mut out.examples);
        f(&mut self.decider, &mut self.out);
        std::mem::swap(&mut self.out.examples, &mut out.examples);
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
        self.with_batch_examples(out, |decider, outputs| {
            decider.on_event(tenant_id, lead_id, event, state, features, outputs);
        });
        self.drain(Some((timing, event.ts)), out);
    }

    fn on_watermark(&mut self, event_time_ms: i64, out: &mut StageOutputs<LabelledExample>) {
        self.with_batch_examples(out, |decider, outputs| {
            decider.on_watermark(event_time_ms, outputs);
        });
        self.drain(None, out);
    }

    fn on_revoke(&mut self, leads: &[(&str, &str)]) {
        self.decider.forget_leads(leads);
    }

    fn flush_telemetry(&mut self) {
        self.counts.flush();
        let now = self.decider.counters();
        let before = self.reported.unwrap_or_else(|| {
            DecisionMemoryDiscarded::start_at_zero();
            DeciderCounters::default()
        });
        self.reported = Some(now);
        DecisionMemoryDiscarded {
            alerts_deduplicated: now.alerts_deduplicated - before.alerts_deduplicated,
            touches_dropped: now.touches_dropped - before.touches_dropped,
            snapshots_dropped: now.snapshots_dropped - before.snapshots_dropped,
            leads_forgotten: now.leads_forgotten - before.leads_forgotten,
        }
        .emit();
    }
}

impl LearnStage for DecideLearner {
    type Example = LabelledExample;

    fn learn(&mut self, example: LabelledExample) {
        if let Some(hook) = &mut self.registry {
            hook.observe(&self.learner, &example);
        }
        self.learner.learn(example);
    }

    fn publish(&mut self) {
        self.learner.publish();
    }

    fn tick(&mut self) {
        if let Some(hook) = &mut self.registry {
            if hook.tick(&mut self.learner) {
                self.after_rollback();
            }
        }
    }

    fn finish(&mut self) {
        self.report_scores();
        if let Some(hook) = &mut self.registry {
            if hook.save(&mut self.learner, SaveReason::Shutdown) {
                self.after_rollback();
            }
        }
    }

    fn flush_telemetry(&mut self) {
        if !self.started {
            self.started = true;
            let (churn, response, journey) = self.learner.generations();
            for (model, version) in [
                ("churn", churn),
                ("response", response),
                ("journey", journey),
            ] {
                ModelVersion { model, version }.emit();
                for detector in ["adwin", "page_hinkley"] {
                    DriftDetected { model, detector }.start_at_zero();
                }
                for reason in ["drift", "degradation"] {
                    ModelRetrained {
                        model,
                        reason,
                        version,
                    }
                    .start_at_zero();
                }
            }
        }
        let now = self.learner.counters();
        let before = std::mem::replace(&mut self.reported, now);
        // Counters go back on a rollback: count nothing for that turn.
        for (model, count) in [
            ("churn", now.lead.saturating_sub(before.lead)),
            ("journey", now.lead.saturating_sub(before.lead)),
            ("response", now.response.saturating_sub(before.response)),
            ("personas", now.persona.saturating_sub(before.persona)),
            (
                "interventions",
                now.intervention.saturating_sub(before.intervention),
            ),
        ] {
            if count > 0 {
                SamplesLearned { model, count }.emit();
            }
        }
        if self.emit_events() {
            if let Some(hook) = &mut self.registry {
                if hook.save(&mut self.learner, SaveReason::DriftRetrain) {
                    self.after_rollback();
                }
            }
        }
        if self
            .scores_reported
            .is_some_and(|t| t.elapsed() < SCORES_EVERY)
        {
            return;
        }
        self.report_scores();
    }
}

impl DecideLearner {
    /// Reports the rolling scores of the supervised models.
    fn report_scores(&mut self) {
        self.scores_reported = Some(Instant::now());
        let now = self.learner.counters();
        for (model, accuracy, log_loss, roc_auc) in self.learner.rolling_scores() {
            let labels = if model == "response" {
                now.response
            } else {
                now.lead
            };
            if labels == 0 {
                continue;
            }
            ModelPerformance {
                model,
                accuracy,
                log_loss: log_loss.is_finite().then_some(log_loss),
                roc_auc,
            }
            .emit();
        }
    }
}

impl DecideLearner {
    /// After a rollback the counters went back: count from here, and report the restored
    /// models' versions again.
    fn after_rollback(&mut self) {
        self.reported = self.learner.counters();
        self.started = false;
    }

    /// Emits the learner's events; returns whether a retrained model was promoted.
    fn emit_events(&mut self) -> bool {
        let mut promoted = false;
        for LearnerEvent::Supervisor(event) in self.learner.take_events() {
            match event {
                SupervisorEvent::BackgroundStarted { model, reason, .. } => {
                    let detector = match reason {
                        RetrainReason::AdwinDrift => "adwin",
                        RetrainReason::PageHinkleyDrift => "page_hinkley",
                        RetrainReason::Degradation => continue,
                    };
                    DriftDetected { model, detector }.emit();
                }
                SupervisorEvent::Retrained(r) => {
                    promoted = true;
                    ModelRetrained {
                        model: r.model,
                        reason: match r.reason {
                            RetrainReason::Degradation => "degradation",
                            _ => "drift",
                        },
                        version: r.generation_after,
                    }
                    .emit();
                }
                SupervisorEvent::BackgroundDiscarded { .. } => {}
            }
        }
        promoted
    }
}
