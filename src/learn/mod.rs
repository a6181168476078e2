//! The learning core: incremental learners that learn one sample at a time.
//!
//! What it is for: classifiers ([`Classifier`]) and drift detectors ([`DriftDetector`]) in the
//! spirit of River's `learn_one` / `predict_proba_one` / `update`, plus prequential metrics.
//! What it is not: it knows nothing of events, Kafka, files or clocks. Every learner is pure and
//! deterministic given its hyperparameters (including its seed): no IO, no global state.
//!
//! Conventions shared by every learner:
//! - Features are a dense `&[f64]` of the length given at construction; labels are class indices
//!   `0..n_classes`. Callers (the CLI, the pipeline) validate shapes; learners `debug_assert` them.
//! - Hyperparameters are checked once, when a learner is built from its params type
//!   (see [`params`]); the learn and predict paths never fail and never allocate per sample.

pub mod bandit;
pub mod cluster;
pub mod drift;
pub mod hoeffding;
pub mod logistic;
pub mod metrics;
pub mod params;
pub mod prequential;

pub use params::{Hyperparams, ParamError};

/// The largest number of classes a classifier accepts; lets `predict_one` use a stack buffer.
pub const MAX_CLASSES: usize = 64;

/// An online classifier: learns from one labelled sample at a time.
pub trait Classifier {
    /// The number of classes, fixed when the classifier was built.
    fn n_classes(&self) -> usize;

    /// Learns from one sample `x` with class label `y` (`y < n_classes()`).
    fn learn_one(&mut self, x: &[f64], y: usize);

    /// Writes the probability of each class for `x` into `proba` (`proba.len() == n_classes()`).
    /// The probabilities are finite, non-negative and sum to 1. Before any learning they are uniform.
    fn predict_proba_one(&self, x: &[f64], proba: &mut [f64]);

    /// The most probable class for `x` (ties go to the lowest class index).
    fn predict_one(&self, x: &[f64]) -> usize {
        let mut buf = [0.0_f64; MAX_CLASSES];
        let proba = &mut buf[..self.n_classes()];
        self.predict_proba_one(x, proba);
        argmax(proba)
    }
}

/// A concept-drift detector fed one value at a time (an error indicator, a loss, a raw signal).
pub trait DriftDetector {
    /// Feeds one value; returns `true` when drift is detected at this value.
    fn update(&mut self, x: f64) -> bool;

    /// Whether the last [`update`](DriftDetector::update) detected drift.
    fn drift_detected(&self) -> bool;
}

/// Index of the largest value; the first one on ties, 0 for an empty slice.
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}
