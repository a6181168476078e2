//! `leadstream drift` end to end: the built binary on good and bad CSV files.

mod cli_support;

use std::path::PathBuf;
use std::process::Output;

use cli_support::{error_of, last_json};

fn temp_csv(name: &str, text: &str) -> PathBuf {
    cli_support::temp_csv("drift", name, text)
}

fn drift(args: &[&str]) -> Output {
    cli_support::leadstream("drift", args)
}

/// 2000 rows: `signal` steps from 0 to 5 at row index 1000; `flat` stays 0; `error` is last.
/// Each test writes its own copy (`name`): tests run in parallel.
fn step_file(name: &str) -> PathBuf {
    let mut text = String::from("flat,signal,error\n");
    for i in 0..2000 {
        let step = if i < 1000 { 0.0 } else { 5.0 };
        let wobble = f64::from(i % 5) * 0.1;
        text.push_str(&format!("0,{},{}\n", step + wobble, u8::from(i >= 1000)));
    }
    temp_csv(name, &text)
}

fn detections(json: &serde_json::Value) -> Vec<u64> {
    json["detections"]
        .as_array()
        .expect("detections is an array")
        .iter()
        .map(|v| v.as_u64().expect("index"))
        .collect()
}

#[test]
fn both_detectors_find_a_step_shortly_after_it_and_not_before() {
    let path = step_file("step1.csv");
    for detector in ["adwin", "page-hinkley"] {
        let out = drift(&[
            "--data",
            path.to_str().unwrap(),
            "--detector",
            detector,
            "--column",
            "signal",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json = last_json(&out);
        assert_eq!(json["detector"], detector);
        assert_eq!(json["column"], "signal");
        assert_eq!(json["n"], 2000);
        let found = detections(&json);
        assert_eq!(json["n_detections"], found.len());
        assert!(!found.is_empty(), "{detector}: no detection");
        assert!(
            found[0] >= 1000 && found[0] < 1200,
            "{detector}: first detection at {}",
            found[0]
        );
        assert!(json["updates_per_second"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn a_flat_column_has_no_detection_and_the_default_column_is_the_last() {
    let path = step_file("step2.csv");
    let data = path.to_str().unwrap();
    let out = drift(&["--data", data, "--detector", "adwin", "--column", "flat"]);
    assert!(out.status.success());
    assert!(detections(&last_json(&out)).is_empty());
    let out = drift(&["--data", data, "--detector", "adwin"]);
    assert_eq!(last_json(&out)["column"], "error");
}

#[test]
fn settings_change_the_detector() {
    let path = step_file("step3.csv");
    let data = path.to_str().unwrap();
    let run = |threshold: &str| {
        let set = format!("threshold={threshold}");
        let args = [
            "--data",
            data,
            "--detector",
            "page-hinkley",
            "--column",
            "signal",
        ];
        let mut args = args.to_vec();
        args.extend_from_slice(&["--set", &set]);
        let out = drift(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        detections(&last_json(&out))
    };
    assert!(run("1e9").is_empty());
    assert!(!run("10").is_empty());
}

#[test]
fn bad_inputs_fail_cleanly() {
    let path = step_file("step4.csv");
    let data = path.to_str().unwrap();
    let err = error_of(&drift(&["--data", data, "--detector", "cusum"]));
    assert!(err.contains("unknown detector `cusum`"), "{err}");
    let err = error_of(&drift(&[
        "--data",
        data,
        "--detector",
        "adwin",
        "--column",
        "zz",
    ]));
    assert!(err.contains("unknown column `zz`"), "{err}");
    let err = error_of(&drift(&[
        "--data",
        data,
        "--detector",
        "adwin",
        "--set",
        "x=1",
    ]));
    assert!(err.contains("unknown hyperparameter `x`"), "{err}");
    let err = error_of(&drift(&[
        "--data",
        data,
        "--detector",
        "adwin",
        "--set",
        "delta=2",
    ]));
    assert!(err.contains("delta"), "{err}");
    let bad = temp_csv("bad.csv", "a,b\n1,2\n1,oops\n");
    let err = error_of(&drift(&[
        "--data",
        bad.to_str().unwrap(),
        "--detector",
        "adwin",
    ]));
    assert!(
        err.contains("bad.csv") && err.contains("row 3, column `b`"),
        "{err}"
    );
    let err = error_of(&drift(&[
        "--data",
        "/nonexistent.csv",
        "--detector",
        "adwin",
    ]));
    assert!(err.contains("/nonexistent.csv"), "{err}");
}
