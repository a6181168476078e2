//! Loads the River golden fixtures of tests/fixtures/drift (made by scripts/river_drift_fixtures.py).

use std::path::PathBuf;

use leadstream::learn::Hyperparams;
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drift")
}

/// The `value` column of a fixture stream.
pub fn stream(name: &str) -> Vec<f64> {
    let path = fixture_dir().join(format!("{name}.csv"));
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    reader
        .records()
        .map(|r| r.unwrap()[0].parse::<f64>().unwrap())
        .collect()
}

/// Every expected case for `detector` ("adwin" or "page_hinkley").
pub fn cases(detector: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(fixture_dir().join("expected.json")).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    expected["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["detector"] == detector)
        .cloned()
        .collect()
}

/// Params with every key of the case's `params` object applied through `Hyperparams::set`.
pub fn params<P: Hyperparams>(case: &Value) -> P {
    let mut p = P::default();
    for (key, value) in case["params"].as_object().unwrap() {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        p.set(key, &text).unwrap();
    }
    p
}

/// The expected detection indices of a case.
pub fn detections(case: &Value) -> Vec<usize> {
    case["detections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect()
}

/// Close within a relative tolerance (final sums are accumulated the same way, so tight).
pub fn assert_close(what: &str, got: f64, want: f64) {
    let tol = 1e-9 * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "{what}: got {got}, River {want}");
}
