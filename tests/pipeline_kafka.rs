//! The engine against a real Kafka-protocol broker (tansu on loopback, started by
//! scripts/test.sh, which exports LEADSTREAM_TEST_BROKERS). Without that variable the tests
//! print a notice and pass, except under CI=true where a missing broker fails them.
//!
//! Every test uses fresh random topic and group names.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{simulated, EchoFactory};
use leadstream::pipeline::config::Config;
use leadstream::pipeline::{
    ensure_topics, launch, EventProducer, KafkaSettings, PipelineError, PipelineStats,
    Presentation, Shutdown, Summary,
};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

fn brokers() -> Option<String> {
    match std::env::var("LEADSTREAM_TEST_BROKERS") {
        Ok(b) if !b.is_empty() => Some(b),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "LEADSTREAM_TEST_BROKERS is not set under CI=true: the Kafka tests need a broker \
                 (scripts/test.sh starts one)"
            );
            eprintln!("skipping: LEADSTREAM_TEST_BROKERS not set (scripts/tansu.sh start)");
            None
        }
    }
}

fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("ls-{name}-{}-{nanos}", std::process::id())
}

struct Setup {
    brokers: String,
    config: Config,
}

fn setup(brokers: &str, name: &str, partitions: i32) -> Setup {
    let mut config = Config {
        brokers: brokers.to_string(),
        group: unique(&format!("{name}-group")),
        ..Config::default()
    };
    config.topics.events = unique(&format!("{name}-events"));
    config.topics.decisions = unique(&format!("{name}-decisions"));
    config.topics.alerts = unique(&format!("{name}-alerts"));
    config.topics.dead_letter = unique(&format!("{name}-dlq"));
    config.state.changelog_topic = unique(&format!("{name}-changelog"));
    config.topics.partitions = partitions;
    config.engine.batch_size = 64;
    config.delivery.commit_interval_ms = 100;
    config
        .kafka
        .insert("fetch.wait.max.ms".into(), toml::Value::String("10".into()));
    config.kafka.insert(
        "session.timeout.ms".into(),
        toml::Value::String("10000".into()),
    );
    config.validate().expect("valid test config");
    let k = config.kafka_settings();
    let t = &k.topics;
    ensure_topics(&k, &[&t.events, &t.decisions, &t.alerts, &t.dead_letter]).expect("topics");
    Setup {
        brokers: brokers.to_string(),
        config,
    }
}

/// Produces events keyed by lead (and `extra` malformed payloads); returns the lead events' ids.
fn produce(s: &Setup, events: &[(String, Vec<u8>, bool)], extra: &[&[u8]]) -> Vec<String> {
    let settings = KafkaSettings::new(&s.brokers, "producer");
    let producer = EventProducer::new(&settings, &s.config.topics.events).expect("producer");
    let mut ids = Vec::new();
    for (i, (id, bytes, lead)) in events.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_slice(bytes).expect("json");
        let key = format!("{}/{}", v["tenant_id"], v["lead_id"]);
        producer.send(key.as_bytes(), bytes).expect("send");
        if *lead {
            ids.push(id.clone());
        }
        if let Some(bad) = extra.get(i) {
            producer.send(b"bad", bad).expect("send");
        }
    }
    producer
        .finish(Duration::from_secs(60))
        .expect("events delivered");
    ids
}

/// A consumed record: key, payload, headers.
type Record = (Vec<u8>, Vec<u8>, HashMap<String, String>);

type Engine = (
    Shutdown,
    JoinHandle<Result<Summary, PipelineError>>,
    Arc<PipelineStats>,
);

fn start(config: &Config) -> Engine {
    start_with(config, EchoFactory::default())
}

fn start_with(config: &Config, factory: EchoFactory) -> Engine {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .try_init();
    let shutdown = Shutdown::new();
    let stats = Arc::new(PipelineStats::default());
    let (config, stop, shared) = (config.clone(), shutdown.clone(), Arc::clone(&stats));
    let handle = std::thread::spawn(move || {
        launch(
            &config,
            &factory,
            None,
            &stop,
            &Presentation::default(),
            &shared,
        )
    });
    (shutdown, handle, stats)
}

fn stop((shutdown, handle, _): Engine) -> Summary {
    shutdown.trigger();
    handle
        .join()
        .expect("engine thread")
        .expect("engine ran cleanly")
}

/// Reads `topic` from the beginning until `want(records)` or the deadline; returns every
/// record's (key, payload, headers).
fn read_topic(
    brokers: &str,
    topic: &str,
    partitions: i32,
    deadline: Duration,
    want: impl Fn(&[Record]) -> bool,
) -> Vec<Record> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", unique("reader"))
        .set("fetch.wait.max.ms", "10")
        .set("enable.auto.commit", "false")
        .create()
        .expect("reader");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition_offset(topic, p, Offset::Beginning)
            .expect("partition");
    }
    consumer.assign(&tpl).expect("assign");
    let mut out = Vec::new();
    let end = Instant::now() + deadline;
    // The predicate may parse every record: evaluate it when the topic is idle or every 256
    // records, not per record.
    let mut since_check = 0usize;
    while Instant::now() < end {
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(m)) => {
                let headers = m
                    .headers()
                    .map(|h| {
                        h.iter()
                            .map(|h| {
                                (
                                    h.key.to_string(),
                                    String::from_utf8_lossy(h.value.unwrap_or_default())
                                        .into_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push((
                    m.key().unwrap_or_default().to_vec(),
                    m.payload().unwrap_or_default().to_vec(),
                    headers,
                ));
                since_check += 1;
                if since_check >= 256 && want(&out) {
                    break;
                }
                if since_check >= 256 {
                    since_check = 0;
                }
            }
            _ => {
                since_check = 0;
                if want(&out) {
                    break;
                }
            }
        }
    }
    out
}

/// The decisions topic read until every id in `ids` has a decision (or 120 s pass).
fn every_decision(brokers: &str, s: &Setup, partitions: i32, ids: &[String]) -> Vec<Record> {
    read_topic(
        brokers,
        &s.config.topics.decisions,
        partitions,
        Duration::from_secs(120),
        |r| distinct_ids(r) >= ids.len(),
    )
}

/// How many of `ids` have no decision, and how many decisions are duplicates.
fn coverage(counts: &HashMap<String, usize>, ids: &[String]) -> (usize, usize) {
    let missing = ids.iter().filter(|id| !counts.contains_key(*id)).count();
    let duplicates = counts.values().map(|n| n - 1).sum();
    (missing, duplicates)
}

fn decision_counts(records: &[Record]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for (key, payload, _) in records {
        let v: serde_json::Value = serde_json::from_slice(payload).expect("decision JSON");
        let id = v["event_id"].as_str().expect("event_id").to_string();
        let lead = format!(
            "{}/{}",
            v["tenant_id"].as_str().unwrap_or(""),
            v["lead_id"].as_str().unwrap_or("")
        );
        assert_eq!(String::from_utf8_lossy(key), lead, "decision keyed by lead");
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

fn committed(s: &Setup, partitions: i32) -> Vec<i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &s.brokers)
        .set("group.id", &s.config.group)
        .create()
        .expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition(&s.config.topics.events, p);
    }
    let got = consumer
        .committed_offsets(tpl, Duration::from_secs(10))
        .expect("committed offsets");
    got.elements()
        .iter()
        .map(|e| match e.offset() {
            Offset::Offset(o) => o,
            _ => -1,
        })
        .collect()
}

#[test]
fn one_decision_per_event_and_dead_letters_with_reasons() {
    let Some(brokers) = brokers() else { return };
    let s = setup(&brokers, "once", 1);
    let events = simulated(40, 5, 11);
    let bad: [&[u8]; 3] = [b"{oops", br#"{"type":"email_open"}"#, b"\xff"];
    let ids = produce(&s, &events, &bad);
    let engine = start(&s.config);
    let decisions = read_topic(
        &brokers,
        &s.config.topics.decisions,
        1,
        Duration::from_secs(90),
        |r| r.len() >= ids.len(),
    );
    let dead = read_topic(
        &brokers,
        &s.config.topics.dead_letter,
        1,
        Duration::from_secs(30),
        |r| r.len() >= 3,
    );
    let summary = stop(engine);
    // Anything extra would arrive after the expected count: read again briefly.
    let decisions_after = read_topic(
        &brokers,
        &s.config.topics.decisions,
        1,
        Duration::from_secs(2),
        |_| false,
    );
    assert_eq!(
        decisions_after.len(),
        decisions.len(),
        "late duplicate decisions"
    );

    let counts = decision_counts(&decisions);
    assert_eq!(counts.len(), ids.len(), "every lead event decided");
    assert!(
        ids.iter().all(|id| counts.get(id) == Some(&1)),
        "exactly once each"
    );
    assert_eq!(dead.len(), 3);
    let mut reasons: Vec<String> = dead.iter().map(|(_, _, h)| h["reason"].clone()).collect();
    reasons.sort();
    let mut expected: Vec<String> = bad
        .iter()
        .map(|b| {
            leadstream::event::decode(b)
                .expect_err("bad")
                .reason()
                .to_string()
        })
        .collect();
    expected.sort();
    assert_eq!(reasons, expected);
    for (_, payload, h) in &dead {
        assert!(bad.contains(&payload.as_slice()), "original bytes kept");
        assert_eq!(h["source_topic"], s.config.topics.events);
        assert!(h["source_offset"].parse::<i64>().is_ok() && h["source_partition"] == "0");
        assert!(!h["error"].is_empty());
    }
    assert_eq!(summary.dead_letters, 3);
    // Every input offset was committed after its outputs were acknowledged.
    assert_eq!(committed(&s, 1), vec![(events.len() + bad.len()) as i64]);
}

#[test]
fn two_instances_split_partitions_and_decide_everything() {
    let Some(brokers) = brokers() else { return };
    let s = setup(&brokers, "split", 4);
    let events = simulated(600, 30, 12);
    let a = start(&s.config);
    let b = start(&s.config);
    // Keep producing until both instances have consumed something (the group takes a few
    // seconds to settle), then wait for every produced event's decision.
    let mut ids = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    for chunk in events.chunks(200) {
        ids.extend(produce(&s, chunk, &[]));
        let both = [&a, &b]
            .iter()
            .all(|(_, _, st)| st.records_in.load(std::sync::atomic::Ordering::Relaxed) > 0);
        if both || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let decisions = every_decision(&brokers, &s, 4, &ids);
    let (sa, sb) = (stop(a), stop(b));
    let counts = decision_counts(&decisions);
    assert!(
        ids.iter().all(|id| counts.contains_key(id)),
        "every event decided"
    );
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    eprintln!(
        "instance events: {} + {}; duplicates {duplicates}",
        sa.events, sb.events
    );
    assert!(
        sa.events > 0 && sb.events > 0,
        "both instances got partitions"
    );
    assert!(
        duplicates <= 2 * 64 * 2,
        "duplicates bounded by in-flight batches"
    );
}

#[test]
fn restart_mid_stream_loses_nothing() {
    let Some(brokers) = brokers() else { return };
    let s = setup(&brokers, "restart", 2);
    let events = simulated(300, 20, 13);
    let ids = produce(&s, &events, &[]);
    // Half a millisecond of work per event keeps the first run busy long enough to stop it
    // mid-stream.
    let slow = EchoFactory {
        delay: Duration::from_micros(500),
        ..EchoFactory::default()
    };
    let first = start_with(&s.config, slow);
    let partial = read_topic(
        &brokers,
        &s.config.topics.decisions,
        2,
        Duration::from_secs(60),
        |r| r.len() >= ids.len() / 3,
    );
    let s1 = stop(first);
    assert!(!partial.is_empty());
    assert!(
        (s1.events as usize) < events.len(),
        "the first run stopped mid-stream ({} of {})",
        s1.events,
        events.len()
    );
    let second = start(&s.config);
    let decisions = every_decision(&brokers, &s, 2, &ids);
    let s2 = stop(second);
    let counts = decision_counts(&decisions);
    let (missing, duplicates) = coverage(&counts, &ids);
    eprintln!(
        "first run {} events, second run {} events, duplicates {duplicates}",
        s1.events, s2.events
    );
    assert_eq!(missing, 0, "every event decided across the restart");
    assert!(
        duplicates <= 2 * 64 * 2,
        "duplicates bounded by in-flight batches"
    );
    assert!(
        (s2.events as usize) < events.len(),
        "the second run resumed from the commit"
    );
}

/// Distinct event ids among decision records.
fn distinct_ids(records: &[Record]) -> usize {
    decision_counts(records).len()
}

#[test]
fn simulate_kafka_produces_the_same_events_as_the_jsonl_output() {
    let Some(brokers) = brokers() else { return };
    let topic = unique("simulate");
    let bin = env!("CARGO_BIN_EXE_leadstream");
    let args = ["simulate", "--leads", "30", "--days", "5", "--seed", "9"];
    let jsonl = std::process::Command::new(bin)
        .args(args)
        .output()
        .expect("simulate runs");
    assert!(jsonl.status.success());
    let expected: Vec<&[u8]> = jsonl
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let status = std::process::Command::new(bin)
        .args(args)
        .args([
            "--kafka",
            "--brokers",
            &brokers,
            "--topic",
            &topic,
            "--partitions",
            "2",
        ])
        .status()
        .expect("simulate --kafka runs");
    assert!(status.success());
    let records = read_topic(&brokers, &topic, 2, Duration::from_secs(60), |r| {
        r.len() >= expected.len()
    });
    assert_eq!(records.len(), expected.len());
    let mut got: Vec<&[u8]> = records.iter().map(|(_, p, _)| p.as_slice()).collect();
    let mut want = expected.clone();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "same payloads");
    for (key, payload, _) in &records {
        let v: serde_json::Value = serde_json::from_slice(payload).expect("json");
        let lead = format!(
            "{}/{}",
            v["tenant_id"].as_str().unwrap_or(""),
            v["lead_id"].as_str().unwrap_or("")
        );
        assert_eq!(String::from_utf8_lossy(key), lead, "keyed by lead");
    }
}

#[test]
fn a_crashed_shard_loses_nothing_after_restart() {
    let Some(brokers) = brokers() else { return };
    let mut s = setup(&brokers, "crash", 2);
    s.config.delivery.drain_timeout_ms = 1_000;
    let events = simulated(300, 20, 14);
    let ids = produce(&s, &events, &[]);
    // One shard panics at the 1500th event: its in-flight records never complete, the engine
    // stops with an error, and only offsets below them are committed.
    let crashing = EchoFactory {
        delay: Duration::from_micros(200),
        crash_at: Some(1_500),
        ..EchoFactory::default()
    };
    let (_, handle, stats) = start_with(&s.config, crashing);
    let crashed = handle.join().expect("engine thread");
    assert!(
        matches!(crashed, Err(PipelineError::Stopped(_))),
        "the crash stops the engine: {crashed:?}"
    );
    let first_events = stats.summary(Duration::from_secs(1)).events;
    eprintln!("committed after crash: {:?}", committed(&s, 2));
    let second = start(&s.config);
    let decisions = every_decision(&brokers, &s, 2, &ids);
    let s2 = stop(second);
    let counts = decision_counts(&decisions);
    let (missing, duplicates) = coverage(&counts, &ids);
    eprintln!(
        "crashed run {first_events} events, restart {} events, duplicates {duplicates}",
        s2.events
    );
    eprintln!(
        "decision records {}, distinct {}, missing {missing}",
        decisions.len(),
        counts.len()
    );
    assert_eq!(missing, 0, "every event decided after the restart");
    assert!(duplicates > 0 || s2.events as usize == events.len() - first_events as usize);
    assert!(
        duplicates <= 2 * 16 * 64 + 2 * 64,
        "duplicates bounded by what was in flight (channels and batches)"
    );
}

/// Each lead event's 1-based position among its lead's events, and each lead's event count.
fn lead_positions(
    events: &[(String, Vec<u8>, bool)],
) -> (HashMap<String, u32>, HashMap<String, u32>) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut pos = HashMap::new();
    for (id, bytes, lead) in events {
        if !*lead {
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(bytes).expect("json");
        let key = format!("{}/{}", v["tenant_id"], v["lead_id"]);
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        pos.insert(id.clone(), *n);
    }
    (pos, seen)
}

/// Checks every decision's lead state against the stream: the state a decision saw counts at
/// least the events of its lead up to this one (nothing lost across the restart or move) and
/// at most the lead's events (nothing applied twice); an event decided once saw exactly its
/// position. A second instance that started its leads empty would fail the first check.
fn assert_state_continues(events: &[(String, Vec<u8>, bool)], decisions: &[Record]) {
    let (pos, totals) = lead_positions(events);
    let counts = decision_counts(decisions);
    let mut exact = 0;
    for (_, payload, _) in decisions {
        let v: serde_json::Value = serde_json::from_slice(payload).expect("decision JSON");
        let id = v["event_id"].as_str().expect("event_id");
        let seen = u32::try_from(v["lead_events"].as_u64().expect("lead_events")).unwrap();
        let Some(&p) = pos.get(id) else { continue };
        let lead = format!(
            "\"{}\"/\"{}\"",
            v["tenant_id"].as_str().unwrap(),
            v["lead_id"].as_str().unwrap()
        );
        assert!(
            seen >= p,
            "event {id}: state counts {seen} events, the stream had {p} by then"
        );
        assert!(
            seen <= totals[&lead],
            "event {id}: state counts {seen} > {} events of its lead",
            totals[&lead]
        );
        if counts[id] == 1 {
            assert_eq!(seen, p, "event {id} decided once");
            exact += 1;
        }
    }
    assert!(exact > 0);
}

#[test]
fn lead_state_survives_a_restart_through_the_changelog() {
    let Some(brokers) = brokers() else { return };
    let s = setup(&brokers, "state-restart", 2);
    let events = simulated(300, 20, 17);
    let ids = produce(&s, &events, &[]);
    let slow = EchoFactory {
        delay: Duration::from_millis(2),
        ..EchoFactory::default()
    };
    let first = start_with(&s.config, slow);
    read_topic(
        &brokers,
        &s.config.topics.decisions,
        2,
        Duration::from_secs(60),
        |r| r.len() >= ids.len() / 3,
    );
    let s1 = stop(first);
    assert!((s1.events as usize) < events.len(), "stopped mid-stream");
    let second = start(&s.config);
    let decisions = every_decision(&brokers, &s, 2, &ids);
    let s2 = stop(second);
    eprintln!(
        "first run {} events, second run {} events",
        s1.events, s2.events
    );
    assert!(
        (s2.events as usize) < events.len(),
        "the second run resumed from the commit"
    );
    assert_state_continues(&events, &decisions);
}

#[test]
fn partition_move_carries_lead_state() {
    let Some(brokers) = brokers() else { return };
    let s = setup(&brokers, "state-move", 4);
    let events = simulated(300, 20, 19);
    let ids = produce(&s, &events, &[]);
    let slow = || EchoFactory {
        delay: Duration::from_millis(5),
        ..EchoFactory::default()
    };
    let a = start_with(&s.config, slow());
    let b = start_with(&s.config, slow());
    // Wait until both instances hold partitions and have decided some of their events.
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until
        && [&a, &b]
            .iter()
            .any(|e| e.2.events.load(std::sync::atomic::Ordering::Relaxed) < 50)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    read_topic(
        &brokers,
        &s.config.topics.decisions,
        4,
        Duration::from_secs(60),
        |r| r.len() >= ids.len() / 3,
    );
    let sb = stop(b);
    assert!(
        sb.events > 0,
        "instance B held partitions before it stopped"
    );
    let decisions = every_decision(&brokers, &s, 4, &ids);
    let sa = stop(a);
    eprintln!(
        "instance A {} events, instance B {} events",
        sa.events, sb.events
    );
    assert_state_continues(&events, &decisions);
}

/// Every lead's newest changelog record (the compacted view), read to the end of the topic.
fn changelog_states(
    brokers: &str,
    topic: &str,
    partitions: i32,
) -> HashMap<Vec<u8>, leadstream::lead::LeadRecord> {
    let records = read_topic(brokers, topic, partitions, Duration::from_secs(30), |_| {
        false
    });
    let mut newest = HashMap::new();
    for (key, value, _) in records {
        let r: leadstream::lead::LeadRecord =
            leadstream::persist::decode(leadstream::persist::PayloadKind::LeadState, &value)
                .expect("changelog record decodes");
        newest.insert(key, r);
    }
    newest
}

fn engine_command(s: &Setup) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_leadstream"));
    let t = &s.config.topics;
    cmd.args([
        "run",
        "--quiet",
        "--brokers",
        &s.brokers,
        "--group",
        &s.config.group,
    ])
    .args([
        "--events-topic",
        &t.events,
        "--decisions-topic",
        &t.decisions,
    ])
    .args([
        "--alerts-topic",
        &t.alerts,
        "--dead-letter-topic",
        &t.dead_letter,
    ])
    .args(["--changelog-topic", &s.config.state.changelog_topic])
    .args([
        "--kafka",
        "fetch.wait.max.ms=10",
        "--kafka",
        "session.timeout.ms=6000",
        // Static membership: the restarted process takes over the killed member's partitions
        // at once (tansu does not expire a dead member's session).
        "--kafka",
        "group.instance.id=kill9-member",
    ])
    .env("RUST_LOG", "info")
    .stdout(std::process::Stdio::null());
    let log = std::env::temp_dir().join(format!("{}.log", t.events));
    match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
    {
        Ok(f) => {
            eprintln!("engine log: {}", log.display());
            cmd.stderr(f)
        }
        Err(_) => cmd.stderr(std::process::Stdio::null()),
    };
    cmd
}

/// kill -9 of the `leadstream` binary mid-stream, then a restart: every lead's final state in
/// the changelog is bit-identical to the state of a store that applied the lead's events once,
/// in order (an engine that never crashed), and every event has a decision.
#[test]
#[ignore = "tansu 0.6 keeps a SIGKILLed member in the group: the restarted instance is assigned no partitions (docs/pipeline.md)"]
fn kill_9_mid_stream_then_restart_restores_lead_state() {
    let Some(brokers) = brokers() else { return };
    let s = setup(&brokers, "kill9", 2);
    let events = simulated(500, 30, 23);
    let ids = produce(&s, &events, &[]);
    let mut first = engine_command(&s).spawn().expect("engine starts");
    read_topic(
        &brokers,
        &s.config.topics.decisions,
        2,
        Duration::from_secs(120),
        |r| r.len() >= ids.len() / 4,
    );
    first.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    let _ = first.wait();
    let before = read_topic(
        &brokers,
        &s.config.topics.decisions,
        2,
        Duration::from_secs(2),
        |_| false,
    );
    eprintln!(
        "killed after {} decisions of {}",
        distinct_ids(&before),
        ids.len()
    );
    assert!(
        distinct_ids(&before) > 0 && distinct_ids(&before) < ids.len(),
        "killed mid-stream"
    );
    let mut second = engine_command(&s).spawn().expect("engine restarts");
    let decisions = read_topic(
        &brokers,
        &s.config.topics.decisions,
        2,
        Duration::from_secs(90),
        |r| distinct_ids(r) >= ids.len(),
    );
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status();
    let status = second.wait().expect("engine exits");
    assert!(status.success(), "clean stop: {status}");
    let counts = decision_counts(&decisions);
    assert!(
        ids.iter().all(|id| counts.contains_key(id)),
        "every event decided"
    );

    let params = leadstream::lead::LeadConfig::default().build().unwrap();
    let mut reference = leadstream::lead::LeadStore::new(params);
    let decoder = leadstream::event::Decoder::new(leadstream::event::DecodeConfig::default());
    for (_, bytes, _) in &events {
        let e = decoder.decode(bytes).expect("event decodes");
        let signals = e.text().map(leadstream::text::analyze);
        reference.apply(&e, signals.as_ref());
    }
    let restored = changelog_states(&brokers, &s.config.state.changelog_topic, 2);
    assert_eq!(
        restored.len(),
        reference.len(),
        "one changelog key per lead"
    );
    for (tenant, lead, want) in reference.iter() {
        let mut key = Vec::new();
        leadstream::lead::changelog_key(tenant, lead, &mut key);
        let got = &restored[&key];
        assert_eq!(&got.state, want, "lead {tenant}/{lead}");
    }
}
