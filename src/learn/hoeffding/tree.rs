//! The Hoeffding tree (VFDT; Domingos & Hulten, "Mining high-speed data streams", KDD 2000), with
//! the semantics of River 0.26's `HoeffdingTreeClassifier` on numeric features.
//!
//! What it is for: an incremental decision tree that splits a leaf once the Hoeffding bound says
//! the best split is better than the runner-up. Nodes live in an arena (`Vec`) addressed by
//! index; leaves keep flat statistics, so learning and predicting never allocate (a split
//! allocates its two new leaves).
//! What it is not: nominal features, memory management (`max_size`, `memory_estimate_period`,
//! `stop_mem_management`, `remove_poor_attrs` are omitted: River only acts on them after 10^6
//! samples or above 100 MiB), nor drift adaptation (see `adaptive.rs`).
//!
//! One River behaviour is reproduced on purpose: after every split decision (a split or a null
//! split), River's `_enforce_size_limit` re-activates every inactive leaf above the depth limit
//! with fresh observers. So a null split (merit pre-pruning, or the majority class holding more
//! than `max_share_to_split`) in effect restarts that leaf's observers.

use serde::{Deserialize, Serialize};

use super::leaf::{LeafLearner, SplitDecision};
use super::params::{HoeffdingTreeParams, TreeConfig};
use crate::learn::Classifier;

/// A node of the arena: a numeric binary test or a reference into the leaf array.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
enum Node {
    /// `x[feature] <= threshold` goes to `children[0]`, anything else (NaN too) to `children[1]`.
    Branch {
        feature: u32,
        threshold: f64,
        children: [u32; 2],
    },
    /// Index into `HoeffdingTree::leaves`.
    Leaf(u32),
}

/// An incremental decision tree for numeric features (VFDT).
///
/// Built by [`HoeffdingTreeParams::build`].
///
/// # Examples
/// ```
/// use leadstream::learn::hoeffding::HoeffdingTreeParams;
/// use leadstream::learn::Classifier;
///
/// let mut tree = HoeffdingTreeParams { grace_period: 50, ..Default::default() }
///     .build(1, 2)
///     .unwrap();
/// for i in 0..2_000 {
///     let x = (i * 37 % 100) as f64 / 100.0;
///     tree.learn_one(&[x], usize::from(x > 0.5));
/// }
/// assert_eq!(tree.predict_one(&[0.9]), 1);
/// assert_eq!(tree.predict_one(&[0.1]), 0);
/// assert!(tree.n_leaves() >= 2);
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HoeffdingTree {
    params: HoeffdingTreeParams,
    cfg: TreeConfig,
    /// `nodes[0]` is the root.
    nodes: Vec<Node>,
    leaves: Vec<LeafLearner>,
    n_inactive: usize,
    n_splits_done: u64,
}

impl HoeffdingTree {
    pub(crate) fn from_config(params: HoeffdingTreeParams, cfg: TreeConfig) -> Self {
        let root = LeafLearner::new(&cfg, 0, None);
        Self {
            params,
            cfg,
            nodes: vec![Node::Leaf(0)],
            leaves: vec![root],
            n_inactive: 0,
            n_splits_done: 0,
        }
    }

    /// The hyperparameters the tree was built with.
    pub fn params(&self) -> &HoeffdingTreeParams {
        &self.params
    }

    /// Number of nodes (branches and leaves).
    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.leaves.len()
    }

    /// Number of leaves that no longer observe attributes (depth limit reached).
    pub fn n_inactive_leaves(&self) -> usize {
        self.n_inactive
    }

    /// Depth of the deepest leaf (0 for a tree that is a single leaf).
    pub fn depth(&self) -> usize {
        self.leaves
            .iter()
            .map(|l| l.depth as usize)
            .max()
            .unwrap_or(0)
    }

    /// Number of splits made so far.
    pub fn n_splits(&self) -> u64 {
        self.n_splits_done
    }

    /// The arena index of the leaf node `x` is sorted to, and its index in `leaves`.
    #[inline]
    fn sort(&self, x: &[f64]) -> (usize, usize) {
        let mut i = 0usize;
        loop {
            match self.nodes[i] {
                Node::Branch {
                    feature,
                    threshold,
                    children,
                } => {
                    let v = x.get(feature as usize).copied().unwrap_or(f64::NAN);
                    i = children[if v <= threshold { 0 } else { 1 }] as usize;
                }
                Node::Leaf(l) => return (i, l as usize),
            }
        }
    }

    /// Replaces the leaf at `node` by a branch with two fresh leaves.
    fn split(&mut self, node: usize, l: usize, decision: SplitDecision) {
        let SplitDecision::Split {
            feature,
            threshold,
            left,
            right,
        } = decision
        else {
            return;
        };
        let depth = self.leaves[l].depth + 1;
        // The left child reuses the parent's leaf slot; the right one is appended.
        self.leaves[l] = LeafLearner::new(&self.cfg, depth, Some(&left));
        self.leaves
            .push(LeafLearner::new(&self.cfg, depth, Some(&right)));
        let right_leaf = (self.leaves.len() - 1) as u32;
        let first_child = self.nodes.len() as u32;
        self.nodes.push(Node::Leaf(l as u32));
        self.nodes.push(Node::Leaf(right_leaf));
        self.nodes[node] = Node::Branch {
            feature,
            threshold,
            children: [first_child, first_child + 1],
        };
        self.n_splits_done += 1;
    }

    /// River's `_enforce_size_limit` without a size estimate: every inactive leaf above the depth
    /// limit becomes active again with fresh observers.
    fn reactivate_leaves(&mut self) {
        if self.n_inactive == 0 {
            return;
        }
        for leaf in &mut self.leaves {
            if !leaf.is_active() && leaf.depth < self.cfg.max_depth {
                leaf.activate(&self.cfg);
                self.n_inactive -= 1;
            }
        }
    }
}

impl Classifier for HoeffdingTree {
    fn n_classes(&self) -> usize {
        self.cfg.n_classes
    }

    fn learn_one(&mut self, x: &[f64], y: usize) {
        debug_assert_eq!(x.len(), self.cfg.n_features);
        if y >= self.cfg.n_classes {
            return;
        }
        let (node, l) = self.sort(x);
        let leaf = &mut self.leaves[l];
        leaf.learn(&self.cfg, x, y, 1.0);
        if !leaf.is_active() {
            return;
        }
        if leaf.depth >= self.cfg.max_depth {
            leaf.deactivate();
            self.n_inactive += 1;
            return;
        }
        let weight_seen = leaf.total_weight();
        if weight_seen - leaf.last_split_attempt_at < self.cfg.grace_period {
            return;
        }
        let decision = leaf.attempt_split(&self.cfg);
        leaf.last_split_attempt_at = weight_seen;
        match decision {
            SplitDecision::Wait => {}
            SplitDecision::NullSplit => {
                leaf.deactivate();
                self.n_inactive += 1;
                self.reactivate_leaves();
            }
            SplitDecision::Split { .. } => {
                self.split(node, l, decision);
                self.reactivate_leaves();
            }
        }
    }

    fn predict_proba_one(&self, x: &[f64], proba: &mut [f64]) {
        debug_assert_eq!(proba.len(), self.cfg.n_classes);
        let (_, l) = self.sort(x);
        let sum: f64 = if self.leaves[l].predict(&self.cfg, x, proba) {
            proba.iter().sum()
        } else {
            0.0
        };
        // Same safety net as the adaptive tree: never hand out NaN or an unnormalised vector.
        if !(sum > 0.0 && sum.is_finite() && proba.iter().all(|p| p.is_finite())) {
            proba.fill(1.0 / proba.len() as f64);
        }
    }
}
