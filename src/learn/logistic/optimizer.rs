//! Per-coordinate weight updates for [`super::LogisticRegression`]: plain SGD, AdaGrad (Duchi et
//! al., 2011) and FTRL-Proximal (McMahan et al., "Ad click prediction: a view from the trenches",
//! KDD 2013).
//!
//! What it is for: turning one gradient coordinate into one weight change, with the optimizer's
//! per-coordinate state stored in vectors sized once, at construction.
//! What it is not: the intercept's update (plain SGD with `intercept_lr`, as in River) or the
//! gradient computation.

use serde::{Deserialize, Serialize};

/// Which optimizer updates the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// `w -= lr * g` (River's `optim.SGD`).
    Sgd,
    /// `G += g^2; w -= lr / sqrt(G + 1e-8) * g` (River's `optim.AdaGrad`).
    Adagrad,
    /// FTRL-Proximal with `ftrl_alpha`, `ftrl_beta`, `ftrl_l1`, `ftrl_l2`.
    Ftrl,
}

impl std::str::FromStr for OptimizerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sgd" => Ok(Self::Sgd),
            "adagrad" => Ok(Self::Adagrad),
            "ftrl" => Ok(Self::Ftrl),
            other => Err(format!("`{other}` is not one of sgd, adagrad, ftrl")),
        }
    }
}

/// AdaGrad's `eps`, River's default.
const ADAGRAD_EPS: f64 = 1e-8;

/// FTRL-Proximal's hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct FtrlSettings {
    pub(crate) alpha: f64,
    pub(crate) beta: f64,
    pub(crate) l1: f64,
    pub(crate) l2: f64,
}

/// An optimizer with its per-coordinate state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Optimizer {
    Sgd {
        lr: f64,
    },
    Adagrad {
        lr: f64,
        /// Sum of squared gradients per coordinate.
        g2: Vec<f64>,
    },
    Ftrl {
        settings: FtrlSettings,
        /// FTRL's `z`: gradients minus the proximal correction, per coordinate.
        z: Vec<f64>,
        /// FTRL's `n`: sum of squared gradients per coordinate.
        n: Vec<f64>,
    },
}

impl Optimizer {
    /// An optimizer for `n_features` weights.
    pub(crate) fn new(kind: OptimizerKind, lr: f64, ftrl: FtrlSettings, n_features: usize) -> Self {
        match kind {
            OptimizerKind::Sgd => Self::Sgd { lr },
            OptimizerKind::Adagrad => Self::Adagrad {
                lr,
                g2: vec![0.0; n_features],
            },
            OptimizerKind::Ftrl => Self::Ftrl {
                settings: ftrl,
                z: vec![0.0; n_features],
                n: vec![0.0; n_features],
            },
        }
    }

    /// The learning rate when this is plain SGD (whose step needs no per-coordinate state).
    #[inline]
    pub(crate) fn sgd_lr(&self) -> Option<f64> {
        match self {
            Self::Sgd { lr } => Some(*lr),
            _ => None,
        }
    }

    /// Updates weight `i` given its gradient `g`. Weights stay finite for finite `g`.
    #[inline]
    pub(crate) fn step(&mut self, i: usize, weight: &mut f64, g: f64) {
        let updated = match self {
            Self::Sgd { lr } => *weight - *lr * g,
            Self::Adagrad { lr, g2 } => {
                g2[i] += g * g;
                *weight - *lr / (g2[i] + ADAGRAD_EPS).sqrt() * g
            }
            Self::Ftrl { settings, z, n } => ftrl_step(settings, &mut z[i], &mut n[i], *weight, g),
        };
        *weight = if updated.is_nan() {
            0.0
        } else {
            updated.clamp(-f64::MAX, f64::MAX)
        };
    }
}

/// One FTRL-Proximal round for one coordinate (McMahan et al., 2013, Algorithm 1): update `z` and
/// `n` with the gradient `g` taken at `weight`, then return the weight for the next round, which
/// is exactly 0 while `|z| <= l1`.
///
/// River's `FTRLProximal` computes the weight before absorbing the gradient, so its weights lag one
/// step behind the paper's and are left unchanged (not zeroed) while `|z| <= l1`; this follows the
/// paper.
fn ftrl_step(s: &FtrlSettings, z: &mut f64, n: &mut f64, weight: f64, g: f64) -> f64 {
    let n_new = *n + g * g;
    let (sqrt_old, sqrt_new) = (n.sqrt(), n_new.sqrt());
    let sigma = (sqrt_new - sqrt_old) / s.alpha;
    let z_new = *z + g - sigma * weight;
    let sqrt_n = if n_new.is_finite() && z_new.is_finite() {
        *n = n_new;
        *z = z_new;
        sqrt_new
    } else {
        sqrt_old
    };
    if z.abs() <= s.l1 {
        0.0
    } else {
        -(*z - z.signum() * s.l1) / ((s.beta + sqrt_n) / s.alpha + s.l2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FTRL: FtrlSettings = FtrlSettings {
        alpha: 0.5,
        beta: 1.0,
        l1: 0.0,
        l2: 0.0,
    };

    #[test]
    fn sgd_and_adagrad_steps_by_hand() {
        let mut sgd = Optimizer::new(OptimizerKind::Sgd, 0.1, FTRL, 1);
        let mut w = 1.0;
        sgd.step(0, &mut w, 2.0);
        assert!((w - 0.8).abs() < 1e-15);

        let mut ada = Optimizer::new(OptimizerKind::Adagrad, 0.1, FTRL, 1);
        let mut w = 0.0;
        ada.step(0, &mut w, 2.0); // G = 4: w = -0.1 / 2 * 2
        assert!((w + 0.1).abs() < 1e-9);
        ada.step(0, &mut w, 2.0); // G = 8: w = -0.1 - 0.1 / sqrt(8) * 2
        assert!((w - (-0.1 - 0.2 / 8.0_f64.sqrt())).abs() < 1e-9);
    }

    #[test]
    fn ftrl_step_by_hand() {
        let mut ftrl = Optimizer::new(OptimizerKind::Ftrl, 0.0, FTRL, 1);
        let mut w = 0.0;
        // n = 4, sigma = 2 / 0.5 = 4, z = 2 - 4 * 0 = 2; w = -2 / ((1 + 2) / 0.5) = -1/3.
        ftrl.step(0, &mut w, 2.0);
        assert!((w + 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn ftrl_l1_keeps_small_weights_at_exactly_zero() {
        let settings = FtrlSettings { l1: 5.0, ..FTRL };
        let mut ftrl = Optimizer::new(OptimizerKind::Ftrl, 0.0, settings, 1);
        let mut w = 0.0;
        ftrl.step(0, &mut w, 2.0); // z = 2 <= 5
        assert_eq!(w, 0.0);
        for _ in 0..5 {
            ftrl.step(0, &mut w, 2.0);
        }
        assert!(
            w < 0.0,
            "a persistent gradient must eventually pass the l1 threshold"
        );
    }

    #[test]
    fn huge_gradients_keep_weights_finite() {
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Adagrad,
            OptimizerKind::Ftrl,
        ] {
            let mut opt = Optimizer::new(kind, 1e300, FTRL, 1);
            let mut w = 0.0;
            for g in [f64::MAX, -f64::MAX, f64::MAX, 1.0] {
                opt.step(0, &mut w, g);
                assert!(w.is_finite(), "{kind:?}: {w}");
            }
        }
    }
}
