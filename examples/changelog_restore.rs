//! Times a restart's lead-state restore from the Kafka changelog through a real broker:
//! `cargo run --release --example changelog_restore -- BROKERS [LEADS] [PARTITIONS]`
//! (defaults 100000 leads, 2 partitions; start a broker with `scripts/tansu.sh start`).
//!
//! Builds LEADS leads (two events each, as examples/lead_restore.rs), writes one changelog
//! record per lead to a fresh changelog topic and one event to a fresh events topic, then starts
//! the engine (real decision layer) with every partition statically assigned and times it until
//! that event is decided: the restore (read the changelog to its end, hand the states to the
//! shards, which load them ahead of the event) comes first. The engine's log line `Lead state
//! restored from the changelog.` gives the read alone (`seconds`).

use std::borrow::Cow;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use leadstream::decide::DecideConfig;
use leadstream::event::{Event, EventKind, Outbound};
use leadstream::lead::{changelog_key, LeadConfig, LeadStore};
use leadstream::persist::{encode_into, PayloadKind};
use leadstream::pipeline::config::Config;
use leadstream::pipeline::{
    ensure_topics, launch, DecideFactory, EventProducer, KafkaSettings, PipelineStats,
    Presentation, Shutdown,
};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};

fn main() {
    let mut args = std::env::args().skip(1);
    let brokers = args.next().unwrap_or_else(|| "127.0.0.1:19092".into());
    let leads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let partitions: i32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "leadstream::pipeline::source=info".into()),
        )
        .init();

    let run = format!("restore-{}-{}", std::process::id(), leads);
    let mut config = Config {
        brokers: brokers.clone(),
        group: format!("{run}-group"),
        ..Config::default()
    };
    config.topics.events = format!("{run}-events");
    config.topics.decisions = format!("{run}-decisions");
    config.topics.alerts = format!("{run}-alerts");
    config.topics.dead_letter = format!("{run}-dlq");
    config.state.changelog_topic = format!("{run}-changelog");
    config.topics.partitions = partitions;
    config.topics.static_partitions = (0..partitions).collect();
    config
        .kafka
        .insert("fetch.wait.max.ms".into(), toml::Value::String("10".into()));
    config.validate().expect("valid config");
    let settings = config.kafka_settings();
    let t = &settings.topics;
    ensure_topics(
        &settings,
        &[
            &t.events,
            &t.decisions,
            &t.alerts,
            &t.dead_letter,
            &t.changelog,
        ],
    )
    .expect("topics");

    let params = LeadConfig::default().build().expect("default params");
    let mut store = LeadStore::with_capacity(params, leads);
    for i in 0..leads {
        let lead = format!("lead-{i:08}");
        for (k, ts) in [
            (EventKind::EmailSent(Outbound::default()), 1_795_392_000_000),
            (EventKind::EmailOpened, 1_795_392_600_000 + i as i64),
        ] {
            let e = Event::new(
                format!("e{i}"),
                "tenant-1",
                Some(Cow::Borrowed(&lead)),
                ts,
                k,
            );
            store.apply_at(&e, None, i as i64);
        }
    }
    let producer_settings = KafkaSettings {
        client: [("linger.ms".to_string(), "20".to_string())].into(),
        ..KafkaSettings::new(&brokers, "restore-producer")
    };
    let producer = EventProducer::new(&producer_settings, &t.changelog).expect("producer");
    let t0 = Instant::now();
    let (mut key, mut value, mut bytes) = (Vec::new(), Vec::new(), 0usize);
    for record in store.records(0) {
        changelog_key(&record.tenant, &record.lead, &mut key);
        value.clear();
        encode_into(PayloadKind::LeadState, &record, &mut value).expect("encode");
        bytes += value.len();
        producer.send(&key, &value).expect("send");
    }
    producer
        .finish(Duration::from_secs(600))
        .expect("changelog written");
    let write_s = t0.elapsed().as_secs_f64();
    drop(store);
    println!(
        "changelog: {leads} records, {:.1} MB ({:.0} B/record), written in {write_s:.1} s ({:.0} records/s)",
        bytes as f64 / 1e6,
        bytes as f64 / leads.max(1) as f64,
        leads as f64 / write_s
    );

    let world = World::new(SimConfig::new(1, 1, 7)).expect("sim config");
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut id = String::new();
    let event = sim.next_event().expect("one event");
    let payload = serde_json::to_vec(&event.render(sim.world(), &mut id)).expect("event JSON");
    let events = EventProducer::new(&producer_settings, &t.events).expect("producer");
    events.send(b"probe", &payload).expect("send");
    events
        .finish(Duration::from_secs(60))
        .expect("event written");

    let shutdown = Shutdown::new();
    let stats = Arc::new(PipelineStats::default());
    let started = Instant::now();
    let engine = {
        let (config, stop, stats) = (config.clone(), shutdown.clone(), Arc::clone(&stats));
        std::thread::spawn(move || {
            let factory = DecideFactory::new(DecideConfig::default(), 42);
            launch(
                &config,
                &factory,
                None,
                &stop,
                &Presentation::default(),
                &stats,
            )
        })
    };
    while stats.events.load(Ordering::Relaxed) == 0 && !engine.is_finished() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let first_event_s = started.elapsed().as_secs_f64();
    shutdown.trigger();
    let summary = engine
        .join()
        .expect("engine thread")
        .expect("engine ran cleanly");
    assert_eq!(summary.events, 1, "the probe event was processed");
    println!(
        "restart with {leads} leads in the changelog ({partitions} partitions): first event decided after {first_event_s:.2} s"
    );
}
