//! Property tests for LogisticRegression: for any finite inputs (constant features, huge and
//! tiny magnitudes, a single class), with every optimizer and with or without scaling, learning
//! never panics and probabilities, weights and contributions stay finite.

use leadstream::learn::logistic::{LogisticRegressionParams, OptimizerKind};
use leadstream::learn::Classifier;
use proptest::prelude::*;

const N_FEATURES: usize = 3;

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        -10.0..10.0_f64,
        Just(0.0),
        Just(1e300),
        Just(-1e300),
        Just(1e-300),
        Just(-1e-300),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        prop::num::f64::NORMAL,
    ]
}

fn rows() -> impl Strategy<Value = Vec<(Vec<f64>, usize)>> {
    prop::collection::vec(
        (prop::collection::vec(value(), N_FEATURES), 0_usize..2),
        1..120,
    )
}

fn params() -> impl Strategy<Value = LogisticRegressionParams> {
    (
        prop_oneof![
            Just(OptimizerKind::Sgd),
            Just(OptimizerKind::Adagrad),
            Just(OptimizerKind::Ftrl)
        ],
        any::<bool>(),
        prop_oneof![Just(0.01), Just(1.0), Just(1e6)],
        prop_oneof![Just(0.0), Just(0.1)],
        prop_oneof![Just(0.0), Just(1.0)],
    )
        .prop_map(
            |(optimizer, scale, lr, l2, ftrl_l1)| LogisticRegressionParams {
                optimizer,
                scale,
                lr,
                l2,
                ftrl_l1,
                ..Default::default()
            },
        )
}

fn check(model: &impl Classifier, x: &[f64]) -> Result<(), TestCaseError> {
    let mut proba = [0.0; 2];
    model.predict_proba_one(x, &mut proba);
    prop_assert!(
        proba
            .iter()
            .all(|p| p.is_finite() && (0.0..=1.0).contains(p)),
        "{:?}",
        proba
    );
    prop_assert!((proba[0] + proba[1] - 1.0).abs() < 1e-12, "{:?}", proba);
    Ok(())
}

proptest! {
    #[test]
    fn finite_inputs_give_finite_probabilities(params in params(), rows in rows(), constant in any::<bool>(), single in any::<bool>()) {
        let mut model = params.build(N_FEATURES, 2).unwrap();
        let mut parts = [0.0; N_FEATURES];
        for (x, y) in &rows {
            let mut x = x.clone();
            if constant {
                x[1] = 7.0;
            }
            let y = if single { 1 } else { *y };
            check(&model, &x)?;
            model.learn_one(&x, y);
            model.contributions(&x, &mut parts);
            prop_assert!(parts.iter().all(|c| !c.is_nan()), "{:?}", parts);
        }
        prop_assert!(model.weights().iter().all(|w| w.is_finite()), "{:?}", model.weights());
        prop_assert!(model.intercept().is_finite());
        for (x, _) in &rows {
            check(&model, x)?;
        }
    }
}
