//! Model snapshots: encode (persist envelope, postcard + CRC-32) and decode time and size of
//! each model and of the whole learner state, after training on simulator data; the whole
//! state's checkpoint (clone), restore, and serde_json encoding of the same state as a baseline.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use leadstream::decide::{DecideConfig, DecisionOutputs, Learner, LearnerState, ShardDecider};
use leadstream::lead::{extract, LeadParams, LeadStore, N_FEATURES};
use leadstream::persist::{decode, encode, PayloadKind};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A learner trained on a 3000-lead, 40-day simulation (the decide bench's stream).
fn trained() -> Learner {
    let config = DecideConfig::default();
    let (mut learner, reader) = Learner::new(&config, 1);
    let mut decider = ShardDecider::new(reader, &config, 0, 1);
    let mut store = LeadStore::new(LeadParams::default());
    let mut out = DecisionOutputs::default();
    let mut features = [0.0; N_FEATURES];
    let world = World::new(SimConfig::new(3000, 40, 17)).unwrap();
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut buf = String::new();
    while let Some(ev) = sim.next_event() {
        let e = ev.render(sim.world(), &mut buf).into_owned();
        out.clear();
        decider.on_watermark(e.ts, &mut out);
        let signals = e.text().map(leadstream::text::analyze);
        if let (_, Some(state)) = store.apply(&e, signals.as_ref()) {
            if let Some(lead) = e.lead_id() {
                extract(state, &LeadParams::default(), e.ts, &mut features);
                decider.on_event(&e.tenant_id, lead, &e, state, &features, &mut out);
            }
        }
        for ex in out.examples.drain(..) {
            learner.learn(ex);
        }
    }
    learner.publish();
    learner
}

fn bench_part<T: Serialize + DeserializeOwned>(c: &mut Criterion, name: &str, value: &T) {
    let bytes = encode(PayloadKind::ModelSet, value).unwrap();
    let json = serde_json::to_vec(value).unwrap();
    eprintln!(
        "snapshot size {name}: {} bytes (serde_json {} bytes)",
        bytes.len(),
        json.len()
    );
    let mut group = c.benchmark_group(format!("snapshot/{name}"));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("encode", |b| {
        b.iter(|| black_box(encode(PayloadKind::ModelSet, black_box(value)).unwrap()))
    });
    group.bench_function("decode", |b| {
        b.iter(|| black_box(decode::<T>(PayloadKind::ModelSet, black_box(&bytes)).unwrap()))
    });
    group.bench_function("serde_json_encode", |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(value)).unwrap()))
    });
    group.finish();
}

fn bench_snapshot(c: &mut Criterion) {
    let learner = trained();
    let c0 = learner.counters();
    eprintln!(
        "trained on {} lead, {} response, {} persona, {} intervention examples",
        c0.lead, c0.response, c0.persona, c0.intervention
    );
    let state: LearnerState = learner.checkpoint();
    let snapshot = {
        let (l, reader) = Learner::restore(&DecideConfig::default(), state.clone()).unwrap();
        drop(l);
        reader.load()
    };
    bench_part(c, "churn", snapshot.churn());
    bench_part(c, "response", snapshot.response());
    bench_part(c, "journey", snapshot.journey());
    bench_part(c, "indicators", snapshot.indicators());
    bench_part(c, "channel_bandits", &snapshot.channel().to_vec());
    bench_part(c, "send_time_bandits", &snapshot.send_time().to_vec());
    bench_part(
        c,
        "intervention_bandits",
        &snapshot.interventions().to_vec(),
    );
    bench_part(c, "variant_bandit", snapshot.variant());
    bench_part(c, "personas", snapshot.personas());
    bench_part(c, "learner_state", &state);
    let mut group = c.benchmark_group("snapshot/learner_state");
    group.bench_function("checkpoint", |b| b.iter(|| black_box(learner.checkpoint())));
    group.bench_function("restore", |b| {
        b.iter(|| {
            black_box(Learner::restore(&DecideConfig::default(), black_box(state.clone())).unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_snapshot);
criterion_main!(benches);
