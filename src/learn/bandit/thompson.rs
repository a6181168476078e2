//! Beta-Bernoulli Thompson sampling with optional discounting (Thompson, 1933; discounted form
//! after Raj & Kalyani, 2017).
//!
//! What it is for: a handful of arms with 0/1 rewards, e.g. "did the lead respond". Each arm keeps
//! discounted success and failure counts on top of a Beta prior; a choice draws one value per arm
//! from its posterior and takes the largest. With `discount < 1` old evidence fades, so the
//! bandit follows a world that changes (a channel that stops working).
//! What it is not: contextual by itself; callers keep one per context, or add per-context
//! evidence through [`BetaThompson::choose_with`].

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::beta::{BetaPosterior, BetaSampler};
use super::{invalid, BanditError};

/// Pseudo-counts of the pooled prior under each arm's evidence in [`BetaThompson::blended`].
pub const POOLED_PRIOR: f64 = 2.0;

/// The most arms a [`BetaThompson`] holds (fixed arrays, no allocation).
pub const MAX_ARMS: usize = 24;

/// What a bandit believes about one arm.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ArmEstimate {
    /// Posterior mean of the reward.
    pub mean: f64,
    /// Posterior standard deviation (the uncertainty).
    pub std: f64,
    /// The Thompson draw that decided the choice (equal to `mean` for a greedy choice).
    pub sample: f64,
}

/// Beta-Bernoulli Thompson sampling over `n_arms` arms.
///
/// # Examples
/// ```
/// use leadstream::learn::bandit::BetaThompson;
/// use rand::{Rng, SeedableRng};
/// use rand_pcg::Pcg64Mcg;
///
/// let mut rng = Pcg64Mcg::seed_from_u64(7);
/// let mut bandit = BetaThompson::new(3, 1.0, 1.0, 1.0).unwrap();
/// let p = [0.2, 0.7, 0.4];
/// for _ in 0..2000 {
///     let (arm, _) = bandit.choose(&mut rng, u32::MAX);
///     let reward = rng.random::<f64>() < p[arm];
///     bandit.update(arm, f64::from(u8::from(reward)));
/// }
/// assert_eq!(bandit.best_mean(u32::MAX), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BetaThompson {
    n_arms: usize,
    prior_alpha: f64,
    prior_beta: f64,
    discount: f64,
    successes: [f64; MAX_ARMS],
    failures: [f64; MAX_ARMS],
    pulls: [u64; MAX_ARMS],
}

impl BetaThompson {
    /// A bandit with `n_arms` arms (1..=[`MAX_ARMS`]), prior Beta(`prior_alpha`, `prior_beta`)
    /// and per-update `discount` in (0, 1] (1 = stationary).
    ///
    /// # Errors
    /// [`BanditError::Invalid`] for an arm count out of range, a non-positive prior or a discount
    /// outside (0, 1].
    pub fn new(
        n_arms: usize,
        prior_alpha: f64,
        prior_beta: f64,
        discount: f64,
    ) -> Result<Self, BanditError> {
        if !(1..=MAX_ARMS).contains(&n_arms) {
            return Err(invalid("n_arms", n_arms, "must be in 1..=24"));
        }
        for (name, v) in [("prior_alpha", prior_alpha), ("prior_beta", prior_beta)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(invalid(name, v, "must be finite and > 0"));
            }
        }
        if !(discount > 0.0 && discount <= 1.0) {
            return Err(invalid("discount", discount, "must be in (0, 1]"));
        }
        Ok(Self {
            n_arms,
            prior_alpha,
            prior_beta,
            discount,
            successes: [0.0; MAX_ARMS],
            failures: [0.0; MAX_ARMS],
            pulls: [0; MAX_ARMS],
        })
    }

    /// A bandit with uniform Beta(1, 1) priors; `n_arms` is clamped to 1..=[`MAX_ARMS`] and a
    /// `discount` outside (0, 1] means no discount, so this never fails.
    pub fn uniform(n_arms: usize, discount: f64) -> Self {
        let discount = if discount > 0.0 && discount <= 1.0 {
            discount
        } else {
            1.0
        };
        Self {
            n_arms: n_arms.clamp(1, MAX_ARMS),
            prior_alpha: 1.0,
            prior_beta: 1.0,
            discount,
            successes: [0.0; MAX_ARMS],
            failures: [0.0; MAX_ARMS],
            pulls: [0; MAX_ARMS],
        }
    }

    /// The number of arms.
    pub const fn n_arms(&self) -> usize {
        self.n_arms
    }

    /// The posterior of `arm` (the prior for an arm out of range).
    pub fn posterior(&self, arm: usize) -> BetaPosterior {
        let (s, f) = if arm < self.n_arms {
            (self.successes[arm], self.failures[arm])
        } else {
            (0.0, 0.0)
        };
        BetaPosterior::new(self.prior_alpha + s, self.prior_beta + f)
    }

    /// Times `arm` was updated.
    pub fn pulls(&self, arm: usize) -> u64 {
        self.pulls.get(arm).copied().unwrap_or(0)
    }

    /// Draws from each allowed arm's posterior (bit `i` of `mask` allows arm `i`) and returns the
    /// arm with the largest draw and its estimate. With no arm allowed, arm 0 is returned.
    pub fn choose<R: Rng + ?Sized>(&self, rng: &mut R, mask: u32) -> (usize, ArmEstimate) {
        self.choose_with(rng, mask, |_| (0.0, 0.0), 0.0)
    }

    /// Like [`choose`](Self::choose), with each arm's posterior blended as in
    /// [`blended`](Self::blended) (a population prior of at most `strength` pseudo-counts;
    /// `strength <= 0` keeps the counts as they are) and extra evidence
    /// `extra(arm) = (successes, failures)` added, e.g. one lead's own history on top of what
    /// the population taught.
    pub fn choose_with<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        mask: u32,
        extra: impl Fn(usize) -> (f64, f64),
        strength: f64,
    ) -> (usize, ArmEstimate) {
        let mut best = (0, f64::NEG_INFINITY);
        let mut best_post = self.posterior(0);
        for arm in 0..self.n_arms {
            if mask & (1 << arm) == 0 {
                continue;
            }
            let post = self.blended(arm, &extra, strength);
            let draw = post.sample(rng);
            if draw > best.1 {
                best = (arm, draw);
                best_post = post;
            }
        }
        chosen(best, best_post)
    }

    /// The blended posterior [`choose_with`](Self::choose_with) draws from.
    ///
    /// With `strength > 0`, an arm's evidence sits on a prior of [`POOLED_PRIOR`] pseudo-counts
    /// at the mean of all arms pooled (not on the bandit's own prior, whose mean of 0.5 made a
    /// rarely pulled arm look like a good one), and the result is scaled down to `strength`
    /// pseudo-counts only when it has more: an arm with little evidence keeps its width.
    /// Scaling every arm up to `strength` made a send hour tried twice as certain as one tried
    /// a thousand times, at a mean near 0.5, so Thompson sampling kept choosing rarely tried
    /// hours (the send-time choice scored near uniform random; docs/evaluation.md).
    pub fn blended(
        &self,
        arm: usize,
        extra: &impl Fn(usize) -> (f64, f64),
        strength: f64,
    ) -> BetaPosterior {
        let post = self.posterior(arm);
        let (a, b) = if strength > 0.0 {
            let (s, f) = if arm < self.n_arms {
                (self.successes[arm], self.failures[arm])
            } else {
                (0.0, 0.0)
            };
            let pooled_s: f64 = self.successes[..self.n_arms].iter().sum();
            let pooled_f: f64 = self.failures[..self.n_arms].iter().sum();
            let pooled = (self.prior_alpha + pooled_s)
                / (self.prior_alpha + self.prior_beta + pooled_s + pooled_f);
            let (a, b) = (
                pooled * POOLED_PRIOR + s.max(0.0),
                (1.0 - pooled) * POOLED_PRIOR + f.max(0.0),
            );
            let n = a + b;
            if n > strength {
                (a / n * strength, b / n * strength)
            } else {
                (a, b)
            }
        } else {
            (post.alpha, post.beta)
        };
        let (s, f) = extra(arm);
        BetaPosterior::new(a + s.max(0.0), b + f.max(0.0))
    }

    /// This bandit's posteriors blended for `strength` (as in
    /// [`choose_with`](Self::choose_with)) with their samplers prepared, for many choices
    /// between two updates.
    pub fn prepared(&self, strength: f64) -> PreparedThompson {
        let no_extra = |_| (0.0, 0.0);
        let mut arms = [PreparedArm::default(); MAX_ARMS];
        for (arm, slot) in arms.iter_mut().enumerate().take(self.n_arms) {
            let post = self.blended(arm, &no_extra, strength);
            *slot = PreparedArm {
                post,
                sampler: BetaSampler::new(post.alpha, post.beta),
            };
        }
        PreparedThompson {
            n_arms: self.n_arms,
            strength,
            first: self.posterior(0),
            arms,
        }
    }

    /// The allowed arm with the highest posterior mean (arm 0 if none is allowed).
    pub fn best_mean(&self, mask: u32) -> usize {
        let mut best = (0, f64::NEG_INFINITY);
        for arm in 0..self.n_arms {
            let m = self.posterior(arm).mean();
            if mask & (1 << arm) != 0 && m > best.1 {
                best = (arm, m);
            }
        }
        best.0
    }

    /// Learns a reward in `[0, 1]` for `arm` (values outside are clamped; NaN and unknown arms
    /// are ignored). Every arm's evidence is first multiplied by the discount.
    pub fn update(&mut self, arm: usize, reward: f64) {
        if arm >= self.n_arms || reward.is_nan() {
            return;
        }
        if self.discount < 1.0 {
            for i in 0..self.n_arms {
                self.successes[i] *= self.discount;
                self.failures[i] *= self.discount;
            }
        }
        let r = reward.clamp(0.0, 1.0);
        self.successes[arm] += r;
        self.failures[arm] += 1.0 - r;
        self.pulls[arm] += 1;
    }
}

/// One arm of a [`PreparedThompson`]: its scaled posterior and that posterior's sampler.
#[derive(Debug, Clone, Copy)]
struct PreparedArm {
    post: BetaPosterior,
    sampler: BetaSampler,
}

impl Default for PreparedArm {
    fn default() -> Self {
        Self {
            post: BetaPosterior::new(1.0, 1.0),
            sampler: BetaSampler::new(1.0, 1.0),
        }
    }
}

/// A [`BetaThompson`] frozen at one state with each arm's scaled posterior and Beta sampler
/// computed once ([`BetaThompson::prepared`]): a choice then costs the draws alone for the arms
/// without extra evidence. Its choices are those of [`BetaThompson::choose_with`] on the bandit
/// it was prepared from, bit for bit and generator step for step.
#[derive(Debug, Clone)]
pub struct PreparedThompson {
    n_arms: usize,
    strength: f64,
    /// The unscaled posterior of arm 0 (`choose_with`'s estimate when no draw is finite).
    first: BetaPosterior,
    arms: [PreparedArm; MAX_ARMS],
}

impl PreparedThompson {
    /// The pseudo-count strength the posteriors were scaled to.
    pub const fn strength(&self) -> f64 {
        self.strength
    }

    /// [`BetaThompson::choose_with`] at the prepared strength: draws from each allowed arm's
    /// posterior plus `extra(arm)` evidence and returns the arm with the largest draw.
    pub fn choose_with<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        mask: u32,
        extra: impl Fn(usize) -> (f64, f64),
    ) -> (usize, ArmEstimate) {
        let mut best = (0, f64::NEG_INFINITY);
        let mut best_post = self.first;
        for (arm, prepared) in self.arms.iter().enumerate().take(self.n_arms) {
            if mask & (1 << arm) == 0 {
                continue;
            }
            let (s, f) = extra(arm);
            let (post, draw) = if s.max(0.0) == 0.0 && f.max(0.0) == 0.0 {
                (prepared.post, prepared.sampler.sample(rng))
            } else {
                let post = BetaPosterior::new(
                    prepared.post.alpha + s.max(0.0),
                    prepared.post.beta + f.max(0.0),
                );
                (post, post.sample(rng))
            };
            if draw > best.1 {
                best = (arm, draw);
                best_post = post;
            }
        }
        chosen(best, best_post)
    }
}

/// The chosen arm and its estimate: the posterior's mean and spread, and the draw that won (the
/// mean when no arm could be drawn).
fn chosen(best: (usize, f64), post: BetaPosterior) -> (usize, ArmEstimate) {
    let sample = if best.1.is_finite() {
        best.1
    } else {
        post.mean()
    };
    (
        best.0,
        ArmEstimate {
            mean: post.mean(),
            std: post.std(),
            sample,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn a_rarely_pulled_arm_keeps_its_width_at_the_pooled_mean() {
        // Scaled to 50 pseudo-counts, an arm never pulled sat at the Beta(1, 1) prior's mean of
        // 0.5 as surely as an arm pulled a thousand times sat at its 0.2: Thompson sampling
        // then kept choosing the arms it knew least about.
        let mut b = BetaThompson::uniform(3, 1.0);
        for i in 0..1000 {
            b.update(0, f64::from(u8::from(i % 5 == 0)));
        }
        b.update(1, 0.0);
        let none = |_| (0.0, 0.0);
        let (well, rare, never) = (
            b.blended(0, &none, 50.0),
            b.blended(1, &none, 50.0),
            b.blended(2, &none, 50.0),
        );
        assert!((well.alpha + well.beta - 50.0).abs() < 1e-9, "{well:?}");
        assert!((well.mean() - 0.2).abs() < 0.01, "{well:?}");
        assert!(
            (never.alpha + never.beta - POOLED_PRIOR).abs() < 1e-9,
            "{never:?}"
        );
        assert!((never.mean() - 0.2).abs() < 0.01, "{never:?}");
        assert!(
            rare.mean() < 0.2 && rare.std() > 2.0 * well.std(),
            "{rare:?}"
        );
        // Without a strength the posterior is the bandit's own.
        assert_eq!(b.blended(2, &none, 0.0), b.posterior(2));
    }

    #[test]
    fn prepared_choices_are_the_unprepared_ones() {
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        for trial in 0..200u32 {
            let n_arms = 1 + (trial as usize % MAX_ARMS);
            let mut bandit = BetaThompson::uniform(n_arms, 0.999);
            for _ in 0..(trial * 7) {
                let arm = rng.random_range(0..n_arms);
                bandit.update(arm, f64::from(u8::from(rng.random::<f64>() < 0.2)));
            }
            let strength = [0.0, 2.0, 50.0][trial as usize % 3];
            let prepared = bandit.prepared(strength);
            let lead: Vec<(f64, f64)> = (0..n_arms)
                .map(|arm| match (arm + trial as usize) % 4 {
                    0 => (1.0, 2.0),
                    1 => (-1.0, 0.0),
                    2 => (f64::NAN, 0.5),
                    _ => (0.0, 0.0),
                })
                .collect();
            let extra = |arm: usize| lead.get(arm).copied().unwrap_or((0.0, 0.0));
            let mask = if trial % 5 == 0 {
                0
            } else {
                rng.random::<u32>() | 1
            };
            let seed = rng.random::<u64>();
            let (mut a, mut b) = (Pcg64Mcg::seed_from_u64(seed), Pcg64Mcg::seed_from_u64(seed));
            for _ in 0..20 {
                let (arm_a, est_a) = prepared.choose_with(&mut a, mask, extra);
                let (arm_b, est_b) = bandit.choose_with(&mut b, mask, extra, strength);
                assert_eq!(arm_a, arm_b, "trial {trial}");
                for (x, y) in [
                    (est_a.mean, est_b.mean),
                    (est_a.std, est_b.std),
                    (est_a.sample, est_b.sample),
                ] {
                    assert_eq!(x.to_bits(), y.to_bits(), "trial {trial}");
                }
            }
            assert_eq!(a.random::<u64>(), b.random::<u64>());
        }
    }
}
