//! LogisticRegression on River's reference datasets (tests/fixtures/river, from
//! scripts/river_reference.py): prequential accuracy, log loss and ROC AUC computed with our
//! metrics must equal River's `StandardScaler() | LogisticRegression()` results.

use std::path::PathBuf;

use leadstream::learn::logistic::LogisticRegressionParams;
use leadstream::learn::metrics::{Accuracy, LogLoss, Metric, RocAuc};
use leadstream::learn::Classifier;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/river")
        .join(name)
}

fn load(file: &str) -> (Vec<Vec<f64>>, Vec<usize>) {
    let mut reader = csv::Reader::from_path(fixture(file)).unwrap();
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let values: Vec<f64> = record.unwrap().iter().map(|c| c.parse().unwrap()).collect();
        let (x, y) = values.split_at(values.len() - 1);
        xs.push(x.to_vec());
        ys.push(y[0] as usize);
    }
    (xs, ys)
}

#[test]
fn prequential_metrics_equal_rivers() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("expected.json")).unwrap()).unwrap();
    let cases: Vec<&Value> = expected["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["model"] == "logistic")
        .collect();
    assert!(cases.len() >= 3, "{} logistic cases", cases.len());
    for case in cases {
        let (xs, ys) = load(case["file"].as_str().unwrap());
        let mut model = LogisticRegressionParams::default()
            .build(xs[0].len(), 2)
            .unwrap();
        let (mut acc, mut loss, mut auc) =
            (Accuracy::default(), LogLoss::default(), RocAuc::default());
        let mut proba = [0.0; 2];
        for (x, &y) in xs.iter().zip(&ys) {
            model.predict_proba_one(x, &mut proba);
            acc.update(y, &proba);
            loss.update(y, &proba);
            auc.update(y, &proba);
            model.learn_one(x, y);
        }
        let name = case["dataset"].as_str().unwrap();
        let want = |k: &str| case[k].as_f64().unwrap();
        println!(
            "{name}: accuracy {} (River {}), log loss {} (River {}), ROC AUC {} (River {})",
            acc.get(),
            want("accuracy"),
            loss.get(),
            want("log_loss"),
            auc.get(),
            want("roc_auc")
        );
        assert_eq!(xs.len() as u64, case["n"].as_u64().unwrap());
        // Deterministic and computed in River's operation order: equal, not merely within 1 pp.
        assert_eq!(acc.get(), want("accuracy"), "{name} accuracy");
        assert!(
            (loss.get() - want("log_loss")).abs() < 1e-9,
            "{name} log loss"
        );
        assert!((auc.get() - want("roc_auc")).abs() < 1e-9, "{name} ROC AUC");
    }
}
