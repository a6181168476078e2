//! The learner: the single owner of every mutable model, fed labelled examples by all shards,
//! publishing immutable snapshots.
//!
//! What it is for: learning from each [`LabelledExample`] (churn ensemble, indicator weights,
//! journey and response models under drift supervision; channel, variant, send-time and
//! intervention bandits; persona clustering) and publishing a new [`ModelSnapshot`] every
//! `publish_every` examples or on request. Every drift reaction and retraining is recorded as a
//! [`LearnerEvent`].
//! What it is not: threads or channels (the pipeline runs it on its own thread).

use serde::{Deserialize, Serialize};

use crate::lead::N_FEATURES;
use crate::learn::bandit::{BetaThompson, HourOfWeekThompson, LinUcb};
use crate::learn::cluster::OnlineKMeans;
use crate::learn::logistic::{LogisticRegression, LogisticRegressionParams};
use crate::learn::Classifier;

use super::config::DecideConfig;
use super::example::{LabelledExample, LeadExample, ResponseExample, VARIANT_CONTEXT};
use super::indicators::N_INDICATORS;
use super::models::{ChurnModel, LogisticModel, ModelInput, ResponseModel};
use super::persona_features::{PERSONA_DIM, PERSONA_FEATURE_NAMES};
use super::personalize::send_time_strength;
use super::snapshot::{FoldedModels, ModelReader, ModelSnapshot};
use super::supervisor::{Supervisor, SupervisorEvent};
use super::types::{Indicator, Intervention, ModelVersions, CONTACT_CHANNELS};
use crate::event::MessageVariant;

/// Persona observations that seed the clustering.
const PERSONA_WARMUP: usize = 300;
/// Smallest step of a persona centroid (lets centroids follow slow change).
const PERSONA_MIN_RATE: f64 = 0.002;

/// Something the learner did that belongs in the event log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum LearnerEvent {
    /// A drift supervisor's action (background started, retrained, discarded).
    Supervisor(SupervisorEvent),
}

/// Counts of what the learner learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LearnerCounters {
    /// Response examples.
    pub response: u64,
    /// Lead (churn and journey) examples.
    pub lead: u64,
    /// Churn-positive lead examples.
    pub churned: u64,
    /// Persona observations.
    pub persona: u64,
    /// Intervention outcomes.
    pub intervention: u64,
    /// Snapshots published.
    pub published: u64,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub(super) struct Dirty {
    pub(super) churn: bool,
    pub(super) response: bool,
    pub(super) journey: bool,
    pub(super) channel: bool,
    pub(super) variant: bool,
    pub(super) send_time: bool,
    pub(super) personas: bool,
    pub(super) interventions: bool,
}

/// The learner thread's state.
#[derive(Debug)]
pub struct Learner {
    pub(super) churn: Supervisor<ChurnModel>,
    pub(super) response: Supervisor<ResponseModel>,
    pub(super) journey: Supervisor<LogisticModel>,
    pub(super) indicators: LogisticRegression,
    pub(super) channel: Vec<BetaThompson>,
    pub(super) variant: LinUcb,
    pub(super) send_time: Vec<HourOfWeekThompson>,
    pub(super) personas: OnlineKMeans,
    pub(super) interventions: Vec<BetaThompson>,
    pub(super) versions: ModelVersions,
    pub(super) dirty: Dirty,
    pub(super) since_publish: u64,
    pub(super) publish_every: u64,
    /// The send-time posteriors' strength the snapshots prepare samplers for.
    pub(super) send_time_strength: f64,
    pub(super) counters: LearnerCounters,
    pub(super) events: Vec<LearnerEvent>,
    pub(super) reader: Option<ModelReader>,
}

fn thompson(arms: usize, discount: f64) -> BetaThompson {
    BetaThompson::uniform(arms, discount)
}

impl Learner {
    /// A learner with untrained models and a reader of its snapshots. Settings out of range are
    /// clamped (validate the config first with [`DecideConfig::validate`]).
    pub fn new(config: &DecideConfig, seed: u64) -> (Learner, ModelReader) {
        let k = config.personas.clamp(1, 16);
        let discount = if config.bandit_discount > 0.0 && config.bandit_discount <= 1.0 {
            config.bandit_discount
        } else {
            1.0
        };
        let retrain = config.retrain_on_drift;
        let deg = config.degradation.max(1e-6);
        let churn = ChurnModel::new(seed).map(|m| Supervisor::new("churn", m, retrain, deg));
        let response = ResponseModel::new(CONTACT_CHANNELS.len())
            .map(|m| Supervisor::new("response", m, retrain, deg));
        let journey = LogisticModel::new().map(|m| Supervisor::new("journey", m, retrain, deg));
        let indicators = LogisticRegressionParams {
            scale: false,
            lr: 0.05,
            ..LogisticRegressionParams::default()
        }
        .build(N_INDICATORS, 2);
        let variant = LinUcb::new(
            MessageVariant::COUNT,
            VARIANT_CONTEXT,
            config.linucb_alpha.max(0.0),
        );
        let personas = OnlineKMeans::new(k, PERSONA_DIM, PERSONA_WARMUP, PERSONA_MIN_RATE, seed);
        // Every constructor above only fails on invalid constants or sizes, which are fixed here.
        let (Some(churn), Some(response), Some(journey), Ok(indicators), Ok(variant), Ok(personas)) =
            (churn, response, journey, indicators, variant, personas)
        else {
            unreachable!("decide models are built from fixed, valid hyperparameters")
        };
        let mut learner = Learner {
            churn,
            response,
            journey,
            indicators,
            channel: (0..=k)
                .map(|_| thompson(CONTACT_CHANNELS.len(), discount))
                .collect(),
            variant,
            send_time: (0..=k).map(|_| HourOfWeekThompson::new(discount)).collect(),
            personas,
            interventions: (0..Indicator::COUNT)
                .map(|_| thompson(Intervention::COUNT, 1.0))
                .collect(),
            versions: ModelVersions {
                churn: 1,
                response: 1,
                journey: 1,
                channel_bandit: 1,
                variant_bandit: 1,
                send_time: 1,
                personas: 1,
                interventions: 1,
            },
            dirty: Dirty::default(),
            since_publish: 0,
            publish_every: config.publish_every.max(1),
            send_time_strength: send_time_strength(config.prior_strength),
            counters: LearnerCounters::default(),
            events: Vec::new(),
            reader: None,
        };
        let reader = ModelReader::new(learner.snapshot(0));
        learner.reader = Some(reader.clone());
        (learner, reader)
    }

    pub(super) fn snapshot(&self, sequence: u64) -> ModelSnapshot {
        let names: Vec<&str> = PERSONA_FEATURE_NAMES.to_vec();
        ModelSnapshot {
            versions: self.versions,
            sequence,
            churn: self.churn.live().clone(),
            indicators: self.indicators.clone(),
            response: self.response.live().clone(),
            journey: self.journey.live().clone(),
            channel: self.channel.clone(),
            variant: self.variant.prepared(),
            send_time: self.send_time.clone(),
            send_time_prepared: self
                .send_time
                .iter()
                .map(|b| b.prepared(self.send_time_strength))
                .collect(),
            personas: self.personas.clone(),
            folded: FoldedModels::new(self.churn.live(), self.journey.live(), self.response.live()),
            interventions: self.interventions.clone(),
            persona_descriptions: (0..self.personas.k())
                .map(|c| self.personas.describe(c, &names))
                .collect(),
        }
    }

    /// Learns one example; publishes when `publish_every` examples have been learned since the
    /// last publication.
    pub fn learn(&mut self, example: LabelledExample) {
        match example {
            LabelledExample::Response(r) => self.learn_response(&r),
            LabelledExample::Lead(l) => self.learn_lead(&l),
            LabelledExample::Persona { point, .. } => {
                self.personas.learn_one(&point);
                self.dirty.personas = true;
                self.counters.persona += 1;
            }
            LabelledExample::Intervention {
                indicator,
                intervention,
                recovered,
                ..
            } => {
                if let Some(b) = self.interventions.get_mut(indicator) {
                    b.update(intervention.index(), f64::from(u8::from(recovered)));
                }
                self.dirty.interventions = true;
                self.counters.intervention += 1;
            }
        }
        self.since_publish += 1;
        if self.since_publish >= self.publish_every {
            self.publish();
        }
    }

    fn persona_slot(&self, persona: Option<u8>) -> usize {
        let global = self.channel.len() - 1;
        persona.map_or(global, |p| usize::from(p).min(global))
    }

    fn learn_response(&mut self, r: &ResponseExample) {
        let input = ModelInput {
            features: r.features,
            arm: r.channel,
        };
        if let Some(e) = self.response.learn(&input, r.responded, r.label_ts) {
            self.events.push(LearnerEvent::Supervisor(e));
        }
        let reward = f64::from(u8::from(r.responded));
        let slot = self.persona_slot(r.persona);
        let global = self.channel.len() - 1;
        for s in [slot, global] {
            if let Some(b) = self.channel.get_mut(s) {
                b.update(r.channel, reward);
            }
            if let Some(b) = self.send_time.get_mut(s) {
                b.update(usize::from(r.hour_of_week), reward);
            }
            if s == global {
                break;
            }
        }
        if let Some(v) = r.variant {
            self.variant.update(v, &r.variant_context, reward);
            self.dirty.variant = true;
        }
        self.dirty.response = true;
        self.dirty.channel = true;
        self.dirty.send_time = true;
        self.counters.response += 1;
    }

    fn learn_lead(&mut self, l: &LeadExample) {
        let input = ModelInput {
            features: l.features,
            arm: 0,
        };
        if let Some(e) = self.churn.learn(&input, l.churned, l.label_ts) {
            self.events.push(LearnerEvent::Supervisor(e));
        }
        if let Some(e) = self.journey.learn(&input, l.progressed, l.label_ts) {
            self.events.push(LearnerEvent::Supervisor(e));
        }
        self.indicators
            .learn_one(&l.indicators, usize::from(l.churned));
        self.dirty.churn = true;
        self.dirty.journey = true;
        self.counters.lead += 1;
        self.counters.churned += u64::from(l.churned);
    }

    /// Publishes a snapshot of the current models, bumping the version of each model that
    /// learned something since the last publication.
    pub fn publish(&mut self) {
        let d = std::mem::take(&mut self.dirty);
        let v = &mut self.versions;
        v.churn += u64::from(d.churn);
        v.response += u64::from(d.response);
        v.journey += u64::from(d.journey);
        v.channel_bandit += u64::from(d.channel);
        v.variant_bandit += u64::from(d.variant);
        v.send_time += u64::from(d.send_time);
        v.personas += u64::from(d.personas);
        v.interventions += u64::from(d.interventions);
        self.counters.published += 1;
        self.since_publish = 0;
        let snapshot = self.snapshot(self.counters.published);
        if let Some(reader) = &self.reader {
            reader.store(snapshot);
        }
    }

    /// Drains the events recorded since the last call (retrainings and drift reactions).
    pub fn take_events(&mut self) -> Vec<LearnerEvent> {
        std::mem::take(&mut self.events)
    }

    /// What the learner learned so far.
    pub const fn counters(&self) -> LearnerCounters {
        self.counters
    }

    /// Generations of the supervised models (churn, response, journey): 1 + promotions.
    pub fn generations(&self) -> (u64, u64, u64) {
        (
            self.churn.generation(),
            self.response.generation(),
            self.journey.generation(),
        )
    }

    /// Rolling prequential scores of the supervised models, as `(name, accuracy, log loss,
    /// ROC AUC)` for churn, response and journey.
    pub fn rolling_scores(&self) -> [(&'static str, Option<f64>, f64, Option<f64>); 3] {
        let (ca, cu) = self.churn.rolling_accuracy_auc();
        let (ra, ru) = self.response.rolling_accuracy_auc();
        let (ja, ju) = self.journey.rolling_accuracy_auc();
        [
            ("churn", ca, self.churn.rolling_log_loss(), cu),
            ("response", ra, self.response.rolling_log_loss(), ru),
            ("journey", ja, self.journey.rolling_log_loss(), ju),
        ]
    }

    /// The rolling log loss of the live churn model.
    pub fn churn_rolling_log_loss(&self) -> f64 {
        self.churn.rolling_log_loss()
    }

    /// The churn probability the live (unpublished) churn model gives `features`.
    pub fn churn_probability(&self, features: &[f64; N_FEATURES]) -> f64 {
        use super::models::Supervisable;
        self.churn.live().predict(&ModelInput {
            features: *features,
            arm: 0,
        })
    }

    /// The response probability the live (unpublished) response model gives `features` on
    /// channel arm `arm` (for prequential scoring: call before learning the example).
    pub fn response_probability(&self, features: &[f64; N_FEATURES], arm: usize) -> f64 {
        use super::models::Supervisable;
        self.response.live().predict(&ModelInput {
            features: *features,
            arm,
        })
    }

    /// The indicator model's weight per indicator.
    pub fn indicator_weights(&self) -> &[f64] {
        self.indicators.weights()
    }

    /// Probability the indicator model gives to churn (for tests).
    pub fn indicator_churn_probability(&self, indicators: &[f64; N_INDICATORS]) -> f64 {
        let mut p = [0.0; 2];
        self.indicators.predict_proba_one(indicators, &mut p);
        p[1]
    }
}
