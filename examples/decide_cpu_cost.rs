//! CPU time per event of each step of decision making, and of the learner per labelled example,
//! measured with the thread's own CPU clock (/proc/thread-self/schedstat), so the figures hold
//! on a machine shared with other builds, where wall-clock numbers are inflated. Linux only.
//!
//! Run: `cargo run --release --example decide_cpu_cost -- [LEADS] [DAYS] [SEED]` (default
//! 3000 leads, 40 days, seed 17: the decide bench's stream). The first three quarters of the
//! simulator's events train the models (decisions made, examples learned); the last quarter is
//! measured: first whole (state, features, `ShardDecider::on_event`, JSON of the outputs), then
//! step by step on the lead states and features recorded during the whole pass, then the
//! learner on the examples that pass produced (all of them, then each kind alone; learned
//! repeatedly, best of 3 rounds of at least 150 ms of CPU).

use leadstream::decide::models::{ModelInput, Supervisable};
use leadstream::decide::persona_features::{self, PERSONA_DIM};
use leadstream::decide::{
    personalize, DecideConfig, DecisionOutputs, LabelledExample, Learner, ShardDecider,
};
use leadstream::event::Event;
use leadstream::lead::{extract, LeadParams, LeadState, LeadStore, N_FEATURES};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use std::hint::black_box;

/// Whether a labelled example is of one kind.
type IsKind = fn(&LabelledExample) -> bool;

/// Nanoseconds this thread has run on a CPU.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Runs `f` (one pass over `items` items) repeatedly for at least 150 ms of CPU per round,
/// `rounds` rounds, and prints the smallest CPU ns per item (the least disturbed round). The
/// thread CPU clock advances in scheduler ticks, so short rounds would be imprecise.
fn per_item(label: &str, items: usize, rounds: usize, mut f: impl FnMut() -> f64) -> f64 {
    let mut best = f64::INFINITY;
    let mut sink = 0.0;
    for _ in 0..rounds {
        let start = thread_cpu_ns();
        let mut passes = 0u64;
        while thread_cpu_ns() - start < 150_000_000 {
            sink += f();
            passes += 1;
        }
        let ns = (thread_cpu_ns() - start) as f64 / (passes as f64 * items.max(1) as f64);
        best = best.min(ns);
    }
    println!("{label:<44} {best:>8.0} ns  (sink {sink:.3e})");
    best
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let leads = args.first().copied().unwrap_or(3000) as u32;
    let days = args.get(1).copied().unwrap_or(40) as u32;
    let seed = args.get(2).copied().unwrap_or(17);
    let world = World::new(SimConfig::new(leads, days, seed)).expect("valid simulator config");
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut buf = String::new();
    let mut events: Vec<Event<'static>> = Vec::new();
    while let Some(ev) = sim.next_event() {
        events.push(ev.render(sim.world(), &mut buf).into_owned());
    }
    let split = events.len() * 3 / 4;
    let (warm, hot) = events.split_at(split);

    let config = DecideConfig::default();
    let params = LeadParams::default();
    let (mut learner, reader) = Learner::new(&config, 1);
    let mut decider = ShardDecider::new(reader.clone(), &config, 0, 1);
    let mut store = LeadStore::new(params);
    let mut out = DecisionOutputs::default();
    let mut features = [0.0; N_FEATURES];
    for e in warm {
        out.clear();
        decider.on_watermark(e.ts, &mut out);
        let signals = e.text().map(leadstream::text::analyze);
        if let (_, Some(state)) = store.apply(e, signals.as_ref()) {
            if let Some(lead) = e.lead_id() {
                extract(state, &params, e.ts, &mut features);
                decider.on_event(&e.tenant_id, lead, e, state, &features, &mut out);
            }
        }
        for ex in out.examples.drain(..) {
            learner.learn(ex);
        }
    }
    learner.publish();
    println!(
        "{} events ({} warm-up, {} measured), {leads} leads, {days} days, seed {seed}",
        events.len(),
        warm.len(),
        hot.len()
    );

    // The whole decision path once, recording states, features and examples for the steps.
    let mut recorded: Vec<(LeadState, [f64; N_FEATURES], i64)> = Vec::with_capacity(hot.len());
    let mut examples = Vec::new();
    let mut json = Vec::with_capacity(4096);
    let start = thread_cpu_ns();
    for e in hot {
        out.clear();
        decider.on_watermark(e.ts, &mut out);
        let signals = e.text().map(leadstream::text::analyze);
        if let (_, Some(state)) = store.apply(e, signals.as_ref()) {
            if let Some(lead) = e.lead_id() {
                extract(state, &params, e.ts, &mut features);
                decider.on_event(&e.tenant_id, lead, e, state, &features, &mut out);
                recorded.push((state.clone(), features, e.ts));
            }
        }
        json.clear();
        if let Some(d) = &out.decision {
            let _ = d.write_json(&mut json);
        }
        if let Some(a) = &out.alert {
            let _ = a.write_json(&mut json);
        }
        examples.append(&mut out.examples);
    }
    let whole = (thread_cpu_ns() - start) as f64 / hot.len() as f64;
    println!(
        "{:<44} {whole:>8.0} ns  ({} decisions, {} examples)",
        "whole path per event (one pass)",
        recorded.len(),
        examples.len()
    );

    let n = recorded.len();
    let snapshot = reader.load();
    let rounds = 3;
    println!("\nper decision (best of {rounds} rounds over the {n} recorded lead events):");
    per_item(
        "text analysis (events with text / all)",
        hot.len(),
        rounds,
        || {
            hot.iter()
                .filter_map(|e| e.text().map(leadstream::text::analyze))
                .count() as f64
        },
    );
    per_item("feature extraction", n, rounds, || {
        let mut f = [0.0; N_FEATURES];
        recorded
            .iter()
            .map(|(s, _, ts)| {
                extract(s, &params, *ts, &mut f);
                f[0]
            })
            .sum()
    });
    per_item("persona features + nearest centroid", n, rounds, || {
        let mut point = [0.0; PERSONA_DIM];
        recorded
            .iter()
            .map(|(s, _, _)| {
                // The decider's labelled channel evidence for the lead; a fixed, typical one here.
                persona_features::compute(
                    s,
                    &[(2.0, 3.0), (1.0, 4.0), (0.0, 2.0), (1.0, 1.0)],
                    &mut point,
                );
                snapshot.personas().predict_one(&point) as f64
            })
            .sum()
    });
    per_item(
        "churn ensemble (tree + logistic, calibrated)",
        n,
        rounds,
        || {
            recorded
                .iter()
                .map(|(_, f, _)| {
                    snapshot.churn().predict(&ModelInput {
                        features: *f,
                        arm: 0,
                    })
                })
                .sum()
        },
    );
    per_item("journey logistic", n, rounds, || {
        recorded
            .iter()
            .map(|(_, f, _)| {
                snapshot.journey().predict(&ModelInput {
                    features: *f,
                    arm: 0,
                })
            })
            .sum()
    });
    per_item("response logistic x 4 channels", n, rounds, || {
        recorded
            .iter()
            .map(|(_, f, _)| {
                (0..4)
                    .map(|arm| {
                        snapshot
                            .response()
                            .predict(&ModelInput { features: *f, arm })
                    })
                    .sum::<f64>()
            })
            .sum()
    });
    per_item("contributions of one logistic model", n, rounds, || {
        let mut parts = [0.0; N_FEATURES];
        recorded
            .iter()
            .map(|(_, f, _)| {
                if let Some(m) = snapshot.response().channel(0) {
                    m.contributions(f, &mut parts);
                }
                parts[0]
            })
            .sum()
    });
    // What the decision path runs: the same models folded once per publication.
    let journey = snapshot.journey().inner().folded();
    let response: Vec<_> = (0..4)
        .filter_map(|arm| snapshot.response().channel(arm).map(|m| m.folded()))
        .collect();
    per_item(
        "journey logistic, folded (decision path)",
        n,
        rounds,
        || {
            recorded
                .iter()
                .map(|(_, f, _)| journey.probability(f))
                .sum()
        },
    );
    per_item("response x 4, folded (decision path)", n, rounds, || {
        recorded
            .iter()
            .map(|(_, f, _)| response.iter().map(|m| m.probability(f)).sum::<f64>())
            .sum()
    });
    per_item("contributions, folded (decision path)", n, rounds, || {
        let mut parts = [0.0; N_FEATURES];
        recorded
            .iter()
            .map(|(_, f, _)| {
                if let Some(m) = response.first() {
                    m.contributions(f, &mut parts);
                }
                parts[0]
            })
            .sum()
    });
    let mut rng = Pcg64Mcg::seed_from_u64(3);
    per_item("channel choice (Thompson, 4 arms)", n, rounds, || {
        recorded
            .iter()
            .map(|(s, _, _)| {
                let mask = personalize::channel_mask(s);
                let (arm, _) = personalize::choose_channel(
                    &snapshot,
                    Some(1),
                    &[0.2, 0.1, 0.3, 0.05],
                    &[(0.0, 0.0); 4],
                    mask,
                    config.prior_strength,
                    &mut rng,
                );
                arm as f64
            })
            .sum()
    });
    per_item("variant choice (LinUCB)", n, rounds, || {
        recorded
            .iter()
            .map(|(s, _, _)| {
                let context = personalize::variant_context(Some(1), s);
                personalize::choose_variant(&snapshot, &context).1.score
            })
            .sum()
    });
    per_item(
        "send-time choice (Thompson, next 24 hours of the week)",
        n,
        rounds,
        || {
            recorded
                .iter()
                .map(|(_, _, ts)| {
                    let hours = [(0.0, 0.0); personalize::HOUR_BUCKETS];
                    personalize::choose_send_time(
                        &snapshot,
                        Some(1),
                        &hours,
                        config.prior_strength,
                        *ts,
                        Some(-300),
                        &mut rng,
                    )
                    .hour_utc as f64
                })
                .sum()
        },
    );
    for (a, b) in [(10.0, 40.0), (2.5, 47.5), (0.3, 0.7), (1.3, 0.7)] {
        per_item(&format!("one Beta({a}, {b}) draw"), 10_000, rounds, || {
            (0..10_000)
                .map(|_| leadstream::learn::bandit::sample_beta(&mut rng, a, b))
                .sum()
        });
    }
    // JSON of one decision: made once more on a fresh decider is not possible without its
    // memory, so the last pass's decision is written repeatedly.
    if let Some(d) = out.decision.clone().or_else(|| {
        let (s, f, ts) = recorded.last()?;
        decider.decide_now("t", "l", *ts, s, f)
    }) {
        per_item("decision JSON (one decision, repeated)", n, rounds, || {
            let mut bytes = 0;
            for _ in 0..n {
                json.clear();
                let _ = black_box(&d).write_json(&mut json);
                bytes += json.len();
            }
            bytes as f64
        });
    }

    let m = examples.len();
    println!(
        "\nlearner ({m} labelled examples from the measured events, best of {rounds} rounds):"
    );
    // Each round learns copies of the examples (copied outside the timed part) until at least
    // 150 ms of CPU have passed; the learner keeps learning, as it would on a longer stream.
    let mut learner_cpu = |label: &str, selected: &[LabelledExample]| -> f64 {
        let mut best = f64::INFINITY;
        for _ in 0..rounds {
            let (mut spent, mut learned) = (0u64, 0usize);
            while spent < 150_000_000 && !selected.is_empty() {
                let copies = selected.to_vec();
                let start = thread_cpu_ns();
                for ex in copies {
                    learner.learn(ex);
                }
                spent += thread_cpu_ns() - start;
                learned += selected.len();
            }
            best = best.min(spent as f64 / learned.max(1) as f64);
        }
        println!("{label:<44} {best:>8.0} ns  ({} examples)", selected.len());
        best
    };
    let per_example = learner_cpu("learn one example (incl. publishing)", &examples);
    println!(
        "{:<44} {:>8.0} ns  ({:.2} examples per event)",
        "  learner CPU per measured event",
        per_example * m as f64 / hot.len() as f64,
        m as f64 / hot.len() as f64
    );
    let kinds: [(&str, IsKind); 4] = [
        ("  response example", |e| {
            matches!(e, LabelledExample::Response(_))
        }),
        ("  lead example", |e| matches!(e, LabelledExample::Lead(_))),
        ("  persona example", |e| {
            matches!(e, LabelledExample::Persona { .. })
        }),
        ("  intervention example", |e| {
            matches!(e, LabelledExample::Intervention { .. })
        }),
    ];
    for (label, is_kind) in kinds {
        let selected: Vec<LabelledExample> =
            examples.iter().filter(|e| is_kind(e)).cloned().collect();
        learner_cpu(label, &selected);
    }
}
