//! The Hoeffding Adaptive Tree (HAT; Bifet & Gavaldà, "Adaptive learning from evolving data
//! streams", IDA 2009), with the semantics of River 0.26's `HoeffdingAdaptiveTreeClassifier`.
//!
//! What it is for: a Hoeffding tree whose nodes watch their own error with ADWIN. When a branch's
//! error worsens it grows an alternate subtree; when the alternate is significantly better
//! (after both saw `drift_window_threshold` samples) it takes the branch's place, when it is
//! significantly worse it is discarded. Predictions add the error-weighted votes of the leaf and
//! of every alternate met on the way down.
//! What it is not: nominal features or memory management (as [`HoeffdingTree`](super::HoeffdingTree)).
//!
//! River behaviours reproduced on purpose (they decide its accuracy):
//! - Bootstrap weights are Poisson(1) draws, but a draw of 0 keeps weight 1 (River's
//!   `if k > 0: w *= k`).
//! - An alternate starts as a leaf; as soon as it splits, its new branch replaces the subtree it
//!   shadows (River hands the alternate the branch's own parent slot), without the switch test.
//! - A leaf's vote is its distribution divided by `sum * error²`, unscaled when the error is 0.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::adaptive_node::{AdaBranch, AdaLeaf, AdaNode, ErrorChange, ErrorMonitor};
use super::adaptive_params::HoeffdingAdaptiveTreeParams;
use super::leaf::{ChildStats, LeafLearner, SplitDecision};
use super::params::TreeConfig;
use crate::learn::drift::Adwin;
use crate::learn::Classifier;

/// Where a node hangs: the root, or child `k` of a branch.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Root,
    Child(u32, usize),
}

/// Whether a learning leaf is in the main tree or is the alternate of a branch.
#[derive(Debug, Clone, Copy)]
enum LeafRole {
    Main,
    Alternate { owner: u32, owner_slot: Slot },
}

/// A Hoeffding tree that adapts to concept drift by growing and swapping alternate subtrees.
///
/// Built by [`HoeffdingAdaptiveTreeParams::build`].
///
/// # Examples
/// ```
/// use leadstream::learn::hoeffding::HoeffdingAdaptiveTreeParams;
/// use leadstream::learn::Classifier;
///
/// let mut tree = HoeffdingAdaptiveTreeParams { seed: 1, ..Default::default() }
///     .build(1, 2)
///     .unwrap();
/// for i in 0..3_000 {
///     let x = (i * 37 % 100) as f64 / 100.0;
///     tree.learn_one(&[x], usize::from(x > 0.5));
/// }
/// assert_eq!(tree.predict_one(&[0.9]), 1);
/// assert_eq!(tree.predict_one(&[0.1]), 0);
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HoeffdingAdaptiveTree {
    params: HoeffdingAdaptiveTreeParams,
    cfg: TreeConfig,
    /// A fresh ADWIN, cloned into every new node.
    adwin: Adwin,
    rng: Pcg64Mcg,
    /// Recorded Poisson draws replacing `rng` when set (see
    /// [`replay_bootstrap_draws`](Self::replay_bootstrap_draws)), and the next one's index.
    #[serde(default)]
    replay: Option<(Vec<u32>, usize)>,
    nodes: Vec<AdaNode>,
    free: Vec<u32>,
    root: u32,
    n_inactive: usize,
    n_alternates_created: u64,
    n_switches: u64,
    n_pruned: u64,
    /// `ln(2 / switch_significance)`.
    ln_switch: f64,
}

/// A Poisson(1) draw by Knuth's multiplication method (as River's `utils.random.poisson`).
fn poisson_one(rng: &mut Pcg64Mcg) -> u32 {
    const EXP_MINUS_ONE: f64 = 0.367_879_441_171_442_33;
    let mut k = 0u32;
    let mut p = 1.0;
    while p > EXP_MINUS_ONE {
        k += 1;
        p *= rng.random::<f64>();
    }
    k - 1
}

impl HoeffdingAdaptiveTree {
    /// Takes the bootstrap Poisson(1) draws from `draws`, in order, instead of the seeded RNG
    /// (one draw per leaf update, main and alternate leaves alike, in River's order). Meant for
    /// conformance tests that replay the draws River made, so both trees see identical weights;
    /// once the sequence is exhausted the seeded RNG takes over again.
    pub fn replay_bootstrap_draws(&mut self, draws: Vec<u32>) {
        self.replay = Some((draws, 0));
    }

    /// How many replayed draws were used so far; `None` when no sequence was given.
    pub fn replayed_draws_used(&self) -> Option<usize> {
        self.replay.as_ref().map(|(_, next)| *next)
    }

    /// The next bootstrap Poisson(1) draw: replayed if a sequence is set and not exhausted.
    fn next_poisson(&mut self) -> u32 {
        if let Some((draws, next)) = &mut self.replay {
            if let Some(&k) = draws.get(*next) {
                *next += 1;
                return k;
            }
        }
        poisson_one(&mut self.rng)
    }

    pub(crate) fn from_parts(
        params: HoeffdingAdaptiveTreeParams,
        cfg: TreeConfig,
        adwin: Adwin,
    ) -> Self {
        let root = AdaNode::Leaf(AdaLeaf {
            learner: LeafLearner::new(&cfg, 0, None),
            monitor: ErrorMonitor::new(adwin.clone()),
        });
        Self {
            rng: Pcg64Mcg::seed_from_u64(params.seed),
            replay: None,
            ln_switch: (2.0 / params.switch_significance).ln(),
            params,
            cfg,
            adwin,
            nodes: vec![root],
            free: Vec::new(),
            root: 0,
            n_inactive: 0,
            n_alternates_created: 0,
            n_switches: 0,
            n_pruned: 0,
        }
    }

    /// The hyperparameters the tree was built with.
    pub fn params(&self) -> &HoeffdingAdaptiveTreeParams {
        &self.params
    }

    /// Alternate subtrees grown so far (one per worsening drift detected at a branch).
    pub fn n_alternate_trees(&self) -> u64 {
        self.n_alternates_created
    }

    /// Alternate subtrees that replaced their branch after winning the switch test.
    pub fn n_switches(&self) -> u64 {
        self.n_switches
    }

    /// Alternate subtrees discarded after losing the switch test.
    pub fn n_pruned_alternate_trees(&self) -> u64 {
        self.n_pruned
    }

    /// Alternate subtrees currently growing.
    pub fn n_active_alternates(&self) -> usize {
        self.main_tree()
            .filter(|&(i, _)| matches!(&self.nodes[i], AdaNode::Branch(b) if b.alternate.is_some()))
            .count()
    }

    /// Number of nodes of the main tree (alternates not counted).
    pub fn n_nodes(&self) -> usize {
        self.main_tree().count()
    }

    /// Number of leaves of the main tree (alternates not counted).
    pub fn n_leaves(&self) -> usize {
        self.main_tree()
            .filter(|&(i, _)| matches!(self.nodes[i], AdaNode::Leaf(_)))
            .count()
    }

    /// Depth of the deepest leaf of the main tree (0 for a single leaf).
    pub fn depth(&self) -> usize {
        self.main_tree().map(|(_, d)| d).max().unwrap_or(0)
    }

    /// (arena index, depth below the root) of every node of the main tree.
    fn main_tree(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut stack = vec![(self.root as usize, 0usize)];
        std::iter::from_fn(move || {
            let (i, d) = stack.pop()?;
            if let AdaNode::Branch(b) = &self.nodes[i] {
                stack.push((b.children[0] as usize, d + 1));
                stack.push((b.children[1] as usize, d + 1));
            }
            Some((i, d))
        })
    }

    fn alloc(&mut self, node: AdaNode) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    fn new_leaf(&self, depth: u32, initial: Option<&ChildStats>) -> AdaNode {
        AdaNode::Leaf(AdaLeaf {
            learner: LeafLearner::new(&self.cfg, depth, initial),
            monitor: ErrorMonitor::new(self.adwin.clone()),
        })
    }

    fn set_slot(&mut self, slot: Slot, node: u32) {
        match slot {
            Slot::Root => self.root = node,
            Slot::Child(parent, k) => {
                if let AdaNode::Branch(b) = &mut self.nodes[parent as usize] {
                    b.children[k] = node;
                }
            }
        }
    }

    /// Frees `node`, its descendants and their alternates.
    fn free_subtree(&mut self, node: u32) {
        let mut stack = vec![node];
        while let Some(i) = stack.pop() {
            match std::mem::replace(&mut self.nodes[i as usize], AdaNode::Free) {
                AdaNode::Branch(b) => {
                    stack.extend_from_slice(&b.children);
                    stack.extend(b.alternate);
                }
                AdaNode::Leaf(l) => {
                    if !l.learner.is_active() {
                        self.n_inactive = self.n_inactive.saturating_sub(1);
                    }
                }
                AdaNode::Free => continue,
            }
            self.free.push(i);
        }
    }

    /// River's `_enforce_size_limit` without a size estimate (see `tree.rs`).
    fn reactivate_leaves(&mut self) {
        if self.n_inactive == 0 {
            return;
        }
        for node in &mut self.nodes {
            if let AdaNode::Leaf(l) = node {
                if !l.learner.is_active() && l.learner.depth < self.cfg.max_depth {
                    l.learner.activate(&self.cfg);
                    self.n_inactive -= 1;
                }
            }
        }
    }

    /// The main-tree leaf `x` is sorted to.
    fn sort_main(&self, x: &[f64]) -> usize {
        let mut i = self.root as usize;
        while let AdaNode::Branch(b) = &self.nodes[i] {
            i = b.children[b.branch_of(x)] as usize;
        }
        i
    }

    fn error_of(&self, leaf: usize, x: &[f64], y: usize) -> f64 {
        match &self.nodes[leaf] {
            AdaNode::Leaf(l) if l.predicted_class(&self.cfg, x) == Some(y) => 0.0,
            _ => 1.0,
        }
    }

    /// Replaces leaf `node` by a branch over two fresh leaves.
    fn split_leaf(&mut self, node: u32, depth: u32, decision: &SplitDecision) {
        let SplitDecision::Split {
            feature,
            threshold,
            left,
            right,
        } = decision
        else {
            return;
        };
        let l = self.new_leaf(depth + 1, Some(left));
        let r = self.new_leaf(depth + 1, Some(right));
        let children = [self.alloc(l), self.alloc(r)];
        self.nodes[node as usize] = AdaNode::Branch(AdaBranch {
            feature: *feature,
            threshold: *threshold,
            children,
            depth,
            monitor: ErrorMonitor::new(self.adwin.clone()),
            alternate: None,
        });
    }

    /// Learns `(x, y)` at leaf `node`; `error` is its prediction error if already known.
    /// Returns `true` when the leaf, as an alternate, split and replaced its owner.
    fn learn_leaf(
        &mut self,
        node: u32,
        x: &[f64],
        y: usize,
        role: LeafRole,
        error: Option<f64>,
    ) -> bool {
        let w = if self.params.bootstrap_sampling {
            f64::from(self.next_poisson().max(1))
        } else {
            1.0
        };
        let error = error.unwrap_or_else(|| self.error_of(node as usize, x, y));
        let cfg = &self.cfg;
        let AdaNode::Leaf(leaf) = &mut self.nodes[node as usize] else {
            return false;
        };
        leaf.monitor.observe(error);
        let learner = &mut leaf.learner;
        learner.learn(cfg, x, y, w);
        let weight_seen = learner.total_weight();
        if weight_seen - learner.last_split_attempt_at < cfg.grace_period {
            return false;
        }
        if learner.depth >= cfg.max_depth {
            if learner.is_active() {
                learner.deactivate();
                self.n_inactive += 1;
            }
            return false;
        }
        if !learner.is_active() {
            return false;
        }
        let decision = learner.attempt_split(cfg);
        learner.last_split_attempt_at = weight_seen;
        let depth = learner.depth;
        match decision {
            SplitDecision::Wait => false,
            SplitDecision::NullSplit => {
                learner.deactivate();
                self.n_inactive += 1;
                self.reactivate_leaves();
                false
            }
            SplitDecision::Split { .. } => {
                self.split_leaf(node, depth, &decision);
                let replaced = match role {
                    LeafRole::Main => false,
                    LeafRole::Alternate { owner, owner_slot } => {
                        if let AdaNode::Branch(b) = &mut self.nodes[owner as usize] {
                            b.alternate = None;
                        }
                        self.set_slot(owner_slot, node);
                        self.free_subtree(owner);
                        true
                    }
                };
                self.reactivate_leaves();
                replaced
            }
        }
    }

    /// The bootstrap draws River still makes below branch `node` after `node` was replaced by
    /// its alternate during this sample: River goes on learning the detached subtree along
    /// `x`'s path (one draw per alternate leaf on the path and one at the leaf). We drop that
    /// subtree at once, so we only consume its draws to keep the RNG stream in step. (Drift
    /// detected inside the detached path, which would draw once more, is not mirrored.)
    fn orphan_path_draws(&self, node: u32, x: &[f64]) -> u32 {
        let mut draws = 0;
        let AdaNode::Branch(b) = &self.nodes[node as usize] else {
            return 0;
        };
        let mut i = b.children[b.branch_of(x)] as usize;
        loop {
            match &self.nodes[i] {
                AdaNode::Branch(b) => {
                    draws += u32::from(b.alternate.is_some());
                    i = b.children[b.branch_of(x)] as usize;
                }
                AdaNode::Leaf(_) => return draws + 1,
                AdaNode::Free => return draws,
            }
        }
    }

    /// Consumes `n` bootstrap draws whose weights nobody uses (see `orphan_path_draws`).
    fn skip_draws(&mut self, n: u32) {
        if self.params.bootstrap_sampling {
            for _ in 0..n {
                self.next_poisson();
            }
        }
    }

    /// The drift step of branch `node` for main-path error `error`. Returns the alternate to
    /// learn next, or `Err(())` when the walk must stop (the branch was switched out).
    fn branch_drift_step(
        &mut self,
        node: u32,
        slot: Slot,
        error: f64,
        (x, y): (&[f64], usize),
    ) -> Result<Option<u32>, ()> {
        let AdaNode::Branch(b) = &mut self.nodes[node as usize] else {
            return Ok(None);
        };
        if b.monitor.observe(error) == ErrorChange::Worsened {
            b.monitor.reset_rate();
            let depth = b.depth;
            let old = b.alternate.take();
            if let Some(old) = old {
                self.free_subtree(old);
            }
            let leaf = self.new_leaf(depth, None);
            let alt = self.alloc(leaf);
            if let AdaNode::Branch(b) = &mut self.nodes[node as usize] {
                b.alternate = Some(alt);
            }
            self.n_alternates_created += 1;
            return Ok(Some(alt));
        }
        let Some(alt) = b.alternate else {
            return Ok(None);
        };
        let (n_obs, old_rate) = (b.monitor.n, b.monitor.rate);
        let (alt_n, alt_rate) = match &self.nodes[alt as usize] {
            AdaNode::Leaf(l) => (l.monitor.n, l.monitor.rate),
            _ => return Ok(Some(alt)),
        };
        let threshold = f64::from(self.params.drift_window_threshold);
        if !(alt_n > threshold && n_obs > threshold) {
            return Ok(Some(alt));
        }
        let n = 1.0 / alt_n + 1.0 / n_obs;
        let bound = (2.0 * old_rate * (1.0 - old_rate) * self.ln_switch * n).sqrt();
        if bound < old_rate - alt_rate {
            if let AdaNode::Branch(b) = &mut self.nodes[node as usize] {
                b.alternate = None;
            }
            let orphan_draws = self.orphan_path_draws(node, x);
            self.set_slot(slot, alt);
            self.free_subtree(node);
            self.n_switches += 1;
            // River keeps learning the new root with this sample, not a new inner subtree.
            if matches!(slot, Slot::Root) {
                self.learn_leaf(alt, x, y, LeafRole::Main, None);
            }
            self.skip_draws(orphan_draws);
            return Err(());
        }
        if bound < alt_rate - old_rate {
            if let AdaNode::Branch(b) = &mut self.nodes[node as usize] {
                b.alternate = None;
            }
            self.free_subtree(alt);
            self.n_pruned += 1;
            return Ok(None);
        }
        Ok(Some(alt))
    }
}

impl Classifier for HoeffdingAdaptiveTree {
    fn n_classes(&self) -> usize {
        self.cfg.n_classes
    }

    fn learn_one(&mut self, x: &[f64], y: usize) {
        debug_assert_eq!(x.len(), self.cfg.n_features);
        if y >= self.cfg.n_classes {
            return;
        }
        let main_error = self.error_of(self.sort_main(x), x, y);
        let mut node = self.root;
        let mut slot = Slot::Root;
        while let AdaNode::Branch(_) = &self.nodes[node as usize] {
            let alternate = match self.branch_drift_step(node, slot, main_error, (x, y)) {
                Ok(a) => a,
                Err(()) => return,
            };
            if let Some(alt) = alternate {
                let role = LeafRole::Alternate {
                    owner: node,
                    owner_slot: slot,
                };
                let orphan_draws = self.orphan_path_draws(node, x);
                if self.learn_leaf(alt, x, y, role, None) {
                    self.skip_draws(orphan_draws);
                    return;
                }
            }
            let AdaNode::Branch(b) = &self.nodes[node as usize] else {
                return;
            };
            let k = b.branch_of(x);
            slot = Slot::Child(node, k);
            node = b.children[k];
        }
        self.learn_leaf(node, x, y, LeafRole::Main, Some(main_error));
    }

    fn predict_proba_one(&self, x: &[f64], proba: &mut [f64]) {
        debug_assert_eq!(proba.len(), self.cfg.n_classes);
        proba.fill(0.0);
        let mut i = self.root as usize;
        loop {
            match &self.nodes[i] {
                AdaNode::Branch(b) => {
                    if let Some(AdaNode::Leaf(alt)) = b.alternate.map(|a| &self.nodes[a as usize]) {
                        alt.add_vote(&self.cfg, x, proba);
                    }
                    i = b.children[b.branch_of(x)] as usize;
                }
                AdaNode::Leaf(l) => {
                    l.add_vote(&self.cfg, x, proba);
                    break;
                }
                AdaNode::Free => break,
            }
        }
        let sum: f64 = proba.iter().sum();
        if sum > 0.0 && sum.is_finite() {
            proba.iter_mut().for_each(|p| *p /= sum);
        } else {
            proba.fill(1.0 / proba.len() as f64);
        }
    }
}
