//! LogisticRegression against River 0.26's `StandardScaler() | LogisticRegression()` and variants
//! (tests/fixtures/logistic, made by scripts/river_logistic_fixtures.py): the same probability
//! before every learn_one, the same prequential accuracy, the same final weights.

use std::path::PathBuf;

use leadstream::learn::logistic::LogisticRegressionParams;
use leadstream::learn::metrics::{Accuracy, Metric};
use leadstream::learn::{Classifier, Hyperparams};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/logistic")
        .join(name)
}

fn rows() -> Vec<(Vec<f64>, usize)> {
    let mut reader = csv::Reader::from_path(fixture("stream.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let values: Vec<f64> = r.iter().map(|c| c.parse().unwrap()).collect();
            let (x, y) = values.split_at(values.len() - 1);
            (x.to_vec(), y[0] as usize)
        })
        .collect()
}

#[test]
fn probabilities_accuracy_and_weights_match_river() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("expected.json")).unwrap()).unwrap();
    let rows = rows();
    let cases = expected["cases"].as_object().unwrap();
    assert_eq!(cases.len(), 3);
    for (name, case) in cases {
        let mut params = LogisticRegressionParams::default();
        for (key, value) in case["params"].as_object().unwrap() {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            params.set(key, &text).unwrap();
        }
        let mut model = params.build(rows[0].0.len(), 2).unwrap();
        let river_p1 = case["p1"].as_array().unwrap();
        let mut accuracy = Accuracy::default();
        let mut max_gap = 0.0_f64;
        let mut proba = [0.0; 2];
        for ((x, y), want) in rows.iter().zip(river_p1) {
            model.predict_proba_one(x, &mut proba);
            max_gap = max_gap.max((proba[1] - want.as_f64().unwrap()).abs());
            accuracy.update(*y, &proba);
            model.learn_one(x, *y);
        }
        println!(
            "{name}: accuracy {} (River {}), max |p - p_River| = {max_gap:e}",
            accuracy.get(),
            case["accuracy"]
        );
        assert!(max_gap < 1e-9, "{name}: probabilities differ by {max_gap}");
        assert_eq!(accuracy.get(), case["accuracy"].as_f64().unwrap(), "{name}");
        let river_weights = case["weights"].as_array().unwrap();
        for (w, want) in model.weights().iter().zip(river_weights) {
            assert!(
                (w - want.as_f64().unwrap()).abs() < 1e-9,
                "{name}: weight {w} vs {want}"
            );
        }
        let intercept = case["intercept"].as_f64().unwrap();
        assert!(
            (model.intercept() - intercept).abs() < 1e-9,
            "{name}: intercept"
        );
    }
}
