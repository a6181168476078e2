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
    GammaSampler::new(shape).sample(rng)
}

/// A Gamma(`shape`, 1) sampler with the constants of Marsaglia & Tsang's method computed once,
/// for a shape drawn from many times (a send-time posterior between two model publications).
/// Its draws are the same, bit for bit and generator step for step, as [`sample_gamma`]'s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaSampler {
    /// `shape - 1/3` of the shape sampled (the shape plus one for a boosted shape below 1).
    d: f64,
    /// `1 / sqrt(9 d)`.
    c: f64,
    /// `1 / shape` for a shape below 1 (the boost's exponent), 0 otherwise.
    boost: f64,
    /// False for a non-positive or non-finite shape, whose draws are 0.
    valid: bool,
}

impl GammaSampler {
    /// The sampler of Gamma(`shape`, 1).
    pub fn new(shape: f64) -> Self {
        if !(shape.is_finite() && shape > 0.0) {
            return Self {
                d: 0.0,
                c: 0.0,
                boost: 0.0,
                valid: false,
            };
        }
        let (sampled, boost) = if shape < 1.0 {
            (shape + 1.0, 1.0 / shape)
        } else {
            (shape, 0.0)
        };
        let d = sampled - 1.0 / 3.0;
        Self {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            boost,
            valid: true,
        }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if !self.valid {
            return 0.0;
        }
        if self.boost > 0.0 {
            let u: f64 = 1.0 - rng.random::<f64>();
            return self.marsaglia_tsang(rng) * u.powf(self.boost);
        }
        self.marsaglia_tsang(rng)
    }

    fn marsaglia_tsang<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let (d, c) = (self.d, self.c);
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
}

/// One Beta(`a`, `b`) draw; both parameters must be positive (otherwise the mean is returned).
pub fn sample_beta<R: Rng + ?Sized>(rng: &mut R, a: f64, b: f64) -> f64 {
    BetaSampler::new(a, b).sample(rng)
}

/// A Beta(`a`, `b`) sampler (two [`GammaSampler`]s) prepared once for many draws; its draws
/// are [`sample_beta`]'s, bit for bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetaSampler {
    x: GammaSampler,
    y: GammaSampler,
    /// The parameters, for the mean returned when both Gamma draws are 0 (computed only
    /// then: a division per sampler built for a single draw showed in profiles).
    a: f64,
    b: f64,
}

impl BetaSampler {
    /// The sampler of Beta(`a`, `b`).
    pub fn new(a: f64, b: f64) -> Self {
        Self {
            x: GammaSampler::new(a),
            y: GammaSampler::new(b),
            a,
            b,
        }
    }

    /// The sampler of Beta(`a + s`, `b + f`): the same as `BetaSampler::new(a + s, b + f)`,
    /// reusing the prepared Gamma sampler of a side that gains nothing (`x + 0.0 == x`), so
    /// adding one lead's failures to a prepared posterior prepares one Gamma sampler, not two.
    pub fn plus(&self, s: f64, f: f64) -> Self {
        let (a, b) = (self.a + s, self.b + f);
        Self {
            x: if s == 0.0 {
                self.x
            } else {
                GammaSampler::new(a)
            },
            y: if f == 0.0 {
                self.y
            } else {
                GammaSampler::new(b)
            },
            a,
            b,
        }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = self.x.sample(rng);
        let y = self.y.sample(rng);
        if x + y > 0.0 {
            x / (x + y)
        } else if self.a + self.b > 0.0 {
            self.a / (self.a + self.b)
        } else {
            0.5
        }
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

    /// The Gamma sampler as it was before its constants were prepared once: the prepared
    /// sampler must give the same bits and consume the generator identically.
    fn reference_gamma(rng: &mut Pcg64Mcg, shape: f64) -> f64 {
        if !(shape.is_finite() && shape > 0.0) {
            return 0.0;
        }
        if shape < 1.0 {
            let u: f64 = 1.0 - rng.random::<f64>();
            return reference_gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        for _ in 0..1000 {
            let x = sample_standard_normal(rng);
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u: f64 = 1.0 - rng.random::<f64>();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d - d * v + d * v.ln() {
                return d * v;
            }
        }
        d
    }

    #[test]
    fn prepared_samplers_draw_the_reference_bits() {
        let shapes = [
            1e-3,
            0.05,
            0.3,
            0.7,
            0.999,
            1.0,
            1.3,
            2.5,
            10.0,
            47.5,
            400.0,
            0.0,
            -1.0,
            f64::NAN,
        ];
        let mut ours = Pcg64Mcg::seed_from_u64(11);
        let mut reference = Pcg64Mcg::seed_from_u64(11);
        for round in 0..2_000 {
            let a = shapes[round % shapes.len()];
            let b = shapes[(round / shapes.len()) % shapes.len()];
            let x = GammaSampler::new(a).sample(&mut ours);
            let y = reference_gamma(&mut reference, a);
            assert_eq!(x.to_bits(), y.to_bits(), "gamma({a}), round {round}");
            let beta = BetaSampler::new(a, b).sample(&mut ours);
            let (gx, gy) = (
                reference_gamma(&mut reference, a),
                reference_gamma(&mut reference, b),
            );
            let expected = if gx + gy > 0.0 {
                gx / (gx + gy)
            } else if a + b > 0.0 {
                a / (a + b)
            } else {
                0.5
            };
            assert_eq!(
                beta.to_bits(),
                expected.to_bits(),
                "beta({a}, {b}), round {round}"
            );
        }
        assert_eq!(ours.random::<u64>(), reference.random::<u64>());
    }

    #[test]
    fn a_sampler_plus_evidence_is_the_sampler_of_the_sums() {
        let values = [0.0, -0.0, 0.3, 1.0, 2.5, 47.5, f64::NAN];
        let mut ours = Pcg64Mcg::seed_from_u64(5);
        let mut theirs = Pcg64Mcg::seed_from_u64(5);
        for &a in &[0.05, 0.7, 1.0, 10.0, 40.0] {
            for &b in &[0.2, 1.3, 35.0] {
                for &s in &values {
                    for &f in &values {
                        let plus = BetaSampler::new(a, b).plus(s, f);
                        let sums = BetaSampler::new(a + s, b + f);
                        for _ in 0..20 {
                            let (x, y) = (plus.sample(&mut ours), sums.sample(&mut theirs));
                            assert_eq!(x.to_bits(), y.to_bits(), "({a} + {s}, {b} + {f})");
                        }
                    }
                }
            }
        }
        assert_eq!(ours.random::<u64>(), theirs.random::<u64>());
    }

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
