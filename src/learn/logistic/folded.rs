//! A frozen logistic regression folded with its scaler for fast prediction.
//!
//! What it is for: the decision path predicts with the same few models for every event, and
//! those models only change when the learner publishes a new snapshot. Scaling each feature
//! (`(x - mean) / std`) and summing the products in feature order costs a division per feature
//! and a serial chain of additions: about 150-280 ns per prediction on 96 features. Folded
//! once per publication (`weight / std` per feature), a prediction is one subtraction and one
//! multiply-add per feature, summed in eight independent lanes that the compiler vectorizes.
//! What it is not: bit-identical to [`LogisticRegression::predict_proba_one`]. Dividing the
//! weight instead of the feature and summing in lanes round differently: the logit differs by
//! a few units in the last place of the products' magnitudes (tests check 1e-12). The learner
//! keeps predicting and learning with the exact model, in River's order.

use super::scaler::StandardScaler;
use super::{sigmoid, LogisticRegression};

/// Lanes of the folded dot product (one 512-bit or two 256-bit vectors of `f64`).
const LANES: usize = 8;

/// A [`LogisticRegression`] frozen for prediction: weights divided by the scaler's standard
/// deviations, with the means kept to centre the features. Built with
/// [`LogisticRegression::folded`]; immutable.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldedLogistic {
    form: Form,
}

#[derive(Debug, Clone, PartialEq)]
enum Form {
    /// `logit = intercept + sum_i scale[i] * centred(x[i], centre[i])`.
    Folded {
        scale: Vec<f64>,
        centre: Vec<f64>,
        intercept: f64,
    },
    /// A model that does not fold to finite numbers (a weight over a standard deviation that
    /// overflows) predicts exactly, as it is.
    Exact(Box<LogisticRegression>),
}

impl LogisticRegression {
    /// This model frozen for fast prediction (see [`FoldedLogistic`]).
    pub fn folded(&self) -> FoldedLogistic {
        let n = self.weights.len();
        let (scale, centre) = match &self.scaler {
            Some(scaler) => fold_scaler(scaler, &self.weights),
            None => (self.weights.clone(), vec![0.0; n]),
        };
        let finite = scale.iter().chain(&centre).all(|v| v.is_finite());
        let form = if finite && self.intercept.is_finite() {
            Form::Folded {
                scale,
                centre,
                intercept: self.intercept,
            }
        } else {
            Form::Exact(Box::new(self.clone()))
        };
        FoldedLogistic { form }
    }
}

/// `weight / std` per feature (0 for a feature without variance, which the scaler maps to 0),
/// and the means.
fn fold_scaler(scaler: &StandardScaler, weights: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut scale = Vec::with_capacity(weights.len());
    let mut centre = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let (mean, std, var) = scaler.stats(i);
        if var == 0.0 {
            scale.push(0.0);
            centre.push(0.0);
        } else {
            scale.push(w / std);
            centre.push(mean);
        }
    }
    (scale, centre)
}

/// `x - centre`, 0 for a non-finite feature (as the scaler scales it), saturated at the
/// largest finite value when the difference of two finite numbers overflows (as the scaler
/// saturates the scaled value). Written as a select of two computed values, not a branch, so
/// that loops over it vectorize.
#[inline(always)]
fn centred(x: f64, centre: f64) -> f64 {
    let d = (x - centre).clamp(-f64::MAX, f64::MAX);
    if x.is_finite() {
        d
    } else {
        0.0
    }
}

impl FoldedLogistic {
    /// Probability of the positive class for `x` (features beyond the model's are ignored;
    /// missing ones count as 0 contribution).
    pub fn probability(&self, x: &[f64]) -> f64 {
        match &self.form {
            Form::Folded {
                scale,
                centre,
                intercept,
            } => {
                let dot = super::wide::with_wide_vectors(|| folded_dot(scale, centre, x));
                let z = dot + intercept;
                sigmoid(if z.is_nan() { 0.0 } else { z })
            }
            Form::Exact(model) => {
                let mut p = [0.0; 2];
                crate::learn::Classifier::predict_proba_one(model.as_ref(), x, &mut p);
                p[1]
            }
        }
    }

    /// Each feature's contribution to the logit (`weight * scaled value`), as
    /// [`LogisticRegression::contributions`] gives it, up to rounding.
    pub fn contributions(&self, x: &[f64], out: &mut [f64]) {
        match &self.form {
            Form::Folded { scale, centre, .. } => {
                for (o, ((&s, &c), &xi)) in out.iter_mut().zip(scale.iter().zip(centre).zip(x)) {
                    let v = s * centred(xi, c);
                    *o = if v.is_nan() {
                        0.0
                    } else {
                        v.clamp(-f64::MAX, f64::MAX)
                    };
                }
            }
            Form::Exact(model) => model.contributions(x, out),
        }
    }
}

#[inline(always)]
fn folded_dot(scale: &[f64], centre: &[f64], x: &[f64]) -> f64 {
    let n = scale.len().min(centre.len()).min(x.len());
    let (scale, centre, x) = (&scale[..n], &centre[..n], &x[..n]);
    let mut lanes = [0.0; LANES];
    let mut s = scale.chunks_exact(LANES);
    let mut c = centre.chunks_exact(LANES);
    let mut v = x.chunks_exact(LANES);
    for ((s, c), v) in (&mut s).zip(&mut c).zip(&mut v) {
        for j in 0..LANES {
            lanes[j] += s[j] * centred(v[j], c[j]);
        }
    }
    let mut dot = lanes.iter().sum::<f64>();
    for ((&s, &c), &v) in s.remainder().iter().zip(c.remainder()).zip(v.remainder()) {
        dot += s * centred(v, c);
    }
    dot
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::logistic::LogisticRegressionParams;
    use crate::learn::Classifier;

    fn noise(state: &mut u64) -> f64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        (*state % 20_001) as f64 / 1000.0 - 10.0
    }

    fn trained(n: usize, scale: bool, seed: u64) -> LogisticRegression {
        let mut model = LogisticRegressionParams {
            scale,
            ..Default::default()
        }
        .build(n, 2)
        .unwrap();
        let mut state = seed;
        for _ in 0..3000 {
            let mut x: Vec<f64> = (0..n).map(|_| noise(&mut state)).collect();
            // A constant feature (no variance) and one with a large offset.
            x[0] = 4.0;
            x[1] += 1000.0;
            let y = usize::from(x[2] + 0.5 * x[3] > 0.0);
            model.learn_one(&x, y);
        }
        model
    }

    #[test]
    fn centred_is_the_branching_form_bit_for_bit() {
        let branching = |x: f64, c: f64| {
            if x.is_finite() {
                (x - c).clamp(-f64::MAX, f64::MAX)
            } else {
                0.0
            }
        };
        let values = [
            0.0,
            -0.0,
            1.5,
            -3.25,
            1e300,
            f64::MAX,
            -f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for &x in &values {
            for &c in &values[..7] {
                assert_eq!(
                    centred(x, c).to_bits(),
                    branching(x, c).to_bits(),
                    "{x} - {c}"
                );
            }
        }
    }

    #[test]
    fn folded_predictions_match_the_exact_model_to_1e12() {
        for (n, scale) in [(96, true), (13, true), (96, false)] {
            let model = trained(n, scale, 0x1234_5678 + n as u64);
            let folded = model.folded();
            assert!(matches!(folded.form, Form::Folded { .. }));
            let mut state = 99;
            for round in 0..500 {
                let mut x: Vec<f64> = (0..n).map(|_| 3.0 * noise(&mut state)).collect();
                if round % 50 == 1 {
                    x[5] = f64::NAN;
                    x[6] = f64::INFINITY;
                }
                let mut p = [0.0; 2];
                model.predict_proba_one(&x, &mut p);
                let q = folded.probability(&x);
                assert!((p[1] - q).abs() < 1e-12, "n {n}: {} vs {q}", p[1]);
                let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
                model.contributions(&x, &mut a);
                folded.contributions(&x, &mut b);
                for (i, (a, b)) in a.iter().zip(&b).enumerate() {
                    assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0), "feature {i}");
                }
            }
        }
    }

    #[test]
    fn an_untrained_model_folds_to_one_half() {
        let model = LogisticRegressionParams::default().build(96, 2).unwrap();
        assert_eq!(model.folded().probability(&[1.0; 96]), 0.5);
    }

    #[test]
    fn a_model_whose_weights_do_not_fold_finitely_predicts_exactly() {
        let mut model = LogisticRegressionParams::default().build(2, 2).unwrap();
        for i in 0..100 {
            // Feature 0 has a standard deviation of 0.0005.
            model.learn_one(&[(i % 2) as f64 * 0.001, 1.0], i % 2);
        }
        model.weights[0] = f64::MAX;
        let folded = model.folded();
        assert!(matches!(folded.form, Form::Exact(_)));
        let x = [0.001, 1.0];
        let mut p = [0.0; 2];
        model.predict_proba_one(&x, &mut p);
        assert_eq!(folded.probability(&x).to_bits(), p[1].to_bits());
    }
}
