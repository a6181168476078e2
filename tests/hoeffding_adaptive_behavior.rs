//! Behaviour of the Hoeffding Adaptive Tree: it recovers from an abrupt concept flip faster than
//! VFDT, is reproducible for a seed, and survives a serde round trip unchanged.

use leadstream::learn::hoeffding::{
    HoeffdingAdaptiveTree, HoeffdingAdaptiveTreeParams, HoeffdingTreeParams,
};
use leadstream::learn::{Classifier, Hyperparams};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// 3 uniform features; the label is `x0 + x1 > 1`, inverted from sample `flip_at` on.
fn flipping_stream(seed: u64, n: usize, flip_at: usize) -> Vec<(Vec<f64>, usize)> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let x: Vec<f64> = (0..3).map(|_| rng.random::<f64>()).collect();
            let above = x[0] + x[1] > 1.0;
            (x, usize::from(above != (i >= flip_at)))
        })
        .collect()
}

/// Prequential accuracy over `window` (a range of sample indices), learning on everything.
fn windowed_accuracy<C: Classifier>(
    model: &mut C,
    data: &[(Vec<f64>, usize)],
    window: std::ops::Range<usize>,
) -> f64 {
    let mut correct = 0usize;
    for (i, (x, y)) in data.iter().enumerate() {
        if window.contains(&i) && model.predict_one(x) == *y {
            correct += 1;
        }
        model.learn_one(x, *y);
    }
    correct as f64 / window.len() as f64
}

fn hat(seed: u64) -> HoeffdingAdaptiveTree {
    HoeffdingAdaptiveTreeParams {
        seed,
        ..Default::default()
    }
    .build(3, 2)
    .expect("valid params")
}

#[test]
fn recovers_from_an_abrupt_flip_faster_than_vfdt() {
    let flip = 10_000;
    let data = flipping_stream(11, 14_000, flip);
    let window = flip..flip + 4000;
    let mut vfdt = HoeffdingTreeParams::default().build(3, 2).expect("valid");
    let mut adaptive = hat(11);
    let acc_vfdt = windowed_accuracy(&mut vfdt, &data, window.clone());
    let acc_hat = windowed_accuracy(&mut adaptive, &data, window);
    println!("after the flip: HAT {acc_hat:.4}, VFDT {acc_vfdt:.4}");
    assert!(adaptive.n_alternate_trees() >= 1, "no drift reaction");
    assert!(acc_hat > 0.85, "HAT after the flip {acc_hat}");
    assert!(
        acc_hat > acc_vfdt + 0.1,
        "HAT {acc_hat} not clearly better than VFDT {acc_vfdt}"
    );
}

#[test]
fn equal_seeds_give_equal_models_and_different_seeds_differ() {
    let data = flipping_stream(12, 6000, 3000);
    let (mut a, mut b, mut c) = (hat(5), hat(5), hat(6));
    let (mut pa, mut pb, mut pc) = ([0.0; 2], [0.0; 2], [0.0; 2]);
    let mut differs = false;
    for (x, y) in &data {
        a.predict_proba_one(x, &mut pa);
        b.predict_proba_one(x, &mut pb);
        c.predict_proba_one(x, &mut pc);
        assert_eq!(pa, pb);
        differs |= pa != pc;
        a.learn_one(x, *y);
        b.learn_one(x, *y);
        c.learn_one(x, *y);
    }
    assert!(differs, "the seed has no effect on bootstrap sampling");
    assert_eq!(a.n_nodes(), b.n_nodes());
}

#[test]
fn without_bootstrap_the_seed_is_irrelevant() {
    let data = flipping_stream(13, 3000, 1500);
    let build = |seed| {
        HoeffdingAdaptiveTreeParams {
            seed,
            bootstrap_sampling: false,
            ..Default::default()
        }
        .build(3, 2)
        .expect("valid")
    };
    let (mut a, mut b) = (build(1), build(2));
    for (x, y) in &data {
        assert_eq!(a.predict_one(x), b.predict_one(x));
        a.learn_one(x, *y);
        b.learn_one(x, *y);
    }
}

#[test]
fn serde_round_trip_gives_identical_predictions_and_learning() {
    let data = flipping_stream(14, 8000, 4000);
    let mut tree = hat(3);
    for (x, y) in &data[..4500] {
        tree.learn_one(x, *y);
    }
    let json = serde_json::to_string(&tree).expect("serialize");
    let mut copy: HoeffdingAdaptiveTree = serde_json::from_str(&json).expect("deserialize");
    let (mut p, mut q) = ([0.0; 2], [0.0; 2]);
    for (x, y) in &data[4500..] {
        tree.predict_proba_one(x, &mut p);
        copy.predict_proba_one(x, &mut q);
        assert_eq!(tree.predict_one(x), copy.predict_one(x));
        assert!((p[0] - q[0]).abs() < 1e-12, "{p:?} vs {q:?}");
        tree.learn_one(x, *y);
        copy.learn_one(x, *y);
    }
    assert_eq!(tree.n_alternate_trees(), copy.n_alternate_trees());
    assert_eq!(tree.n_nodes(), copy.n_nodes());
}

#[test]
fn probabilities_are_valid() {
    let data = flipping_stream(15, 6000, 3000);
    let mut tree = hat(9);
    let mut p = [0.0; 2];
    for (x, y) in &data {
        tree.predict_proba_one(x, &mut p);
        assert!(p.iter().all(|v| v.is_finite() && *v >= 0.0), "{p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{p:?}");
        tree.learn_one(x, *y);
    }
}

#[test]
fn hyperparameters_include_the_tree_keys() {
    let mut p = HoeffdingAdaptiveTreeParams::default();
    p.set("grace_period", "30").unwrap();
    p.set("switch_significance", "0.01").unwrap();
    p.set("bootstrap_sampling", "false").unwrap();
    assert_eq!(p.tree.grace_period, 30);
    assert!(!p.bootstrap_sampling);
    assert!(p.set("nope", "1").is_err());
    let bad = HoeffdingAdaptiveTreeParams {
        adwin_delta: 0.0,
        ..Default::default()
    };
    assert!(bad.build(2, 2).is_err());
}

#[test]
fn max_depth_is_respected() {
    let mut rng = Pcg64Mcg::seed_from_u64(16);
    let mut tree = HoeffdingAdaptiveTreeParams {
        tree: HoeffdingTreeParams {
            max_depth: Some(2),
            grace_period: 50,
            ..Default::default()
        },
        ..Default::default()
    }
    .build(2, 2)
    .expect("valid");
    for _ in 0..30_000 {
        let x = [rng.random::<f64>(), rng.random::<f64>()];
        // A checkerboard needs a deep tree.
        let y = ((x[0] * 4.0) as usize + (x[1] * 4.0) as usize) % 2;
        tree.learn_one(&x, y);
    }
    assert!(tree.n_leaves() >= 3, "the tree barely grew");
    assert!(tree.depth() <= 2, "depth {}", tree.depth());
}
