//! The Gaussian attribute observer: per (feature, class), a weighted running mean and variance
//! (Welford) plus the minimum and maximum seen, as River's `GaussianSplitter` keeps them.
//!
//! What it is for: scoring numeric split candidates (class weight left of a threshold through the
//! normal CDF) and the naive Bayes likelihoods of the leaf predictors.
//! What it is not: the choice of candidates or the split decision (see `leaf.rs`).

use serde::{Deserialize, Serialize};

/// `0.5 * ln(2π)`, the constant of the normal log density.
pub(crate) const HALF_LOG_TAU: f64 = 0.918_938_533_204_672_7;

/// Running statistics of one numeric feature for one class at one leaf.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ClassGaussian {
    /// Total weight seen; 0 means the class was never seen for this feature.
    pub(crate) n: f64,
    mean: f64,
    /// Weighted sum of squared deviations (Welford's `S`).
    s: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    /// Sample variance when the density is defined (weight > 1 and variance > 0), else 0.
    pub(crate) density_var: f64,
}

impl ClassGaussian {
    /// Adds value `x` with weight `w`; keeps the density variance current only when
    /// `with_density` (naive Bayes needs it, a majority-class tree does not).
    #[inline]
    pub(crate) fn update(&mut self, x: f64, w: f64, with_density: bool) {
        if self.n == 0.0 {
            self.min = x;
            self.max = x;
        } else {
            if x < self.min {
                self.min = x;
            }
            if x > self.max {
                self.max = x;
            }
        }
        let mean_old = self.mean;
        self.n += w;
        let r = w / self.n;
        let d = x - mean_old;
        if d.is_finite() {
            self.mean += r * d;
        } else {
            // `x - mean` overflows only near f64::MAX; the convex combination cannot.
            self.mean = mean_old * (1.0 - r) + x * r;
        }
        // Welford's increment is the product of two deviations; when they exceed ~1e154 it
        // overflows to +inf and the variance leaves f64's range. The variance is then kept
        // infinite (never NaN) and the density counts as undefined (see `has_density`).
        let inc = w * d * (x - self.mean);
        if inc.is_nan() {
            self.s = f64::INFINITY;
        } else {
            self.s += inc;
        }
        self.density_var = 0.0;
        if with_density && self.n > 1.0 {
            let variance = self.s / (self.n - 1.0);
            if variance > 0.0 && variance.is_finite() {
                self.density_var = variance;
            }
        }
    }

    /// Whether the log density is defined (River returns `-inf` otherwise, and naive Bayes then
    /// skips the term). A variance beyond f64's range (features above ~1e154) is undefined too:
    /// its density would be 0 everywhere and would turn the naive Bayes sum into NaN.
    #[inline]
    pub(crate) fn has_density(&self) -> bool {
        self.density_var > 0.0
    }

    /// The exponent of the normal density at `x`, `-(x - mean)² / 2σ²`; the log density is this
    /// minus `0.5 ln(2π σ²)`, which naive Bayes sums separately (one logarithm per class instead
    /// of one per feature). Only call when [`has_density`](Self::has_density).
    #[inline]
    pub(crate) fn log_kernel(&self, x: f64) -> f64 {
        let d = x - self.mean;
        let k = d * d / (-2.0 * self.density_var);
        if k.is_finite() {
            // The exact expression River evaluates, kept for bit parity on ordinary inputs.
            k
        } else {
            // `d * d` overflowed: scale by the deviation first; may still be -inf, never NaN.
            let z = d / self.density_var.sqrt();
            if z.is_nan() {
                0.0
            } else {
                -0.5 * z * z
            }
        }
    }

    /// Log density of the fitted normal at `x` (the reference the naive Bayes fold is checked against).
    #[cfg(test)]
    pub(crate) fn log_pdf(&self, x: f64) -> f64 {
        self.log_kernel(x) - HALF_LOG_TAU - 0.5 * self.density_var.ln()
    }

    /// Normal CDF at `x` with the sample standard deviation; 0 when the deviation is 0, as River.
    pub(crate) fn cdf(&self, x: f64) -> f64 {
        let variance = if self.n > 1.0 {
            self.s / (self.n - 1.0)
        } else {
            0.0
        };
        let sigma = variance.max(0.0).sqrt();
        if sigma == 0.0 {
            return 0.0;
        }
        let z = (x - self.mean) / sigma;
        if z.is_nan() {
            // Both the deviation and sigma overflowed: no side is favoured.
            return 0.5;
        }
        0.5 * (1.0 + libm::erf(z / std::f64::consts::SQRT_2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_closed_form_mean_and_variance() {
        let mut g = ClassGaussian::default();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            g.update(x, 1.0, true);
        }
        // mean 5, sample variance 32/7
        let var = 32.0 / 7.0;
        let expected = -0.5 * (2.0 * std::f64::consts::PI * var).ln() - 0.0;
        assert!((g.log_pdf(5.0) - expected).abs() < 1e-12);
        assert!((g.cdf(5.0) - 0.5).abs() < 1e-12);
        assert_eq!((g.min, g.max), (2.0, 9.0));
    }

    #[test]
    fn single_value_has_no_density_and_zero_cdf() {
        let mut g = ClassGaussian::default();
        g.update(3.0, 1.0, true);
        assert!(!g.has_density());
        assert_eq!(g.cdf(10.0), 0.0);
    }

    #[test]
    fn huge_values_never_give_nan() {
        let mut g = ClassGaussian::default();
        for x in [0.0, 1.0e179, -1.0e300, f64::MAX, -f64::MAX, 3.0] {
            g.update(x, 1.0, true);
            assert!(!g.mean.is_nan() && !g.s.is_nan());
            assert!(!g.cdf(1.0).is_nan());
            if g.has_density() {
                assert!(!g.log_kernel(1.0e200).is_nan());
            }
        }
        // The variance left f64's range: the density is undefined, not NaN.
        assert!(!g.has_density());
    }

    #[test]
    fn log_kernel_scales_before_squaring_large_deviations() {
        let mut g = ClassGaussian::default();
        for x in [-1.0e150, 1.0e150] {
            g.update(x, 1.0, true);
        }
        assert!(g.has_density());
        let k = g.log_kernel(1.0e170);
        assert!(k.is_finite() && k < 0.0, "{k}");
    }
}
