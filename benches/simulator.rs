//! Simulator throughput: events generated per second, bare (the stepping iterator) and as JSON
//! lines (render + serde_json into a buffer), which is what `leadstream simulate` does.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};

fn config() -> SimConfig {
    let mut c = SimConfig::new(2_000, 30, 42);
    c.tenants = 4;
    c.drifts = vec!["sms-dead@15d".parse().expect("valid spec")];
    c
}

fn count_events() -> u64 {
    let world = World::new(config()).expect("valid config");
    Simulation::new(world, CadencePolicy::default()).count() as u64
}

fn bench(c: &mut Criterion) {
    let events = count_events();
    let mut group = c.benchmark_group("simulator");
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    group.bench_function("generate_2000_leads_30_days", |b| {
        b.iter(|| {
            let world = World::new(config()).expect("valid config");
            Simulation::new(world, CadencePolicy::default()).count()
        })
    });
    group.bench_function("generate_and_write_jsonl_2000_leads_30_days", |b| {
        let mut out: Vec<u8> = Vec::with_capacity(64 << 20);
        let mut id = String::new();
        b.iter(|| {
            out.clear();
            let world = World::new(config()).expect("valid config");
            let mut sim = Simulation::new(world, CadencePolicy::default());
            while let Some(ev) = sim.next_event() {
                serde_json::to_writer(&mut out, &ev.render(sim.world(), &mut id))
                    .expect("writing to a Vec cannot fail");
                out.push(b'\n');
            }
            out.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
