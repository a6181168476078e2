//! The supervised models of decision making: the churn ensemble (Hoeffding adaptive tree and
//! logistic regression, averaged, then calibrated), the response model (one logistic regression
//! per channel) and the journey progression model.
//!
//! What it is for: one small trait, [`Supervisable`], that the drift supervisor drives (predict,
//! learn, make a fresh copy), implemented by each model over the same [`ModelInput`].
//! What it is not: the supervision (see `supervisor`) or the bandits (see `learner`).

use serde::{Deserialize, Serialize};

use crate::lead::N_FEATURES;
use crate::learn::hoeffding::{HoeffdingAdaptiveTree, HoeffdingAdaptiveTreeParams};
use crate::learn::logistic::{LogisticRegression, LogisticRegressionParams};
use crate::learn::Classifier;

/// What a supervised model sees: the features, and an arm (the channel, for the response model).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelInput {
    /// Lead features.
    pub features: [f64; N_FEATURES],
    /// Arm index (0 when the model has none).
    pub arm: usize,
}

/// A model's probability for one input and the intermediate score it came from (the churn
/// ensemble's uncalibrated score; the probability itself for the other models).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// Probability of the positive class.
    pub probability: f64,
    /// The score before calibration.
    pub raw: f64,
}

/// A binary model the drift supervisor can watch and replace.
pub trait Supervisable: Clone {
    /// Probability of the positive class.
    fn predict(&self, x: &ModelInput) -> f64;
    /// Learns one labelled input.
    fn learn(&mut self, x: &ModelInput, y: bool);
    /// The probability [`predict`](Self::predict) gives, with the intermediate score that
    /// [`learn_scored`](Self::learn_scored) can reuse instead of computing it again.
    fn score(&self, x: &ModelInput) -> Scored {
        let probability = self.predict(x);
        Scored {
            probability,
            raw: probability,
        }
    }
    /// Learns one labelled input that [`score`](Self::score) has just scored (same input, model
    /// unchanged since); the same as [`learn`](Self::learn), without repeating the prediction.
    fn learn_scored(&mut self, x: &ModelInput, y: bool, scored: Scored) {
        let _ = scored;
        self.learn(x, y);
    }
    /// An untrained model with the same hyperparameters (`None` if they cannot be rebuilt).
    fn fresh(&self) -> Option<Self>;
}

fn proba1(model: &impl Classifier, x: &[f64]) -> f64 {
    let mut p = [0.0; 2];
    model.predict_proba_one(x, &mut p);
    p[1]
}

/// Histogram-binning calibration (Zadrozny & Elkan, 2001), learned online: the raw score's bin
/// keeps its positives and count; the calibrated value shrinks the bin's rate towards the raw
/// score with `PRIOR` pseudo-samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibrator {
    positives: [f64; CALIBRATION_BINS],
    counts: [f64; CALIBRATION_BINS],
}

const CALIBRATION_BINS: usize = 20;
const PRIOR: f64 = 20.0;
/// The base rate's prior: 1 positive in 20 labels.
const BASE_PRIOR_POSITIVES: f64 = 1.0;
const BASE_PRIOR_LABELS: f64 = 20.0;

impl Default for Calibrator {
    fn default() -> Self {
        Self {
            positives: [0.0; CALIBRATION_BINS],
            counts: [0.0; CALIBRATION_BINS],
        }
    }
}

impl Calibrator {
    fn bin(raw: f64) -> usize {
        ((raw.clamp(0.0, 1.0) * CALIBRATION_BINS as f64) as usize).min(CALIBRATION_BINS - 1)
    }

    /// The calibrated probability of a raw score.
    pub fn apply(&self, raw: f64) -> f64 {
        let raw = if raw.is_finite() {
            raw.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let b = Self::bin(raw);
        (self.positives[b] + PRIOR * raw) / (self.counts[b] + PRIOR)
    }

    /// Labels learned so far.
    pub fn labels(&self) -> f64 {
        self.counts.iter().sum()
    }

    /// The rate of positive labels so far, smoothed by a Beta(1, 19) prior (0.05 before any
    /// label): the probability to give when the scores are not to be trusted yet.
    pub fn base_rate(&self) -> f64 {
        let positives: f64 = self.positives.iter().sum();
        (positives + BASE_PRIOR_POSITIVES) / (self.labels() + BASE_PRIOR_LABELS)
    }

    /// Learns one (raw score, outcome) pair.
    pub fn update(&mut self, raw: f64, y: bool) {
        if !raw.is_finite() {
            return;
        }
        let b = Self::bin(raw);
        self.counts[b] += 1.0;
        self.positives[b] += f64::from(u8::from(y));
    }
}

/// The churn ensemble: mean of a Hoeffding adaptive tree's and a logistic regression's churn
/// probabilities, calibrated.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChurnModel {
    tree: HoeffdingAdaptiveTree,
    logistic: LogisticRegression,
    calibrator: Calibrator,
}

impl ChurnModel {
    /// A fresh ensemble; `seed` seeds the tree's bootstrap.
    pub fn new(seed: u64) -> Option<Self> {
        let tp = HoeffdingAdaptiveTreeParams {
            seed,
            ..HoeffdingAdaptiveTreeParams::default()
        };
        Some(Self {
            tree: tp.build(N_FEATURES, 2).ok()?,
            logistic: LogisticRegressionParams::default()
                .build(N_FEATURES, 2)
                .ok()?,
            calibrator: Calibrator::default(),
        })
    }

    /// The uncalibrated ensemble score.
    pub fn raw(&self, features: &[f64]) -> f64 {
        0.5 * (proba1(&self.tree, features) + proba1(&self.logistic, features))
    }

    /// The calibrated probability given the logistic member's probability for `features`
    /// (computed elsewhere, e.g. by a folded copy of it): the same ensemble and calibration as
    /// [`Supervisable::predict`].
    pub fn probability_with_logistic(&self, features: &[f64], logistic: f64) -> f64 {
        self.calibrator
            .apply(0.5 * (proba1(&self.tree, features) + logistic))
    }

    /// Learns one input whose uncalibrated score (before this update) is `raw`: the calibrator
    /// learns the score, then both members learn the input.
    fn learn_raw(&mut self, x: &ModelInput, y: bool, raw: f64) {
        self.calibrator.update(raw, y);
        let label = usize::from(y);
        self.tree.learn_one(&x.features, label);
        self.logistic.learn_one(&x.features, label);
    }

    /// Labelled inputs learned so far (as the calibrator counted them).
    pub fn labels_learned(&self) -> u64 {
        self.calibrator.labels() as u64
    }

    /// The smoothed churn rate of the labels learned so far (see [`Calibrator::base_rate`]).
    pub fn base_rate(&self) -> f64 {
        self.calibrator.base_rate()
    }

    /// The logistic member (for per-feature contributions).
    pub fn logistic(&self) -> &LogisticRegression {
        &self.logistic
    }

    /// The tree member.
    pub fn tree(&self) -> &HoeffdingAdaptiveTree {
        &self.tree
    }
}

impl Supervisable for ChurnModel {
    fn predict(&self, x: &ModelInput) -> f64 {
        self.calibrator.apply(self.raw(&x.features))
    }

    fn learn(&mut self, x: &ModelInput, y: bool) {
        let raw = self.raw(&x.features);
        self.learn_raw(x, y, raw);
    }

    fn score(&self, x: &ModelInput) -> Scored {
        let raw = self.raw(&x.features);
        Scored {
            probability: self.calibrator.apply(raw),
            raw,
        }
    }

    fn learn_scored(&mut self, x: &ModelInput, y: bool, scored: Scored) {
        self.learn_raw(x, y, scored.raw);
    }

    fn fresh(&self) -> Option<Self> {
        Some(Self {
            tree: self.tree.params().clone().build(N_FEATURES, 2).ok()?,
            logistic: self.logistic.params().build(N_FEATURES, 2).ok()?,
            calibrator: Calibrator::default(),
        })
    }
}

/// A single logistic regression over the features (the journey progression model).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogisticModel {
    model: LogisticRegression,
}

impl LogisticModel {
    /// A fresh model with River's default hyperparameters.
    pub fn new() -> Option<Self> {
        Some(Self {
            model: LogisticRegressionParams::default()
                .build(N_FEATURES, 2)
                .ok()?,
        })
    }

    /// The model.
    pub fn inner(&self) -> &LogisticRegression {
        &self.model
    }
}

impl Supervisable for LogisticModel {
    fn predict(&self, x: &ModelInput) -> f64 {
        proba1(&self.model, &x.features)
    }

    fn learn(&mut self, x: &ModelInput, y: bool) {
        self.model.learn_one(&x.features, usize::from(y));
    }

    fn fresh(&self) -> Option<Self> {
        Some(Self {
            model: self.model.params().build(N_FEATURES, 2).ok()?,
        })
    }
}

/// The response model: one logistic regression per contact channel (the arm of the input).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponseModel {
    per_channel: Vec<LogisticRegression>,
}

impl ResponseModel {
    /// A fresh model for `channels` channels.
    pub fn new(channels: usize) -> Option<Self> {
        let per_channel = (0..channels)
            .map(|_| {
                LogisticRegressionParams::default()
                    .build(N_FEATURES, 2)
                    .ok()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { per_channel })
    }

    /// The model of every channel, by arm.
    pub fn channels(&self) -> &[LogisticRegression] {
        &self.per_channel
    }

    /// The model of one channel.
    pub fn channel(&self, arm: usize) -> Option<&LogisticRegression> {
        self.per_channel.get(arm)
    }
}

impl Supervisable for ResponseModel {
    fn predict(&self, x: &ModelInput) -> f64 {
        self.per_channel
            .get(x.arm)
            .map_or(0.5, |m| proba1(m, &x.features))
    }

    fn learn(&mut self, x: &ModelInput, y: bool) {
        if let Some(m) = self.per_channel.get_mut(x.arm) {
            m.learn_one(&x.features, usize::from(y));
        }
    }

    fn fresh(&self) -> Option<Self> {
        Self::new(self.per_channel.len())
    }
}
