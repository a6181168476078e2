//! Choosing and starting a pipeline from a [`Config`]: Kafka when brokers are configured, else
//! embedded (a JSONL file when given, else the simulator) with the in-process sink.
//!
//! What it is for: the one call behind `leadstream run`, also used by integration tests.
//! What it is not: argument parsing or printing (the CLI) nor the engine itself.

use std::path::Path;
use std::sync::Arc;

use indicatif::MultiProgress;

use super::admin::{ensure_changelog_topic, ensure_model_topic, ensure_topics};
use super::config::Config;
use super::engine::{run_engine_with_state, LeadDurability};
use super::error::PipelineError;
use super::kafka_engine::run_kafka_engine;
use super::lead_snapshot::LeadSnapshotDir;
use super::offsets::OffsetTracker;
use super::shutdown::Shutdown;
use super::sink::kafka::KafkaSink;
use super::sink::FileSink;
use super::source::{FileSource, SimSource};
use super::stage::DecisionFactory;
use super::stats::{PipelineStats, Summary};
use crate::telemetry::events::LeadSnapshotFallback;
use crate::telemetry::labels::Source;

/// How to present a run.
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    /// Draw the live line (and the file progress bar) on stderr.
    pub live: bool,
}

/// Runs the pipeline `config` describes with `factory`'s decision layer until the source ends
/// or `shutdown` is requested; `input` replaces the simulator with a JSONL file (embedded only).
///
/// # Errors
/// Any [`PipelineError`]: invalid settings, Kafka unreachable or topics missing, I/O, delivery.
pub fn launch<F: DecisionFactory>(
    config: &Config,
    factory: &F,
    input: Option<&Path>,
    shutdown: &Shutdown,
    presentation: &Presentation,
    stats: &Arc<PipelineStats>,
) -> Result<Summary, PipelineError> {
    let mut settings = config.engine_settings()?;
    if config.state.dir.is_some() {
        LeadSnapshotFallback::start_at_zero();
    }
    let multi = presentation.live.then(MultiProgress::new);
    settings.progress.clone_from(&multi);
    if config.uses_kafka() {
        if input.is_some() {
            return Err(PipelineError::Config(
                "`--input` replays a file embedded; it cannot be combined with `brokers`".into(),
            ));
        }
        let kafka = config.kafka_settings();
        let t = &kafka.topics;
        ensure_topics(
            &kafka,
            &[&t.events, &t.decisions, &t.alerts, &t.dead_letter],
        )?;
        if !t.changelog.is_empty() {
            ensure_changelog_topic(&kafka, &t.events, &t.changelog)?;
        }
        if let Some(models) = config.model_topic() {
            ensure_model_topic(&kafka, &models.topic)?;
        }
        if config.state.dir.is_some() {
            tracing::info!("With Kafka, `state.dir` holds only the model registry; lead state lives in the changelog topic.");
        }
        let tracker = Arc::new(OffsetTracker::new());
        let sink = KafkaSink::new(&kafka, Arc::clone(&tracker), Arc::clone(stats))?;
        settings.source = Source::Kafka;
        tracing::info!(brokers = %kafka.brokers, group = %kafka.group, topic = %t.events, "Consuming.");
        let durability = LeadDurability {
            snapshot: None,
            snapshot_every: None,
            changelog: !t.changelog.is_empty(),
            changelog_flush: std::time::Duration::from_millis(config.state.changelog_flush_ms),
        };
        return run_kafka_engine(
            &settings,
            &durability,
            factory,
            &kafka,
            &tracker,
            sink,
            shutdown,
            stats,
        );
    }
    let out = &config.output;
    let sink = FileSink::create(
        out.decisions.as_deref(),
        out.alerts.as_deref(),
        out.dead_letters.as_deref(),
    )?;
    let every = config.state.lead_snapshot_secs;
    let state = LeadDurability {
        snapshot: config.state.dir.as_deref().map(LeadSnapshotDir::new),
        snapshot_every: (every > 0).then(|| std::time::Duration::from_secs(every)),
        changelog: false,
        changelog_flush: std::time::Duration::ZERO,
    };
    let state = &state;
    match input {
        Some(path) => {
            settings.source = Source::File;
            let mut source = FileSource::new(path, multi);
            run_engine_with_state(
                &settings,
                state,
                factory,
                &mut source,
                sink,
                shutdown,
                stats,
            )
        }
        None => {
            let mut source = SimSource::new(config.sim_config())?;
            run_engine_with_state(
                &settings,
                state,
                factory,
                &mut source,
                sink,
                shutdown,
                stats,
            )
        }
    }
}
