//! Our learners against River 0.26.1 on the same CSV files, prequentially.
//!
//! tests/fixtures/river/expected.json is written by `scripts/river_reference.py export`: for
//! each (dataset, model) River's accuracy, log loss and ROC AUC. Here the same file goes through
//! our CSV loader, model factory and prequential loop (the code `leadstream eval` runs), and the
//! accuracy must be within 1 percentage point of River's.

use leadstream::cli::dataset::Dataset;
use leadstream::cli::models::{self, ModelKind, ModelSpec};
use leadstream::learn::prequential::{evaluate, PrequentialReport};
use leadstream::learn::MAX_CLASSES;
use serde::Deserialize;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/river");
const ACCURACY_TOLERANCE: f64 = 0.01;

#[derive(Debug, Deserialize)]
struct Expected {
    river_version: String,
    results: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    dataset: String,
    file: String,
    model: String,
    leadstream_params: std::collections::BTreeMap<String, String>,
    n: usize,
    accuracy: f64,
    log_loss: f64,
    roc_auc: f64,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(format!("{FIXTURES}/expected.json"))
        .expect("tests/fixtures/river/expected.json is committed");
    serde_json::from_str(&text).expect("expected.json parses")
}

fn ours(entry: &Entry) -> PrequentialReport {
    let dataset = Dataset::load(&format!("{FIXTURES}/{}", entry.file)).expect("fixture loads");
    let target = dataset.column_index(None).expect("has columns");
    let data = dataset
        .labelled(target, MAX_CLASSES)
        .expect("labels are classes");
    let spec = ModelSpec {
        kind: ModelKind::parse(&entry.model).expect("known model"),
        seed: None,
        settings: entry
            .leadstream_params
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    let mut model =
        models::build(&spec, data.feature_names.len(), data.n_classes).expect("model builds");
    evaluate(model.as_mut(), data.rows())
}

fn check(dataset: &str, model: &str) {
    let expected = expected();
    let entry = expected
        .results
        .iter()
        .find(|e| e.dataset == dataset && e.model == model)
        .unwrap_or_else(|| panic!("expected.json has no entry for {dataset}/{model}"));
    let report = ours(entry);
    println!(
        "{dataset:10} {model:24} River {}: acc {:.4} log_loss {:.4} auc {:.4} | leadstream: \
         acc {:.4} log_loss {:.4} auc {:.4} | diff {:+.2} pp",
        expected.river_version,
        entry.accuracy,
        entry.log_loss,
        entry.roc_auc,
        report.accuracy,
        report.log_loss,
        report.roc_auc.unwrap_or(f64::NAN),
        100.0 * (report.accuracy - entry.accuracy),
    );
    assert_eq!(report.n, entry.n);
    assert!(
        (report.accuracy - entry.accuracy).abs() <= ACCURACY_TOLERANCE,
        "{dataset}/{model}: accuracy {} vs River's {}",
        report.accuracy,
        entry.accuracy
    );
}

#[test]
fn every_fixture_entry_is_covered() {
    let expected = expected();
    let covered = ["phishing", "bananas", "sea_drift"];
    for entry in &expected.results {
        assert!(
            covered.contains(&entry.dataset.as_str()),
            "{}",
            entry.dataset
        );
        assert!(ModelKind::parse(&entry.model).is_ok(), "{}", entry.model);
    }
    assert_eq!(expected.results.len(), covered.len() * ModelKind::ALL.len());
}

#[test]
fn phishing_hoeffding_tree() {
    check("phishing", "hoeffding-tree");
}

#[test]
fn phishing_hoeffding_adaptive_tree() {
    check("phishing", "hoeffding-adaptive-tree");
}

#[test]
fn phishing_logistic() {
    check("phishing", "logistic");
}

#[test]
fn bananas_hoeffding_tree() {
    check("bananas", "hoeffding-tree");
}

#[test]
fn bananas_hoeffding_adaptive_tree() {
    check("bananas", "hoeffding-adaptive-tree");
}

#[test]
fn bananas_logistic() {
    check("bananas", "logistic");
}

#[test]
fn sea_drift_hoeffding_tree() {
    check("sea_drift", "hoeffding-tree");
}

#[test]
fn sea_drift_hoeffding_adaptive_tree() {
    check("sea_drift", "hoeffding-adaptive-tree");
}

#[test]
fn sea_drift_logistic() {
    check("sea_drift", "logistic");
}
