//! The online standard scaler that sits in front of [`super::LogisticRegression`]: River's
//! `preprocessing.StandardScaler` on dense features.
//!
//! What it is for: centring and scaling each feature by its running mean and population standard
//! deviation (Welford's update, in River's operation order), so SGD sees comparable scales.
//! What it is not: a windowed scaler; every value seen counts forever.

use serde::{Deserialize, Serialize};

/// Per-feature running mean and population variance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StandardScaler {
    counts: Vec<f64>,
    means: Vec<f64>,
    variances: Vec<f64>,
    /// `sqrt(variance)`, kept so that transforming costs one division, not a square root too.
    stds: Vec<f64>,
}

impl StandardScaler {
    /// A scaler for `n_features` features that has seen nothing.
    pub(crate) fn new(n_features: usize) -> Self {
        Self {
            counts: vec![0.0; n_features],
            means: vec![0.0; n_features],
            variances: vec![0.0; n_features],
            stds: vec![0.0; n_features],
        }
    }

    /// Absorbs one sample. A value that is not finite, or whose update would overflow the
    /// statistics, is skipped for its feature (River would turn the feature's statistics into NaN).
    pub(crate) fn learn_one(&mut self, x: &[f64]) {
        let stats = self
            .counts
            .iter_mut()
            .zip(self.means.iter_mut())
            .zip(self.variances.iter_mut())
            .zip(self.stds.iter_mut());
        for ((((count, mean), var), std), &xi) in stats.zip(x) {
            if !xi.is_finite() {
                continue;
            }
            let n = *count + 1.0;
            let old_mean = *mean;
            let new_mean = old_mean + (xi - old_mean) / n;
            let new_var = *var + ((xi - old_mean) * (xi - new_mean) - *var) / n;
            if new_mean.is_finite() && new_var.is_finite() {
                *count = n;
                *mean = new_mean;
                *var = new_var;
                *std = new_var.sqrt();
            }
        }
    }

    /// The scaled value of feature `i`: `(x - mean) / std`, 0 when the feature has no variance
    /// yet (as River) or the value is not finite. Never NaN; an overflow saturates at `±f64::MAX`.
    #[inline]
    pub(crate) fn transform(&self, i: usize, xi: f64) -> f64 {
        if self.variances[i] == 0.0 || !xi.is_finite() {
            return 0.0;
        }
        let z = (xi - self.means[i]) / self.stds[i];
        if z.is_nan() {
            0.0
        } else {
            z.clamp(-f64::MAX, f64::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardises_with_the_population_variance() {
        let mut s = StandardScaler::new(2);
        for x in [[1.0, 5.0], [2.0, 5.0], [3.0, 5.0], [4.0, 5.0]] {
            s.learn_one(&x);
        }
        // Mean 2.5, population variance 1.25.
        assert!((s.transform(0, 4.0) - 1.5 / 1.25_f64.sqrt()).abs() < 1e-12);
        // A constant feature has no variance: it scales to 0, as in River.
        assert_eq!(s.transform(1, 7.0), 0.0);
    }

    #[test]
    fn nothing_seen_scales_to_zero() {
        let s = StandardScaler::new(1);
        assert_eq!(s.transform(0, 3.0), 0.0);
    }

    #[test]
    fn extreme_and_non_finite_values_keep_statistics_finite() {
        let mut s = StandardScaler::new(1);
        for x in [f64::MAX, -f64::MAX, f64::NAN, f64::INFINITY, 1.0, -f64::MAX] {
            s.learn_one(&[x]);
            for probe in [f64::MAX, -f64::MAX, 0.0, f64::NAN] {
                assert!(!s.transform(0, probe).is_nan());
            }
        }
        assert!(s.means[0].is_finite() && s.variances[0].is_finite());
    }
}
