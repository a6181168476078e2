//! Immutable model snapshots and lock-free access to the latest one.
//!
//! What it is for: the single-writer, many-reader seam of shared/ARCHITECTURE.md. The learner
//! publishes an `Arc<ModelSnapshot>` through an atomic pointer swap (`arc-swap`); every shard
//! reads the newest one through a cloned [`ModelReader`] without locks, and learning never
//! blocks prediction.
//! What it is not: persistence or a registry (issue 7).

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::learn::bandit::{
    BetaThompson, HourOfWeekThompson, LinUcb, PreparedHourOfWeek, PreparedLinUcb,
};
use crate::learn::cluster::OnlineKMeans;
use crate::learn::logistic::{FoldedLogistic, LogisticRegression};

use super::models::{ChurnModel, LogisticModel, ResponseModel};
use super::types::ModelVersions;

/// Every model a decision uses, frozen at one publication.
#[derive(Debug, Clone)]
pub struct ModelSnapshot {
    /// Versions of each model in this snapshot.
    pub versions: ModelVersions,
    /// Publication sequence number (0 for the initial, untrained snapshot).
    pub sequence: u64,
    pub(crate) churn: ChurnModel,
    pub(crate) indicators: LogisticRegression,
    pub(crate) response: ResponseModel,
    pub(crate) journey: LogisticModel,
    /// Channel bandit per persona; the last entry serves leads without a persona.
    pub(crate) channel: Vec<BetaThompson>,
    /// The variant bandit, prepared for predictions.
    pub(crate) variant: PreparedLinUcb,
    /// Send-time bandit (168 local hours of the week) per persona; the last entry is global.
    pub(crate) send_time: Vec<HourOfWeekThompson>,
    /// `send_time` with its posteriors and samplers prepared for the configured prior strength.
    pub(crate) send_time_prepared: Vec<PreparedHourOfWeek>,
    pub(crate) personas: OnlineKMeans,
    /// The linear models of every decision, folded for fast prediction.
    pub(crate) folded: FoldedModels,
    /// Intervention bandit per top indicator.
    pub(crate) interventions: Vec<BetaThompson>,
    /// Readable description of each persona centroid.
    pub persona_descriptions: Vec<String>,
}

impl ModelSnapshot {
    /// The persona clustering.
    pub fn personas(&self) -> &OnlineKMeans {
        &self.personas
    }

    /// The churn ensemble.
    pub fn churn(&self) -> &ChurnModel {
        &self.churn
    }

    /// The response model.
    pub fn response(&self) -> &ResponseModel {
        &self.response
    }

    /// The journey progression model.
    pub fn journey(&self) -> &LogisticModel {
        &self.journey
    }

    /// The indicator model.
    pub fn indicators(&self) -> &LogisticRegression {
        &self.indicators
    }

    /// Channel bandit per persona; the last entry is global.
    pub fn channel(&self) -> &[BetaThompson] {
        &self.channel
    }

    /// The variant bandit.
    pub fn variant(&self) -> &LinUcb {
        self.variant.bandit()
    }

    /// Send-time bandit per persona; the last entry is global.
    pub fn send_time(&self) -> &[HourOfWeekThompson] {
        &self.send_time
    }

    /// Intervention bandit per top indicator.
    pub fn interventions(&self) -> &[BetaThompson] {
        &self.interventions
    }
}

/// The logistic models every decision evaluates, frozen with their scalers folded into the
/// weights ([`FoldedLogistic`]: one multiply-add per feature instead of a division and a serial
/// sum; the same probabilities up to rounding, within 1e-12 in the tests). Built once per
/// publication.
#[derive(Debug, Clone)]
pub(crate) struct FoldedModels {
    /// The churn ensemble's logistic member.
    pub(crate) churn_logistic: FoldedLogistic,
    /// The journey progression model.
    pub(crate) journey: FoldedLogistic,
    /// The response model, one per channel.
    pub(crate) response: Vec<FoldedLogistic>,
}

impl FoldedModels {
    pub(crate) fn new(
        churn: &ChurnModel,
        journey: &LogisticModel,
        response: &ResponseModel,
    ) -> Self {
        Self {
            churn_logistic: churn.logistic().folded(),
            journey: journey.inner().folded(),
            response: response
                .channels()
                .iter()
                .map(LogisticRegression::folded)
                .collect(),
        }
    }

    /// The churn ensemble's calibrated probability, its logistic member folded.
    pub(crate) fn churn(&self, churn: &ChurnModel, features: &[f64]) -> f64 {
        churn.probability_with_logistic(features, self.churn_logistic.probability(features))
    }

    /// The response probability on channel `arm` (0.5 for an unknown channel, as the model).
    pub(crate) fn response(&self, arm: usize, features: &[f64]) -> f64 {
        self.response
            .get(arm)
            .map_or(0.5, |m| m.probability(features))
    }
}

/// Lock-free access to the latest published [`ModelSnapshot`]; cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct ModelReader {
    current: Arc<ArcSwap<ModelSnapshot>>,
}

impl ModelReader {
    pub(crate) fn new(initial: ModelSnapshot) -> Self {
        Self {
            current: Arc::new(ArcSwap::from_pointee(initial)),
        }
    }

    /// The latest snapshot.
    pub fn load(&self) -> Arc<ModelSnapshot> {
        self.current.load_full()
    }

    pub(crate) fn store(&self, snapshot: ModelSnapshot) {
        self.current.store(Arc::new(snapshot));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::models::{ModelInput, Supervisable};
    use crate::lead::N_FEATURES;

    /// The folded path gives the exact models' probabilities. (The churn calibrator is a step
    /// function of the raw score: a raw score within rounding of a bin edge could fall in the
    /// neighbouring bin; no input here does.)
    #[test]
    fn folded_models_predict_what_the_models_predict() {
        let mut churn = ChurnModel::new(3).unwrap();
        let mut journey = LogisticModel::new().unwrap();
        let mut response = ResponseModel::new(4).unwrap();
        let mut state = 0x0123_4567_89ab_cdef_u64;
        let mut input = || {
            let mut features = [0.0; N_FEATURES];
            for (i, f) in features.iter_mut().enumerate() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *f = (state % 10_000) as f64 / 1000.0 * (1.0 + i as f64 / 10.0);
            }
            ModelInput {
                features,
                arm: (state % 4) as usize,
            }
        };
        for _ in 0..3000 {
            let x = input();
            let y = x.features[0] + x.features[1] > 10.0;
            churn.learn(&x, y);
            journey.learn(&x, !y);
            response.learn(&x, y);
        }
        let folded = FoldedModels::new(&churn, &journey, &response);
        for round in 0..2000 {
            let mut x = input();
            if round % 100 == 7 {
                x.features[3] = f64::NAN;
                x.features[4] = f64::NEG_INFINITY;
            }
            let f = &x.features;
            assert!((folded.churn(&churn, f) - churn.predict(&x)).abs() < 1e-12);
            assert!((folded.journey.probability(f) - journey.predict(&x)).abs() < 1e-12);
            for arm in 0..5 {
                let exact = response.predict(&ModelInput { features: *f, arm });
                assert!((folded.response(arm, f) - exact).abs() < 1e-12, "arm {arm}");
            }
        }
    }
}
