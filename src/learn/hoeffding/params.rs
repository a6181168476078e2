//! Hyperparameters of the Hoeffding tree ([`HoeffdingTreeParams`]) and their validated, precomputed
//! form ([`TreeConfig`]) that the learning path reads.
//!
//! What it is for: setting values by River's names (`--set grace_period=100`), checking them once,
//! and turning them into constants (`ln(1/delta)`, depth limit) so learning never re-validates.
//! What it is not: the tree itself (see `tree.rs`) nor the adaptive tree's extra keys
//! (see `adaptive_params.rs`).

use serde::{Deserialize, Serialize};

use super::tree::HoeffdingTree;
use crate::learn::params::{invalid, parse_value};
use crate::learn::{Hyperparams, ParamError, MAX_CLASSES};

/// How a split candidate is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SplitCriterion {
    /// Information gain (entropy reduction, in bits); River's `info_gain`.
    InfoGain,
    /// One minus the weighted Gini impurity of the branches; River's `gini`.
    Gini,
}

/// How a leaf turns its statistics into class probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeafPrediction {
    /// Majority class: the leaf's normalised class counts (`mc`).
    MajorityClass,
    /// Gaussian naive Bayes over the leaf's attribute observers (`nb`).
    NaiveBayes,
    /// Naive Bayes or majority class, whichever has been right more often at this leaf (`nba`).
    NaiveBayesAdaptive,
}

/// Hyperparameters of [`HoeffdingTree`]; `Default` gives River 0.26's `HoeffdingTreeClassifier`
/// defaults.
///
/// # Examples
/// ```
/// use leadstream::learn::hoeffding::HoeffdingTreeParams;
/// use leadstream::learn::Hyperparams;
///
/// let mut params = HoeffdingTreeParams::default();
/// params.set("grace_period", "50").unwrap();
/// params.set("split_criterion", "gini").unwrap();
/// let tree = params.build(3, 2).unwrap();
/// assert_eq!(tree.n_leaves(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoeffdingTreeParams {
    /// Weight a leaf must see between split attempts. River: 200.
    pub grace_period: u32,
    /// Allowed probability of a wrong split decision (Hoeffding bound). River: 1e-7.
    pub delta: f64,
    /// Tie threshold: split anyway once the Hoeffding bound is below it. River: 0.05.
    pub tau: f64,
    /// Split scoring. River: info_gain.
    pub split_criterion: SplitCriterion,
    /// Leaf predictor. River: nba.
    pub leaf_prediction: LeafPrediction,
    /// Weight a leaf needs before `nb` uses naive Bayes. River: 0.
    pub nb_threshold: u32,
    /// Candidate thresholds per numeric attribute (Gaussian splitter). River: 10.
    pub n_splits: u32,
    /// Depth limit; `None` (or `Some(0)`) means unlimited. River: None.
    pub max_depth: Option<u32>,
    /// Only binary splits. Numeric splits are always binary, so this has no effect on numeric-only
    /// data; kept for name compatibility with River. River: false.
    pub binary_split: bool,
    /// A split is valid only if at least two branches hold more than this fraction of the weight.
    /// River: 0.01.
    pub min_branch_fraction: f64,
    /// No split is attempted while the majority class holds more than this share. River: 0.99.
    pub max_share_to_split: f64,
    /// Add the "no split" candidate to the split decision. River: true.
    pub merit_preprune: bool,
}

impl Default for HoeffdingTreeParams {
    fn default() -> Self {
        Self {
            grace_period: 200,
            delta: 1e-7,
            tau: 0.05,
            split_criterion: SplitCriterion::InfoGain,
            leaf_prediction: LeafPrediction::NaiveBayesAdaptive,
            nb_threshold: 0,
            n_splits: 10,
            max_depth: None,
            binary_split: false,
            min_branch_fraction: 0.01,
            max_share_to_split: 0.99,
            merit_preprune: true,
        }
    }
}

impl Hyperparams for HoeffdingTreeParams {
    const LEARNER: &'static str = "hoeffding_tree";
    const KEYS: &'static [&'static str] = &[
        "grace_period",
        "delta",
        "tau",
        "split_criterion",
        "leaf_prediction",
        "nb_threshold",
        "n_splits",
        "max_depth",
        "binary_split",
        "min_branch_fraction",
        "max_share_to_split",
        "merit_preprune",
    ];

    fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        match key {
            "grace_period" => self.grace_period = parse_value(key, value)?,
            "delta" => self.delta = parse_value(key, value)?,
            "tau" => self.tau = parse_value(key, value)?,
            "split_criterion" => {
                self.split_criterion = match value.trim() {
                    "info_gain" => SplitCriterion::InfoGain,
                    "gini" => SplitCriterion::Gini,
                    _ => return Err(invalid(key, value, "expected info_gain or gini")),
                }
            }
            "leaf_prediction" => {
                self.leaf_prediction = match value.trim() {
                    "mc" => LeafPrediction::MajorityClass,
                    "nb" => LeafPrediction::NaiveBayes,
                    "nba" => LeafPrediction::NaiveBayesAdaptive,
                    _ => return Err(invalid(key, value, "expected mc, nb or nba")),
                }
            }
            "nb_threshold" => self.nb_threshold = parse_value(key, value)?,
            "n_splits" => self.n_splits = parse_value(key, value)?,
            "max_depth" => {
                self.max_depth = match value.trim() {
                    "none" | "None" | "0" => None,
                    _ => Some(parse_value(key, value)?),
                }
            }
            "binary_split" => self.binary_split = parse_value(key, value)?,
            "min_branch_fraction" => self.min_branch_fraction = parse_value(key, value)?,
            "max_share_to_split" => self.max_share_to_split = parse_value(key, value)?,
            "merit_preprune" => self.merit_preprune = parse_value(key, value)?,
            _ => return Err(Self::unknown_key(key)),
        }
        Ok(())
    }
}

impl HoeffdingTreeParams {
    /// Validates the hyperparameters and builds an empty tree for `n_features` numeric features
    /// and classes `0..n_classes`.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] when a value is out of range (e.g. `delta` outside (0, 1),
    /// `grace_period` or `n_splits` zero) or when `n_classes` is not in `2..=MAX_CLASSES` or
    /// `n_features` is zero.
    pub fn build(self, n_features: usize, n_classes: usize) -> Result<HoeffdingTree, ParamError> {
        let config = TreeConfig::new(&self, n_features, n_classes)?;
        Ok(HoeffdingTree::from_config(self, config))
    }
}

/// Validated hyperparameters with the constants the learning path needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TreeConfig {
    pub(crate) n_features: usize,
    pub(crate) n_classes: usize,
    pub(crate) grace_period: f64,
    /// `ln(1 / delta)`, the numerator term of the Hoeffding bound.
    pub(crate) ln_inv_delta: f64,
    pub(crate) tau: f64,
    pub(crate) criterion: SplitCriterion,
    pub(crate) leaf_prediction: LeafPrediction,
    pub(crate) nb_threshold: f64,
    pub(crate) n_splits: u32,
    /// `u32::MAX` when unlimited.
    pub(crate) max_depth: u32,
    pub(crate) min_branch_fraction: f64,
    pub(crate) max_share_to_split: f64,
    pub(crate) merit_preprune: bool,
}

impl TreeConfig {
    pub(crate) fn new(
        p: &HoeffdingTreeParams,
        n_features: usize,
        n_classes: usize,
    ) -> Result<Self, ParamError> {
        if !(2..=MAX_CLASSES).contains(&n_classes) {
            return Err(invalid(
                "n_classes",
                n_classes,
                format!("must be in 2..={MAX_CLASSES}"),
            ));
        }
        if n_features == 0 || n_features > u32::MAX as usize {
            return Err(invalid("n_features", n_features, "must be at least 1"));
        }
        if p.grace_period == 0 {
            return Err(invalid(
                "grace_period",
                p.grace_period,
                "must be at least 1",
            ));
        }
        if !(p.delta > 0.0 && p.delta < 1.0) {
            return Err(invalid("delta", p.delta, "must be in (0, 1)"));
        }
        if !(p.tau >= 0.0 && p.tau.is_finite()) {
            return Err(invalid("tau", p.tau, "must be finite and >= 0"));
        }
        if p.n_splits == 0 {
            return Err(invalid("n_splits", p.n_splits, "must be at least 1"));
        }
        if !(0.0..1.0).contains(&p.min_branch_fraction) {
            return Err(invalid(
                "min_branch_fraction",
                p.min_branch_fraction,
                "must be in [0, 1)",
            ));
        }
        if !(p.max_share_to_split > 0.0 && p.max_share_to_split <= 1.0) {
            return Err(invalid(
                "max_share_to_split",
                p.max_share_to_split,
                "must be in (0, 1]",
            ));
        }
        Ok(Self {
            n_features,
            n_classes,
            grace_period: f64::from(p.grace_period),
            ln_inv_delta: (1.0 / p.delta).ln(),
            tau: p.tau,
            criterion: p.split_criterion,
            leaf_prediction: p.leaf_prediction,
            nb_threshold: f64::from(p.nb_threshold),
            n_splits: p.n_splits,
            max_depth: match p.max_depth {
                None | Some(0) => u32::MAX,
                Some(d) => d,
            },
            min_branch_fraction: p.min_branch_fraction,
            max_share_to_split: p.max_share_to_split,
            merit_preprune: p.merit_preprune,
        })
    }

    /// The Hoeffding bound `sqrt(R² ln(1/δ) / 2n)` for a merit range `range` after weight `n`.
    pub(crate) fn hoeffding_bound(&self, range: f64, n: f64) -> f64 {
        ((range * range * self.ln_inv_delta) / (2.0 * n)).sqrt()
    }
}
