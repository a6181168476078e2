//! Behaviour of the Hoeffding tree (VFDT): it learns, splits when the grace period says so,
//! respects its depth limit, its leaf predictors differ as designed, and it survives a serde
//! round trip unchanged.

use leadstream::learn::hoeffding::{HoeffdingTree, HoeffdingTreeParams, LeafPrediction};
use leadstream::learn::{Classifier, Hyperparams, ParamError};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// `n` samples of `d` features uniform in [0, 1), labelled by `label`.
fn stream(
    seed: u64,
    n: usize,
    d: usize,
    label: impl Fn(&[f64]) -> usize,
) -> Vec<(Vec<f64>, usize)> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let x: Vec<f64> = (0..d).map(|_| rng.random::<f64>()).collect();
            let y = label(&x);
            (x, y)
        })
        .collect()
}

/// Prequential (test-then-train) accuracy over the samples from `from` on.
fn prequential<C: Classifier>(model: &mut C, data: &[(Vec<f64>, usize)], from: usize) -> f64 {
    let mut correct = 0usize;
    for (i, (x, y)) in data.iter().enumerate() {
        if i >= from && model.predict_one(x) == *y {
            correct += 1;
        }
        model.learn_one(x, *y);
    }
    correct as f64 / (data.len() - from) as f64
}

fn build(params: HoeffdingTreeParams, d: usize) -> HoeffdingTree {
    params.build(d, 2).expect("valid params")
}

#[test]
fn learns_a_threshold_concept_to_high_accuracy() {
    let data = stream(1, 6000, 3, |x| usize::from(x[1] > 0.3));
    let mut tree = build(HoeffdingTreeParams::default(), 3);
    let acc = prequential(&mut tree, &data, 3000);
    assert!(acc > 0.97, "accuracy after warm-up {acc}");
    assert!(tree.n_leaves() >= 2, "the tree never split");
    assert_eq!(tree.predict_one(&[0.5, 0.9, 0.5]), 1);
    assert_eq!(tree.predict_one(&[0.5, 0.1, 0.5]), 0);
}

#[test]
fn splits_only_after_the_grace_period() {
    let data = stream(2, 400, 1, |x| usize::from(x[0] > 0.5));
    let params = HoeffdingTreeParams {
        grace_period: 100,
        ..Default::default()
    };
    let mut tree = build(params, 1);
    for (x, y) in &data[..99] {
        tree.learn_one(x, *y);
    }
    assert_eq!(tree.n_leaves(), 1, "split before the grace period");
    tree.learn_one(&data[99].0, data[99].1);
    assert_eq!(
        tree.n_leaves(),
        2,
        "no split at the first attempt on separable data"
    );
    assert_eq!(tree.depth(), 1);
}

#[test]
fn max_depth_is_respected() {
    // A checkerboard needs a deep tree.
    let board = |x: &[f64]| ((x[0] * 4.0) as usize + (x[1] * 4.0) as usize) % 2;
    let data = stream(3, 30_000, 2, board);
    let limited = HoeffdingTreeParams {
        max_depth: Some(2),
        grace_period: 50,
        ..Default::default()
    };
    let mut tree = build(limited, 2);
    prequential(&mut tree, &data, 0);
    assert!(tree.depth() <= 2, "depth {}", tree.depth());
    assert!(tree.n_inactive_leaves() > 0);

    let mut free = build(
        HoeffdingTreeParams {
            grace_period: 50,
            ..Default::default()
        },
        2,
    );
    prequential(&mut free, &data, 0);
    assert!(
        free.depth() > 2,
        "unlimited tree stayed at depth {}",
        free.depth()
    );
}

/// One leaf (no split possible within the stream), two Gaussian classes along x.
fn gaussian_classes(seed: u64, n: usize) -> Vec<(Vec<f64>, usize)> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let y = usize::from(rng.random::<f64>() < 0.4);
            // Sum of 12 uniforms - 6: approximately N(0, 1).
            let noise: f64 = (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0;
            (vec![noise + 3.0 * y as f64], y)
        })
        .collect()
}

fn single_leaf(leaf_prediction: LeafPrediction) -> HoeffdingTree {
    build(
        HoeffdingTreeParams {
            leaf_prediction,
            grace_period: 1_000_000,
            ..Default::default()
        },
        1,
    )
}

#[test]
fn majority_class_ignores_features_and_naive_bayes_uses_them() {
    let data = gaussian_classes(4, 4000);
    let mut mc = single_leaf(LeafPrediction::MajorityClass);
    let mut nb = single_leaf(LeafPrediction::NaiveBayes);
    let mut nba = single_leaf(LeafPrediction::NaiveBayesAdaptive);
    let acc_mc = prequential(&mut mc, &data, 500);
    let acc_nb = prequential(&mut nb, &data, 500);
    let acc_nba = prequential(&mut nba, &data, 500);
    // mc predicts the 60% class everywhere; nb separates means 3 sigma apart (~93%).
    assert!((0.55..0.65).contains(&acc_mc), "mc {acc_mc}");
    assert!(acc_nb > 0.9, "nb {acc_nb}");
    assert!(acc_nba > 0.9, "nba {acc_nba} should follow nb here");
    let (mut lo, mut hi) = ([0.0; 2], [0.0; 2]);
    mc.predict_proba_one(&[-5.0], &mut lo);
    mc.predict_proba_one(&[8.0], &mut hi);
    assert_eq!(lo, hi, "majority class must not depend on x");
    assert_eq!(nb.predict_one(&[-5.0]), 0);
    assert_eq!(nb.predict_one(&[8.0]), 1);
}

#[test]
fn naive_bayes_falls_back_to_majority_class_below_nb_threshold() {
    let data = gaussian_classes(5, 2000);
    let mut mc = single_leaf(LeafPrediction::MajorityClass);
    let mut gated = build(
        HoeffdingTreeParams {
            leaf_prediction: LeafPrediction::NaiveBayes,
            nb_threshold: 1_000_000,
            grace_period: 1_000_000,
            ..Default::default()
        },
        1,
    );
    let (mut p, mut q) = ([0.0; 2], [0.0; 2]);
    for (x, y) in &data {
        mc.predict_proba_one(x, &mut p);
        gated.predict_proba_one(x, &mut q);
        assert_eq!(p, q);
        mc.learn_one(x, *y);
        gated.learn_one(x, *y);
    }
}

#[test]
fn probabilities_are_valid_and_uniform_before_learning() {
    let tree = build(HoeffdingTreeParams::default(), 2);
    let mut p = [0.0; 2];
    tree.predict_proba_one(&[0.1, 0.2], &mut p);
    assert_eq!(p, [0.5, 0.5]);
    let data = stream(6, 3000, 2, |x| usize::from(x[0] + x[1] > 1.0));
    let mut tree = build(
        HoeffdingTreeParams {
            grace_period: 50,
            ..Default::default()
        },
        2,
    );
    for (x, y) in &data {
        tree.predict_proba_one(x, &mut p);
        assert!(p.iter().all(|v| v.is_finite() && *v >= 0.0), "{p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{p:?}");
        tree.learn_one(x, *y);
    }
}

#[test]
fn serde_round_trip_gives_identical_predictions_and_learning() {
    let data = stream(7, 4000, 3, |x| usize::from(x[0] > 0.5 && x[2] < 0.7));
    let mut tree = build(
        HoeffdingTreeParams {
            grace_period: 50,
            ..Default::default()
        },
        3,
    );
    for (x, y) in &data[..2000] {
        tree.learn_one(x, *y);
    }
    let json = serde_json::to_string(&tree).expect("serialize");
    let mut copy: HoeffdingTree = serde_json::from_str(&json).expect("deserialize");
    let (mut p, mut q) = ([0.0; 2], [0.0; 2]);
    for (x, y) in &data[2000..] {
        tree.predict_proba_one(x, &mut p);
        copy.predict_proba_one(x, &mut q);
        assert_eq!(tree.predict_one(x), copy.predict_one(x));
        assert!((p[0] - q[0]).abs() < 1e-12, "{p:?} vs {q:?}");
        tree.learn_one(x, *y);
        copy.learn_one(x, *y);
    }
    assert_eq!(tree.n_nodes(), copy.n_nodes());
}

#[test]
fn hyperparameters_use_river_names_and_are_validated() {
    let mut p = HoeffdingTreeParams::default();
    p.set("max_depth", "none").unwrap();
    assert_eq!(p.max_depth, None);
    p.set("max_depth", "4").unwrap();
    assert_eq!(p.max_depth, Some(4));
    p.set("leaf_prediction", "mc").unwrap();
    assert_eq!(p.leaf_prediction, LeafPrediction::MajorityClass);
    assert!(matches!(
        p.set("leaf_prediction", "knn"),
        Err(ParamError::InvalidValue { .. })
    ));
    assert!(matches!(
        p.set("max_size", "100"),
        Err(ParamError::UnknownKey { .. })
    ));
    let bad_delta = HoeffdingTreeParams {
        delta: 1.5,
        ..Default::default()
    };
    assert!(bad_delta.build(2, 2).is_err());
    assert!(HoeffdingTreeParams::default().build(2, 1).is_err());
    assert!(HoeffdingTreeParams::default().build(0, 2).is_err());
}

#[test]
fn non_finite_features_do_not_poison_the_model() {
    let data = stream(8, 3000, 2, |x| usize::from(x[0] > 0.5));
    let mut tree = build(
        HoeffdingTreeParams {
            grace_period: 50,
            ..Default::default()
        },
        2,
    );
    for (i, (x, y)) in data.iter().enumerate() {
        let mut x = x.clone();
        if i % 7 == 0 {
            x[1] = if i % 2 == 0 { f64::NAN } else { f64::INFINITY };
        }
        tree.learn_one(&x, *y);
    }
    let mut p = [0.0; 2];
    tree.predict_proba_one(&[0.9, f64::NAN], &mut p);
    assert!(p.iter().all(|v| v.is_finite()), "{p:?}");
    assert_eq!(tree.predict_one(&[0.9, 0.3]), 1);
    assert_eq!(tree.predict_one(&[0.1, 0.3]), 0);
}
