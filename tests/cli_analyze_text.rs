//! `leadstream analyze-text` through the built binary: flags, stdin, output shape.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .arg("analyze-text")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn parse_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn text_flag_prints_one_object_with_every_signal() {
    let (ok, stdout, stderr) = run(
        &["--text", "Stop texting me, it's too expensive anyway!"],
        b"",
    );
    assert!(ok, "{stderr}");
    let lines = parse_lines(&stdout);
    assert_eq!(lines.len(), 1);
    let v = &lines[0];
    assert_eq!(v["text"], "Stop texting me, it's too expensive anyway!");
    for key in [
        "sentiment",
        "emotion",
        "emotion_confidence",
        "readability",
        "persuasion",
        "length",
        "cues",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    for key in ["compound", "positive", "negative", "neutral"] {
        assert!(v["sentiment"][key].is_number(), "sentiment.{key}");
    }
    assert!(v["readability"]["flesch_reading_ease"].is_number());
    assert!(v["persuasion"]["question_count"].is_number());
    assert_eq!(v["cues"]["unsubscribe_intent"], true);
    assert_eq!(v["cues"]["price_objection"], true);
    assert_eq!(v["length"]["words"], 7);
}

#[test]
fn stdin_lines_become_json_lines_and_blank_lines_are_skipped() {
    let input = "We love it!\n\n   \nI'm worried about the rates.\r\n\
                 I don't understand what contingent means.";
    let (ok, stdout, stderr) = run(&[], input.as_bytes());
    assert!(ok, "{stderr}");
    let lines = parse_lines(&stdout);
    let texts: Vec<_> = lines
        .iter()
        .map(|v| v["text"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        texts,
        [
            "We love it!",
            "I'm worried about the rates.",
            "I don't understand what contingent means."
        ]
    );
    assert_eq!(lines[1]["emotion"], "anxious");
    assert_eq!(lines[2]["emotion"], "confused");
}

#[test]
fn invalid_utf8_on_stdin_is_a_clear_error() {
    let (ok, _stdout, stderr) = run(&[], b"fine line\n\xff\xfe broken\n");
    assert!(!ok);
    assert!(stderr.contains("line 2"), "{stderr}");
}
