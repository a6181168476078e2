//! Disjoint LinUCB (Li, Chu, Langford & Schapire, 2010): one ridge regression per arm over a
//! context vector, choosing the arm with the highest upper confidence bound.
//!
//! What it is for: choices whose best arm depends on a small context (a persona, a journey stage),
//! learned from rewards in `[0, 1]`. Each arm keeps the inverse of its design matrix, updated by
//! Sherman-Morrison in `O(d^2)`, so nothing is inverted or allocated per sample.
//! What it is not: a model of large or sparse contexts (the dimension is at most
//! [`MAX_CONTEXT`]).

use serde::{Deserialize, Serialize};

use super::{invalid, BanditError};

/// The largest context dimension.
pub const MAX_CONTEXT: usize = 16;

/// What LinUCB believes about one arm in one context.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LinUcbEstimate {
    /// The ridge estimate of the reward.
    pub mean: f64,
    /// The confidence width `sqrt(x' A^-1 x)` (before `alpha`).
    pub width: f64,
    /// The bound that was maximised: `mean + alpha * width`.
    pub ucb: f64,
}

/// Disjoint LinUCB over `n_arms` arms and `dim`-dimensional contexts.
///
/// # Examples
/// ```
/// use leadstream::learn::bandit::LinUcb;
/// // Arm 1 pays in context [1, 0], arm 0 in context [0, 1].
/// let mut bandit = LinUcb::new(2, 2, 0.5).unwrap();
/// for t in 0..400 {
///     let x = if t % 2 == 0 { [1.0, 0.0] } else { [0.0, 1.0] };
///     let (arm, _) = bandit.choose(&x, u32::MAX);
///     let good = (x[0] == 1.0) == (arm == 1);
///     bandit.update(arm, &x, if good { 1.0 } else { 0.0 });
/// }
/// assert_eq!(bandit.choose(&[1.0, 0.0], u32::MAX).0, 1);
/// assert_eq!(bandit.choose(&[0.0, 1.0], u32::MAX).0, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinUcb {
    n_arms: usize,
    dim: usize,
    alpha: f64,
    /// Per arm, `A^-1` row-major (`dim * dim`).
    a_inv: Vec<f64>,
    /// Per arm, `b` (`dim`).
    b: Vec<f64>,
    pulls: Vec<u64>,
}

impl LinUcb {
    /// A LinUCB with `n_arms` arms (1..=16), contexts of `dim` (1..=[`MAX_CONTEXT`]) values and
    /// exploration `alpha >= 0`. Each `A` starts as the identity (ridge penalty 1).
    ///
    /// # Errors
    /// [`BanditError::Invalid`] for out-of-range sizes or a negative or non-finite `alpha`.
    pub fn new(n_arms: usize, dim: usize, alpha: f64) -> Result<Self, BanditError> {
        if !(1..=16).contains(&n_arms) {
            return Err(invalid("n_arms", n_arms, "must be in 1..=16"));
        }
        if !(1..=MAX_CONTEXT).contains(&dim) {
            return Err(invalid("dim", dim, "must be in 1..=16"));
        }
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(invalid("alpha", alpha, "must be finite and >= 0"));
        }
        let mut a_inv = vec![0.0; n_arms * dim * dim];
        for arm in 0..n_arms {
            for i in 0..dim {
                a_inv[arm * dim * dim + i * dim + i] = 1.0;
            }
        }
        Ok(Self {
            n_arms,
            dim,
            alpha,
            a_inv,
            b: vec![0.0; n_arms * dim],
            pulls: vec![0; n_arms],
        })
    }

    /// The context dimension.
    pub const fn dim(&self) -> usize {
        self.dim
    }

    /// The number of arms.
    pub const fn n_arms(&self) -> usize {
        self.n_arms
    }

    /// Times `arm` was updated.
    pub fn pulls(&self, arm: usize) -> u64 {
        self.pulls.get(arm).copied().unwrap_or(0)
    }

    /// The estimate of `arm` in context `x` (missing context values count as 0, extra ones are
    /// ignored, non-finite ones count as 0).
    pub fn estimate(&self, arm: usize, x: &[f64]) -> LinUcbEstimate {
        let d = self.dim;
        let arm = arm.min(self.n_arms - 1);
        let a = &self.a_inv[arm * d * d..(arm + 1) * d * d];
        let b = &self.b[arm * d..(arm + 1) * d];
        // theta = A^-1 b, one row at a time.
        let theta_row = |i: usize| {
            let mut row_b = 0.0;
            for j in 0..d {
                row_b += a[i * d + j] * b[j];
            }
            row_b
        };
        bound(a, d, &context(x, d), theta_row, self.alpha)
    }

    /// The allowed arm (bit `i` of `mask`) with the highest bound in context `x`, and its estimate;
    /// ties go to the lowest arm; arm 0 when none is allowed.
    pub fn choose(&self, x: &[f64], mask: u32) -> (usize, LinUcbEstimate) {
        choose_by(self.n_arms, mask, |arm| self.estimate(arm, x))
    }

    /// This bandit frozen for predictions, with each arm's `theta = A^-1 b` computed once
    /// (what a model snapshot holds: estimates then read `A^-1` once instead of twice).
    pub fn prepared(&self) -> PreparedLinUcb {
        let d = self.dim;
        let mut theta = vec![0.0; self.n_arms * d];
        for (arm, row) in theta.chunks_exact_mut(d).enumerate() {
            let a = &self.a_inv[arm * d * d..(arm + 1) * d * d];
            let b = &self.b[arm * d..(arm + 1) * d];
            for (i, t) in row.iter_mut().enumerate() {
                // The same sum, in the same order, as `estimate` computes it.
                let mut row_b = 0.0;
                for j in 0..d {
                    row_b += a[i * d + j] * b[j];
                }
                *t = row_b;
            }
        }
        PreparedLinUcb {
            bandit: self.clone(),
            theta,
        }
    }

    /// Learns `reward` for `arm` in context `x` (NaN rewards and unknown arms are ignored).
    pub fn update(&mut self, arm: usize, x: &[f64], reward: f64) {
        if arm >= self.n_arms || !reward.is_finite() {
            return;
        }
        let d = self.dim;
        let xv = context(x, d);
        let a = &mut self.a_inv[arm * d * d..(arm + 1) * d * d];
        // Sherman-Morrison: (A + x x')^-1 = A^-1 - (A^-1 x)(x' A^-1) / (1 + x' A^-1 x).
        let mut ax = [0.0; MAX_CONTEXT];
        for i in 0..d {
            ax[i] = (0..d).map(|j| a[i * d + j] * xv[j]).sum();
        }
        let denom = 1.0 + (0..d).map(|i| xv[i] * ax[i]).sum::<f64>();
        if denom > 0.0 && denom.is_finite() {
            // A^-1 is symmetric, so x' A^-1 equals (A^-1 x)'.
            for i in 0..d {
                for j in 0..d {
                    a[i * d + j] -= ax[i] * ax[j] / denom;
                }
            }
        }
        let b = &mut self.b[arm * d..(arm + 1) * d];
        for i in 0..d {
            b[i] += reward * xv[i];
        }
        self.pulls[arm] += 1;
    }
}

/// A [`LinUcb`] frozen for predictions (see [`LinUcb::prepared`]): the same estimates and
/// choices, bit for bit, at about half the arithmetic per estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedLinUcb {
    bandit: LinUcb,
    /// Per arm, `A^-1 b` (`dim`).
    theta: Vec<f64>,
}

impl PreparedLinUcb {
    /// The bandit this was prepared from.
    pub const fn bandit(&self) -> &LinUcb {
        &self.bandit
    }

    /// As [`LinUcb::estimate`].
    pub fn estimate(&self, arm: usize, x: &[f64]) -> LinUcbEstimate {
        let u = &self.bandit;
        let d = u.dim;
        let arm = arm.min(u.n_arms - 1);
        let a = &u.a_inv[arm * d * d..(arm + 1) * d * d];
        let theta = &self.theta[arm * d..(arm + 1) * d];
        bound(a, d, &context(x, d), |i| theta[i], u.alpha)
    }

    /// As [`LinUcb::choose`].
    pub fn choose(&self, x: &[f64], mask: u32) -> (usize, LinUcbEstimate) {
        choose_by(self.bandit.n_arms, mask, |arm| self.estimate(arm, x))
    }
}

/// The first `d` values of `x` (missing ones 0, non-finite ones 0).
fn context(x: &[f64], d: usize) -> [f64; MAX_CONTEXT] {
    let mut xv = [0.0; MAX_CONTEXT];
    for (slot, v) in xv.iter_mut().zip(x).take(d) {
        *slot = if v.is_finite() { *v } else { 0.0 };
    }
    xv
}

/// The estimate for one arm: `mean = theta . x`, `width = sqrt(x' A^-1 x)`, with `theta`'s rows
/// given by `theta_row` (computed on the fly or prepared: the sums run in the same order).
fn bound(
    a: &[f64],
    d: usize,
    xv: &[f64; MAX_CONTEXT],
    theta_row: impl Fn(usize) -> f64,
    alpha: f64,
) -> LinUcbEstimate {
    let (mut mean, mut quad) = (0.0, 0.0);
    for i in 0..d {
        let mut row_x = 0.0;
        for j in 0..d {
            row_x += a[i * d + j] * xv[j];
        }
        mean += theta_row(i) * xv[i];
        quad += row_x * xv[i];
    }
    let width = quad.max(0.0).sqrt();
    LinUcbEstimate {
        mean,
        width,
        ucb: mean + alpha * width,
    }
}

/// The allowed arm with the highest bound (ties to the lowest; arm 0 when none is allowed).
fn choose_by(
    n_arms: usize,
    mask: u32,
    estimate: impl Fn(usize) -> LinUcbEstimate,
) -> (usize, LinUcbEstimate) {
    let mut best = (0, estimate(0));
    let mut found = false;
    for arm in 0..n_arms {
        if mask & (1 << arm) == 0 {
            continue;
        }
        let e = estimate(arm);
        if !found || e.ucb > best.1.ucb {
            best = (arm, e);
            found = true;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    #[test]
    fn prepared_estimates_and_choices_are_bit_identical() {
        let mut rng = StdRng::seed_from_u64(11);
        let mut bandit = LinUcb::new(5, 7, 0.8).unwrap();
        for step in 0..2000 {
            let x: Vec<f64> = (0..7).map(|_| rng.random_range(-2.0..2.0)).collect();
            if step % 50 == 0 {
                let prepared = bandit.prepared();
                for arm in 0..6 {
                    let (plain, fast) = (bandit.estimate(arm, &x), prepared.estimate(arm, &x));
                    assert_eq!(
                        plain.mean.to_bits(),
                        fast.mean.to_bits(),
                        "step {step} arm {arm}"
                    );
                    assert_eq!(plain.width.to_bits(), fast.width.to_bits());
                    assert_eq!(plain.ucb.to_bits(), fast.ucb.to_bits());
                }
                let mask = rng.random_range(0..32u32);
                assert_eq!(bandit.choose(&x, mask), prepared.choose(&x, mask));
                assert_eq!(prepared.bandit(), &bandit);
            }
            let arm = rng.random_range(0..5);
            bandit.update(arm, &x, f64::from(u8::from(rng.random_bool(0.3))));
        }
        // The theta of a trained arm is not zero: the comparison above compared something.
        let prepared = bandit.prepared();
        assert!(prepared.theta.iter().any(|t| t.abs() > 1e-3));
    }
}
