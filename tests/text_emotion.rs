//! Emotion accuracy on labelled lead replies written for the tests.
//!
//! Six sets, in the order they were written (all in tests/fixtures/text/, every state in each);
//! `cargo test --test text_emotion -- --nocapture` prints each accuracy and confusion matrix.
//! 1. emotions.jsonl (120): development set, cue lists tuned on it. 119/120 now.
//! 2. emotions_holdout.jsonl (60): written with set 1, before tuning, never tuned on sentence
//!    by sentence. 56/60 after the first round of tuning, 58/60 now.
//! 3. emotions_hard.jsonl (50): paraphrases avoiding the obvious cue words. 8/50 on first
//!    sight (everything fell to neutral); then tuned on.
//! 4. emotions_fresh.jsonl (50): measured once at 16/50; then the neutral prior was lowered
//!    and cues added from it. Tuning data now.
//! 5. emotions_unseen.jsonl (60): measured once at 29/60 (35/60 in the right group); then
//!    the vocabulary was broadened from it. Tuning data now.
//! 6. emotions_final.jsonl (60): written after the last change, measured once: **32/60
//!    (0.533), 39/60 in the right group** (positive, negative, neutral, urgent). This is the
//!    number to quote. Weakest: excited (2/6), confident (2/6), confused (2/6) and anxious
//!    (2/6), mostly read as neutral.
//!
//! The story is the usual one for hand-written cue lists: high precision on phrasings the
//! lists contain, poor recall on new ones, which then fall to neutral. Each round of "measure
//! on new text, broaden the lists" moved first-sight accuracy up (32% -> 48% -> 53%), slowly.
//! Thresholds sit a little under each measured accuracy so a regression fails the test.

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
    // Coarser agreement: the right group among positive, negative, neutral and urgent.
    let group = |s: EmotionalState| {
        (
            s.is_positive(),
            s.is_negative(),
            s == EmotionalState::Urgent,
        )
    };
    let mut same_group = 0_u32;
    for t in EmotionalState::ALL {
        for p in EmotionalState::ALL {
            if group(t) == group(p) {
                same_group += confusion[t as usize][p as usize];
            }
        }
    }
    eprintln!(
        "{name}: {correct}/{} correct, accuracy {accuracy:.3}; right group {same_group}/{}",
        set.len(),
        set.len()
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

/// The hard set: paraphrases that mostly avoid the cue words (8/50 before it was tuned on).
#[test]
fn hard_set_accuracy() {
    let accuracy = evaluate("emotions_hard.jsonl", false);
    assert!(
        accuracy >= HARD_THRESHOLD,
        "hard-set accuracy {accuracy:.3} < {HARD_THRESHOLD}"
    );
}

/// The fresh set: 16/50 when first measured, then tuned on.
#[test]
fn fresh_set_accuracy() {
    let accuracy = evaluate("emotions_fresh.jsonl", false);
    assert!(
        accuracy >= FRESH_THRESHOLD,
        "fresh-set accuracy {accuracy:.3} < {FRESH_THRESHOLD}"
    );
}

/// The unseen set: 29/60 when first measured, then tuned on.
#[test]
fn unseen_set_accuracy() {
    let accuracy = evaluate("emotions_unseen.jsonl", false);
    assert!(
        accuracy >= UNSEEN_THRESHOLD,
        "unseen-set accuracy {accuracy:.3} < {UNSEEN_THRESHOLD}"
    );
}

/// Measured 119/120 (tuned on).
const DEV_THRESHOLD: f64 = 0.95;
/// Measured 58/60.
const HOLDOUT_THRESHOLD: f64 = 0.9;
/// Measured 48/50 (tuned on).
const HARD_THRESHOLD: f64 = 0.9;
/// Measured 50/50 (tuned on; 16/50 before).
const FRESH_THRESHOLD: f64 = 0.9;
/// Measured 58/60 (tuned on; 29/60 before).
const UNSEEN_THRESHOLD: f64 = 0.9;
/// Measured 32/60 (0.533), once, never tuned on.
const FINAL_THRESHOLD: f64 = 0.5;

/// The final set: 60 sentences written after the last change and measured once; the honest
/// accuracy to quote.
#[test]
fn final_set_accuracy() {
    let accuracy = evaluate("emotions_final.jsonl", false);
    assert!(
        accuracy >= FINAL_THRESHOLD,
        "final-set accuracy {accuracy:.3} < {FINAL_THRESHOLD}"
    );
}
