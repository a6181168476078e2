//! Prequential metrics: each prediction is scored before the learner sees its label.
//!
//! What it is for: [`Accuracy`], [`LogLoss`] and exact binary [`RocAuc`] over the whole stream,
//! and their versions over the last `window` samples ([`RollingAccuracy`], [`RollingLogLoss`],
//! [`RollingRocAuc`]) whose ring buffers are allocated once, at construction.
//! What it is not: an evaluation loop; the caller pairs `predict_proba_one` with `learn_one`.

mod accuracy;
mod log_loss;
mod ring_buffer;
mod roc_auc;

pub use accuracy::{Accuracy, RollingAccuracy};
pub use log_loss::{LogLoss, RollingLogLoss};
pub use roc_auc::{RocAuc, RollingRocAuc};

/// A metric updated with one (true class, predicted probabilities) pair at a time.
pub trait Metric {
    /// Scores one prediction: `y_true` is the class index, `proba` the predicted probability of
    /// each class (as written by [`Classifier::predict_proba_one`](crate::learn::Classifier)).
    fn update(&mut self, y_true: usize, proba: &[f64]);

    /// The current value of the metric (0 before any update).
    fn get(&self) -> f64;
}
