//! Times publishing a trained model version to the model topic and a fresh instance's warm start
//! from it, against a running broker:
//! `cargo run --release --example model_topic_publish -- BROKERS [ROUNDS]`.
//!
//! Trains the decision layer's learner in the embedded engine on a simulated stream (2000 leads,
//! 30 days) with a registry, then ROUNDS times: publishes its newest version (queue, produce
//! every chunk, wait for every acknowledgement) and times a fresh registry's `sync_registry`
//! (read the topic to its end, verify, import). Baseline in the same run: `ModelRegistry::save`
//! of the same state to the local disk.

use std::sync::Arc;
use std::time::{Duration, Instant};

use leadstream::decide::DecideConfig;
use leadstream::pipeline::sink::FileSink;
use leadstream::pipeline::source::SimSource;
use leadstream::pipeline::{
    ensure_model_topic, run_engine, DecideFactory, EngineSettings, KafkaSettings, PipelineStats,
    Shutdown,
};
use leadstream::registry::topic::{sync_registry, ModelTopic, TopicStart, CHUNK_BYTES};
use leadstream::registry::{ModelRegistry, RegistrySettings, SaveReason};
use leadstream::sim::SimConfig;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let brokers = args
        .next()
        .expect("usage: model_topic_publish BROKERS [ROUNDS]");
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let base = std::env::temp_dir().join(format!("leadstream-topic-{}", std::process::id()));
    let registry = ModelRegistry::in_state_dir(&base.join("a")).expect("registry");
    let factory = DecideFactory::new(DecideConfig::default(), 7).with_registry(RegistrySettings {
        registry: registry.clone(),
        snapshot_every: Duration::from_secs(3600),
        keep_versions: 0,
    });
    let mut source = SimSource::new(SimConfig::new(2000, 30, 17)).expect("sim");
    let sink = FileSink::create(None, None, None).expect("sink");
    run_engine(
        &EngineSettings::default(),
        &factory,
        &mut source,
        sink,
        &Shutdown::new(),
        &Arc::new(PipelineStats::default()),
    )
    .expect("training run");
    let newest = registry.list().expect("versions").pop().expect("a version");
    let settings = KafkaSettings::new(&brokers, "unused");
    let topic_name = format!("leadstream-bench-models-{}", std::process::id());
    ensure_model_topic(&settings, &topic_name).expect("topic");
    let topic = ModelTopic {
        topic: topic_name,
        consumer: settings.base(),
        producer: settings.producer(),
    };
    let state = registry.load(&newest.id).expect("loads");
    let (mut publish, mut sync, mut local) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let t = Instant::now();
        registry
            .save(&state, SaveReason::Manual, None, 0)
            .expect("local save");
        local.push(t.elapsed().as_secs_f64() * 1e3);
        let start = TopicStart {
            imported: None,
            instance: "bench".into(),
            first_slot: if round % 2 == 0 { 'a' } else { 'b' },
        };
        let publisher = topic.publisher(&registry, &start).expect("publisher");
        let t = Instant::now();
        publisher.publish(&newest);
        drop(publisher); // waits until every chunk is acknowledged
        publish.push(t.elapsed().as_secs_f64() * 1e3);
        let fresh = ModelRegistry::in_state_dir(&base.join(format!("b{round}"))).expect("fresh");
        let t = Instant::now();
        let s = sync_registry(&topic, &fresh, 0).expect("sync");
        sync.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(s.imported.is_some(), "nothing imported");
    }
    println!(
        "snapshot {} bytes, {} chunks of {} KiB; median of {rounds}: publish (produce + all acks) {:.1} ms, \
         fresh instance read + verify + import {:.1} ms; local registry save (baseline) {:.1} ms",
        newest.size_bytes,
        newest.size_bytes.div_ceil(CHUNK_BYTES as u64),
        CHUNK_BYTES / 1024,
        median(publish),
        median(sync),
        median(local)
    );
    let _ = std::fs::remove_dir_all(&base);
}
