//! Every catalogue metric reaches the Prometheus exposition with its HELP, TYPE, label names
//! and the exact values the typed events and batches recorded.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use leadstream::telemetry::events::*;
use leadstream::telemetry::labels::{
    CommitResult, ErrorKind, Queue, Rebalance, RiskLevel, Source, Stage,
};
use leadstream::telemetry::{
    install_recorder, LatencyBatch, LeadBatch, MetricKind, PipelineBatch, CATALOGUE,
};

/// Emits every event at least once, with known counts.
fn emit_everything() {
    let mut p = PipelineBatch::new(Source::Kafka);
    p.consumed(10);
    p.decoded(8);
    p.rejected("malformed_json");
    p.rejected("malformed_json");
    for _ in 0..8 {
        p.decision();
    }
    p.alert(RiskLevel::High);
    p.alert(RiskLevel::Critical);
    p.alert(RiskLevel::High);
    p.dead_letter();
    p.dead_letter();
    p.flush();
    p.flush(); // a second flush adds nothing

    let mut l = LatencyBatch::new();
    for stage in Stage::ALL {
        l.stage(*stage, Duration::from_micros(20));
    }
    l.event_to_decision(Duration::from_millis(3));
    l.event_to_decision(Duration::from_millis(30));
    l.receipt_to_decision(Duration::from_micros(40));
    l.flush();

    ConsumerLag {
        topic: "events",
        partition: 3,
        lag: 42,
    }
    .emit();
    PartitionsAssigned {
        topic: "events",
        count: 4,
    }
    .emit();
    QueueDepth {
        queue: Queue::ShardInput,
        worker: 1,
        depth: 17,
    }
    .emit();
    OffsetsCommitted {
        result: CommitResult::Ok,
    }
    .emit();
    RebalanceSeen {
        kind: Rebalance::Assign,
    }
    .emit();
    ErrorOccurred {
        kind: ErrorKind::Delivery,
        count: 2,
    }
    .emit();

    ModelPerformance {
        model: "churn",
        accuracy: Some(0.9),
        log_loss: Some(0.3),
        roc_auc: Some(0.8),
    }
    .emit();
    SamplesLearned {
        model: "churn",
        count: 100,
    }
    .emit();
    DriftDetected {
        model: "churn",
        detector: "adwin",
    }
    .emit();
    ModelRetrained {
        model: "churn",
        reason: "drift",
        version: 2,
    }
    .emit();
    ModelSnapshotSaved { reason: "periodic" }.emit();
    ModelSnapshotSaved { reason: "periodic" }.emit();
    ModelSnapshotLoadFailed {
        reason: "corrupted",
    }
    .emit();
    ModelRolledBack.emit();

    let mut b = LeadBatch::new();
    b.arm_selected("channel", "email");
    b.arm_selected("channel", "email");
    b.arm_selected("channel", "sms");
    b.emotion("frustrated");
    b.intervention("personal_call", "high");
    b.milestone("contacted");
    b.flush();
    JourneyStageLeads {
        stage: "nurture",
        leads: 12,
    }
    .emit();
    LeadStateSize {
        active_leads: 12,
        memory_bytes: 4096,
    }
    .emit();
    LeadStateRestored {
        leads: 1000,
        seconds: 0.25,
    }
    .emit();
    ChangelogRecordsProduced { count: 42 }.emit();
    DecisionMemoryDiscarded::start_at_zero();
    DecisionMemoryDiscarded {
        alerts_deduplicated: 5,
        touches_dropped: 0,
        snapshots_dropped: 3,
        leads_forgotten: 0,
    }
    .emit();
    DecisionMemoryDiscarded {
        alerts_deduplicated: 1,
        touches_dropped: 0,
        snapshots_dropped: 0,
        leads_forgotten: 7,
    }
    .emit();
    // Nothing to report: records nothing (and registers nothing new).
    DecisionMemoryDiscarded::default().emit();
    LeadSnapshotFallback::start_at_zero();
    LeadSnapshotFallback {
        reason: "corrupted",
    }
    .emit();
}

/// Series name -> list of (labels, value).
type Samples = BTreeMap<String, Vec<(BTreeMap<String, String>, f64)>>;

/// Parses the sample lines of an exposition.
fn samples(text: &str) -> Samples {
    let mut out: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (series, value) = line.rsplit_once(' ').expect("sample line has a value");
        let (name, labels) = match series.split_once('{') {
            Some((n, rest)) => (n, rest.trim_end_matches('}')),
            None => (series, ""),
        };
        let labels = labels
            .split("\",")
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("label has =");
                (k.to_string(), v.trim_matches('"').to_string())
            })
            .collect();
        let value = value.parse::<f64>().expect("numeric value");
        out.entry(name.to_string())
            .or_default()
            .push((labels, value));
    }
    out
}

fn value(s: &Samples, name: &str, want: &[(&str, &str)]) -> f64 {
    let rows = s.get(name).unwrap_or_else(|| panic!("{name} missing"));
    rows.iter()
        .find(|(labels, _)| {
            want.iter()
                .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
        })
        .unwrap_or_else(|| panic!("{name} has no series {want:?}: {rows:?}"))
        .1
}

#[test]
fn every_catalogue_metric_is_exposed_with_help_type_labels_and_exact_values() {
    let handle = install_recorder().expect("first recorder in this test binary");
    emit_everything();
    let text = handle.render();
    let s = samples(&text);

    for def in CATALOGUE {
        assert!(
            text.contains(&format!("# HELP {} ", def.name)),
            "no HELP for {}",
            def.name
        );
        assert!(
            text.contains(&format!("# TYPE {} {}", def.name, def.kind.as_str())),
            "wrong or missing TYPE for {}",
            def.name
        );
        let series = match def.kind {
            MetricKind::Histogram => format!("{}_bucket", def.name),
            _ => def.name.to_string(),
        };
        let rows = s
            .get(&series)
            .unwrap_or_else(|| panic!("no samples for {series}"));
        let expected: BTreeSet<&str> = def.labels.iter().copied().collect();
        for (labels, _) in rows {
            let got: BTreeSet<&str> = labels
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "le")
                .collect();
            assert_eq!(got, expected, "label names of {series}");
        }
    }

    // Exact values from the batches and events above.
    assert_eq!(
        value(
            &s,
            "leadstream_events_consumed_total",
            &[("source", "kafka")]
        ),
        10.0
    );
    assert_eq!(value(&s, "leadstream_events_decoded_total", &[]), 8.0);
    assert_eq!(
        value(
            &s,
            "leadstream_events_rejected_total",
            &[("reason", "malformed_json")]
        ),
        2.0
    );
    assert_eq!(value(&s, "leadstream_decisions_emitted_total", &[]), 8.0);
    assert_eq!(value(&s, "leadstream_dead_letters_total", &[]), 2.0);
    assert_eq!(
        value(
            &s,
            "leadstream_churn_alerts_total",
            &[("risk_level", "high")]
        ),
        2.0
    );
    assert_eq!(
        value(
            &s,
            "leadstream_churn_alerts_total",
            &[("risk_level", "critical")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &s,
            "leadstream_churn_alerts_total",
            &[("risk_level", "low")]
        ),
        0.0
    );
    assert_eq!(
        value(&s, "leadstream_errors_total", &[("kind", "delivery")]),
        2.0
    );
    assert_eq!(
        value(&s, "leadstream_errors_total", &[("kind", "commit")]),
        0.0
    );
    assert_eq!(
        value(
            &s,
            "leadstream_consumer_lag_records",
            &[("topic", "events"), ("partition", "3")]
        ),
        42.0
    );
    assert_eq!(
        value(
            &s,
            "leadstream_queue_depth",
            &[("queue", "shard_input"), ("worker", "1")]
        ),
        17.0
    );
    assert_eq!(
        value(&s, "leadstream_model_version", &[("model", "churn")]),
        2.0
    );
    assert_eq!(
        value(&s, "leadstream_model_roc_auc_ratio", &[("model", "churn")]),
        0.8
    );
    assert_eq!(
        value(
            &s,
            "leadstream_bandit_arm_selections_total",
            &[("bandit", "channel"), ("arm", "email")]
        ),
        2.0
    );
    assert_eq!(value(&s, "leadstream_lead_state_memory_bytes", &[]), 4096.0);
    assert_eq!(
        value(
            &s,
            "leadstream_model_snapshots_saved_total",
            &[("reason", "periodic")]
        ),
        2.0
    );
    assert_eq!(
        value(
            &s,
            "leadstream_model_snapshot_load_failures_total",
            &[("reason", "corrupted")]
        ),
        1.0
    );
    assert_eq!(value(&s, "leadstream_model_rollbacks_total", &[]), 1.0);
    assert_eq!(value(&s, "leadstream_leads_restored_total", &[]), 1000.0);
    assert_eq!(value(&s, "leadstream_changelog_records_total", &[]), 42.0);
    assert_eq!(
        value(&s, "leadstream_churn_alerts_deduplicated_total", &[]),
        6.0
    );
    for (kind, n) in [("touch", 0.0), ("snapshot", 3.0)] {
        assert_eq!(
            value(
                &s,
                "leadstream_pending_labels_dropped_total",
                &[("kind", kind)]
            ),
            n
        );
    }
    assert_eq!(value(&s, "leadstream_leads_forgotten_total", &[]), 7.0);
    assert_eq!(
        value(
            &s,
            "leadstream_lead_snapshot_fallbacks_total",
            &[("reason", "corrupted")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &s,
            "leadstream_lead_snapshot_fallbacks_total",
            &[("reason", "missing")]
        ),
        0.0
    );
    assert_eq!(
        value(&s, "leadstream_lead_restore_duration_seconds_count", &[]),
        1.0
    );

    // Histograms: buckets are cumulative and in seconds; 3 ms and 30 ms fall either side of 10 ms.
    let e2e = "leadstream_event_to_decision_seconds_bucket";
    assert_eq!(value(&s, e2e, &[("le", "0.005")]), 1.0);
    assert_eq!(value(&s, e2e, &[("le", "0.01")]), 1.0);
    assert_eq!(value(&s, e2e, &[("le", "0.05")]), 2.0);
    assert_eq!(value(&s, e2e, &[("le", "+Inf")]), 2.0);
    assert_eq!(
        value(&s, "leadstream_event_to_decision_seconds_count", &[]),
        2.0
    );
    let sum = value(&s, "leadstream_event_to_decision_seconds_sum", &[]);
    assert!((sum - 0.033).abs() < 0.033 * 0.01, "sum {sum}");
    let stage = "leadstream_stage_duration_seconds_bucket";
    assert_eq!(
        value(&s, stage, &[("stage", "predict"), ("le", "0.00001")]),
        0.0
    );
    assert_eq!(
        value(&s, stage, &[("stage", "predict"), ("le", "0.000025")]),
        1.0
    );
}
