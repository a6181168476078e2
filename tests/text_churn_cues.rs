//! Churn cues measured on labelled replies: tests/fixtures/text/churn_cues.jsonl (50 replies,
//! with hard negatives such as "not interested in condos" or "we stopped using Zillow"),
//! written before the detector was run on them. Precision and recall per cue are printed
//! (`cargo test --test text_churn_cues -- --nocapture`); thresholds sit just under the measured
//! values.
//!
//! First measurement (before any change): unsubscribe P 0.90 R 0.69, competitor P 0.89 R 0.80,
//! price P 0.78 R 0.64. The misses were then fixed where the fix is general (possessive brand
//! names like "Redfin's", "quit messaging", "no more emails", "stopped" as a negator, "is an
//! agent", "is steep"), giving unsubscribe P 0.92 R 0.92, competitor 1.00/1.00, price P 0.82
//! R 0.82. These are now in-sample numbers; the first ones are the honest estimate.
//! Known misses kept: "not interested in condos, only houses" (flagged as unsubscribe), "we
//! can't afford to lose this one" and "too much house" (flagged as price objections).

use leadstream::text::cues::{detect, ChurnCues};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Labelled {
    text: String,
    unsubscribe_intent: bool,
    competitor_mention: bool,
    price_objection: bool,
}

#[derive(Debug, Default)]
struct Tally {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Tally {
    fn add(&mut self, truth: bool, predicted: bool) {
        match (truth, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fp).max(1))
    }
    fn recall(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fn_).max(1))
    }
}

fn measure() -> [Tally; 3] {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/text/churn_cues.jsonl"
    );
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut tallies: [Tally; 3] = Default::default();
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let item: Labelled =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("bad line {line:?}: {e}"));
        let got: ChurnCues = detect(&item.text);
        let pairs = [
            (item.unsubscribe_intent, got.unsubscribe_intent),
            (item.competitor_mention, got.competitor_mention),
            (item.price_objection, got.price_objection),
        ];
        for (i, (truth, predicted)) in pairs.into_iter().enumerate() {
            if truth != predicted {
                eprintln!(
                    "  {} truth={truth}: {}",
                    ["unsubscribe", "competitor", "price"][i],
                    item.text
                );
            }
            tallies[i].add(truth, predicted);
        }
    }
    for (name, t) in ["unsubscribe", "competitor", "price"].iter().zip(&tallies) {
        eprintln!(
            "{name}: precision {:.2} ({}/{}), recall {:.2} ({}/{})",
            t.precision(),
            t.tp,
            t.tp + t.fp,
            t.recall(),
            t.tp,
            t.tp + t.fn_
        );
    }
    tallies
}

#[test]
fn churn_cue_precision_and_recall() {
    let [unsubscribe, competitor, price] = measure();
    let floors = [
        ("unsubscribe", &unsubscribe, UNSUB_P, UNSUB_R),
        ("competitor", &competitor, COMP_P, COMP_R),
        ("price", &price, PRICE_P, PRICE_R),
    ];
    for (name, t, p, r) in floors {
        assert!(
            t.precision() >= p,
            "{name} precision {:.2} < {p}",
            t.precision()
        );
        assert!(t.recall() >= r, "{name} recall {:.2} < {r}", t.recall());
    }
}

const UNSUB_P: f64 = 0.9;
const UNSUB_R: f64 = 0.9;
const COMP_P: f64 = 0.95;
const COMP_R: f64 = 0.95;
const PRICE_P: f64 = 0.8;
const PRICE_R: f64 = 0.8;
