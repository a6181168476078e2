//! The online standard scaler that sits in front of [`super::LogisticRegression`]: River's
//! `preprocessing.StandardScaler` on dense features.
//!
//! What it is for: centring and scaling each feature by its running mean and population standard
//! deviation (Welford's update, in River's operation order), so SGD sees comparable scales.
//! What it is not: a windowed scaler; every value seen counts forever.

use serde::{Deserialize, Serialize};

/// [`StandardScaler::transform`] of one value without branches.
#[inline(always)]
fn scaled(xi: f64, mean: f64, std: f64, var: f64) -> f64 {
    let z = (xi - mean) / std;
    let valid = var != 0.0 && xi.is_finite() && !z.is_nan();
    if valid {
        z.clamp(-f64::MAX, f64::MAX)
    } else {
        0.0
    }
}

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
        super::wide::with_wide_vectors(|| self.learn_one_inline(x));
    }

    #[inline(always)]
    fn learn_one_inline(&mut self, x: &[f64]) {
        let stats = self
            .counts
            .iter_mut()
            .zip(self.means.iter_mut())
            .zip(self.variances.iter_mut())
            .zip(self.stds.iter_mut());
        // Without branches (the update of a skipped value is computed and dropped), so the
        // loop body is straight-line code; the values kept are the same as with early exits.
        for ((((count, mean), var), std), &xi) in stats.zip(x) {
            let n = *count + 1.0;
            let old_mean = *mean;
            let new_mean = old_mean + (xi - old_mean) / n;
            let new_var = *var + ((xi - old_mean) * (xi - new_mean) - *var) / n;
            let keep = xi.is_finite() && new_mean.is_finite() && new_var.is_finite();
            let new_std = new_var.sqrt();
            *count = if keep { n } else { *count };
            *mean = if keep { new_mean } else { old_mean };
            *var = if keep { new_var } else { *var };
            *std = if keep { new_std } else { *std };
        }
    }

    /// Writes the scaled value of every feature of `x` into `out` (as [`transform`](Self::transform)
    /// per feature, same values bit for bit), written without branches so that the compiler
    /// can vectorize the divisions.
    #[inline]
    pub(crate) fn transform_into(&self, x: &[f64], out: &mut [f64]) {
        super::wide::with_wide_vectors(|| self.transform_into_inline(x, out));
    }

    #[inline(always)]
    fn transform_into_inline(&self, x: &[f64], out: &mut [f64]) {
        let stats = self.means.iter().zip(&self.stds).zip(&self.variances);
        for ((o, &xi), ((&mean, &std), &var)) in out.iter_mut().zip(x).zip(stats) {
            *o = scaled(xi, mean, std, var);
        }
    }

    /// `sum_i weights[i] * transform(i, x[i])` in feature order (as River adds). Up to
    /// `STACK_FEATURES` features are scaled first in one vectorized pass (the divisions run four or
    /// more at a time), then summed in order: the same operations on the same values as
    /// scaling and adding one feature at a time, so the same result bit for bit.
    #[inline]
    pub(crate) fn scaled_dot(&self, weights: &[f64], x: &[f64]) -> f64 {
        let n = weights.len().min(x.len()).min(self.means.len());
        if n > super::STACK_FEATURES {
            let stats = self.means.iter().zip(&self.stds).zip(&self.variances);
            let mut dot = 0.0;
            for ((&w, &xi), ((&mean, &std), &var)) in weights.iter().zip(x).zip(stats) {
                dot += w * scaled(xi, mean, std, var);
            }
            return dot;
        }
        let mut buf = [0.0; super::STACK_FEATURES];
        let scaled = &mut buf[..n];
        self.transform_into(&x[..n], scaled);
        weights[..n]
            .iter()
            .zip(scaled.iter())
            .fold(0.0, |dot, (&w, &z)| dot + w * z)
    }

    /// Mean, standard deviation and variance of feature `i` (zeros past the last feature).
    pub(crate) fn stats(&self, i: usize) -> (f64, f64, f64) {
        match (self.means.get(i), self.stds.get(i), self.variances.get(i)) {
            (Some(&m), Some(&s), Some(&v)) => (m, s, v),
            _ => (0.0, 0.0, 0.0),
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
    fn transform_into_equals_transform_bit_for_bit() {
        let mut s = StandardScaler::new(5);
        let rows = [
            [1.0, 5.0, f64::NAN, -f64::MAX, 0.0],
            [2.0, 5.0, 1.0, f64::MAX, 1e-300],
            [3.5, 5.0, f64::INFINITY, 1.0, -1e-300],
        ];
        for probe in rows
            .iter()
            .chain(&[[f64::NAN; 5], [f64::INFINITY; 5], [7.0; 5]])
        {
            let mut out = [9.0; 5];
            s.transform_into(probe, &mut out);
            for (i, (&o, &x)) in out.iter().zip(probe).enumerate() {
                assert_eq!(
                    o.to_bits(),
                    s.transform(i, x).to_bits(),
                    "feature {i} of {probe:?}"
                );
            }
            s.learn_one(probe);
        }
    }

    #[test]
    fn wide_update_equals_the_portable_one_bit_for_bit() {
        // `learn_one` runs compiled for AVX2 when the CPU has it; `learn_one_inline` called
        // here directly is the portable build. Both must keep the same statistics.
        let (mut wide, mut portable) = (StandardScaler::new(7), StandardScaler::new(7));
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..500 {
            let mut x = [0.0; 7];
            for v in &mut x {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *v = (state % 20_001) as f64 / 100.0 - 100.0;
            }
            if round % 50 == 7 {
                x[2] = f64::NAN;
                x[5] = f64::INFINITY;
                x[6] = f64::MAX;
            }
            wide.learn_one(&x);
            portable.learn_one_inline(&x);
            for (a, b) in [
                (&wide.counts, &portable.counts),
                (&wide.means, &portable.means),
                (&wide.variances, &portable.variances),
                (&wide.stds, &portable.stds),
            ] {
                let a: Vec<u64> = a.iter().map(|v| v.to_bits()).collect();
                let b: Vec<u64> = b.iter().map(|v| v.to_bits()).collect();
                assert_eq!(a, b, "round {round}");
            }
            let (mut za, mut zb) = ([0.0; 7], [0.0; 7]);
            wide.transform_into(&x, &mut za);
            portable.transform_into_inline(&x, &mut zb);
            assert_eq!(za.map(f64::to_bits), zb.map(f64::to_bits), "round {round}");
        }
    }

    #[test]
    fn scaled_dot_equals_the_feature_by_feature_sum_bit_for_bit() {
        // 96 features go through the vectorized stack path, 130 through the fallback.
        for n in [96, 130] {
            let mut s = StandardScaler::new(n);
            let mut state = 0x9e37_79b9_7f4a_7c15_u64;
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % 20_001) as f64 / 100.0 - 100.0
            };
            let weights: Vec<f64> = (0..n).map(|_| next() / 37.0).collect();
            for round in 0..200 {
                let mut x: Vec<f64> = (0..n).map(|_| next()).collect();
                if round % 40 == 3 {
                    x[1] = f64::NAN;
                    x[4] = f64::NEG_INFINITY;
                }
                let expected = (0..n).fold(0.0, |dot, i| dot + weights[i] * s.transform(i, x[i]));
                assert_eq!(
                    s.scaled_dot(&weights, &x).to_bits(),
                    expected.to_bits(),
                    "n {n}, round {round}"
                );
                s.learn_one(&x);
            }
        }
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
