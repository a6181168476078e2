//! Sampling the Beta distribution (through two Gamma draws) and the Beta posterior of one arm.
//!
//! What it is for: Thompson sampling needs one draw per arm per choice; these samplers use only
//! the caller's generator and allocate nothing. Gamma draws follow Marsaglia & Tsang (2000),
//! normal draws rand_distr's ziggurat (measured: Box-Muller's `sin`/`cos`/`ln` took a quarter of
//! the engine's decision time).
//! What it is not: a general distributions library.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// One standard normal draw (the ziggurat method of rand_distr).
pub fn sample_standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    rng.sample(rand_distr::StandardNormal)
}

/// One Gamma(`shape`, 1) draw (Marsaglia & Tsang, 2000). Shapes below 1 use the boost
/// `Gamma(a) = Gamma(a + 1) * U^(1/a)`. A non-positive or non-finite shape gives 0.
pub fn sample_gamma<R: Rng + ?Sized>(rng: &mut R, shape: f64) -> f64 {
    if !(shape.is_finite() && shape > 0.0) {
        return 0.0;
    }
    if shape < 1.0 {
        let u: f64 = 1.0 - rng.random::<f64>();
        return sample_gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    // The acceptance rate is above 95% for every shape >= 1; the bound only guards the loop.
    for _ in 0..1000 {
        let x = sample_standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u: f64 = 1.0 - rng.random::<f64>();
        let x2 = x * x;
        // Marsaglia & Tsang's squeeze accepts most draws without a logarithm.
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d - d * v + d * v.ln() {
            return d * v;
        }
    }
    d
}

/// One Beta(`a`, `b`) draw; both parameters must be positive (otherwise the mean is returned).
pub fn sample_beta<R: Rng + ?Sized>(rng: &mut R, a: f64, b: f64) -> f64 {
    let x = sample_gamma(rng, a);
    let y = sample_gamma(rng, b);
    if x + y > 0.0 {
        x / (x + y)
    } else if a + b > 0.0 {
        a / (a + b)
    } else {
        0.5
    }
}

/// The Beta posterior of a Bernoulli arm: `alpha` = prior + successes, `beta` = prior + failures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BetaPosterior {
    /// Prior plus (discounted) successes.
    pub alpha: f64,
    /// Prior plus (discounted) failures.
    pub beta: f64,
}

impl BetaPosterior {
    /// A posterior with the given pseudo-counts.
    pub const fn new(alpha: f64, beta: f64) -> Self {
        Self { alpha, beta }
    }

    /// The posterior mean `alpha / (alpha + beta)`.
    pub fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    /// The posterior standard deviation.
    pub fn std(&self) -> f64 {
        let n = self.alpha + self.beta;
        (self.alpha * self.beta / (n * n * (n + 1.0))).sqrt()
    }

    /// One draw from the posterior.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        sample_beta(rng, self.alpha, self.beta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn beta_draws_have_the_right_mean_and_spread() {
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        for (a, b) in [(2.0, 5.0), (0.5, 0.5), (30.0, 10.0)] {
            let n = 20_000;
            let draws: Vec<f64> = (0..n).map(|_| sample_beta(&mut rng, a, b)).collect();
            let mean = draws.iter().sum::<f64>() / f64::from(n);
            let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / f64::from(n);
            let post = BetaPosterior::new(a, b);
            assert!((mean - post.mean()).abs() < 0.01, "{a},{b}: {mean}");
            assert!((var.sqrt() - post.std()).abs() < 0.01, "{a},{b}: {var}");
            assert!(draws.iter().all(|d| (0.0..=1.0).contains(d)));
        }
    }
}
