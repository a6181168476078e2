//! Log loss (cross-entropy) of the predicted probabilities, clamped as River clamps them.
//!
//! What it is for: scoring how well calibrated the probabilities are, over the whole stream or
//! a rolling window.
//! What it is not: a training loss; learners compute their own gradients.

use serde::{Deserialize, Serialize};

use super::ring_buffer::RingBuffer;
use super::Metric;
use crate::learn::ParamError;

/// Probabilities are clamped into `[PROBA_EPSILON, 1 - PROBA_EPSILON]`: River's
/// `metrics.base.ClassificationMetric._clamp_proba`.
const PROBA_EPSILON: f64 = 1e-15;

/// The loss of one prediction. Binary (two probabilities): River's `metrics.LogLoss`,
/// `-ln p1` or `-ln(1 - p1)` with `p1 = proba[1]` clamped. More classes: River's
/// `metrics.CrossEntropy`, `-ln proba[y_true]` clamped. A `y_true` without a probability counts
/// as probability 0.
fn sample_loss(y_true: usize, proba: &[f64]) -> f64 {
    let clamp = |p: f64| {
        if p.is_nan() {
            PROBA_EPSILON
        } else {
            p.clamp(PROBA_EPSILON, 1.0 - PROBA_EPSILON)
        }
    };
    if proba.len() == 2 {
        let p1 = clamp(proba[1]);
        if y_true == 1 {
            -p1.ln()
        } else {
            -(1.0 - p1).ln()
        }
    } else {
        -clamp(proba.get(y_true).copied().unwrap_or(0.0)).ln()
    }
}

/// Mean log loss over every update.
///
/// # Examples
/// River's `metrics.LogLoss` doc example:
/// ```
/// use leadstream::learn::metrics::{LogLoss, Metric};
///
/// let mut loss = LogLoss::default();
/// for (y, p1) in [(1, 0.9), (0, 0.1), (0, 0.2), (1, 0.65)] {
///     loss.update(y, &[1.0 - p1, p1]);
/// }
/// assert!((loss.get() - 0.216162).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogLoss {
    sum: f64,
    seen: u64,
}

impl Metric for LogLoss {
    fn update(&mut self, y_true: usize, proba: &[f64]) {
        self.sum += sample_loss(y_true, proba);
        self.seen += 1;
    }

    fn get(&self) -> f64 {
        if self.seen == 0 {
            0.0
        } else {
            self.sum / self.seen as f64
        }
    }
}

/// Mean log loss over the last `window` updates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingLogLoss {
    losses: RingBuffer<f64>,
    sum: f64,
    /// Evictions since `sum` was last recomputed from scratch; bounds the rounding drift of
    /// adding and subtracting forever.
    evictions: usize,
}

impl RollingLogLoss {
    /// Mean log loss over the last `window` updates.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] when `window` is 0.
    pub fn new(window: usize) -> Result<Self, ParamError> {
        Ok(Self {
            losses: RingBuffer::new(window)?,
            sum: 0.0,
            evictions: 0,
        })
    }
}

impl Metric for RollingLogLoss {
    fn update(&mut self, y_true: usize, proba: &[f64]) {
        let loss = sample_loss(y_true, proba);
        self.sum += loss;
        if let Some(old) = self.losses.push(loss) {
            self.sum -= old;
            self.evictions += 1;
            if self.evictions >= self.losses.len() {
                self.evictions = 0;
                self.sum = self.losses.values().iter().sum();
            }
        }
    }

    fn get(&self) -> f64 {
        if self.losses.len() == 0 {
            0.0
        } else {
            self.sum / self.losses.len() as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rivers_running_values() {
        // River's doc example prints 0.105360, 0.105360, 0.144621, 0.216161.
        let mut loss = LogLoss::default();
        let mut got = Vec::new();
        for (y, p1) in [(1, 0.9), (0, 0.1), (0, 0.2), (1, 0.65)] {
            loss.update(y, &[1.0 - p1, p1]);
            got.push(loss.get());
        }
        for (g, want) in got.iter().zip([0.105360, 0.105360, 0.144621, 0.216161]) {
            assert!((g - want).abs() < 1e-6, "{g} vs {want}");
        }
    }

    #[test]
    fn clamps_certain_mistakes_and_handles_odd_inputs() {
        let mut loss = LogLoss::default();
        loss.update(1, &[1.0, 0.0]);
        assert!((loss.get() - (-(1e-15_f64).ln())).abs() < 1e-9);
        assert!((sample_loss(2, &[0.2, 0.3, 0.5]) - -(0.5_f64).ln()).abs() < 1e-15);
        assert!(sample_loss(5, &[0.2, 0.3, 0.5]).is_finite());
        assert!(sample_loss(0, &[f64::NAN, f64::NAN]).is_finite());
    }

    #[test]
    fn rolling_mean_covers_only_the_window() {
        let mut loss = RollingLogLoss::new(2).unwrap();
        let l = |p: f64| -p.ln();
        loss.update(1, &[0.5, 0.5]);
        loss.update(1, &[0.2, 0.8]);
        assert!((loss.get() - (l(0.5) + l(0.8)) / 2.0).abs() < 1e-12);
        loss.update(0, &[0.9, 0.1]);
        assert!((loss.get() - (l(0.8) + l(0.9)) / 2.0).abs() < 1e-12);
        for _ in 0..1000 {
            loss.update(0, &[0.9, 0.1]);
        }
        assert!((loss.get() - l(0.9)).abs() < 1e-12);
    }
}
