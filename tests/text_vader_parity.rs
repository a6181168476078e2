//! VADER parity: our sentiment (the `vader-parity` crate) against Python vaderSentiment 3.3.2.
//!
//! The oracle, tests/fixtures/text/vader_reference.jsonl, is written by
//! scripts/vader_reference.py from tests/fixtures/text/vader_sentences.txt (205 sentences that
//! exercise negation, intensifiers, caps, punctuation, "but", emoticons, emoji, idioms and
//! real-estate replies). Scores are compared at VADER's printed precision (3 decimals for the
//! proportions, 4 for compound), so agreement must be exact.

use leadstream::text::sentiment;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Reference {
    text: String,
    neg: f64,
    neu: f64,
    pos: f64,
    compound: f64,
}

fn references() -> Vec<Reference> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/text/vader_reference.jsonl"
    );
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

/// Equal at the printed precision (both sides are already rounded; the epsilon only absorbs
/// the last bit of the decimal-to-binary conversion).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn every_reference_sentence_scores_exactly_as_python() {
    let refs = references();
    assert!(
        refs.len() >= 200,
        "expected at least 200 reference sentences, got {}",
        refs.len()
    );
    let mut mismatches = Vec::new();
    for r in &refs {
        let s = sentiment::score(&r.text);
        let ok = same(s.compound, r.compound)
            && same(s.negative, r.neg)
            && same(s.neutral, r.neu)
            && same(s.positive, r.pos);
        if !ok {
            mismatches.push(format!(
                "{:?}: rust ({}, {}, {}, {}) python ({}, {}, {}, {})",
                r.text,
                s.negative,
                s.neutral,
                s.positive,
                s.compound,
                r.neg,
                r.neu,
                r.pos,
                r.compound
            ));
        }
    }
    let agree = refs.len() - mismatches.len();
    eprintln!(
        "VADER parity: {agree}/{} sentences agree exactly ({:.1}%)",
        refs.len(),
        100.0 * agree as f64 / refs.len() as f64
    );
    assert!(
        mismatches.is_empty(),
        "mismatches:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn reference_covers_the_rules() {
    // The fixture must keep exercising the rules it is there for: negation flips, caps and
    // exclamation marks amplify, "but" shifts weight to the second clause.
    let s = |t: &str| sentiment::score(t).compound;
    assert!(s("The house is good.") > 0.0 && s("The house is not good.") < 0.0);
    assert!(s("The house is GREAT.") > s("The house is great."));
    assert!(s("The house is great!!!") > s("The house is great!"));
    assert!(s("The price is too high, but the house is nice.") > 0.0);
}
