//! Hyperparameters of the Hoeffding Adaptive Tree ([`HoeffdingAdaptiveTreeParams`]): every key
//! of the Hoeffding tree plus the drift-adaptation keys of River's
//! `HoeffdingAdaptiveTreeClassifier`.
//!
//! What it is for: setting values by name, validating them once, building the tree.
//! What it is not: the tree (see `adaptive.rs`).

use serde::{Deserialize, Serialize};

use super::adaptive::HoeffdingAdaptiveTree;
use super::params::{HoeffdingTreeParams, TreeConfig};
use crate::learn::drift::AdwinParams;
use crate::learn::params::{invalid, parse_value};
use crate::learn::{Hyperparams, ParamError};

/// Hyperparameters of [`HoeffdingAdaptiveTree`]; `Default` gives River 0.26's
/// `HoeffdingAdaptiveTreeClassifier` defaults (with seed 0 where River's default is unseeded).
///
/// # Examples
/// ```
/// use leadstream::learn::hoeffding::HoeffdingAdaptiveTreeParams;
/// use leadstream::learn::Hyperparams;
///
/// let mut params = HoeffdingAdaptiveTreeParams::default();
/// params.set("grace_period", "100").unwrap();
/// params.set("seed", "7").unwrap();
/// let tree = params.build(4, 2).unwrap();
/// assert_eq!(tree.n_alternate_trees(), 0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoeffdingAdaptiveTreeParams {
    /// The Hoeffding tree hyperparameters (same keys, same defaults).
    pub tree: HoeffdingTreeParams,
    /// Weight each sample by a Poisson(1) draw (online bagging of one). River: true.
    pub bootstrap_sampling: bool,
    /// Samples both a subtree and its alternate must have seen before they are compared.
    /// River: 300.
    pub drift_window_threshold: u32,
    /// Significance of the test that swaps in (or discards) an alternate subtree. River: 0.05.
    pub switch_significance: f64,
    /// `delta` of the ADWIN error monitors in every node. River (ADWIN default): 0.002.
    pub adwin_delta: f64,
    /// Seed of the bootstrap sampler (`Pcg64Mcg`).
    pub seed: u64,
}

impl Default for HoeffdingAdaptiveTreeParams {
    fn default() -> Self {
        Self {
            tree: HoeffdingTreeParams::default(),
            bootstrap_sampling: true,
            drift_window_threshold: 300,
            switch_significance: 0.05,
            adwin_delta: AdwinParams::default().delta,
            seed: 0,
        }
    }
}

impl Hyperparams for HoeffdingAdaptiveTreeParams {
    const LEARNER: &'static str = "hoeffding_adaptive_tree";
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
        "bootstrap_sampling",
        "drift_window_threshold",
        "switch_significance",
        "adwin_delta",
        "seed",
    ];

    fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        match key {
            "bootstrap_sampling" => self.bootstrap_sampling = parse_value(key, value)?,
            "drift_window_threshold" => self.drift_window_threshold = parse_value(key, value)?,
            "switch_significance" => self.switch_significance = parse_value(key, value)?,
            "adwin_delta" => self.adwin_delta = parse_value(key, value)?,
            "seed" => self.seed = parse_value(key, value)?,
            _ => {
                if !HoeffdingTreeParams::KEYS.contains(&key) {
                    return Err(Self::unknown_key(key));
                }
                self.tree.set(key, value)?;
            }
        }
        Ok(())
    }
}

impl HoeffdingAdaptiveTreeParams {
    /// Validates the hyperparameters and builds an empty adaptive tree for `n_features` numeric
    /// features and classes `0..n_classes`.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] for any tree key out of range (see
    /// [`HoeffdingTreeParams::build`]), `switch_significance` outside (0, 1) or `adwin_delta`
    /// outside (0, 1).
    pub fn build(
        self,
        n_features: usize,
        n_classes: usize,
    ) -> Result<HoeffdingAdaptiveTree, ParamError> {
        let config = TreeConfig::new(&self.tree, n_features, n_classes)?;
        if !(self.switch_significance > 0.0 && self.switch_significance < 1.0) {
            return Err(invalid(
                "switch_significance",
                self.switch_significance,
                "must be in (0, 1)",
            ));
        }
        let adwin = AdwinParams {
            delta: self.adwin_delta,
            ..AdwinParams::default()
        }
        .build()
        .map_err(|_| invalid("adwin_delta", self.adwin_delta, "must be in (0, 1)"))?;
        Ok(HoeffdingAdaptiveTree::from_parts(self, config, adwin))
    }
}
