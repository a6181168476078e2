//! Helpers shared by the CLI tests that run the built `leadstream` binary on CSV files.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Writes `text` to a file `name` in a per-test-binary temp directory tagged `tag`.
pub fn temp_csv(tag: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadstream-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temp file");
    path
}

/// Runs `leadstream SUBCOMMAND ARGS...` and returns its output.
pub fn leadstream(subcommand: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .arg(subcommand)
        .args(args)
        .output()
        .expect("binary runs")
}

/// The last stdout line, parsed as JSON.
pub fn last_json(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().expect("some stdout");
    serde_json::from_str(line).expect("last line is JSON")
}

/// The error line, after checking the run failed cleanly (exit 1, one line, no panic, no stdout).
pub fn error_of(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}
