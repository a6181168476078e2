//! Our learners against River 0.26.1 on the same CSV files, prequentially.
//!
//! tests/fixtures/river/expected.json is written by `scripts/river_reference.py export`: for
//! each (dataset, model) River's accuracy, log loss and ROC AUC. Here the same file goes through
//! our CSV loader, model factory and prequential loop (the code `leadstream eval` runs), and the
//! accuracy must be within 1 percentage point of River's.
//!
//! The Hoeffding adaptive tree (HAT) draws Poisson(1) bootstrap weights from its RNG, and ours
//! (Pcg64Mcg) cannot reproduce River's (Python's Mersenne Twister), while one seed's accuracy
//! on Bananas spreads by about ±2.5 pp across seeds. So HAT is checked two ways against
//! tests/fixtures/river/hat_reference.json (`scripts/river_hat_fixtures.py`):
//! - exact logic parity: River's seed-42 run recorded every bootstrap draw it made; our HAT
//!   replays those draws and must predict the same class on every sample;
//! - statistical parity: the mean accuracy over seeds 0..K-1 (independent RNGs on both sides)
//!   must be within 1 pp of River's mean over the same number of seeds.
//!
//! The sea_drift HAT entry of expected.json keeps its single-seed 1 pp check as well; the
//! phishing and bananas HAT entries there (seed 42) are superseded by the two checks above.
//! sea_drift (100k rows) uses 10 seeds instead of 30 to keep the debug-mode test affordable.

use leadstream::cli::classifiers::{self, ModelKind, ModelSpec};
use leadstream::cli::dataset::Dataset;
use leadstream::learn::hoeffding::HoeffdingAdaptiveTreeParams;
use leadstream::learn::prequential::{evaluate, PrequentialReport};
use leadstream::learn::{argmax, Classifier, MAX_CLASSES};
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
        classifiers::build(&spec, data.feature_names.len(), data.n_classes).expect("model builds");
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
fn phishing_hoeffding_adaptive_tree_replayed_draws_match_river_exactly() {
    check_hat_replay("phishing");
}

#[test]
fn phishing_hoeffding_adaptive_tree_seed_mean_matches_river() {
    check_hat_seed_mean("phishing");
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
fn bananas_hoeffding_adaptive_tree_replayed_draws_match_river_exactly() {
    check_hat_replay("bananas");
}

#[test]
fn bananas_hoeffding_adaptive_tree_seed_mean_matches_river() {
    check_hat_seed_mean("bananas");
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
fn sea_drift_hoeffding_adaptive_tree_replayed_draws_match_river_exactly() {
    check_hat_replay("sea_drift");
}

#[test]
fn sea_drift_hoeffding_adaptive_tree_seed_mean_matches_river() {
    check_hat_seed_mean("sea_drift");
}

#[test]
fn sea_drift_logistic() {
    check("sea_drift", "logistic");
}

#[derive(Debug, Deserialize)]
struct HatReference {
    river_version: String,
    datasets: std::collections::BTreeMap<String, HatDataset>,
}

#[derive(Debug, Deserialize)]
struct HatDataset {
    file: String,
    n: usize,
    replay: HatReplay,
    seeds: HatSeeds,
}

#[derive(Debug, Deserialize)]
struct HatReplay {
    seed: u64,
    accuracy: f64,
    /// River's predicted class per sample, one digit each.
    predictions: String,
    draws: Vec<u32>,
}

#[derive(Debug, Deserialize)]
struct HatSeeds {
    first: u64,
    accuracy: Vec<f64>,
}

fn hat_reference(dataset: &str) -> (String, HatDataset) {
    let text = std::fs::read_to_string(format!("{FIXTURES}/hat_reference.json"))
        .expect("tests/fixtures/river/hat_reference.json is committed");
    let mut reference: HatReference = serde_json::from_str(&text).expect("parses");
    let entry = reference
        .datasets
        .remove(dataset)
        .unwrap_or_else(|| panic!("hat_reference.json has no {dataset}"));
    (reference.river_version, entry)
}

/// Our default HAT (River's defaults) run prequentially; returns the per-sample predictions.
/// With `draws`, also checks that our HAT consumed exactly that many (same number of leaf
/// updates as River, so no draw went to a different node).
fn hat_predictions(data: &Dataset, seed: u64, draws: Option<&[u32]>) -> Vec<usize> {
    let target = data.column_index(None).expect("has columns");
    let data = data
        .labelled(target, MAX_CLASSES)
        .expect("labels are classes");
    let params = HoeffdingAdaptiveTreeParams {
        seed,
        ..HoeffdingAdaptiveTreeParams::default()
    };
    let mut model = params
        .build(data.feature_names.len(), data.n_classes)
        .expect("defaults are valid");
    if let Some(draws) = draws {
        model.replay_bootstrap_draws(draws.to_vec());
    }
    let mut proba = vec![0.0; data.n_classes];
    let predictions = data
        .rows()
        .map(|(x, y)| {
            model.predict_proba_one(x, &mut proba);
            let predicted = argmax(&proba);
            model.learn_one(x, y);
            predicted
        })
        .collect();
    if let Some(draws) = draws {
        assert_eq!(model.replayed_draws_used(), Some(draws.len()));
        println!(
            "  our HAT: {} alternate trees created, {} switches, {} pruned",
            model.n_alternate_trees(),
            model.n_switches(),
            model.n_pruned_alternate_trees()
        );
    }
    predictions
}

fn labels(data: &Dataset) -> Vec<usize> {
    let target = data.column_index(None).expect("has columns");
    let data = data
        .labelled(target, MAX_CLASSES)
        .expect("labels are classes");
    data.rows().map(|(_, y)| y).collect()
}

fn accuracy_of(predictions: &[usize], labels: &[usize]) -> f64 {
    let correct = predictions
        .iter()
        .zip(labels)
        .filter(|(p, y)| p == y)
        .count();
    correct as f64 / labels.len() as f64
}

fn check_hat_replay(dataset: &str) {
    let (version, reference) = hat_reference(dataset);
    let data = Dataset::load(&format!("{FIXTURES}/{}", reference.file)).expect("fixture loads");
    let labels = labels(&data);
    assert_eq!(labels.len(), reference.n);
    let river: Vec<usize> = reference
        .replay
        .predictions
        .bytes()
        .map(|b| usize::from(b - b'0'))
        .collect();
    // The seed is irrelevant while draws are replayed; a different one proves it.
    let ours = hat_predictions(
        &data,
        reference.replay.seed + 1,
        Some(&reference.replay.draws),
    );
    let first_difference = ours.iter().zip(&river).position(|(a, b)| a != b);
    let acc = accuracy_of(&ours, &labels);
    println!(
        "{dataset}: HAT with River {version}'s {} recorded bootstrap draws: River acc {:.6}, \
         ours {acc:.6}, first differing prediction {first_difference:?}",
        reference.replay.draws.len(),
        reference.replay.accuracy
    );
    assert_eq!(
        first_difference, None,
        "{dataset}: predictions diverge from River's"
    );
    assert!((acc - reference.replay.accuracy).abs() < 1e-12);
}

fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

fn check_hat_seed_mean(dataset: &str) {
    let (version, reference) = hat_reference(dataset);
    let data = Dataset::load(&format!("{FIXTURES}/{}", reference.file)).expect("fixture loads");
    let labels = labels(&data);
    let k = reference.seeds.accuracy.len() as u64;
    let ours: Vec<f64> = (reference.seeds.first..reference.seeds.first + k)
        .map(|seed| accuracy_of(&hat_predictions(&data, seed, None), &labels))
        .collect();
    let (river_mean, river_std) = mean_std(&reference.seeds.accuracy);
    let (our_mean, our_std) = mean_std(&ours);
    println!(
        "{dataset}: HAT accuracy over {k} seeds: River {version} {river_mean:.4} ± {river_std:.4}, \
         leadstream {our_mean:.4} ± {our_std:.4}, diff {:+.2} pp",
        100.0 * (our_mean - river_mean)
    );
    assert!(
        (our_mean - river_mean).abs() <= ACCURACY_TOLERANCE,
        "{dataset}: mean HAT accuracy {our_mean} vs River's {river_mean}"
    );
}
