//! Learner checkpoints: a state taken with `Learner::checkpoint`, encoded with the persist
//! envelope and restored gives bit-identical predictions for every model (churn, response,
//! journey, indicators, each bandit's choice under the same seed, personas), and a restored
//! learner that keeps learning stays identical to one that never stopped.

use leadstream::decide::models::{ModelInput, Supervisable};
use leadstream::decide::persona_features::PERSONA_DIM;
use leadstream::decide::{
    DecideConfig, Intervention, LabelledExample, LeadExample, Learner, LearnerState, ModelSnapshot,
    ResponseExample, VARIANT_CONTEXT,
};
use leadstream::lead::N_FEATURES;
use leadstream::learn::Classifier;
use leadstream::persist::{decode, encode, PayloadKind};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

const HOUR: i64 = 3_600_000;

/// A mixed stream of every example kind, with a churn concept that flips half way so the drift
/// supervisors start (and may promote) background models.
fn examples(n: usize, seed: u64) -> Vec<LabelledExample> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let ts = i as i64 * HOUR / 10;
        let mut features = [0.0; N_FEATURES];
        for f in &mut features {
            *f = rng.random::<f64>();
        }
        let flipped = i > n / 2;
        match i % 4 {
            0 | 1 => {
                let mut indicators = [0.0; 10];
                for v in &mut indicators {
                    *v = rng.random::<f64>();
                }
                let churned = ((features[0] > 0.5) != flipped) ^ (rng.random::<f64>() < 0.1);
                out.push(LabelledExample::Lead(LeadExample {
                    snapshot_ts: ts,
                    label_ts: ts,
                    features,
                    indicators,
                    churned,
                    progressed: features[1] > 0.7,
                }));
            }
            2 => {
                let mut variant_context = [0.0; VARIANT_CONTEXT];
                for v in &mut variant_context {
                    *v = rng.random::<f64>();
                }
                let channel = rng.random_range(0..3);
                out.push(LabelledExample::Response(ResponseExample {
                    touch_ts: ts,
                    label_ts: ts,
                    features,
                    channel,
                    variant: Some(rng.random_range(0..3)),
                    variant_context,
                    hour_of_week: rng.random_range(0..168),
                    persona: Some(rng.random_range(0..4)),
                    responded: features[2] > 0.6 || channel == 1,
                }));
            }
            _ => {
                let mut point = [0.0; PERSONA_DIM];
                for v in &mut point {
                    *v = rng.random::<f64>() + f64::from(u8::from(i % 8 == 3));
                }
                out.push(LabelledExample::Persona { ts, point });
                out.push(LabelledExample::Intervention {
                    ts,
                    indicator: rng.random_range(0..10),
                    intervention: Intervention::ALL[rng.random_range(0..Intervention::COUNT)],
                    recovered: rng.random::<f64>() < 0.3,
                });
            }
        }
    }
    out
}

fn round_trip(state: &LearnerState) -> LearnerState {
    let bytes = encode(PayloadKind::ModelSet, state).expect("encodes");
    decode(PayloadKind::ModelSet, &bytes).expect("decodes")
}

/// Every prediction the published models make on a fixed probe set, as bit patterns.
fn predictions(snapshot: &ModelSnapshot) -> Vec<u64> {
    let mut rng = Pcg64Mcg::seed_from_u64(99);
    let mut out = Vec::new();
    for _ in 0..50 {
        let mut features = [0.0; N_FEATURES];
        for f in &mut features {
            *f = rng.random::<f64>();
        }
        for arm in 0..3 {
            let x = ModelInput { features, arm };
            out.push(snapshot.churn().predict(&x).to_bits());
            out.push(snapshot.response().predict(&x).to_bits());
            out.push(snapshot.journey().predict(&x).to_bits());
        }
        let mut p = [0.0; 2];
        snapshot
            .indicators()
            .predict_proba_one(&features[..10], &mut p);
        out.push(p[1].to_bits());
        let point: Vec<f64> = features[..PERSONA_DIM].to_vec();
        out.push(snapshot.personas().predict_one(&point) as u64);
        out.push(
            snapshot
                .variant()
                .choose(&features[..VARIANT_CONTEXT], u32::MAX)
                .0 as u64,
        );
    }
    // Bandit choices under one seed: same posteriors give the same draws.
    let mut draws = Pcg64Mcg::seed_from_u64(7);
    for bandits in [snapshot.channel(), snapshot.interventions()] {
        for b in bandits {
            for _ in 0..20 {
                let (arm, estimate) = b.choose(&mut draws, u32::MAX);
                out.push(arm as u64);
                out.push(estimate.mean.to_bits());
                out.push(estimate.sample.to_bits());
            }
        }
    }
    for b in snapshot.send_time() {
        for first in (0..168).step_by(9) {
            let (k, estimate) = b.choose_next(&mut draws, first, 24, |_| (0.0, 0.0), 50.0);
            out.push(k as u64);
            out.push(estimate.mean.to_bits());
            out.push(estimate.sample.to_bits());
        }
    }
    out.push(snapshot.sequence);
    out
}

#[test]
fn a_restored_learner_predicts_bit_identically_for_every_model() {
    let config = DecideConfig::default();
    let (mut learner, reader) = Learner::new(&config, 11);
    for e in examples(8_000, 1) {
        learner.learn(e);
    }
    learner.publish();
    let state = round_trip(&learner.checkpoint());
    assert!(state.samples_seen() > 8_000);
    let (restored, restored_reader) = Learner::restore(&config, state).expect("restores");
    let (a, b) = (reader.load(), restored_reader.load());
    assert_eq!(a.versions, b.versions);
    assert_eq!(predictions(&a), predictions(&b));
    assert_eq!(learner.generations(), restored.generations());
    assert_eq!(learner.rolling_scores(), restored.rolling_scores());
    // A learner that learned nothing predicts differently: the probe set can tell them apart.
    let (_, fresh) = Learner::new(&config, 11);
    assert_ne!(predictions(&a), predictions(&fresh.load()));
}

#[test]
fn a_restored_learner_that_keeps_learning_matches_one_that_never_stopped() {
    let config = DecideConfig::default();
    let stream = examples(12_000, 2);
    let (first, second) = stream.split_at(5_000);
    let (mut never_stopped, reader) = Learner::new(&config, 5);
    for e in first {
        never_stopped.learn(e.clone());
    }
    // Background models were started before the checkpoint, so they are part of the state.
    let before = never_stopped.take_events();
    assert!(
        !before.is_empty(),
        "the supervisors should have acted before the checkpoint"
    );
    let state = round_trip(&never_stopped.checkpoint());
    let (mut restored, restored_reader) = Learner::restore(&config, state).expect("restores");
    let mut events = (Vec::new(), Vec::new());
    for e in second {
        never_stopped.learn(e.clone());
        restored.learn(e.clone());
        events.0.extend(never_stopped.take_events());
        events.1.extend(restored.take_events());
    }
    never_stopped.publish();
    restored.publish();
    assert_eq!(events.0, events.1);
    assert_eq!(
        predictions(&reader.load()),
        predictions(&restored_reader.load())
    );
    assert_eq!(never_stopped.counters(), restored.counters());
    let a = encode(PayloadKind::ModelSet, &never_stopped.checkpoint()).expect("encodes");
    let b = encode(PayloadKind::ModelSet, &restored.checkpoint()).expect("encodes");
    assert!(a == b, "the two learners' states differ");
}

#[test]
fn a_state_from_another_persona_count_is_refused() {
    let (learner, _) = Learner::new(&DecideConfig::default(), 1);
    let state = learner.checkpoint();
    let other = DecideConfig {
        personas: DecideConfig::default().personas + 1,
        ..DecideConfig::default()
    };
    let err = Learner::restore(&other, state).expect_err("personas differ");
    assert!(err.to_string().contains("personas"), "{err}");
}

#[test]
fn replace_state_rolls_back_and_keeps_the_sequence_increasing() {
    let config = DecideConfig::default();
    let (mut learner, reader) = Learner::new(&config, 3);
    let stream = examples(4_000, 3);
    for e in &stream[..1_000] {
        learner.learn(e.clone());
    }
    learner.publish();
    let early = learner.checkpoint();
    let early_predictions = predictions(&reader.load());
    for e in &stream[1_000..] {
        learner.learn(e.clone());
    }
    learner.publish();
    let before = reader.load();
    assert_ne!(predictions(&before), early_predictions);
    learner.replace_state(early.clone()).expect("replaces");
    let after = reader.load();
    assert!(after.sequence > before.sequence);
    assert_eq!(after.versions, early.versions());
    let mut expected = early_predictions;
    let mut got = predictions(&after);
    // Everything but the sequence (last) matches the early models.
    expected.pop();
    got.pop();
    assert_eq!(got, expected);
}

#[test]
fn a_refused_replacement_leaves_the_learner_publishing() {
    let config = DecideConfig::default();
    let (mut learner, reader) = Learner::new(&config, 3);
    let other = DecideConfig {
        personas: config.personas + 1,
        ..config.clone()
    };
    let (foreign, _) = Learner::new(&other, 3);
    assert!(learner.replace_state(foreign.checkpoint()).is_err());
    let before = reader.load().sequence;
    for e in examples(200, 4) {
        learner.learn(e);
    }
    learner.publish();
    assert!(reader.load().sequence > before);
}
