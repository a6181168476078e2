//! `leadstream run`: the engine, embedded by default or against Kafka.
//!
//! What it is for: turning flags (each with a `LEADSTREAM_*` environment variable) and an
//! optional config file into a [`Config`], installing the SIGINT/SIGTERM handler, running the
//! pipeline and printing the final summary (as text, or JSON with `--json`).
//! What it is not: the pipeline (see [`crate::pipeline`]).

use std::path::PathBuf;
use std::sync::Arc;

use super::CliError;
use crate::pipeline::config::{Config, Overrides};
use crate::pipeline::{
    launch, DecideFactory, DecisionFactory, PipelineStats, Presentation, Shutdown, Summary,
};
use crate::registry::{ModelRegistry, RegistrySettings};

/// Arguments of `leadstream run`.
#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// Configuration file (TOML; see config/leadstream.toml). Default: built-in defaults.
    #[arg(long, env = "LEADSTREAM_CONFIG")]
    pub config: Option<PathBuf>,
    /// Kafka bootstrap servers, HOST:PORT[,...]. Without them the pipeline runs embedded.
    #[arg(long, env = "LEADSTREAM_BROKERS")]
    pub brokers: Option<String>,
    /// Consumer group id.
    #[arg(long, env = "LEADSTREAM_GROUP")]
    pub group: Option<String>,
    /// Input events topic.
    #[arg(long, env = "LEADSTREAM_EVENTS_TOPIC")]
    pub events_topic: Option<String>,
    /// Output topic of personalization decisions.
    #[arg(long, env = "LEADSTREAM_DECISIONS_TOPIC")]
    pub decisions_topic: Option<String>,
    /// Output topic of churn alerts.
    #[arg(long, env = "LEADSTREAM_ALERTS_TOPIC")]
    pub alerts_topic: Option<String>,
    /// Output topic of rejected records.
    #[arg(long, env = "LEADSTREAM_DEAD_LETTER_TOPIC")]
    pub dead_letter_topic: Option<String>,
    /// A librdkafka setting KEY=VALUE added to the `[kafka]` table (repeatable).
    #[arg(long = "kafka", value_name = "KEY=VALUE")]
    pub kafka: Vec<String>,
    /// Shard worker threads.
    #[arg(long, env = "LEADSTREAM_SHARDS")]
    pub shards: Option<usize>,
    /// Serve Prometheus metrics at this address (e.g. 127.0.0.1:9464).
    #[arg(long, env = "LEADSTREAM_METRICS_ADDR")]
    pub metrics_addr: Option<String>,
    /// Replay this JSONL file instead of simulating (embedded only), with a progress bar.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Simulated leads (embedded default source).
    #[arg(long)]
    pub leads: Option<u32>,
    /// Simulated days.
    #[arg(long)]
    pub days: Option<u32>,
    /// Simulation seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write decisions as JSON lines to this file (embedded sink).
    #[arg(long)]
    pub decisions_out: Option<PathBuf>,
    /// Write churn alerts as JSON lines to this file (embedded sink).
    #[arg(long)]
    pub alerts_out: Option<PathBuf>,
    /// Write dead letters as JSON lines to this file (embedded sink).
    #[arg(long)]
    pub dead_letters_out: Option<PathBuf>,
    /// Keep durable state in this directory: models are loaded from and snapshotted to
    /// DIR/models/ (docs/models.md); embedded, the lead-state snapshot in DIR/leads/ is loaded
    /// at start and written every `[state] lead_snapshot_secs` and when the run ends
    /// (docs/pipeline.md).
    #[arg(long, env = "LEADSTREAM_STATE_DIR")]
    pub state_dir: Option<PathBuf>,
    /// Kafka mode: the compacted lead-state changelog topic (empty string: no changelog).
    #[arg(long, env = "LEADSTREAM_CHANGELOG_TOPIC")]
    pub changelog_topic: Option<String>,
    /// Kafka mode: write a lead's changelog record at most once per this many milliseconds
    /// (0: after every batch; `[state] changelog_flush_ms`).
    #[arg(long, env = "LEADSTREAM_CHANGELOG_FLUSH_MS")]
    pub changelog_flush_ms: Option<u64>,
    /// Kafka mode: consume these events-topic partitions (e.g. `0,1`) by static assignment
    /// instead of joining the consumer group: no rebalances; offsets are still committed under
    /// the group id.
    #[arg(long, env = "LEADSTREAM_STATIC_PARTITIONS", value_delimiter = ',')]
    pub static_partitions: Option<Vec<i32>>,
    /// Kafka mode with a state directory: the compacted topic model versions are published to
    /// and warm-started from (empty string: not used; docs/models.md).
    #[arg(long, env = "LEADSTREAM_MODEL_TOPIC")]
    pub model_topic: Option<String>,
    /// Print the final summary as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// No live line or progress bar.
    #[arg(long)]
    pub quiet: bool,
}

impl Args {
    /// The configuration these arguments describe: file (or defaults), then overrides.
    ///
    /// # Errors
    /// [`CliError::Pipeline`] for an unreadable or invalid file or override;
    /// [`CliError::Input`] for a malformed `--kafka` pair.
    pub fn config(&self) -> Result<Config, CliError> {
        let mut config = match &self.config {
            Some(path) => Config::load(path)?,
            None => Config::default(),
        };
        let kafka = self
            .kafka
            .iter()
            .map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                    .ok_or_else(|| {
                        CliError::Input(format!("--kafka expects KEY=VALUE, got {kv:?}"))
                    })
            })
            .collect::<Result<_, _>>()?;
        config.apply(&Overrides {
            brokers: self.brokers.clone(),
            group: self.group.clone(),
            events_topic: self.events_topic.clone(),
            decisions_topic: self.decisions_topic.clone(),
            alerts_topic: self.alerts_topic.clone(),
            dead_letter_topic: self.dead_letter_topic.clone(),
            shards: self.shards,
            metrics_addr: self.metrics_addr.clone(),
            leads: self.leads,
            days: self.days,
            seed: self.seed,
            decisions_out: self.decisions_out.clone(),
            alerts_out: self.alerts_out.clone(),
            dead_letters_out: self.dead_letters_out.clone(),
            kafka,
            state_dir: self.state_dir.clone(),
            changelog_topic: self.changelog_topic.clone(),
            changelog_flush_ms: self.changelog_flush_ms,
            static_partitions: self.static_partitions.clone(),
            model_topic: self.model_topic.clone(),
        })?;
        Ok(config)
    }
}

/// Runs the subcommand: the engine with the decision layer of [`crate::decide`].
///
/// # Errors
/// [`CliError`] for invalid arguments or configuration, or if the pipeline fails.
pub fn run(args: &Args) -> Result<(), CliError> {
    let config = args.config()?;
    let mut factory = DecideFactory::new(config.decide.clone(), config.engine.seed);
    if let Some(dir) = &config.state.dir {
        factory = factory.with_registry(RegistrySettings {
            registry: ModelRegistry::in_state_dir(dir)?,
            snapshot_every: std::time::Duration::from_secs(config.state.model_snapshot_secs),
            keep_versions: config.state.keep_versions,
        });
        if let Some(topic) = config.model_topic() {
            factory = factory.with_model_topic(topic);
        }
    }
    run_with(args, &config, &factory).map(|_| ())
}

/// Runs the engine described by `config` with `factory`'s decision layer and prints the
/// summary.
///
/// # Errors
/// [`CliError`] if the metrics exporter or signal handlers cannot start, or the pipeline fails.
pub fn run_with<F: DecisionFactory>(
    args: &Args,
    config: &Config,
    factory: &F,
) -> Result<Summary, CliError> {
    // The exporter handle must live as long as the run: /metrics is served until it ends.
    let _exporter = if config.metrics_addr.is_empty() {
        None
    } else {
        let addr = config.metrics_addr.parse().map_err(|_| {
            CliError::Input(format!(
                "metrics_addr {:?} is not HOST:PORT",
                config.metrics_addr
            ))
        })?;
        let handle =
            crate::telemetry::install_exporter(addr).map_err(|e| CliError::Input(e.to_string()))?;
        tracing::info!(%addr, "Serving /metrics.");
        Some(handle)
    };
    let shutdown = Shutdown::new();
    shutdown.on_signals().map_err(|source| CliError::Io {
        context: "installing signal handlers".into(),
        source,
    })?;
    let stats = Arc::new(PipelineStats::default());
    let presentation = Presentation { live: !args.quiet };
    let summary = launch(
        config,
        factory,
        args.input.as_deref(),
        &shutdown,
        &presentation,
        &stats,
    )?;
    if args.json {
        let line = serde_json::to_string(&summary).map_err(|e| CliError::Io {
            context: "writing the summary".into(),
            source: e.into(),
        })?;
        println!("{line}");
    } else {
        println!("{summary}");
    }
    Ok(summary)
}
