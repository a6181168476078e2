//! `leadstream loadgen --baseline` against a real Kafka-protocol broker (tansu on loopback,
//! `scripts/tansu.sh start`, address in LEADSTREAM_TEST_BROKERS). Without a broker the test
//! prints a notice and passes, except under CI=true where a missing broker fails it.

mod common;

use std::process::Command;

use common::brokers;

#[test]
fn baseline_relay_returns_every_event_once_with_a_latency_each() {
    let Some(brokers) = brokers() else { return };
    let suffix = std::process::id();
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
        .args(["--relay-topic", &format!("lg-test-relay-{suffix}")])
        .output()
        .expect("runs leadstream");
    assert!(
        out.status.success(),
        "loadgen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["mode"], "relay");
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
