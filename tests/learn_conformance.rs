//! One conformance suite, run over every classifier (River's `checks/` plus a serde round trip).
//!
//! Each check is a generic function over a [`Case`]: how to build the learner from a seed, and
//! how many classes it handles. The `conformance!` macro instantiates every check for a learner,
//! so adding a learner means adding one line at the bottom.
//!
//! River's "inputs untouched" check needs no test here: `learn_one` and `predict_proba_one` take
//! `&[f64]`, so the compiler forbids a learner from changing its input. River's "feature order
//! irrelevant" does not apply to dense, positional features.

use leadstream::learn::hoeffding::{HoeffdingAdaptiveTreeParams, HoeffdingTreeParams};
use leadstream::learn::logistic::LogisticRegressionParams;
use leadstream::learn::Classifier;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::de::DeserializeOwned;
use serde::Serialize;

const N_FEATURES: usize = 3;

/// A learner under test.
trait Case {
    type Model: Classifier + Clone + Serialize + DeserializeOwned + std::fmt::Debug;
    /// Classes the learner is checked with (logistic regression is binary).
    const N_CLASSES: usize;
    fn build(seed: u64) -> Self::Model;
}

struct HoeffdingTreeCase;
impl Case for HoeffdingTreeCase {
    type Model = leadstream::learn::hoeffding::HoeffdingTree;
    const N_CLASSES: usize = 3;
    fn build(_seed: u64) -> Self::Model {
        // Split early so short streams exercise split nodes, not just one leaf.
        HoeffdingTreeParams {
            grace_period: 50,
            ..HoeffdingTreeParams::default()
        }
        .build(N_FEATURES, Self::N_CLASSES)
        .expect("valid params")
    }
}

struct HoeffdingAdaptiveTreeCase;
impl Case for HoeffdingAdaptiveTreeCase {
    type Model = leadstream::learn::hoeffding::HoeffdingAdaptiveTree;
    const N_CLASSES: usize = 3;
    fn build(seed: u64) -> Self::Model {
        let mut params = HoeffdingAdaptiveTreeParams {
            seed,
            ..HoeffdingAdaptiveTreeParams::default()
        };
        params.tree.grace_period = 50;
        params
            .build(N_FEATURES, Self::N_CLASSES)
            .expect("valid params")
    }
}

struct LogisticCase;
impl Case for LogisticCase {
    type Model = leadstream::learn::logistic::LogisticRegression;
    const N_CLASSES: usize = 2;
    fn build(_seed: u64) -> Self::Model {
        LogisticRegressionParams::default()
            .build(N_FEATURES, Self::N_CLASSES)
            .expect("valid params")
    }
}

/// A learnable stream: the class follows x0 + x1 thresholds, x2 is noise, 5% labels flipped.
fn stream(n: usize, n_classes: usize, seed: u64) -> Vec<([f64; N_FEATURES], usize)> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let x = [
                rng.random_range(0.0..10.0),
                rng.random_range(0.0..10.0),
                rng.random_range(-1.0..1.0),
            ];
            let mut y = (((x[0] + x[1]) / 20.0 * n_classes as f64) as usize).min(n_classes - 1);
            if rng.random_bool(0.05) {
                y = (y + 1) % n_classes;
            }
            (x, y)
        })
        .collect()
}

fn proba<M: Classifier>(model: &M, x: &[f64]) -> Vec<f64> {
    let mut p = vec![0.0; model.n_classes()];
    model.predict_proba_one(x, &mut p);
    p
}

fn assert_valid(p: &[f64], context: &str) {
    for v in p {
        assert!(v.is_finite() && (0.0..=1.0).contains(v), "{context}: {p:?}");
    }
    let sum: f64 = p.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9, "{context}: sum {sum} of {p:?}");
}

/// Predictions on `probes`, compared bit for bit.
fn fingerprint<M: Classifier>(model: &M, probes: &[([f64; N_FEATURES], usize)]) -> Vec<u64> {
    probes
        .iter()
        .flat_map(|(x, _)| proba(model, x))
        .map(f64::to_bits)
        .collect()
}

fn check_probabilities_valid<C: Case>() {
    let mut model = C::build(1);
    for (i, (x, y)) in stream(2000, C::N_CLASSES, 1).iter().enumerate() {
        let p = proba(&model, x);
        assert_eq!(p.len(), C::N_CLASSES);
        assert_valid(&p, &format!("row {i}"));
        assert_eq!(model.predict_one(x), leadstream::learn::argmax(&p));
        model.learn_one(x, *y);
    }
}

fn check_uniform_before_learning<C: Case>() {
    let model = C::build(2);
    let uniform = 1.0 / C::N_CLASSES as f64;
    for (x, _) in stream(20, C::N_CLASSES, 2) {
        for v in proba(&model, &x) {
            assert!((v - uniform).abs() < 1e-12, "{v} != {uniform}");
        }
    }
}

fn check_learns<C: Case>() {
    let mut model = C::build(3);
    let data = stream(3000, C::N_CLASSES, 3);
    for (x, y) in &data {
        model.learn_one(x, *y);
    }
    let test = stream(1000, C::N_CLASSES, 4);
    let correct = test
        .iter()
        .filter(|(x, y)| model.predict_one(x) == *y)
        .count();
    // Majority class is at most ~50% (3 classes) or ~50% (2 classes); a learner must beat it.
    assert!(correct > 700, "{correct}/1000 correct");
}

fn check_clone_predicts_and_learns_identically<C: Case>() {
    let data = stream(1500, C::N_CLASSES, 5);
    let probes = stream(200, C::N_CLASSES, 6);
    let mut original = C::build(5);
    for (x, y) in &data[..700] {
        original.learn_one(x, *y);
    }
    let mut copy = original.clone();
    assert_eq!(fingerprint(&original, &probes), fingerprint(&copy, &probes));
    for (x, y) in &data[700..] {
        original.learn_one(x, *y);
        copy.learn_one(x, *y);
    }
    assert_eq!(fingerprint(&original, &probes), fingerprint(&copy, &probes));
}

fn check_same_seed_same_predictions<C: Case>() {
    let data = stream(1500, C::N_CLASSES, 7);
    let run = |seed| {
        let mut model = C::build(seed);
        data.iter()
            .flat_map(|(x, y)| {
                let p = proba(&model, x);
                model.learn_one(x, *y);
                p
            })
            .map(f64::to_bits)
            .collect::<Vec<_>>()
    };
    assert_eq!(run(11), run(11));
}

fn check_serde_round_trip<C: Case>() {
    let data = stream(1500, C::N_CLASSES, 8);
    let probes = stream(200, C::N_CLASSES, 9);
    let mut original = C::build(8);
    for (x, y) in &data[..700] {
        original.learn_one(x, *y);
    }
    let json = serde_json::to_string(&original).expect("serializes");
    let mut restored: C::Model = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(
        fingerprint(&original, &probes),
        fingerprint(&restored, &probes)
    );
    // The restored learner also continues identically (RNG state included).
    for (x, y) in &data[700..] {
        original.learn_one(x, *y);
        restored.learn_one(x, *y);
    }
    assert_eq!(
        fingerprint(&original, &probes),
        fingerprint(&restored, &probes)
    );
}

/// Any finite value, with extra weight on the extremes River's checks worry about.
fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -10.0..10.0_f64,
        1 => prop::num::f64::NORMAL,
        1 => prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        1 => prop::sample::select(vec![1e300, -1e300, 1e-300, -1e-300, f64::MAX, f64::MIN]),
    ]
}

/// Rows of finite features (feature 2 optionally constant) and labels (optionally one class).
fn rows(n_classes: usize) -> impl Strategy<Value = Vec<([f64; N_FEATURES], usize)>> {
    (
        prop::collection::vec(([finite(), finite(), finite()], 0..n_classes), 1..400),
        prop::option::of(finite()),
        any::<bool>(),
    )
        .prop_map(|(mut rows, constant, single_class)| {
            for (x, y) in &mut rows {
                if let Some(c) = constant {
                    x[2] = c;
                }
                if single_class {
                    *y = 0;
                }
            }
            rows
        })
}

fn check_any_finite_input<C: Case>(data: &[([f64; N_FEATURES], usize)]) {
    let mut model = C::build(13);
    for (i, (x, y)) in data.iter().enumerate() {
        assert_valid(&proba(&model, x), &format!("row {i} {x:?}"));
        model.learn_one(x, *y);
    }
    for (x, _) in data {
        assert_valid(&proba(&model, x), &format!("after learning, {x:?}"));
    }
}

/// The learnable stream scaled to `scale`, with a constant feature 2 and optionally one class.
fn check_extremes<C: Case>(scale: f64, single_class: bool) {
    let data: Vec<_> = stream(600, C::N_CLASSES, 15)
        .into_iter()
        .map(|(x, y)| {
            let y = if single_class { 0 } else { y };
            ([x[0] * scale, x[1] * scale, scale], y)
        })
        .collect();
    check_any_finite_input::<C>(&data);
}

macro_rules! conformance {
    ($name:ident, $case:ty) => {
        mod $name {
            use super::*;

            #[test]
            fn probabilities_are_valid() {
                check_probabilities_valid::<$case>();
            }

            #[test]
            fn uniform_before_learning() {
                check_uniform_before_learning::<$case>();
            }

            #[test]
            fn learns_a_learnable_stream() {
                check_learns::<$case>();
            }

            #[test]
            fn clone_predicts_and_learns_identically() {
                check_clone_predicts_and_learns_identically::<$case>();
            }

            #[test]
            fn same_seed_same_predictions() {
                check_same_seed_same_predictions::<$case>();
            }

            #[test]
            fn serde_round_trip_predicts_and_learns_identically() {
                check_serde_round_trip::<$case>();
            }

            #[test]
            fn huge_magnitudes_stay_finite() {
                check_extremes::<$case>(1e300, false);
            }

            #[test]
            fn tiny_magnitudes_stay_finite() {
                check_extremes::<$case>(1e-300, false);
            }

            #[test]
            fn a_single_class_and_constant_features_stay_finite() {
                check_extremes::<$case>(1.0, true);
            }

            proptest! {
                #![proptest_config(ProptestConfig::with_cases(64))]
                #[test]
                fn never_panics_nor_nan_on_finite_input(data in rows(<$case>::N_CLASSES)) {
                    check_any_finite_input::<$case>(&data);
                }
            }
        }
    };
}

conformance!(hoeffding_tree, HoeffdingTreeCase);
conformance!(hoeffding_adaptive_tree, HoeffdingAdaptiveTreeCase);
conformance!(logistic, LogisticCase);

#[test]
fn hoeffding_adaptive_tree_seeds_matter() {
    // Guards the seed check above against a learner that ignores its seed: with bootstrap
    // sampling on, two seeds give different predictions on the same stream.
    let data = stream(3000, 3, 12);
    let probes = stream(200, 3, 14);
    let train = |seed| {
        let mut model = HoeffdingAdaptiveTreeCase::build(seed);
        for (x, y) in &data {
            model.learn_one(x, *y);
        }
        fingerprint(&model, &probes)
    };
    assert_ne!(train(1), train(2));
}
