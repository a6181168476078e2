//! `leadstream simulate`: writes a simulated event stream as JSON lines, and its ground truth.
//!
//! What it is for: turning flags into a [`SimConfig`], running the [`Simulation`] with the
//! default cadence policy, and writing events (stdout or `--out`) and truth (`--truth`) through
//! buffered writers, or (`--kafka`) producing them into a topic keyed by lead.
//! What it is not: the simulator (see [`crate::sim`]).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::CliError;
use crate::sim::{CadencePolicy, DriftSpec, SimConfig, SimError, Simulation, World};

/// Arguments of `leadstream simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of leads (at least 1).
    #[arg(long)]
    pub leads: u32,
    /// Days of simulated time (at least 1).
    #[arg(long)]
    pub days: u32,
    /// Seed; the same seed and flags give byte-identical output.
    #[arg(long)]
    pub seed: u64,
    /// Number of tenants (brokerages) the leads are spread over.
    #[arg(long, default_value_t = 1)]
    pub tenants: u32,
    /// A scheduled drift, NAME@TIME (repeatable). Names: email-dead, sms-dead, call-dead,
    /// video-dead, market-shock, pref-shift, poaching, portal-launch. TIME: days or hours after the
    /// start, e.g. 10d, 36h.
    #[arg(long = "drift", value_name = "SPEC")]
    pub drifts: Vec<String>,
    /// Write events to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the ground truth (JSON lines: meta, drifts, leads) to this file.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    /// Produce the events into a Kafka topic (needs --brokers and --topic) instead of writing
    /// JSON lines. Records are keyed by `tenant_id/lead_id`.
    #[arg(long, requires_all = ["brokers", "topic"], conflicts_with = "out")]
    pub kafka: bool,
    /// Kafka bootstrap servers for --kafka.
    #[arg(long, env = "LEADSTREAM_BROKERS")]
    pub brokers: Option<String>,
    /// Topic for --kafka (created with --partitions partitions if missing).
    #[arg(long)]
    pub topic: Option<String>,
    /// Partitions of the topic if --kafka creates it.
    #[arg(long, default_value_t = 4)]
    pub partitions: i32,
}

/// Output buffer size: large writes keep the syscall count low at millions of events.
const WRITE_BUFFER: usize = 1 << 20;

/// Runs the subcommand.
///
/// # Errors
/// [`CliError::Input`] for an invalid configuration (zero leads or days, bad tenants count, bad
/// or out-of-window drift spec); [`CliError::Io`] if an output file cannot be created or written.
pub fn run(args: &Args) -> Result<(), CliError> {
    let config = config_from(args)?;
    let world = World::new(config).map_err(sim_error)?;
    // Open every output before simulating, so a bad path fails at once.
    let truth_file = args.truth.as_deref().map(create).transpose()?;
    if args.kafka {
        return produce_stream(world, truth_file, args);
    }
    match &args.out {
        Some(path) => {
            let (_, file) = create(path)?;
            let ctx = || format!("writing events to {}", path.display());
            write_stream(world, truth_file, file, ctx)
        }
        None => {
            let stdout = std::io::stdout().lock();
            write_stream(world, truth_file, stdout, || {
                "writing events to stdout".into()
            })
        }
    }
}

fn config_from(args: &Args) -> Result<SimConfig, CliError> {
    let mut config = SimConfig::new(args.leads, args.days, args.seed);
    config.tenants = args.tenants;
    config.drifts = args
        .drifts
        .iter()
        .map(|s| s.parse::<DriftSpec>())
        .collect::<Result<_, _>>()
        .map_err(sim_error)?;
    Ok(config)
}

fn sim_error(e: SimError) -> CliError {
    match e {
        SimError::Io(source) => CliError::Io {
            context: "simulating".into(),
            source,
        },
        other => CliError::Input(other.to_string()),
    }
}

fn create(path: &Path) -> Result<(PathBuf, File), CliError> {
    File::create(path)
        .map(|f| (path.to_path_buf(), f))
        .map_err(|source| CliError::Io {
            context: format!("cannot create {}", path.display()),
            source,
        })
}

fn write_stream<W: Write>(
    world: World,
    truth: Option<(PathBuf, File)>,
    out: W,
    ctx: impl Fn() -> String,
) -> Result<(), CliError> {
    let io = |source: std::io::Error| CliError::Io {
        context: ctx(),
        source,
    };
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, out);
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut id = String::new();
    while let Some(ev) = sim.next_event() {
        let event = ev.render(sim.world(), &mut id);
        serde_json::to_writer(&mut out, &event).map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(io)?;
    }
    out.flush().map_err(io)?;
    if let Some((path, file)) = truth {
        let mut w = BufWriter::with_capacity(WRITE_BUFFER, file);
        let terr = |source: std::io::Error| CliError::Io {
            context: format!("writing truth to {}", path.display()),
            source,
        };
        sim.truth().write_jsonl(&mut w).map_err(|e| match e {
            SimError::Io(source) => terr(source),
            other => CliError::Input(other.to_string()),
        })?;
        w.flush().map_err(terr)?;
    }
    Ok(())
}

/// Produces the simulated events into `--topic`, then writes the truth file if asked.
fn produce_stream(
    world: World,
    truth: Option<(PathBuf, File)>,
    args: &Args,
) -> Result<(), CliError> {
    use crate::pipeline::{ensure_topics, EventProducer, KafkaSettings};

    let (Some(brokers), Some(topic)) = (&args.brokers, &args.topic) else {
        return Err(CliError::Input(
            "--kafka needs --brokers and --topic".into(),
        ));
    };
    let mut settings = KafkaSettings::new(brokers, "leadstream-simulate");
    settings.partitions = args.partitions;
    ensure_topics(&settings, &[topic])?;
    let producer = EventProducer::new(&settings, topic)?;
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut id = String::new();
    let mut key = String::new();
    let mut buf = Vec::with_capacity(1024);
    while let Some(ev) = sim.next_event() {
        let event = ev.render(sim.world(), &mut id);
        buf.clear();
        serde_json::to_writer(&mut buf, &event).map_err(|e| CliError::Io {
            context: "rendering an event".into(),
            source: e.into(),
        })?;
        key.clear();
        key.push_str(&event.tenant_id);
        key.push('/');
        key.push_str(event.lead_id().unwrap_or_default());
        producer.send(key.as_bytes(), &buf)?;
    }
    let delivered = producer.finish(std::time::Duration::from_secs(60))?;
    eprintln!("produced {delivered} events to {topic}");
    if let Some((path, file)) = truth {
        let mut w = BufWriter::with_capacity(WRITE_BUFFER, file);
        let terr = |source: std::io::Error| CliError::Io {
            context: format!("writing truth to {}", path.display()),
            source,
        };
        sim.truth().write_jsonl(&mut w).map_err(|e| match e {
            SimError::Io(source) => terr(source),
            other => CliError::Input(other.to_string()),
        })?;
        w.flush().map_err(terr)?;
    }
    Ok(())
}
