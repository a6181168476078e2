//! `leadstream eval` end to end: the built binary on good and bad CSV files.

mod cli_support;

use std::path::PathBuf;
use std::process::Output;

use cli_support::{error_of, last_json};

fn temp_csv(name: &str, text: &str) -> PathBuf {
    cli_support::temp_csv("eval", name, text)
}

fn eval(args: &[&str]) -> Output {
    cli_support::leadstream("eval", args)
}

/// A learnable stream: class 1 exactly when a > b.
fn separable(rows: usize) -> String {
    let mut text = String::from("a,b,noise,label\n");
    for i in 0..rows {
        let a = (i * 7919 % 1000) as f64 / 100.0;
        let b = (i * 104_729 % 1000) as f64 / 100.0;
        text.push_str(&format!("{a},{b},{},{}\n", i % 3, u8::from(a > b)));
    }
    text
}

#[test]
fn every_model_prints_a_json_summary() {
    let path = temp_csv("separable.csv", &separable(3000));
    for model in ["hoeffding-tree", "hoeffding-adaptive-tree", "logistic"] {
        let out = eval(&["--data", path.to_str().unwrap(), "--model", model]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json = last_json(&out);
        assert_eq!(json["model"], model);
        assert_eq!(json["n"], 3000);
        assert_eq!(json["n_features"], 3);
        assert_eq!(json["n_classes"], 2);
        assert_eq!(json["target"], "label");
        let accuracy = json["accuracy"].as_f64().unwrap();
        assert!(accuracy > 0.8, "{model}: accuracy {accuracy}");
        assert!(json["log_loss"].as_f64().unwrap() > 0.0);
        let auc = json["roc_auc"].as_f64().unwrap();
        assert!(auc > 0.8 && auc <= 1.0, "{model}: auc {auc}");
        assert!(json["seconds"].as_f64().unwrap() >= 0.0);
        assert!(json["samples_per_second"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn seed_and_settings_reach_the_model() {
    let path = temp_csv("seeded.csv", &separable(2000));
    let data = path.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["--data", data, "--model", "hoeffding-adaptive-tree"];
        args.extend_from_slice(extra);
        let out = eval(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        last_json(&out)
    };
    let a = run(&["--seed", "7"]);
    let b = run(&["--seed", "7"]);
    assert_eq!(a["seed"], 7);
    assert_eq!(a["accuracy"], b["accuracy"]);
    assert_eq!(a["log_loss"], b["log_loss"]);
    // A majority-class tree that never splits predicts worse than the default one.
    let default = run(&[]);
    let stunted = run(&[
        "--set",
        "grace_period=100000",
        "--set",
        "leaf_prediction=mc",
    ]);
    assert!(
        stunted["accuracy"].as_f64().unwrap() < default["accuracy"].as_f64().unwrap() - 0.1,
        "{stunted} vs {default}"
    );
}

#[test]
fn target_column_by_name_and_multiclass() {
    let mut text = String::from("label,x\n");
    // Some spread within each class: with zero-variance classes the Gaussian leaves (River's
    // too) reach only 0.61 here.
    for i in 0..600 {
        let x = f64::from(i % 3) * 10.0 + f64::from(i % 7) * 0.3;
        text.push_str(&format!("{},{x}\n", i % 3));
    }
    let path = temp_csv("multi.csv", &text);
    let out = eval(&[
        "--data",
        path.to_str().unwrap(),
        "--model",
        "hoeffding-tree",
        "--target",
        "label",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = last_json(&out);
    assert_eq!(json["n_classes"], 3);
    assert_eq!(json["n_features"], 1);
    assert!(json["roc_auc"].is_null());
    assert!(json["accuracy"].as_f64().unwrap() > 0.9);
}

#[test]
fn bad_inputs_give_one_line_errors_naming_file_row_and_column() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "nonnumeric.csv",
            "a,b,y\n1,2,0\n3,abc,1\n",
            &[],
            &["row 3", "column `b`", "`abc`"],
        ),
        (
            "ragged.csv",
            "a,b,y\n1,2,0\n3,1\n",
            &[],
            &["row 3", "2 cells", "3 columns"],
        ),
        ("empty.csv", "", &[], &["empty"]),
        ("header.csv", "a,b,y\n", &[], &["no data rows"]),
        (
            "fraction.csv",
            "a,y\n1,0\n2,0.5\n",
            &[],
            &["row 3", "column `y`", "0.5"],
        ),
        (
            "negative.csv",
            "a,y\n1,0\n2,-1\n",
            &[],
            &["row 3", "column `y`", "-1"],
        ),
        (
            "column.csv",
            "a,y\n1,0\n",
            &["--target", "zz"],
            &["unknown column `zz`"],
        ),
        (
            "key.csv",
            "a,y\n1,0\n",
            &["--set", "bogus=1"],
            &["unknown hyperparameter `bogus`"],
        ),
        (
            "value.csv",
            "a,y\n1,0\n",
            &["--set", "delta=abc"],
            &["`delta`", "abc"],
        ),
        (
            "noeq.csv",
            "a,y\n1,0\n",
            &["--set", "delta"],
            &["KEY=VALUE"],
        ),
    ];
    for (name, text, extra, needles) in cases {
        let path = temp_csv(name, text);
        let mut args = vec![
            "--data",
            path.to_str().unwrap(),
            "--model",
            "hoeffding-tree",
        ];
        args.extend_from_slice(extra);
        let err = error_of(&eval(&args));
        if !["column.csv", "key.csv", "value.csv", "noeq.csv"].contains(name) {
            assert!(err.contains(name), "{name}: {err}");
        }
        for needle in *needles {
            assert!(err.contains(needle), "{name}: `{needle}` not in {err}");
        }
    }
}

#[test]
fn missing_file_and_unknown_model_fail_cleanly() {
    let err = error_of(&eval(&[
        "--data",
        "/nonexistent/x.csv",
        "--model",
        "logistic",
    ]));
    assert!(err.contains("/nonexistent/x.csv"), "{err}");
    let path = temp_csv("fine.csv", "a,y\n1,0\n");
    let err = error_of(&eval(&[
        "--data",
        path.to_str().unwrap(),
        "--model",
        "forest",
    ]));
    assert!(err.contains("unknown model `forest`"), "{err}");
    // Logistic regression is binary: three classes are refused, not mis-learned.
    let path = temp_csv("three.csv", "a,y\n1,0\n2,2\n");
    let err = error_of(&eval(&[
        "--data",
        path.to_str().unwrap(),
        "--model",
        "logistic",
    ]));
    assert!(err.contains("n_classes"), "{err}");
}
