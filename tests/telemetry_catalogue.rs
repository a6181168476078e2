//! The metric catalogue follows Prometheus naming conventions and keeps labels bounded.

use std::collections::BTreeSet;

use leadstream::telemetry::catalogue::{find, find_series};
use leadstream::telemetry::{MetricKind, CATALOGUE};

#[test]
fn names_follow_prometheus_conventions() {
    let mut seen = BTreeSet::new();
    for def in CATALOGUE {
        assert!(seen.insert(def.name), "{} listed twice", def.name);
        assert!(def.name.starts_with("leadstream_"), "{}", def.name);
        assert!(
            def.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{}",
            def.name
        );
        match def.kind {
            MetricKind::Counter => assert!(def.name.ends_with("_total"), "{}", def.name),
            MetricKind::Gauge => assert!(!def.name.ends_with("_total"), "{}", def.name),
            MetricKind::Histogram => assert!(def.name.ends_with("_seconds"), "{}", def.name),
        }
        if def.unit == Some(metrics::Unit::Bytes) {
            assert!(def.name.ends_with("_bytes"), "{}", def.name);
        }
        assert!(
            def.help.ends_with('.') && def.help.len() > 20,
            "help of {}",
            def.name
        );
        assert!(["pipeline", "models", "leads"].contains(&def.group));
    }
}

#[test]
fn no_label_can_hold_a_lead_or_event_id() {
    for def in CATALOGUE {
        for label in def.labels {
            assert!(
                !["lead", "lead_id", "event_id", "tenant", "tenant_id", "id"].contains(label),
                "{} has unbounded label {label}",
                def.name
            );
        }
    }
}

#[test]
fn series_lookup_accepts_histogram_parts_only_for_histograms() {
    assert!(find_series("leadstream_stage_duration_seconds_bucket").is_some());
    assert!(find_series("leadstream_stage_duration_seconds_count").is_some());
    assert!(find_series("leadstream_stage_duration_seconds").is_none());
    assert!(find_series("leadstream_events_consumed_total").is_some());
    assert!(find_series("leadstream_events_consumed_total_bucket").is_none());
    assert!(find_series("leadstream_no_such_metric").is_none());
    assert!(find("leadstream_active_leads").is_some());
}
