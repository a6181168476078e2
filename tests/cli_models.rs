//! `leadstream models` end to end on a state directory written by `leadstream run`: list (table
//! and JSON), show, rollback, export, import, and clear errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn leadstream(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .args(args)
        .env_remove("LEADSTREAM_STATE_DIR")
        .output()
        .expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "leadstream-cli-models-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn models(state: &Path, args: &[&str]) -> Output {
    let mut all = vec!["models"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--state-dir", state.to_str().expect("utf-8 path")]);
    leadstream(&all)
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

#[test]
fn run_then_list_show_rollback_export_import() {
    let state = temp("state");
    let state_arg = state.to_str().expect("utf-8 path");
    for seed in ["1", "2"] {
        let run = leadstream(&[
            "run",
            "--state-dir",
            state_arg,
            "--leads",
            "150",
            "--days",
            "15",
            "--seed",
            seed,
            "--quiet",
        ]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    // First run: initial + shutdown; second run: warm start, shutdown.
    let list = json(&models(&state, &["list", "--json"]));
    let versions = list["versions"].as_array().expect("versions");
    let reasons: Vec<&str> = versions
        .iter()
        .map(|v| v["reason"].as_str().expect("reason"))
        .collect();
    assert_eq!(reasons, ["initial", "shutdown", "shutdown"]);
    assert_eq!(list["active"], "v000003");
    assert_eq!(versions[2]["parent"], "v000002");
    let first_run = versions[1]["samples_seen"].as_u64().expect("samples");
    let second_run = versions[2]["samples_seen"].as_u64().expect("samples");
    assert!(
        first_run > 0 && second_run > first_run,
        "{first_run} {second_run}"
    );

    let table = models(&state, &["list"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.lines().any(|l| l.starts_with("* v000003")), "{text}");

    let show = json(&models(&state, &["show", "v000002", "--json"]));
    assert_eq!(show["samples_seen"].as_u64(), Some(first_run));

    let rollback = json(&models(&state, &["rollback", "v000001", "--json"]));
    assert_eq!(rollback["id"], "v000004");
    assert_eq!(rollback["parent"], "v000001");
    assert_eq!(rollback["samples_seen"], 0);
    assert_eq!(
        json(&models(&state, &["list", "--json"]))["active"],
        "v000004"
    );

    let file = state.join("exported.lsm");
    let export = models(
        &state,
        &["export", "v000003", file.to_str().expect("utf-8")],
    );
    assert!(export.status.success());
    let other = temp("other");
    let imported = json(&models(
        &other,
        &["import", file.to_str().expect("utf-8"), "--json"],
    ));
    assert_eq!(imported["reason"], "import");
    assert_eq!(imported["samples_seen"].as_u64(), Some(second_run));

    let shadow = models(&state, &["shadow", "v000002"]);
    assert!(
        shadow.status.success(),
        "{}",
        String::from_utf8_lossy(&shadow.stderr)
    );
    assert_eq!(
        json(&models(&state, &["list", "--json"]))["shadow"],
        "v000002"
    );
    assert!(models(&state, &["unshadow"]).status.success());
    assert!(json(&models(&state, &["list", "--json"]))["shadow"].is_null());
    let promote = models(&state, &["promote"]);
    assert!(
        !promote.status.success(),
        "promote without a shadow must fail"
    );

    let missing = models(&state, &["show", "v000099"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("no model version `v000099`"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
    let no_dir = leadstream(&["models", "list"]);
    assert!(!no_dir.status.success());
    assert!(String::from_utf8_lossy(&no_dir.stderr).contains("--state-dir"));
}
