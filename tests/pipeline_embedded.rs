//! The embedded pipeline end to end, no broker: every valid lead event gets exactly one
//! decision, malformed records become dead letters with their reason, lead state stays on one
//! shard, labelled examples reach the learner, and shutdown drains.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use common::{simulated, temp_dir, EchoFactory};
use leadstream::pipeline::sink::FileSink;
use leadstream::pipeline::source::MemorySource;
use leadstream::pipeline::{run_engine, EngineSettings, PipelineStats, Shutdown};

fn read_json_lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("output file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn every_event_decided_once_and_rejects_dead_lettered() {
    let events = simulated(60, 10, 7);
    let mut input = Vec::new();
    let malformed: [&[u8]; 4] = [
        b"{not json",
        br#"{"type":"email_open"}"#,
        br#"{"event_id":"x","tenant_id":"t","lead_id":"l","ts":1,"type":"teleport"}"#,
        b"\xff\xfe",
    ];
    for (i, (_, bytes, _)) in events.iter().enumerate() {
        input.extend_from_slice(bytes);
        input.push(b'\n');
        if i % 97 == 0 {
            input.extend_from_slice(malformed[i / 97 % malformed.len()]);
            input.push(b'\n');
        }
    }
    let rejected = events.len().div_ceil(97);
    let dir = temp_dir("embedded");
    let (dec, alerts, dead) = (
        dir.join("d.jsonl"),
        dir.join("a.jsonl"),
        dir.join("x.jsonl"),
    );
    let sink = FileSink::create(Some(&dec), Some(&alerts), Some(&dead)).expect("files");
    let factory = EchoFactory::default();
    let stats = Arc::new(PipelineStats::default());
    let settings = EngineSettings {
        shards: 3,
        batch_size: 16,
        channel_batches: 2,
        ..EngineSettings::default()
    };
    let mut source = MemorySource::new(input);
    let summary = run_engine(
        &settings,
        &factory,
        &mut source,
        sink,
        &Shutdown::new(),
        &stats,
    )
    .expect("pipeline runs");

    let lead_events: HashSet<&str> = events
        .iter()
        .filter(|(_, _, lead)| *lead)
        .map(|(id, _, _)| id.as_str())
        .collect();
    let decisions = read_json_lines(&dec);
    let mut seen = HashMap::new();
    let mut shard_of_lead = HashMap::new();
    for d in &decisions {
        let id = d["event_id"].as_str().expect("event_id").to_string();
        *seen.entry(id).or_insert(0) += 1;
        let lead = d["lead_id"].as_str().expect("lead").to_string();
        let shard = d["shard"].as_u64().expect("shard");
        assert_eq!(
            *shard_of_lead.entry(lead).or_insert(shard),
            shard,
            "a lead moved shards"
        );
    }
    assert_eq!(seen.len(), lead_events.len());
    assert!(seen.values().all(|&n| n == 1), "duplicate decisions");
    assert!(seen.keys().all(|id| lead_events.contains(id.as_str())));
    let shards_used: HashSet<_> = shard_of_lead.values().collect();
    assert_eq!(shards_used.len(), 3, "leads spread over every shard");

    let dead_letters = read_json_lines(&dead);
    assert_eq!(dead_letters.len(), rejected);
    let reasons: HashSet<&str> = dead_letters
        .iter()
        .filter_map(|d| d["reason"].as_str())
        .collect();
    let expected: HashSet<&str> = malformed
        .iter()
        .map(|m| {
            leadstream::event::decode(m)
                .expect_err("malformed")
                .reason()
        })
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(reasons, expected);
    assert!(dead_letters
        .iter()
        .all(|d| d["offset"].is_i64() && d["error"].is_string()));

    assert_eq!(summary.events as usize, events.len());
    assert_eq!(summary.decisions as usize, lead_events.len());
    assert_eq!(summary.dead_letters as usize, rejected);
    assert_eq!(summary.records as usize, events.len() + rejected);
    assert_eq!(summary.alerts as usize, read_json_lines(&alerts).len());
    let with_text = events
        .iter()
        .filter(|(_, b, lead)| {
            *lead && std::str::from_utf8(b).is_ok_and(|s| s.contains("\"text\""))
        })
        .count() as u64;
    assert_eq!(factory.learned.load(Ordering::Relaxed), with_text);
    assert_eq!(summary.examples, with_text);
    assert!(factory.published.load(Ordering::Relaxed) >= 1);
    assert!(summary.processing_us[0] >= 1 && summary.processing_us[1] >= summary.processing_us[0]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn shutdown_stops_the_source_and_drains() {
    let events = simulated(200, 30, 3);
    let mut input = Vec::new();
    for (_, bytes, _) in &events {
        input.extend_from_slice(bytes);
        input.push(b'\n');
    }
    let shutdown = Shutdown::new();
    shutdown.trigger();
    let stats = Arc::new(PipelineStats::default());
    let mut source = MemorySource::new(input);
    let summary = run_engine(
        &EngineSettings::default(),
        &EchoFactory::default(),
        &mut source,
        FileSink::default(),
        &shutdown,
        &stats,
    )
    .expect("pipeline runs");
    // The source checks the flag every 1024 records: it stops early, and what it read was
    // fully processed.
    assert!(summary.records < events.len() as u64, "{summary:?}");
    assert_eq!(summary.events, summary.records);
}

fn leadstream(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .args(args)
        .output()
        .expect("leadstream runs")
}

fn lead_event_ids(jsonl: &[u8]) -> Vec<String> {
    jsonl
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_slice(l).expect("event JSON");
            v["lead_id"]
                .is_string()
                .then(|| v["event_id"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

/// The README's main command: `leadstream run` with no broker simulates, decides with the real
/// decision layer, and writes one decision per lead event.
#[test]
fn run_embedded_default_decides_every_lead_event() {
    let dir = temp_dir("run");
    let decisions = dir.join("decisions.jsonl");
    let alerts = dir.join("alerts.jsonl");
    let sim = ["--leads", "60", "--days", "10", "--seed", "5"];
    let out = leadstream(
        &[
            &["run", "--quiet", "--json"][..],
            &sim,
            &["--decisions-out", decisions.to_str().unwrap_or_default()],
            &["--alerts-out", alerts.to_str().unwrap_or_default()],
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    let events = leadstream(&[&["simulate"][..], &sim].concat());
    let ids = lead_event_ids(&events.stdout);
    let decided = read_json_lines(&decisions);
    assert_eq!(decided.len(), ids.len(), "one decision per lead event");
    let decided_ids: HashSet<&str> = decided
        .iter()
        .filter_map(|d| d["event_id"].as_str())
        .collect();
    assert!(ids.iter().all(|id| decided_ids.contains(id.as_str())));
    assert_eq!(summary["decisions"].as_u64(), Some(ids.len() as u64));
    assert_eq!(
        summary["alerts"].as_u64(),
        Some(read_json_lines(&alerts).len() as u64)
    );
    assert!(decided.iter().all(|d| d["latency_from_receipt_us"]
        .as_f64()
        .is_some_and(|us| us >= 0.0)));
    let _ = std::fs::remove_dir_all(dir);
}

/// `--input FILE.jsonl` replays a file; malformed lines become dead letters and the run goes on.
#[test]
fn run_input_file_dead_letters_malformed_lines() {
    let dir = temp_dir("input");
    let input = dir.join("events.jsonl");
    let dead = dir.join("dead.jsonl");
    let decisions = dir.join("decisions.jsonl");
    let events = leadstream(&["simulate", "--leads", "20", "--days", "5", "--seed", "8"]);
    let mut data = events.stdout.clone();
    data.extend_from_slice(b"{\"type\":\"email_opened\"}\nnot json at all\n");
    // Then the first half of the stream again (whole lines).
    let half = events.stdout[..events.stdout.len() / 2]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    data.extend_from_slice(&events.stdout[..half]);
    std::fs::write(&input, &data).expect("write input");
    let out = leadstream(&[
        "run",
        "--quiet",
        "--json",
        "--input",
        input.to_str().unwrap_or_default(),
        "--dead-letters-out",
        dead.to_str().unwrap_or_default(),
        "--decisions-out",
        decisions.to_str().unwrap_or_default(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dead_letters = read_json_lines(&dead);
    let reasons: Vec<&str> = dead_letters
        .iter()
        .filter_map(|d| d["reason"].as_str())
        .collect();
    assert_eq!(reasons, vec!["missing_field", "malformed_json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(summary["dead_letters"].as_u64(), Some(2));
    // The replayed half after the bad lines was processed too (records = all lines).
    let lines = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(summary["records"].as_u64(), Some(lines as u64));
    assert_eq!(
        read_json_lines(&decisions).len() as u64,
        summary["decisions"].as_u64().unwrap_or(0)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn run_rejects_invalid_config_naming_the_key() {
    let dir = temp_dir("badconfig");
    let path = dir.join("bad.toml");
    std::fs::write(&path, "[engine]\nbatch_sise = 3\n").expect("write");
    let out = leadstream(&[
        "run",
        "--quiet",
        "--config",
        path.to_str().unwrap_or_default(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("batch_sise"), "{err}");
    let out = leadstream(&["run", "--quiet", "--shards", "0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("engine.shards"));
    let _ = std::fs::remove_dir_all(dir);
}
