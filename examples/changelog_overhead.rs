//! Throughput of the in-process engine with and without the lead-state changelog encoder in the
//! shards (same input, same run, alternating): `cargo run --release --example changelog_overhead`.
//!
//! The changelog records are built and encoded by the shards exactly as in Kafka mode; the
//! embedded sink then drops them (no broker), so this measures the engine's own cost of the
//! changelog, not the broker's cost of storing it.

use std::sync::Arc;
use std::time::Instant;

use leadstream::decide::DecideConfig;
use leadstream::pipeline::sink::FileSink;
use leadstream::pipeline::source::MemorySource;
use leadstream::pipeline::{
    run_engine_with_state, DecideFactory, EngineSettings, LeadDurability, PipelineStats, Shutdown,
};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};

fn main() {
    let arg = |i: usize, default: u32| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    let (leads, rounds) = (arg(1, 2_000), arg(2, 6));
    let world = World::new(SimConfig::new(leads, 30, 42)).expect("valid config");
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let (mut data, mut id, mut n) = (Vec::new(), String::new(), 0u64);
    while let Some(ev) = sim.next_event() {
        serde_json::to_writer(&mut data, &ev.render(sim.world(), &mut id)).expect("to a Vec");
        data.push(b'\n');
        n += 1;
    }
    let data: Arc<[u8]> = data.into();
    let settings = EngineSettings {
        shards: 2,
        ..EngineSettings::default()
    };
    let mut rates = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        let changelog = round % 2 == 1;
        let factory = DecideFactory::new(DecideConfig::default(), 7);
        let stats = Arc::new(PipelineStats::default());
        let mut source = MemorySource::new(Arc::clone(&data));
        let durability = LeadDurability {
            changelog,
            ..LeadDurability::default()
        };
        let t = Instant::now();
        run_engine_with_state(
            &settings,
            &durability,
            &factory,
            &mut source,
            FileSink::default(),
            &Shutdown::new(),
            &stats,
        )
        .expect("run");
        let rate = n as f64 / t.elapsed().as_secs_f64();
        rates[usize::from(changelog)].push(rate);
        println!("round {round} changelog={changelog}: {rate:.0} events/s");
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (off, on) = (median(&mut rates[0]), median(&mut rates[1]));
    println!(
        "events {n}  median without changelog {off:.0}/s  with changelog {on:.0}/s  overhead {:.1}%",
        (1.0 - on / off) * 100.0
    );
}
