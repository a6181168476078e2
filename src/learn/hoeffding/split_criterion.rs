//! Split merit functions: information gain and Gini, with River's `min_branch_fraction` rule.
//!
//! What it is for: scoring a binary split given the class weights before and on each side.
//! What it is not: choosing candidates or applying the Hoeffding bound (see `leaf.rs`).

use super::params::SplitCriterion;

/// Entropy in bits of a class-weight vector; 0 for an empty one.
fn entropy(dist: &[f64]) -> f64 {
    let mut h = 0.0;
    let mut sum = 0.0;
    for &d in dist {
        if d > 0.0 {
            h -= d * d.log2();
            sum += d;
        }
    }
    if sum > 0.0 {
        (h + sum * sum.log2()) / sum
    } else {
        0.0
    }
}

/// Gini impurity of a class-weight vector with total `sum`; 1 for an empty one (as River).
fn gini(dist: &[f64], sum: f64) -> f64 {
    let mut g = 1.0;
    if sum != 0.0 {
        for &v in dist {
            let f = v / sum;
            g -= f * f;
        }
    }
    g
}

impl SplitCriterion {
    /// The merit of splitting `pre` (whose entropy is `pre_entropy`) into `left` and `right`;
    /// `-inf` unless both sides hold more than `min_branch_fraction` of the weight.
    pub(crate) fn merit(
        self,
        pre_entropy: f64,
        left: &[f64],
        right: &[f64],
        min_branch_fraction: f64,
    ) -> f64 {
        let wl: f64 = left.iter().sum();
        let wr: f64 = right.iter().sum();
        let total = wl + wr;
        if total <= 0.0 || wl / total <= min_branch_fraction || wr / total <= min_branch_fraction {
            return f64::NEG_INFINITY;
        }
        match self {
            Self::InfoGain => pre_entropy - (wl * entropy(left) + wr * entropy(right)) / total,
            Self::Gini => 1.0 - ((wl / total) * gini(left, wl) + (wr / total) * gini(right, wr)),
        }
    }

    /// The term the merit depends on before the split (entropy for info gain; unused for Gini).
    pub(crate) fn pre_split_term(self, pre: &[f64]) -> f64 {
        match self {
            Self::InfoGain => entropy(pre),
            Self::Gini => 0.0,
        }
    }

    /// The range of the merit, `R` in the Hoeffding bound: `log2(max(classes seen, 2))` bits for
    /// information gain, 1 for Gini.
    pub(crate) fn range_of_merit(self, n_classes_seen: u32) -> f64 {
        match self {
            Self::InfoGain => f64::from(n_classes_seen.max(2)).log2(),
            Self::Gini => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_split_gains_the_whole_entropy() {
        let pre = [50.0, 50.0];
        let c = SplitCriterion::InfoGain;
        let m = c.merit(c.pre_split_term(&pre), &[50.0, 0.0], &[0.0, 50.0], 0.01);
        assert!((m - 1.0).abs() < 1e-12);
        let g = SplitCriterion::Gini.merit(0.0, &[50.0, 0.0], &[0.0, 50.0], 0.01);
        assert!((g - 1.0).abs() < 1e-12);
    }

    #[test]
    fn tiny_branch_is_refused() {
        let c = SplitCriterion::InfoGain;
        let m = c.merit(1.0, &[0.5, 0.0], &[49.5, 50.0], 0.01);
        assert_eq!(m, f64::NEG_INFINITY);
    }
}
