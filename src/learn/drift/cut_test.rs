//! ADWIN's cut test (Bifet & Gavaldà, 2007, with River's `m` and `delta'`), evaluated exactly as
//! River does, behind a division-free filter that rejects clear non-cuts.
//!
//! What it is for: deciding, for one split of the window into an older part `W0` (`n0` values,
//! sum `u0`) and a newer part `W1` (`n1`, `u1`), whether their means differ by more than
//! `epsilon = sqrt(2 m V d') + 2/3 d' m`. The scan calls this for every bucket boundary, so it is
//! ADWIN's hot loop.
//! What it is not: the scan over the buckets or what happens after a cut; see [`super::adwin`].
//!
//! Why the filter keeps River's decisions bit for bit: the exact test divides four times and takes
//! a square root. Almost every split is far from a cut, and for those the filter decides with
//! multiplications only: with `N = u0 n1 - u1 n0`, `S = |u0 n1| + |u1 n0|`, `a = n0 - mwl + 1`,
//! `b = n1 - mwl + 1`, the exact mean difference satisfies `|D| <= (|N| + 4 eps S)(1 + eps) / (n0 n1)`
//! (`eps` = 2^-53, both sides computed from the same `u0, u1, n0, n1`), and the exact `epsilon` is
//! at least `sqrt(2 V d' (a + b) / (a b)) (1 - 8 eps)`. The filter declares "no cut" only when
//! `(|N| + 1e-12 S)^2 a b < (1 - 1e-9) 2 V d' (a + b) (n0 n1)^2`, margins that dwarf those
//! rounding bounds; anything else (close calls, NaN, overflow) goes to the exact test.

/// Below this relative gap to the threshold the filter defers to the exact test.
const FILTER_MARGIN: f64 = 1e-9;
/// Absolute slack on `|N|`, relative to `S`, covering the rounding of both mean differences.
const NUMERATOR_SLACK: f64 = 1e-12;

/// The cut test for one state of the window (its width, variance and `delta` fixed).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CutTest {
    min_len: f64,
    delta_prime: f64,
    window_variance: f64,
    linear_coef: f64,
    /// `(1 - margin) 2 V d'`: the filter's threshold factor.
    filter_coef: f64,
}

impl CutTest {
    /// The test for a window of `width` values whose sum of squared deviations is `sum_sq_dev`.
    pub(crate) fn new(width: f64, sum_sq_dev: f64, delta: f64, min_window_length: f64) -> Self {
        // River's operation order, so that the exact test rounds as River's does.
        let delta_prime = (2.0 * width.ln() / delta).ln();
        let window_variance = sum_sq_dev / width;
        Self {
            min_len: min_window_length,
            delta_prime,
            window_variance,
            linear_coef: 2.0 / 3.0 * delta_prime,
            filter_coef: (1.0 - FILTER_MARGIN) * 2.0 * window_variance * delta_prime,
        }
    }

    /// Whether the split `(n0, u0) | (n1, u1)` is a cut; both parts must hold at least
    /// `min_window_length` values, as in River.
    #[inline]
    pub(crate) fn is_cut(&self, n0: f64, u0: f64, n1: f64, u1: f64) -> bool {
        if n0 < self.min_len || n1 < self.min_len {
            return false;
        }
        let a = n0 - self.min_len + 1.0;
        let b = n1 - self.min_len + 1.0;
        let (p, q) = (u0 * n1, u1 * n0);
        let bound = (p - q).abs() + NUMERATOR_SLACK * (p.abs() + q.abs());
        let n01 = n0 * n1;
        if bound * bound * (a * b) < self.filter_coef * (a + b) * (n01 * n01) {
            return false;
        }
        self.is_cut_exact(a, b, n0, u0, n1, u1)
    }

    /// River's test, operation for operation.
    #[inline]
    fn is_cut_exact(&self, a: f64, b: f64, n0: f64, u0: f64, n1: f64, u1: f64) -> bool {
        let m = 1.0 / a + 1.0 / b;
        let epsilon =
            (2.0 * m * self.window_variance * self.delta_prime).sqrt() + self.linear_coef * m;
        (u0 / n0 - u1 / n1).abs() > epsilon
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    fn exact(t: &CutTest, n0: f64, u0: f64, n1: f64, u1: f64) -> bool {
        if n0 < t.min_len || n1 < t.min_len {
            return false;
        }
        t.is_cut_exact(n0 - t.min_len + 1.0, n1 - t.min_len + 1.0, n0, u0, n1, u1)
    }

    #[test]
    fn filter_never_changes_a_decision() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let mut cuts = 0;
        for _ in 0..200_000 {
            let width = f64::from(rng.random_range(2_u32..5_000_000));
            let n0 = (width * rng.random::<f64>())
                .floor()
                .max(1.0)
                .min(width - 1.0);
            let n1 = width - n0;
            let scale = 10_f64.powi(rng.random_range(-3..7));
            let mean = rng.random::<f64>() * scale;
            let gap = (rng.random::<f64>() - 0.5) * scale * 10_f64.powi(rng.random_range(-8..1));
            let (u0, u1) = (n0 * mean, n1 * (mean + gap));
            let sum_sq_dev = width * (scale * rng.random::<f64>()).powi(2);
            let delta = [0.002, 0.01, 0.1, 0.5][rng.random_range(0..4)];
            let t = CutTest::new(width, sum_sq_dev, delta, f64::from(rng.random_range(0..10)));
            let want = exact(&t, n0, u0, n1, u1);
            assert_eq!(
                t.is_cut(n0, u0, n1, u1),
                want,
                "{width} {n0} {u0} {u1} {sum_sq_dev}"
            );
            cuts += usize::from(want);
        }
        // Both outcomes must be well represented for the comparison to mean anything.
        assert!(cuts > 10_000 && cuts < 190_000, "{cuts} cuts");
    }

    #[test]
    fn filter_defers_on_borderline_splits() {
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        let mut cuts = 0;
        for _ in 0..100_000 {
            let width = f64::from(rng.random_range(20_u32..2_000_000));
            let n0 = (width * rng.random::<f64>())
                .floor()
                .clamp(10.0, width - 10.0);
            let n1 = width - n0;
            let t = CutTest::new(width, width * rng.random::<f64>(), 0.002, 5.0);
            let (a, b) = (n0 - 4.0, n1 - 4.0);
            let m = 1.0 / a + 1.0 / b;
            let epsilon = (2.0 * m * t.window_variance * t.delta_prime).sqrt() + t.linear_coef * m;
            // Mean gaps within a few parts per 10^12 of the threshold, on either side.
            let gap = epsilon * (1.0 + f64::from(rng.random_range(-2000_i32..2000)) * 1e-15);
            let mean = rng.random::<f64>();
            let (u0, u1) = (n0 * mean, n1 * (mean + gap));
            let want = exact(&t, n0, u0, n1, u1);
            assert_eq!(t.is_cut(n0, u0, n1, u1), want, "{width} {n0} {u0} {u1}");
            cuts += usize::from(want);
        }
        assert!(cuts > 10_000 && cuts < 90_000, "{cuts} cuts");
    }

    #[test]
    fn negative_or_nan_variance_never_cuts() {
        // River's sqrt of a slightly negative variance is NaN, which never exceeds.
        let t = CutTest::new(100.0, -1e-9, 0.002, 5.0);
        assert!(!t.is_cut(50.0, 0.0, 50.0, 50.0));
        let t = CutTest::new(100.0, f64::NAN, 0.002, 5.0);
        assert!(!t.is_cut(50.0, 0.0, 50.0, 50.0));
    }
}
