//! Online binary logistic regression with an online standard scaler in front: River's
//! `preprocessing.StandardScaler() | linear_model.LogisticRegression()`.
//!
//! What it is for: a fast, explainable baseline classifier ([`LogisticRegression::contributions`]
//! gives each feature's share of the logit), learning one sample at a time with SGD, AdaGrad or
//! FTRL-Proximal.
//! What it is not: multiclass (it refuses `n_classes != 2`), and it does not select features.

mod folded;
mod optimizer;
mod params;
mod scaler;
mod wide;

use serde::{Deserialize, Serialize};

pub use folded::FoldedLogistic;
pub use optimizer::OptimizerKind;
pub use params::LogisticRegressionParams;

use crate::learn::Classifier;
use optimizer::Optimizer;
use scaler::StandardScaler;

/// Beyond this logit magnitude River's sigmoid returns exactly 0 or 1.
const SIGMOID_CUTOFF: f64 = 30.0;
/// Beyond this margin River's log-loss gradient switches to its asymptotic forms.
const LOSS_ASYMPTOTE: f64 = 18.0;

/// River's `utils.math.sigmoid`.
fn sigmoid(z: f64) -> f64 {
    if z < -SIGMOID_CUTOFF {
        0.0
    } else if z > SIGMOID_CUTOFF {
        1.0
    } else {
        1.0 / (1.0 + (-z).exp())
    }
}

/// River's `optim.losses.Log().gradient` with respect to the logit, for `sign` = -1 or +1.
fn log_loss_gradient(sign: f64, logit: f64) -> f64 {
    let margin = logit * sign;
    if margin > LOSS_ASYMPTOTE {
        (-margin).exp() * -sign
    } else if margin < -LOSS_ASYMPTOTE {
        -sign
    } else {
        -sign / (margin.exp() + 1.0)
    }
}

/// Models with at most this many features scale them in a stack buffer (one pass, no
/// allocation); wider ones scale feature by feature.
const STACK_FEATURES: usize = 128;

/// Replaces NaN with 0 and infinities with the largest finite values.
fn finite(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-f64::MAX, f64::MAX)
    }
}

/// Feature `i` as the model sees it: scaled, or raw with non-finite values as 0.
#[inline]
fn model_feature(scaler: Option<&StandardScaler>, i: usize, xi: f64) -> f64 {
    match scaler {
        Some(scaler) => scaler.transform(i, xi),
        None if xi.is_finite() => xi,
        None => 0.0,
    }
}

/// Online binary logistic regression (Cox, 1958) trained by stochastic gradient descent on the
/// log loss, optionally behind an online standard scaler; with the default
/// [`LogisticRegressionParams`] it reproduces River 0.26's
/// `preprocessing.StandardScaler() | linear_model.LogisticRegression()`: on `learn_one` the
/// scaler learns the sample first and the model then learns the sample scaled with the updated
/// statistics; `predict_proba_one` scales with the current statistics.
///
/// Class 1 is the positive class (River's `True`); any label other than 0 counts as positive.
/// Non-finite feature values are treated as missing (scaled to 0); the model's probabilities are
/// always finite.
///
/// # Examples
/// ```
/// use leadstream::learn::logistic::LogisticRegressionParams;
/// use leadstream::learn::Classifier;
///
/// let mut model = LogisticRegressionParams::default().build(2, 2).unwrap();
/// // Class 1 when the first feature is large; the second feature is noise.
/// for i in 0..2000 {
///     let a = f64::from(i % 10);
///     let x = [a, f64::from((i * 7) % 5)];
///     model.learn_one(&x, usize::from(a >= 5.0));
/// }
/// assert_eq!(model.predict_one(&[9.0, 2.0]), 1);
/// assert_eq!(model.predict_one(&[0.0, 2.0]), 0);
/// let mut parts = [0.0; 2];
/// model.contributions(&[9.0, 2.0], &mut parts);
/// assert!(parts[0] > 10.0 * parts[1].abs());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegression {
    params: LogisticRegressionParams,
    scaler: Option<StandardScaler>,
    optimizer: Optimizer,
    weights: Vec<f64>,
    intercept: f64,
}

impl LogisticRegression {
    /// The hyperparameters the model was built with.
    pub fn params(&self) -> &LogisticRegressionParams {
        &self.params
    }

    /// The weight of each feature (on the scaled feature when scaling is on).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The intercept (bias) of the logit.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// Writes each feature's contribution to the logit of `x`, weight times (scaled) value, into
    /// `out` (`out.len() == weights().len()`); the logit is their sum plus the intercept.
    pub fn contributions(&self, x: &[f64], out: &mut [f64]) {
        debug_assert_eq!(out.len(), self.weights.len());
        let n = out.len().min(x.len());
        self.model_features(&x[..n], &mut out[..n]);
        for (o, &w) in out.iter_mut().zip(&self.weights) {
            *o = finite(w * *o);
        }
    }

    /// Writes the features as the model sees them (scaled, or raw with non-finite values as 0)
    /// into `out`; `out.len() == x.len()`.
    #[inline]
    fn model_features(&self, x: &[f64], out: &mut [f64]) {
        match &self.scaler {
            Some(scaler) => scaler.transform_into(x, out),
            None => {
                for (o, &xi) in out.iter_mut().zip(x) {
                    *o = model_feature(None, 0, xi);
                }
            }
        }
    }

    /// The logit of `x`, never NaN: scaling and dot product in one pass without branches,
    /// summed in feature order as River does (so the value is River's bit for bit).
    fn logit(&self, x: &[f64]) -> f64 {
        let dot = match &self.scaler {
            Some(scaler) => scaler.scaled_dot(&self.weights, x),
            None => self.weights.iter().zip(x).fold(0.0, |dot, (&w, &xi)| {
                dot + w * if xi.is_finite() { xi } else { 0.0 }
            }),
        };
        self.finish_logit(dot)
    }

    /// The logit given the model's (scaled) features.
    #[inline]
    fn logit_of_scaled(&self, scaled: &[f64]) -> f64 {
        let dot = self
            .weights
            .iter()
            .zip(scaled)
            .fold(0.0, |dot, (&w, &z)| dot + w * z);
        self.finish_logit(dot)
    }

    #[inline]
    fn finish_logit(&self, dot: f64) -> f64 {
        let z = dot + self.intercept;
        if z.is_nan() {
            0.0
        } else {
            z
        }
    }
}

impl Classifier for LogisticRegression {
    fn n_classes(&self) -> usize {
        2
    }

    fn learn_one(&mut self, x: &[f64], y: usize) {
        debug_assert_eq!(x.len(), self.weights.len());
        debug_assert!(y < 2);
        if let Some(scaler) = &mut self.scaler {
            scaler.learn_one(x);
        }
        let sign = if y == 0 { -1.0 } else { 1.0 };
        let clip = self.params.clip_gradient;
        let n = self.weights.len().min(x.len());
        if n > STACK_FEATURES {
            let loss_gradient = log_loss_gradient(sign, self.logit(x)).clamp(-clip, clip);
            self.step(x, loss_gradient, |scaler, i, xi| {
                model_feature(scaler, i, xi)
            });
            return;
        }
        // The scaled features are computed once for the logit and the gradient.
        let mut buf = [0.0; STACK_FEATURES];
        let scaled = &mut buf[..n];
        self.model_features(&x[..n], scaled);
        let loss_gradient =
            log_loss_gradient(sign, self.logit_of_scaled(scaled)).clamp(-clip, clip);
        self.step(scaled, loss_gradient, |_, _, z| z);
    }

    fn predict_proba_one(&self, x: &[f64], proba: &mut [f64]) {
        debug_assert_eq!(proba.len(), 2);
        let p = sigmoid(self.logit(x));
        if let [p0, p1] = proba {
            *p0 = 1.0 - p;
            *p1 = p;
        }
    }
}

impl LogisticRegression {
    /// One SGD step on the intercept and the weights, where `feature(scaler, i, v_i)` gives the
    /// model's feature `i` from `v`.
    #[inline]
    fn step(
        &mut self,
        v: &[f64],
        loss_gradient: f64,
        feature: impl Fn(Option<&StandardScaler>, usize, f64) -> f64,
    ) {
        let clip = self.params.clip_gradient;
        self.intercept = finite(self.intercept - self.params.intercept_lr * loss_gradient);
        let l2 = self.params.l2;
        let scaler = self.scaler.as_ref();
        if let Some(lr) = self.optimizer.sgd_lr() {
            // Plain SGD (the default) without the per-coordinate dispatch: the same operations
            // as `Optimizer::step`, as straight-line code.
            let weights = &mut self.weights;
            wide::with_wide_vectors(|| {
                for (i, (w, &xi)) in weights.iter_mut().zip(v).enumerate() {
                    let g = feature(scaler, i, xi) * loss_gradient;
                    let g = if l2 != 0.0 { g + l2 * *w } else { g };
                    let g = finite(g).clamp(-clip, clip);
                    let updated = *w - lr * g;
                    *w = finite(updated);
                }
            });
            return;
        }
        for (i, (w, &xi)) in self.weights.iter_mut().zip(v).enumerate() {
            let mut g = feature(scaler, i, xi) * loss_gradient;
            if l2 != 0.0 {
                g += l2 * *w;
            }
            let g = finite(g).clamp(-clip, clip);
            self.optimizer.step(i, w, g);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrained_model_is_uniform() {
        let model = LogisticRegressionParams::default().build(3, 2).unwrap();
        let mut proba = [0.0; 2];
        model.predict_proba_one(&[1.0, -2.0, 3.0], &mut proba);
        assert_eq!(proba, [0.5, 0.5]);
    }

    #[test]
    fn first_sgd_step_by_hand_without_scaling() {
        let p = LogisticRegressionParams {
            scale: false,
            ..Default::default()
        };
        let mut model = p.build(2, 2).unwrap();
        model.learn_one(&[2.0, -1.0], 1);
        // Logit 0: gradient -1 / (e^0 + 1) = -0.5; w = -0.01 * (x * -0.5); b = 0.005.
        assert!((model.weights()[0] - 0.01).abs() < 1e-15);
        assert!((model.weights()[1] + 0.005).abs() < 1e-15);
        assert!((model.intercept() - 0.005).abs() < 1e-15);
        let mut parts = [0.0; 2];
        model.contributions(&[2.0, -1.0], &mut parts);
        assert!((parts[0] - 0.02).abs() < 1e-15 && (parts[1] - 0.005).abs() < 1e-15);
    }

    #[test]
    fn scaler_learns_before_the_model_sees_the_sample() {
        let mut model = LogisticRegressionParams::default().build(1, 2).unwrap();
        model.learn_one(&[5.0], 1);
        // One value: no variance yet, so the scaled feature is 0 and only the intercept moves.
        assert_eq!(model.weights(), &[0.0]);
        model.learn_one(&[1.0], 0);
        // Mean 3, std 2: the model saw (1 - 3) / 2 = -1 with label 0.
        assert!(model.weights()[0] > 0.0);
    }

    #[test]
    fn river_gradient_asymptotes() {
        assert_eq!(log_loss_gradient(1.0, -100.0), -1.0);
        assert!((log_loss_gradient(1.0, 20.0) + (-20.0_f64).exp()).abs() < 1e-20);
        assert_eq!(log_loss_gradient(-1.0, 0.0), 0.5);
        assert_eq!(sigmoid(31.0), 1.0);
        assert_eq!(sigmoid(-31.0), 0.0);
    }

    #[test]
    fn serde_round_trip_and_clone_continue_identically() {
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Adagrad,
            OptimizerKind::Ftrl,
        ] {
            let params = LogisticRegressionParams {
                optimizer: kind,
                ..Default::default()
            };
            let mut a = params.build(2, 2).unwrap();
            for i in 0..50_u32 {
                a.learn_one(&[f64::from(i % 7), f64::from(i % 3)], (i % 2) as usize);
            }
            let json = serde_json::to_string(&a).unwrap();
            let mut b: LogisticRegression = serde_json::from_str(&json).unwrap();
            let mut c = a.clone();
            for i in 0..50_u32 {
                let x = [f64::from(i % 5), f64::from(i % 4)];
                let y = ((i / 3) % 2) as usize;
                a.learn_one(&x, y);
                b.learn_one(&x, y);
                c.learn_one(&x, y);
            }
            assert_eq!(a, b, "{kind:?}");
            assert_eq!(a, c, "{kind:?}");
        }
    }

    #[test]
    fn every_optimizer_learns_a_separable_problem() {
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Adagrad,
            OptimizerKind::Ftrl,
        ] {
            let params = LogisticRegressionParams {
                optimizer: kind,
                lr: 0.1,
                ..Default::default()
            };
            let mut model = params.build(2, 2).unwrap();
            let mut correct = 0;
            for i in 0..3000 {
                let a = f64::from((i * 37) % 100) / 10.0;
                let x = [a, f64::from((i * 13) % 7)];
                let y = usize::from(a > 5.0);
                if i >= 2000 {
                    correct += usize::from(model.predict_one(&x) == y);
                }
                model.learn_one(&x, y);
            }
            assert!(correct > 950, "{kind:?}: {correct} / 1000");
        }
    }
}
