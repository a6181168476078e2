//! Hoeffding trees: VFDT (Domingos & Hulten, 2000) and the Hoeffding Adaptive Tree
//! (Bifet & Gavaldà, 2009), reproducing River 0.26's `HoeffdingTreeClassifier` and
//! `HoeffdingAdaptiveTreeClassifier` on numeric features.
//!
//! What it is for: incremental classification trees that learn one sample at a time, in an arena
//! of nodes with flat per-leaf statistics (no allocation per sample).
//! Missing or non-finite feature values (NaN, ±inf) are not learned by the attribute observers
//! nor used by naive Bayes; a branch sends them right (River would fail on them).
//!
//! Fidelity: with the same data, the deterministic configurations (VFDT in every leaf mode and
//! criterion, HAT without bootstrap) make the same prediction as River 0.26.1 on every sample of
//! the streams in tests/fixtures; River's dictionary insertion order is followed for sums and ties
//! so that even rounding matches. The bootstrapped HAT uses a different generator (Pcg64Mcg), so
//! it matches River in distribution, not sample by sample (given the same Poisson draws it too
//! predicts identically).
//!
//! What it is not: nominal attributes, regression trees, or River's memory management
//! (`max_size`): see [`HoeffdingTree`] for the omitted parts.

mod adaptive;
mod adaptive_node;
mod adaptive_params;
mod gaussian_observer;
mod leaf;
mod params;
mod split_criterion;
mod tree;

pub use adaptive::HoeffdingAdaptiveTree;
pub use adaptive_params::HoeffdingAdaptiveTreeParams;
pub use params::{HoeffdingTreeParams, LeafPrediction, SplitCriterion};
pub use tree::HoeffdingTree;
