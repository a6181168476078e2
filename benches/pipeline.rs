//! The in-process pipeline (no Kafka): events per second through every stage (route-decode,
//! shard decode, text analysis, lead state, features, decision stage, JSON outputs, sink) on
//! prepared JSON lines, and per-event processing latency p50/p99/p99.9 from the engine's
//! HdrHistogram (printed once per configuration; criterion reports the throughput).
//!
//! `decide`: the real decision layer (`DecideFactory`: churn, bandits, personas, label joining,
//! learner thread), as `leadstream run` uses it. `minimal_stage`: a decision stage that only
//! serializes a small decision per event, so that figure is the pipeline's own cost.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use leadstream::event::Event;
use leadstream::lead::{LeadState, N_FEATURES};
use leadstream::pipeline::sink::FileSink;
use leadstream::pipeline::source::MemorySource;
use leadstream::pipeline::{
    run_engine, DecideFactory, DecisionFactory, DecisionStage, EngineSettings, LearnStage,
    PipelineStats, Shutdown, StageOutputs, Summary, Timing,
};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};

#[derive(Debug)]
struct MinimalStage;
#[derive(Debug)]
struct NoLearner;
#[derive(Debug)]
struct Minimal;

impl DecisionStage for MinimalStage {
    type Example = ();
    fn on_event(
        &mut self,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        _state: &LeadState,
        features: &[f64; N_FEATURES],
        _timing: Timing,
        out: &mut StageOutputs<()>,
    ) {
        #[derive(serde::Serialize)]
        struct D<'a> {
            event_id: &'a str,
            tenant_id: &'a str,
            lead_id: &'a str,
            score: f64,
        }
        let d = D {
            event_id: &event.event_id,
            tenant_id,
            lead_id,
            score: features.iter().sum(),
        };
        let _ = serde_json::to_writer(&mut out.decision, &d);
    }
}

impl LearnStage for NoLearner {
    type Example = ();
    fn learn(&mut self, _: ()) {}
    fn publish(&mut self) {}
}

impl DecisionFactory for Minimal {
    type Example = ();
    type Stage = MinimalStage;
    type Learner = NoLearner;
    fn build(&self, shards: usize) -> (NoLearner, Vec<MinimalStage>) {
        (NoLearner, (0..shards).map(|_| MinimalStage).collect())
    }
}

fn input() -> (Vec<u8>, u64) {
    let world = World::new(SimConfig::new(2_000, 30, 42)).expect("valid config");
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let (mut out, mut id, mut n) = (Vec::with_capacity(64 << 20), String::new(), 0u64);
    while let Some(ev) = sim.next_event() {
        serde_json::to_writer(&mut out, &ev.render(sim.world(), &mut id)).expect("to a Vec");
        out.push(b'\n');
        n += 1;
    }
    (out, n)
}

fn run<F: DecisionFactory>(factory: &F, data: &Arc<[u8]>, shards: usize) -> Summary {
    let settings = EngineSettings {
        shards,
        ..EngineSettings::default()
    };
    let stats = Arc::new(PipelineStats::default());
    let mut source = MemorySource::new(Arc::clone(data));
    run_engine(
        &settings,
        factory,
        &mut source,
        FileSink::default(),
        &Shutdown::new(),
        &stats,
    )
    .expect("pipeline runs")
}

fn bench(c: &mut Criterion) {
    let (data, events) = input();
    let data: Arc<[u8]> = data.into();
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    let decide = DecideFactory::new(leadstream::decide::DecideConfig::default(), 42);
    for shards in [1, 2] {
        let summary = run(&decide, &data, shards);
        eprintln!("decide, {shards} shard(s), {events} events:\n{summary}");
        group.bench_function(format!("decide_{shards}_shards"), |b| {
            b.iter(|| run(&decide, &data, shards))
        });
        let summary = run(&Minimal, &data, shards);
        eprintln!("minimal_stage, {shards} shard(s), {events} events:\n{summary}");
        group.bench_function(format!("minimal_stage_{shards}_shards"), |b| {
            b.iter(|| run(&Minimal, &data, shards))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
