//! The learner's complete state as one serde value, and taking it from / restoring it into a
//! [`Learner`].
//!
//! What it is for: model snapshots that survive restarts and can be rolled back. A
//! [`LearnerState`] holds every model with everything it learned (trees with their observers,
//! logistic weights and scaler statistics, bandit posteriors, centroids, drift detectors,
//! background models and replay buffers) plus versions and counters, so a restored learner
//! predicts and keeps learning exactly as the one that was saved.
//! What it is not: the encoding (see [`crate::persist`]) or where snapshots live (see
//! [`crate::registry`]); it holds no wall-clock time.

use serde::{Deserialize, Serialize};

use crate::event::MessageVariant;
use crate::learn::bandit::{BetaThompson, HourOfWeekThompson, LinUcb};
use crate::learn::cluster::OnlineKMeans;
use crate::learn::logistic::LogisticRegression;

use super::config::DecideConfig;
use super::error::DecideError;
use super::example::{LabelledExample, VARIANT_CONTEXT};
use super::indicators::N_INDICATORS;
use super::learner::{Dirty, Learner, LearnerCounters};
use super::models::{ChurnModel, LogisticModel, ModelInput, ResponseModel, Supervisable};
use super::persona_features::PERSONA_DIM;
use super::personalize::send_time_strength;
use super::snapshot::ModelReader;
use super::supervisor::{log_loss, Supervisor, SupervisorState};
use super::types::{Indicator, Intervention, ModelVersions, CONTACT_CHANNELS};

/// Everything a [`Learner`] has learned; serialize it with [`crate::persist`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LearnerState {
    churn: SupervisorState<ChurnModel>,
    response: SupervisorState<ResponseModel>,
    journey: SupervisorState<LogisticModel>,
    indicators: LogisticRegression,
    channel: Vec<BetaThompson>,
    variant: LinUcb,
    send_time: Vec<HourOfWeekThompson>,
    personas: OnlineKMeans,
    interventions: Vec<BetaThompson>,
    versions: ModelVersions,
    dirty: Dirty,
    since_publish: u64,
    counters: LearnerCounters,
}

/// Rolling prequential scores of one supervised model: accuracy, log loss, ROC AUC.
pub type RollingScores = (Option<f64>, f64, Option<f64>);

impl LearnerState {
    /// The version of every model in this state.
    pub const fn versions(&self) -> ModelVersions {
        self.versions
    }

    /// What the learner had learned.
    pub const fn counters(&self) -> LearnerCounters {
        self.counters
    }

    /// Labelled examples learned, of every kind.
    pub const fn samples_seen(&self) -> u64 {
        let c = self.counters;
        c.lead + c.response + c.persona + c.intervention
    }

    /// Rolling scores of the supervised models (churn, response, journey) when saved.
    pub fn rolling_scores(&self) -> [(&'static str, RollingScores); 3] {
        [
            ("churn", self.churn.rolling()),
            ("response", self.response.rolling()),
            ("journey", self.journey.rolling()),
        ]
    }

    /// Drift generations (1 + promotions) of churn, response and journey.
    pub const fn generations(&self) -> (u64, u64, u64) {
        (
            self.churn.generation(),
            self.response.generation(),
            self.journey.generation(),
        )
    }

    /// Whether the state fits this build (model dimensions), before it is used anywhere.
    pub(crate) fn check_shapes(&self) -> Result<(), DecideError> {
        let bad = |model: &'static str, detail: String| {
            Err(DecideError::IncompatibleState { model, detail })
        };
        if self.personas.dim() != PERSONA_DIM {
            return bad(
                "personas",
                format!(
                    "persona vectors of {} dimensions, this build has {PERSONA_DIM}",
                    self.personas.dim()
                ),
            );
        }
        let slots = self.personas.k() + 1;
        if self.channel.len() != slots || self.send_time.len() != slots {
            return bad(
                "channel_bandit",
                format!(
                    "{} channel and {} send-time bandits for {} personas (+1 global)",
                    self.channel.len(),
                    self.send_time.len(),
                    self.personas.k()
                ),
            );
        }
        if let Some(b) = self
            .channel
            .iter()
            .find(|b| b.n_arms() != CONTACT_CHANNELS.len())
        {
            return bad("channel_bandit", format!("{} arms", b.n_arms()));
        }
        if !self
            .send_time
            .iter()
            .all(HourOfWeekThompson::is_well_formed)
        {
            return bad(
                "send_time",
                "a send-time bandit without 168 hours of finite evidence".to_owned(),
            );
        }
        if self.interventions.len() != Indicator::COUNT
            || self
                .interventions
                .iter()
                .any(|b| b.n_arms() != Intervention::COUNT)
        {
            return bad(
                "interventions",
                format!("{} bandits", self.interventions.len()),
            );
        }
        if self.variant.n_arms() != MessageVariant::COUNT || self.variant.dim() != VARIANT_CONTEXT {
            return bad(
                "variant_bandit",
                format!(
                    "{} arms of {} dims",
                    self.variant.n_arms(),
                    self.variant.dim()
                ),
            );
        }
        if self.indicators.weights().len() != N_INDICATORS {
            return bad(
                "indicators",
                format!("{} weights", self.indicators.weights().len()),
            );
        }
        Ok(())
    }
}

impl Learner {
    /// The complete state of every model, for a snapshot. Cheap enough to call every few
    /// seconds (a clone of the models).
    pub fn checkpoint(&self) -> LearnerState {
        LearnerState {
            churn: self.churn.state(),
            response: self.response.state(),
            journey: self.journey.state(),
            indicators: self.indicators.clone(),
            channel: self.channel.clone(),
            variant: self.variant.clone(),
            send_time: self.send_time.clone(),
            personas: self.personas.clone(),
            interventions: self.interventions.clone(),
            versions: self.versions,
            dirty: self.dirty,
            since_publish: self.since_publish,
            counters: self.counters,
        }
    }

    /// A learner continuing from `state` under `config` (publication interval and retraining
    /// settings come from `config`; everything learned comes from `state`), and a reader of its
    /// snapshots, which starts at the state's last publication.
    ///
    /// # Errors
    /// [`DecideError::IncompatibleState`] when the state does not fit this build or `config`
    /// (for example another number of personas).
    pub fn restore(
        config: &DecideConfig,
        state: LearnerState,
    ) -> Result<(Learner, ModelReader), DecideError> {
        let k = config.personas.clamp(1, 16);
        if state.personas.k() != k {
            return Err(DecideError::IncompatibleState {
                model: "personas",
                detail: format!(
                    "the snapshot has {} personas, the configuration asks for {k}",
                    state.personas.k()
                ),
            });
        }
        let settings = (config.retrain_on_drift, config.degradation.max(1e-6));
        let mut learner = Self::assemble(
            state,
            settings,
            config.publish_every.max(1),
            send_time_strength(config.prior_strength),
            None,
        )?;
        let reader = ModelReader::new(learner.snapshot(learner.counters.published));
        learner.reader = Some(reader.clone());
        Ok((learner, reader))
    }

    /// Replaces everything learned by `state` (a rollback) and publishes it at once to the
    /// existing readers. The publication sequence keeps increasing across the swap; the model
    /// versions are the restored ones.
    ///
    /// # Errors
    /// [`DecideError::IncompatibleState`] when the state does not fit; the learner is then
    /// unchanged.
    pub fn replace_state(&mut self, state: LearnerState) -> Result<(), DecideError> {
        if state.personas.k() != self.personas.k() {
            return Err(DecideError::IncompatibleState {
                model: "personas",
                detail: format!(
                    "the snapshot has {} personas, the running learner {}",
                    state.personas.k(),
                    self.personas.k()
                ),
            });
        }
        let settings = self.churn.retrain_settings();
        let published = self.counters.published.max(state.counters.published);
        let mut next = Self::assemble(
            state,
            settings,
            self.publish_every,
            self.send_time_strength,
            None,
        )?;
        next.reader = self.reader.take();
        next.counters.published = published;
        next.events = std::mem::take(&mut self.events);
        *self = next;
        self.publish();
        Ok(())
    }

    fn assemble(
        state: LearnerState,
        (retrain, degradation): (bool, f64),
        publish_every: u64,
        send_time_strength: f64,
        reader: Option<ModelReader>,
    ) -> Result<Learner, DecideError> {
        state.check_shapes()?;
        Ok(Learner {
            churn: Supervisor::from_state("churn", state.churn, retrain, degradation)?,
            response: Supervisor::from_state("response", state.response, retrain, degradation)?,
            journey: Supervisor::from_state("journey", state.journey, retrain, degradation)?,
            indicators: state.indicators,
            channel: state.channel,
            variant: state.variant,
            send_time: state.send_time,
            personas: state.personas,
            interventions: state.interventions,
            versions: state.versions,
            dirty: state.dirty,
            since_publish: state.since_publish,
            publish_every,
            send_time_strength,
            counters: state.counters,
            events: Vec::new(),
            reader,
        })
    }
}

impl Learner {
    /// A learner continuing from `state` with this learner's settings, publishing nowhere (a
    /// shadow candidate scored beside this one).
    ///
    /// # Errors
    /// [`DecideError::IncompatibleState`] when the state does not fit.
    pub fn sibling(&self, state: LearnerState) -> Result<Learner, DecideError> {
        if state.personas.k() != self.personas.k() {
            return Err(DecideError::IncompatibleState {
                model: "personas",
                detail: format!(
                    "the snapshot has {} personas, the running learner {}",
                    state.personas.k(),
                    self.personas.k()
                ),
            });
        }
        Self::assemble(
            state,
            self.churn.retrain_settings(),
            self.publish_every,
            self.send_time_strength,
            None,
        )
    }

    /// The summed log loss the live supervised models give one labelled example before
    /// learning it (churn and journey for a lead example, response for a response example);
    /// `None` for examples without a supervised label (personas, interventions).
    pub fn supervised_log_loss(&self, example: &LabelledExample) -> Option<f64> {
        match example {
            LabelledExample::Lead(l) => {
                let x = ModelInput {
                    features: l.features,
                    arm: 0,
                };
                Some(
                    log_loss(self.churn.live().predict(&x), l.churned)
                        + log_loss(self.journey.live().predict(&x), l.progressed),
                )
            }
            LabelledExample::Response(r) => {
                let x = ModelInput {
                    features: r.features,
                    arm: r.channel,
                };
                Some(log_loss(self.response.live().predict(&x), r.responded))
            }
            LabelledExample::Persona { .. } | LabelledExample::Intervention { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_with_persona_vectors_of_another_dimension_is_refused() {
        let config = DecideConfig::default();
        let (learner, _reader) = Learner::new(&config, 7);
        let mut state = learner.checkpoint();
        assert!(Learner::restore(&config, state.clone()).is_ok());
        let k = state.personas.k();
        state.personas = OnlineKMeans::new(k, PERSONA_DIM + 5, 300, 0.002, 7)
            .unwrap_or_else(|e| panic!("valid k-means settings: {e}"));
        match Learner::restore(&config, state) {
            Err(DecideError::IncompatibleState { model, .. }) => assert_eq!(model, "personas"),
            other => panic!(
                "expected an incompatible state, got {:?}",
                other.map(|_| ())
            ),
        }
    }
}
