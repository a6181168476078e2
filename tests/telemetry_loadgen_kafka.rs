//! `leadstream loadgen --baseline` against a real Kafka-protocol broker (tansu on loopback,
//! `scripts/tansu.sh start`, address in LEADSTREAM_TEST_BROKERS). Without a broker the test
//! prints a notice and passes, except under CI=true where a missing broker fails it.

mod common;

use std::process::Command;
use std::time::Duration;

use common::brokers;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::ClientConfig;

/// Partition count of `topic` on the broker (0 if it does not exist).
fn partitions(brokers: &str, topic: &str) -> usize {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .expect("metadata client");
    let meta = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .expect("metadata");
    meta.topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
        .map(|t| t.partitions().len())
        .sum()
}

#[test]
fn baseline_relay_returns_every_event_once_with_a_latency_each() {
    let Some(brokers) = brokers() else { return };
    let suffix = std::process::id();
    let relay_topic = format!("lg-test-relay-{suffix}");
    let relay_alerts_topic = format!("lg-test-relay-alerts-{suffix}");
    let out = Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .args([
            "loadgen",
            "--brokers",
            &brokers,
            "--baseline",
            "--quiet",
            "--json",
        ])
        .args(["--rate", "500", "--count", "1000", "--drain", "20"])
        .args(["--events-topic", &format!("lg-test-events-{suffix}")])
        .args(["--relay-topic", &relay_topic])
        .args(["--relay-alerts-topic", &relay_alerts_topic])
        .args(["--partitions", "3"])
        .output()
        .expect("runs leadstream");
    assert!(
        out.status.success(),
        "loadgen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["mode"], "relay");
    // The collector polls two output topics, as it does for the engine (decisions and alerts):
    // the relay's copies and an empty topic of the same partitions that it never writes to.
    assert_eq!(report["output_topic"], relay_topic.as_str());
    assert_eq!(report["alerts_topic"], relay_alerts_topic.as_str());
    assert_eq!(report["alerts"], 0);
    assert_eq!(partitions(&brokers, &relay_topic), 3);
    assert_eq!(partitions(&brokers, &relay_alerts_topic), 3);
    assert_eq!(report["sent"], 1000);
    assert_eq!(report["outputs"], 1000);
    assert_eq!(report["missing"], 0);
    assert_eq!(report["send_errors"], 0);
    assert_eq!(report["delivery_errors"], 0);
    let l = &report["latency"];
    assert_eq!(l["count"], 1000);
    let p = |k: &str| l[k].as_u64().expect("latency field");
    assert!(p("min_ns") > 0);
    assert!(p("min_ns") <= p("p50_ns") && p("p50_ns") <= p("p99_ns") && p("p99_ns") <= p("max_ns"));
}
