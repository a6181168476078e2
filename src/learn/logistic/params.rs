//! Hyperparameters of [`super::LogisticRegression`] and their validation.
//!
//! What it is for: the checked configuration, settable by name (`--set optimizer=ftrl`), whose
//! `Default` is River's `StandardScaler() | LogisticRegression()`.
//! What it is not: the model; [`LogisticRegressionParams::build`] makes one.

use serde::{Deserialize, Serialize};

use super::optimizer::{FtrlSettings, Optimizer, OptimizerKind};
use super::scaler::StandardScaler;
use super::LogisticRegression;
use crate::learn::params::{invalid, parse_value};
use crate::learn::{Hyperparams, ParamError};

/// Hyperparameters of [`LogisticRegression`]; `Default` is River 0.26's
/// `preprocessing.StandardScaler() | linear_model.LogisticRegression()`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegressionParams {
    /// The weights' optimizer (River's default: SGD).
    pub optimizer: OptimizerKind,
    /// Learning rate of SGD and AdaGrad (River's `optim.SGD(0.01)`; River's AdaGrad default is 0.1).
    pub lr: f64,
    /// L2 penalty added to each weight's gradient, any optimizer (River's `l2=0.0`).
    pub l2: f64,
    /// Learning rate of the intercept, plain SGD; 0 freezes it (River's `intercept_lr=0.01`).
    pub intercept_lr: f64,
    /// Bound on the absolute loss gradient (River's `clip_gradient=1e12`); also bounds each
    /// coordinate of the weight gradient, which River does not (it only matters for unscaled
    /// features beyond 1e12 in magnitude, where it keeps the weights finite).
    pub clip_gradient: f64,
    /// Whether the online standard scaler runs in front of the model (River's pipeline: yes).
    pub scale: bool,
    /// FTRL's alpha, learning-rate scale (River's `FTRLProximal(alpha=0.05)`).
    pub ftrl_alpha: f64,
    /// FTRL's beta, learning-rate smoothing (River's `beta=1.0`).
    pub ftrl_beta: f64,
    /// FTRL's L1 penalty, which makes weights exactly zero (River's `l1=0.0`).
    pub ftrl_l1: f64,
    /// FTRL's L2 penalty (River's `l2=1.0`).
    pub ftrl_l2: f64,
}

impl Default for LogisticRegressionParams {
    fn default() -> Self {
        Self {
            optimizer: OptimizerKind::Sgd,
            lr: 0.01,
            l2: 0.0,
            intercept_lr: 0.01,
            clip_gradient: 1e12,
            scale: true,
            ftrl_alpha: 0.05,
            ftrl_beta: 1.0,
            ftrl_l1: 0.0,
            ftrl_l2: 1.0,
        }
    }
}

impl Hyperparams for LogisticRegressionParams {
    const LEARNER: &'static str = "logistic";
    const KEYS: &'static [&'static str] = &[
        "optimizer",
        "lr",
        "l2",
        "intercept_lr",
        "clip_gradient",
        "scale",
        "ftrl_alpha",
        "ftrl_beta",
        "ftrl_l1",
        "ftrl_l2",
    ];

    fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        match key {
            "optimizer" => self.optimizer = parse_value(key, value)?,
            "lr" => self.lr = parse_value(key, value)?,
            "l2" => self.l2 = parse_value(key, value)?,
            "intercept_lr" => self.intercept_lr = parse_value(key, value)?,
            "clip_gradient" => self.clip_gradient = parse_value(key, value)?,
            "scale" => self.scale = parse_value(key, value)?,
            "ftrl_alpha" => self.ftrl_alpha = parse_value(key, value)?,
            "ftrl_beta" => self.ftrl_beta = parse_value(key, value)?,
            "ftrl_l1" => self.ftrl_l1 = parse_value(key, value)?,
            "ftrl_l2" => self.ftrl_l2 = parse_value(key, value)?,
            _ => return Err(Self::unknown_key(key)),
        }
        Ok(())
    }
}

fn require(ok: bool, key: &str, value: f64, reason: &str) -> Result<(), ParamError> {
    if ok {
        Ok(())
    } else {
        Err(invalid(key, value, reason))
    }
}

impl LogisticRegressionParams {
    /// Checks the hyperparameters and builds an untrained binary model over `n_features` features.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] when `n_classes` is not 2, a learning rate, penalty or FTRL
    /// setting is negative or not finite, `lr` or `ftrl_alpha` is 0, or `clip_gradient` is not
    /// positive.
    pub fn build(
        self,
        n_features: usize,
        n_classes: usize,
    ) -> Result<LogisticRegression, ParamError> {
        if n_classes != 2 {
            return Err(invalid(
                "n_classes",
                n_classes,
                "logistic regression is binary: must be 2",
            ));
        }
        let finite_non_neg = |v: f64| v.is_finite() && v >= 0.0;
        require(
            self.lr.is_finite() && self.lr > 0.0,
            "lr",
            self.lr,
            "must be finite and > 0",
        )?;
        require(
            finite_non_neg(self.l2),
            "l2",
            self.l2,
            "must be finite and >= 0",
        )?;
        require(
            finite_non_neg(self.intercept_lr),
            "intercept_lr",
            self.intercept_lr,
            "must be finite and >= 0",
        )?;
        require(
            self.clip_gradient > 0.0,
            "clip_gradient",
            self.clip_gradient,
            "must be > 0",
        )?;
        require(
            self.ftrl_alpha.is_finite() && self.ftrl_alpha > 0.0,
            "ftrl_alpha",
            self.ftrl_alpha,
            "must be finite and > 0",
        )?;
        for (key, v) in [
            ("ftrl_beta", self.ftrl_beta),
            ("ftrl_l1", self.ftrl_l1),
            ("ftrl_l2", self.ftrl_l2),
        ] {
            require(finite_non_neg(v), key, v, "must be finite and >= 0")?;
        }
        let ftrl = FtrlSettings {
            alpha: self.ftrl_alpha,
            beta: self.ftrl_beta,
            l1: self.ftrl_l1,
            l2: self.ftrl_l2,
        };
        Ok(LogisticRegression {
            params: self,
            scaler: self.scale.then(|| StandardScaler::new(n_features)),
            optimizer: Optimizer::new(self.optimizer, self.lr, ftrl, n_features),
            weights: vec![0.0; n_features],
            intercept: 0.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_rivers_pipeline() {
        let p = LogisticRegressionParams::default();
        assert_eq!(p.optimizer, OptimizerKind::Sgd);
        assert_eq!(
            (p.lr, p.l2, p.intercept_lr, p.clip_gradient),
            (0.01, 0.0, 0.01, 1e12)
        );
        assert!(p.scale);
        assert_eq!(
            (p.ftrl_alpha, p.ftrl_beta, p.ftrl_l1, p.ftrl_l2),
            (0.05, 1.0, 0.0, 1.0)
        );
    }

    #[test]
    fn every_key_is_settable() {
        let mut p = LogisticRegressionParams::default();
        for key in LogisticRegressionParams::KEYS {
            let value = match *key {
                "optimizer" => "ftrl",
                "scale" => "false",
                _ => "0.5",
            };
            p.set(key, value).unwrap();
        }
        assert_eq!(p.optimizer, OptimizerKind::Ftrl);
        assert!(!p.scale);
        assert_eq!((p.lr, p.ftrl_l2), (0.5, 0.5));
        assert!(p.set("momentum", "0.9").is_err());
        assert!(p.set("optimizer", "adam").is_err());
        assert!(p.set("scale", "maybe").is_err());
    }

    #[test]
    fn build_refuses_bad_values() {
        assert!(LogisticRegressionParams::default().build(3, 3).is_err());
        assert!(LogisticRegressionParams::default().build(3, 2).is_ok());
        for (key, value) in [
            ("lr", "0"),
            ("lr", "NaN"),
            ("l2", "-1"),
            ("intercept_lr", "inf"),
            ("clip_gradient", "0"),
            ("ftrl_alpha", "0"),
            ("ftrl_l1", "-0.1"),
        ] {
            let mut p = LogisticRegressionParams::default();
            p.set(key, value).unwrap();
            assert!(p.build(2, 2).is_err(), "{key}={value} must be refused");
        }
    }
}
