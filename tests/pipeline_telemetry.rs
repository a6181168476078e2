//! The engine's own telemetry: running the embedded pipeline with the real decision layer on
//! simulated events emits the lead, model and decision metrics the dashboards query (one test
//! per binary: the recorder is global).

mod common;

use std::sync::Arc;

use common::{simulated, temp_dir};
use leadstream::decide::DecideConfig;
use leadstream::pipeline::sink::FileSink;
use leadstream::pipeline::source::MemorySource;
use leadstream::pipeline::{run_engine, DecideFactory, EngineSettings, PipelineStats, Shutdown};
use leadstream::telemetry::install_recorder;

/// The value of the first sample line of `name` whose labels contain every `labels` part.
fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .filter(|l| labels.iter().all(|p| l.contains(p)))
        .find_map(|l| l.rsplit(' ').next()?.parse().ok())
}

#[test]
fn embedded_run_emits_lead_model_and_decision_metrics() {
    let handle = install_recorder().expect("first recorder in this binary");
    let events = simulated(300, 40, 11);
    let mut input = Vec::new();
    for (_, bytes, _) in &events {
        input.extend_from_slice(bytes);
        input.push(b'\n');
    }
    let dir = temp_dir("telemetry");
    let sink = FileSink::create(Some(&dir.join("d.jsonl")), Some(&dir.join("a.jsonl")), None)
        .expect("files");
    // No churn warm-up: the untrained model alerts from the start (the short run would not
    // reach the default 1000 labels), so alert deduplication shows in the metrics.
    let config = DecideConfig {
        churn_warmup_labels: 0,
        ..DecideConfig::default()
    };
    let factory = DecideFactory::new(config, 7);
    let stats = Arc::new(PipelineStats::default());
    let settings = EngineSettings {
        shards: 2,
        batch_size: 64,
        ..EngineSettings::default()
    };
    let mut source = MemorySource::new(input);
    run_engine(
        &settings,
        &factory,
        &mut source,
        sink,
        &Shutdown::new(),
        &stats,
    )
    .expect("pipeline runs");
    let text = handle.render();

    // Every simulated lead is held at the end (no partition was revoked), summed over shards.
    let leads = sample(&text, "leadstream_active_leads", &[]).expect("active leads");
    assert_eq!(leads, 300.0);
    let stages_total: f64 = text
        .lines()
        .filter(|l| l.starts_with("leadstream_leads_by_journey_stage{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert_eq!(stages_total, 300.0, "stage gauges sum to the leads held");
    assert!(sample(&text, "leadstream_lead_state_memory_bytes", &[]).unwrap_or(0.0) > 0.0);

    // Decisions choose a channel and a variant each.
    let decisions = stats.decisions.load(std::sync::atomic::Ordering::Relaxed) as f64;
    let channel_arms: f64 = text
        .lines()
        .filter(|l| l.starts_with("leadstream_bandit_arm_selections_total{"))
        .filter(|l| l.contains("bandit=\"channel\""))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert!(decisions > 0.0);
    assert_eq!(channel_arms, decisions);

    // The learner learned and reported scores and versions.
    assert!(
        sample(
            &text,
            "leadstream_model_samples_learned_total",
            &["model=\"churn\""]
        )
        .unwrap_or(0.0)
            > 0.0
    );
    let accuracy = sample(
        &text,
        "leadstream_model_accuracy_ratio",
        &["model=\"churn\""],
    )
    .expect("churn accuracy");
    assert!((0.0..=1.0).contains(&accuracy));
    assert!(sample(&text, "leadstream_model_version", &["model=\"churn\""]).unwrap_or(0.0) >= 1.0);
    assert!(sample(
        &text,
        "leadstream_model_drift_detections_total",
        &["model=\"churn\"", "detector=\"adwin\""]
    )
    .is_some());
    assert!(text.contains("leadstream_message_emotions_total{"));

    // What the deciders discarded: alerts repeat for leads that stay at risk (the cooldown
    // suppresses them), nothing is revoked in an embedded run, and both kinds of dropped pending
    // labels are exported (at zero or more).
    let deduplicated = sample(&text, "leadstream_churn_alerts_deduplicated_total", &[])
        .expect("deduplicated alerts exported");
    assert!(deduplicated > 0.0, "40 days of 300 leads repeat some alert");
    assert_eq!(
        sample(&text, "leadstream_leads_forgotten_total", &[]),
        Some(0.0)
    );
    for kind in ["touch", "snapshot"] {
        let k = format!("kind=\"{kind}\"");
        assert!(
            sample(&text, "leadstream_pending_labels_dropped_total", &[&k]).is_some(),
            "{kind}"
        );
    }
}
