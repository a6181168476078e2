//! Decision making per event: lead state + features + `ShardDecider::on_event` (decision, alert,
//! label joining) on simulator events, after a warm-up that trains the models; and the learner
//! per labelled example.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use leadstream::decide::{DecideConfig, DecisionOutputs, LabelledExample, Learner, ShardDecider};
use leadstream::event::Event;
use leadstream::lead::{extract, LeadParams, LeadStore, N_FEATURES};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};

fn events() -> Vec<Event<'static>> {
    let world = World::new(SimConfig::new(3000, 40, 17)).unwrap();
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut buf = String::new();
    let mut out = Vec::new();
    while let Some(ev) = sim.next_event() {
        out.push(ev.render(sim.world(), &mut buf).into_owned());
    }
    out
}

struct Engine {
    store: LeadStore,
    decider: ShardDecider,
    learner: Learner,
    out: DecisionOutputs,
    features: [f64; N_FEATURES],
    examples: Vec<LabelledExample>,
}

impl Engine {
    fn new() -> Self {
        let config = DecideConfig::default();
        let (learner, reader) = Learner::new(&config, 1);
        Self {
            store: LeadStore::new(LeadParams::default()),
            decider: ShardDecider::new(reader, &config, 0, 1),
            learner,
            out: DecisionOutputs::default(),
            features: [0.0; N_FEATURES],
            examples: Vec::new(),
        }
    }

    fn step(&mut self, e: &Event<'_>, learn: bool) {
        self.out.clear();
        self.decider.on_watermark(e.ts, &mut self.out);
        let signals = e.text().map(leadstream::text::analyze);
        if let (_, Some(state)) = self.store.apply(e, signals.as_ref()) {
            if let Some(lead) = e.lead_id() {
                extract(state, &LeadParams::default(), e.ts, &mut self.features);
                self.decider
                    .on_event(&e.tenant_id, lead, e, state, &self.features, &mut self.out);
            }
        }
        if learn {
            for ex in self.out.examples.drain(..) {
                self.learner.learn(ex);
            }
        } else {
            self.examples.append(&mut self.out.examples);
        }
    }
}

fn bench_decide(c: &mut Criterion) {
    let events = events();
    let split = events.len() * 3 / 4;
    let (warm, hot) = events.split_at(split);
    let mut group = c.benchmark_group("decide");
    group.sample_size(10);
    group.throughput(Throughput::Elements(hot.len() as u64));
    group.bench_function("state_features_decide_per_event", |b| {
        b.iter_batched_ref(
            || {
                let mut e = Engine::new();
                for ev in warm {
                    e.step(ev, true);
                }
                e.learner.publish();
                e
            },
            |e| {
                for ev in hot {
                    e.step(ev, false);
                }
                black_box(e.decider.counters().decisions)
            },
            BatchSize::PerIteration,
        )
    });
    let mut engine = Engine::new();
    for ev in warm {
        engine.step(ev, false);
    }
    let examples = std::mem::take(&mut engine.examples);
    group.throughput(Throughput::Elements(examples.len() as u64));
    group.bench_function("learner_per_example", |b| {
        b.iter_batched(
            || {
                let (learner, _reader) = Learner::new(&DecideConfig::default(), 1);
                (learner, examples.clone())
            },
            |(mut learner, examples)| {
                for ex in examples {
                    learner.learn(ex);
                }
                black_box(learner.counters())
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_decide);
criterion_main!(benches);
