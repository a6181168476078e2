//! The learning leaf shared by both Hoeffding trees: class weights, Gaussian attribute observers,
//! the naive Bayes adaptive counters, its predictions and its split search.
//!
//! What it is for: everything River's `LeafMajorityClass` / `LeafNaiveBayes` /
//! `LeafNaiveBayesAdaptive` and `GaussianSplitter` do, on flat arrays (observers are
//! `[feature][class]`), so learning and predicting never allocate.
//! What it is not: tree structure, depth limits or drift handling (see `tree.rs`, `adaptive.rs`).

use serde::{Deserialize, Serialize};

use super::gaussian_observer::{ClassGaussian, HALF_LOG_TAU};
use super::params::{LeafPrediction, TreeConfig};
use crate::learn::MAX_CLASSES;

/// Class weights for one side of a split, as River's dictionary: `weights[i]` belongs to class
/// `classes[i]`, in insertion order, for `i < len`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildStats {
    weights: [f64; MAX_CLASSES],
    classes: [u8; MAX_CLASSES],
    len: usize,
}

impl ChildStats {
    const EMPTY: Self = Self {
        weights: [0.0; MAX_CLASSES],
        classes: [0; MAX_CLASSES],
        len: 0,
    };

    fn push(&mut self, class: usize, weight: f64) {
        self.weights[self.len] = weight;
        self.classes[self.len] = class as u8;
        self.len += 1;
    }

    /// The weights, in insertion order.
    fn values(&self) -> &[f64] {
        &self.weights[..self.len]
    }
}

/// What a split attempt decided.
// Returned by value once per grace period and consumed at once; boxing would allocate for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum SplitDecision {
    /// Not enough evidence yet (or a pure leaf): keep learning.
    Wait,
    /// The "no split" candidate won (or the majority class dominates): River deactivates the leaf.
    NullSplit,
    /// Split on `feature <= threshold`.
    Split {
        feature: u32,
        threshold: f64,
        left: ChildStats,
        right: ChildStats,
    },
}

/// A leaf that learns.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LeafLearner {
    /// Weight per class.
    stats: Vec<f64>,
    /// Bit `c` set when class `c` is a key of River's stats dictionary (seen, or inherited).
    present: u64,
    /// The keys of River's stats dictionary in insertion order: sums and ties follow it.
    order: Vec<u8>,
    total: f64,
    /// `n_features * n_classes` observers, empty while inactive.
    observers: Vec<ClassGaussian>,
    /// Classes in the order the observers first saw them since activation (River's splitter
    /// dictionaries), and the same set as bits.
    observed_order: Vec<u8>,
    observed: u64,
    active: bool,
    pub(crate) depth: u32,
    pub(crate) last_split_attempt_at: f64,
    mc_correct: f64,
    nb_correct: f64,
}

/// The class of `order` with the largest value; the earliest in `order` on ties (Python's `max`).
fn argmax_ordered(values: &[f64], order: &[u8]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for &c in order {
        let c = usize::from(c);
        if best.is_none_or(|b| values[c] > values[b]) {
            best = Some(c);
        }
    }
    best
}

/// The sum of `values` over the classes of `order`, in that order (as Python sums a dictionary).
fn sum_ordered(values: &[f64], order: &[u8]) -> f64 {
    order.iter().map(|&c| values[usize::from(c)]).sum()
}

impl LeafLearner {
    /// A new active leaf at `depth` holding the `initial` class weights.
    pub(crate) fn new(cfg: &TreeConfig, depth: u32, initial: Option<&ChildStats>) -> Self {
        let mut stats = vec![0.0; cfg.n_classes];
        let mut present = 0u64;
        let mut order = Vec::with_capacity(cfg.n_classes);
        if let Some(init) = initial {
            for (&c, &w) in init.classes[..init.len].iter().zip(init.values()) {
                stats[usize::from(c)] = w;
                present |= 1 << c;
                order.push(c);
            }
        }
        let total = sum_ordered(&stats, &order);
        Self {
            stats,
            present,
            order,
            total,
            observers: vec![ClassGaussian::default(); cfg.n_features * cfg.n_classes],
            observed_order: Vec::with_capacity(cfg.n_classes),
            observed: 0,
            active: true,
            depth,
            last_split_attempt_at: total,
            mc_correct: 0.0,
            nb_correct: 0.0,
        }
    }

    /// Total weight seen (including the weight inherited at creation).
    pub(crate) fn total_weight(&self) -> f64 {
        self.total
    }

    /// Whether the leaf still updates its observers and may split.
    pub(crate) fn is_active(&self) -> bool {
        self.active
    }

    /// Whether any class is known at this leaf (River: the stats dictionary is non-empty).
    pub(crate) fn has_stats(&self) -> bool {
        self.present != 0
    }

    /// The class with the largest value of `dist` among the known classes (lowest index on ties),
    /// `None` when no class is known.
    pub(crate) fn argmax_known(&self, dist: &[f64]) -> Option<usize> {
        argmax_ordered(dist, &self.order)
    }

    /// Stops observing attributes and frees the observers.
    pub(crate) fn deactivate(&mut self) {
        self.active = false;
        self.observers = Vec::new();
        self.observed_order.clear();
        self.observed = 0;
    }

    /// Starts observing again with fresh observers (River's `activate` makes new splitters).
    pub(crate) fn activate(&mut self, cfg: &TreeConfig) {
        if !self.active {
            self.active = true;
            self.observers = vec![ClassGaussian::default(); cfg.n_features * cfg.n_classes];
        }
    }

    /// Learns sample `(x, y)` with weight `w`: updates the naive Bayes adaptive counters (from
    /// predictions made before the update), the class weights and, if active, the observers.
    pub(crate) fn learn(&mut self, cfg: &TreeConfig, x: &[f64], y: usize, w: f64) {
        if self.active && cfg.leaf_prediction == LeafPrediction::NaiveBayesAdaptive {
            let mut buf = [0.0; MAX_CLASSES];
            let proba = &mut buf[..cfg.n_classes];
            if self.present == 0 || argmax_ordered(&self.stats, &self.order) == Some(y) {
                self.mc_correct += w;
            }
            if self.naive_bayes(cfg, x, proba) && argmax_ordered(proba, &self.order) == Some(y) {
                self.nb_correct += w;
            }
        }
        self.stats[y] += w;
        if self.present & (1 << y) == 0 {
            self.present |= 1 << y;
            self.order.push(y as u8);
        }
        // River sums the class weights each time; a running total rounds differently and moves
        // split attempts by a sample when inherited weights are fractional.
        self.total = sum_ordered(&self.stats, &self.order);
        if self.active {
            if self.observed & (1 << y) == 0 {
                self.observed |= 1 << y;
                self.observed_order.push(y as u8);
            }
            let with_density = cfg.leaf_prediction != LeafPrediction::MajorityClass;
            for (per_class, &v) in self.observers.chunks_exact_mut(cfg.n_classes).zip(x) {
                if let (Some(g), true) = (per_class.get_mut(y), v.is_finite()) {
                    g.update(v, w, with_density);
                }
            }
        }
    }

    /// Majority class prediction: the class weights normalised over the known classes. Returns
    /// `false` (leaving `out` zero) when they sum to zero.
    pub(crate) fn majority_class(&self, out: &mut [f64]) -> bool {
        out.fill(0.0);
        if self.total <= 0.0 {
            return false;
        }
        for (o, &s) in out.iter_mut().zip(&self.stats) {
            *o = s / self.total;
        }
        true
    }

    /// Gaussian naive Bayes over the known classes (River's `do_naive_bayes_prediction`, whose
    /// quirks are kept: a known class with zero weight gets log-vote 0, and undefined densities
    /// are skipped). Returns `false` (leaving `out` zero) when the leaf has no weight.
    pub(crate) fn naive_bayes(&self, cfg: &TreeConfig, x: &[f64], out: &mut [f64]) -> bool {
        out.fill(0.0);
        if self.present == 0 || self.total == 0.0 {
            return false;
        }
        let nc = cfg.n_classes;
        let mut max_ll = f64::NEG_INFINITY;
        for (c, slot) in out.iter_mut().enumerate() {
            if self.present & (1 << c) == 0 {
                continue;
            }
            let weight = self.stats[c];
            let mut vote = 0.0;
            if weight > 0.0 {
                let prior = weight / self.total;
                // vote = ln(prior) + sum_f [kernel_f - ln(2π)/2 - ln(var_f)/2], with the
                // logarithms folded into one when the product stays in range.
                let mut kernels = 0.0;
                let mut var_product = 1.0;
                let mut n_terms = 0u32;
                if !self.observers.is_empty() {
                    for (per_class, &v) in self.observers.chunks_exact(nc).zip(x) {
                        let g = &per_class[c];
                        if g.has_density() && v.is_finite() {
                            kernels += g.log_kernel(v);
                            var_product *= g.density_var;
                            n_terms += 1;
                        }
                    }
                }
                let scaled = prior / var_product.sqrt();
                let log_scaled = if scaled.is_normal() && var_product.is_normal() {
                    scaled.ln()
                } else {
                    self.log_prior_over_sd(c, prior, x)
                };
                vote = log_scaled + kernels - f64::from(n_terms) * HALF_LOG_TAU;
            }
            *slot = vote;
            max_ll = max_ll.max(vote);
        }
        if !max_ll.is_finite() {
            // Every log-likelihood overflowed (or is NaN): the votes carry no information, so
            // fall back to the class frequencies rather than normalising inf - inf.
            return self.majority_class(out);
        }
        let mut sum = 0.0;
        for &c in &self.order {
            let slot = &mut out[usize::from(c)];
            *slot = (*slot - max_ll).exp();
            sum += *slot;
        }
        if !(sum > 0.0 && sum.is_finite()) {
            return self.majority_class(out);
        }
        for o in out.iter_mut() {
            *o /= sum;
        }
        true
    }

    /// `ln(prior) - sum_f ln(var_f) / 2` term by term, for variance products out of range.
    fn log_prior_over_sd(&self, c: usize, prior: f64, x: &[f64]) -> f64 {
        let nc = self.stats.len();
        let mut acc = prior.ln();
        for (per_class, &v) in self.observers.chunks_exact(nc).zip(x) {
            let g = &per_class[c];
            if g.has_density() && v.is_finite() {
                acc -= 0.5 * g.density_var.ln();
            }
        }
        acc
    }

    /// The leaf's class probabilities under the tree's leaf predictor, as River's
    /// `HoeffdingTreeClassifier`. Returns `false` (leaving `out` zero) when the leaf has none.
    pub(crate) fn predict(&self, cfg: &TreeConfig, x: &[f64], out: &mut [f64]) -> bool {
        let use_nb = self.active
            && match cfg.leaf_prediction {
                LeafPrediction::MajorityClass => false,
                LeafPrediction::NaiveBayes => self.total >= cfg.nb_threshold,
                LeafPrediction::NaiveBayesAdaptive => self.nb_correct >= self.mc_correct,
            };
        if use_nb {
            self.naive_bayes(cfg, x, out)
        } else {
            self.majority_class(out)
        }
    }

    /// Whether fewer than two classes have non-zero weight.
    fn is_pure(&self) -> bool {
        self.stats.iter().filter(|&&s| s != 0.0).count() < 2
    }

    /// Writes the class weights each side of `feature <= threshold` is expected to receive into
    /// `left` and `right`, in the observers' class order (River's `_class_dists_from_binary_split`).
    fn fill_children(
        &self,
        nc: usize,
        feature: usize,
        threshold: f64,
        left: &mut ChildStats,
        right: &mut ChildStats,
    ) {
        left.len = 0;
        right.len = 0;
        let observers = &self.observers[feature * nc..(feature + 1) * nc];
        for &c in &self.observed_order {
            let c = usize::from(c);
            let g = &observers[c];
            if g.n == 0.0 {
                continue;
            }
            if threshold < g.min {
                right.push(c, g.n);
            } else if threshold >= g.max {
                left.push(c, g.n);
            } else {
                let l = g.cdf(threshold) * g.n;
                left.push(c, l);
                right.push(c, g.n - l);
            }
        }
    }

    /// The best threshold of one feature and its merit; `None` when no candidate is valid.
    fn best_threshold(
        &self,
        cfg: &TreeConfig,
        feature: usize,
        pre_term: f64,
    ) -> Option<(f64, f64)> {
        let nc = cfg.n_classes;
        let obs = &self.observers[feature * nc..(feature + 1) * nc];
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for g in obs.iter().filter(|g| g.n != 0.0) {
            lo = lo.min(g.min);
            hi = hi.max(g.max);
        }
        if lo == f64::INFINITY {
            return None;
        }
        let bin = (hi - lo) / (f64::from(cfg.n_splits) + 1.0);
        let mut best: Option<(f64, f64)> = None;
        let (mut left, mut right) = (ChildStats::EMPTY, ChildStats::EMPTY);
        for i in 0..cfg.n_splits {
            let threshold = lo + bin * f64::from(i + 1);
            if !(lo < threshold && threshold < hi) {
                continue;
            }
            self.fill_children(nc, feature, threshold, &mut left, &mut right);
            let merit = cfg.criterion.merit(
                pre_term,
                left.values(),
                right.values(),
                cfg.min_branch_fraction,
            );
            if merit > best.map_or(f64::NEG_INFINITY, |b| b.0) {
                best = Some((merit, threshold));
            }
        }
        best
    }

    /// River's split attempt: candidates are the best threshold of each feature plus, with merit
    /// pre-pruning, the null split; the best wins if it beats the second best by the Hoeffding
    /// bound or the bound is below `tau`. Ties between equal merits go to the later candidate, as
    /// River's stable sort does.
    pub(crate) fn attempt_split(&self, cfg: &TreeConfig) -> SplitDecision {
        if self.is_pure() {
            return SplitDecision::Wait;
        }
        let majority = self.stats.iter().copied().fold(0.0, f64::max);
        if majority > 0.0 && majority / self.total > cfg.max_share_to_split {
            return SplitDecision::NullSplit;
        }
        if !self.active {
            return SplitDecision::Wait;
        }
        let mut pre = [0.0; MAX_CLASSES];
        for (p, &c) in pre.iter_mut().zip(&self.order) {
            *p = self.stats[usize::from(c)];
        }
        let pre_term = cfg.criterion.pre_split_term(&pre[..self.order.len()]);
        // (merit, feature) of the best candidate so far; feature None is the null split.
        let mut best: Option<(f64, Option<(usize, f64)>)> = None;
        let mut second = f64::NEG_INFINITY;
        let mut n_candidates = 0usize;
        let mut consider = |merit: f64, split: Option<(usize, f64)>| {
            n_candidates += 1;
            match best {
                Some((m, _)) if merit < m => second = second.max(merit),
                Some((m, _)) => {
                    second = m;
                    best = Some((merit, split));
                }
                None => best = Some((merit, split)),
            }
        };
        if cfg.merit_preprune {
            consider(f64::NEG_INFINITY, None);
        }
        for f in 0..cfg.n_features {
            match self.best_threshold(cfg, f, pre_term) {
                Some((merit, threshold)) => consider(merit, Some((f, threshold))),
                None => consider(f64::NEG_INFINITY, None),
            }
        }
        let Some((best_merit, split)) = best else {
            return SplitDecision::Wait;
        };
        let should_split = if n_candidates < 2 {
            true
        } else {
            let range = cfg.criterion.range_of_merit(self.order.len() as u32);
            let bound = cfg.hoeffding_bound(range, self.total);
            best_merit - second > bound || bound < cfg.tau
        };
        if !should_split {
            return SplitDecision::Wait;
        }
        match split {
            None => SplitDecision::NullSplit,
            Some((feature, threshold)) => {
                let (mut left, mut right) = (ChildStats::EMPTY, ChildStats::EMPTY);
                self.fill_children(cfg.n_classes, feature, threshold, &mut left, &mut right);
                SplitDecision::Split {
                    feature: feature as u32,
                    threshold,
                    left,
                    right,
                }
            }
        }
    }
}
