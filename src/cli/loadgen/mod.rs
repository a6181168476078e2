//! `leadstream loadgen`: an open-loop load generator for a running engine (or, with
//! `--baseline`, for a plain relay on the same broker), reporting end-to-end latency with
//! HdrHistogram, free of coordinated omission.
//!
//! What it is for: proving latency and throughput under a user's load. Simulator events go to
//! the events topic at a fixed rate (event `i` at `start + i / rate`); a collector consumes
//! the decisions topic (and counts churn alerts) and times each event from its intended send
//! time to its first decision. A live progress line runs on stderr; the report is a table or
//! JSON (`--json`, `--report FILE`).
//! What it is not: the engine. The relay of `--baseline` copies events to a relay topic with
//! no work, which is the floor the broker and clients set; the engine is compared with it.
//! So that both sides cost the broker the same polling, the collector reads two output topics
//! of the same partition count in either mode: decisions and alerts from the engine, the relay
//! topic and an empty "relay alerts" topic (`--relay-alerts-topic`, never written to) from the
//! relay. A broker that holds each fetch (tansu) spends CPU per partition polled, so reading
//! one topic fewer for the relay would flatter it.
//!
//! Layout: `feed` (events), `produce` (open-loop sender), `collect` (consumer, latency,
//! progress), `relay` (baseline), `kafka` (client settings, topics), `report`.

mod collect;
mod feed;
mod kafka;
mod produce;
mod relay;
mod report;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::consumer::BaseConsumer;
use rdkafka::producer::{Producer, ThreadedProducer};

use super::CliError;
use collect::{Schedule, Shared};
use produce::DeliveryCounter;
pub use produce::Pacing;
pub use report::LoadReport;

/// Arguments of `leadstream loadgen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Kafka bootstrap servers, HOST:PORT[,HOST:PORT...].
    #[arg(long, env = "LEADSTREAM_BROKERS")]
    pub brokers: String,
    /// Offered rate, events per second.
    #[arg(long)]
    pub rate: f64,
    /// Seconds of load (ignored when --count is given).
    #[arg(long, default_value_t = 30.0)]
    pub duration: f64,
    /// Number of events to send instead of a duration.
    #[arg(long)]
    pub count: Option<u64>,
    /// Topic the engine consumes events from (created if missing).
    #[arg(long, default_value = "lead-events")]
    pub events_topic: String,
    /// Topic the engine writes decisions to.
    #[arg(long, default_value = "lead-decisions")]
    pub decisions_topic: String,
    /// Topic the engine writes churn alerts to (counted, not timed).
    #[arg(long, default_value = "churn-alerts")]
    pub alerts_topic: String,
    /// Measure a plain consume-and-produce relay instead of the engine.
    #[arg(long)]
    pub baseline: bool,
    /// Topic the baseline relay writes to (created if missing).
    #[arg(long, default_value = "loadgen-relay")]
    pub relay_topic: String,
    /// Second topic the collector polls in baseline mode, which the relay never writes to: it
    /// stands for the engine's alerts topic so both sides poll as many partitions (created if
    /// missing, like the relay topic).
    #[arg(long, default_value = "loadgen-relay-alerts")]
    pub relay_alerts_topic: String,
    /// Diagnostic: pad each relay copy to at least this many bytes (a `"pad"` field in the
    /// event's JSON), to test whether output size (decisions are about 1.2 KB, events about
    /// 190 bytes) explains a latency difference. 0: plain copies, the baseline proper.
    #[arg(long, default_value_t = 0)]
    pub relay_pad_to: usize,
    /// Consumers of the baseline relay, each with its own thread and its share of the events
    /// topic's partitions (sharing one producer), as the engine's shards each consume their
    /// own partitions. 1: one consumer reads every partition.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub relay_consumers: u16,
    /// Partitions of topics loadgen creates.
    #[arg(long, default_value_t = 4)]
    pub partitions: i32,
    /// Simulated leads behind the events.
    #[arg(long, default_value_t = 2000)]
    pub leads: u32,
    /// Simulator seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Send every Nth event as a malformed payload (exercises rejects and dead letters; such
    /// events expect no decision). 0: never.
    #[arg(long, default_value_t = 0)]
    pub malformed_every: u64,
    /// How the sender waits for each event's intended time (spin: precise, a busy core; sleep:
    /// late by up to a sleep's overshoot, idle). Latency counts from the intended time either
    /// way.
    #[arg(long, value_enum, default_value_t = Pacing::Spin)]
    pub pacing: Pacing,
    /// Seconds to wait for outstanding outputs after the last send.
    #[arg(long, default_value_t = 10.0)]
    pub drain: f64,
    /// librdkafka setting for every client, KEY=VALUE (repeatable), e.g. linger.ms=1.
    #[arg(long = "kafka", value_name = "KEY=VALUE")]
    pub kafka: Vec<String>,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also write the JSON report to this file.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// No live progress line.
    #[arg(long)]
    pub quiet: bool,
}

fn planned(args: &Args) -> Result<(f64, u64), CliError> {
    if !(args.rate.is_finite() && args.rate > 0.0) {
        return Err(CliError::Input(format!(
            "--rate must be positive, got {}",
            args.rate
        )));
    }
    let total = match args.count {
        Some(n) => n,
        None if args.duration.is_finite() && args.duration > 0.0 => {
            (args.rate * args.duration).round() as u64
        }
        None => {
            return Err(CliError::Input(format!(
                "--duration must be positive, got {}",
                args.duration
            )))
        }
    };
    if total == 0 {
        return Err(CliError::Input("nothing to send (count 0)".into()));
    }
    if !(args.drain.is_finite() && args.drain >= 0.0) {
        return Err(CliError::Input(format!(
            "--drain must be >= 0, got {}",
            args.drain
        )));
    }
    Ok((args.rate, total))
}

/// A run id that differs between runs, so outputs of earlier runs are never matched.
fn run_id() -> u32 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| {
        d.subsec_nanos() ^ (d.as_secs() as u32).rotate_left(16)
    })
}

/// Runs the subcommand.
///
/// # Errors
/// [`CliError::Input`] for invalid flags; [`CliError::Kafka`] if the broker cannot be reached,
/// a topic is missing or cannot be created; [`CliError::Io`] if the report cannot be written.
pub fn run(args: &Args) -> Result<(), CliError> {
    let report = measure(args)?;
    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| CliError::Input(format!("report: {e}")))?;
    if let Some(path) = &args.report {
        std::fs::write(path, &json).map_err(|source| CliError::Io {
            context: format!("writing {}", path.display()),
            source,
        })?;
    }
    if args.json {
        println!("{json}");
    } else {
        println!("{report}");
    }
    Ok(())
}

/// Runs the load and returns the report.
///
/// # Errors
/// As [`run`].
pub fn measure(args: &Args) -> Result<LoadReport, CliError> {
    let (rate, total) = planned(args)?;
    let extra = kafka::parse_pairs(&args.kafka)?;
    let run = run_id();
    let prefix = feed::id_prefix(run);
    let base = kafka::base_config(&args.brokers, &extra);
    let mut to_create = vec![args.events_topic.as_str()];
    if args.baseline {
        to_create.push(args.relay_topic.as_str());
        to_create.push(args.relay_alerts_topic.as_str());
    }
    kafka::ensure_topics(&base, &to_create, args.partitions)?;

    let (output_topic, alerts_topic) = if args.baseline {
        (args.relay_topic.as_str(), args.relay_alerts_topic.as_str())
    } else {
        (args.decisions_topic.as_str(), args.alerts_topic.as_str())
    };
    let collector: BaseConsumer =
        kafka::consumer_config(&args.brokers, &format!("loadgen-{run:08x}"), &extra)
            .create()
            .map_err(kafka::kafka_err("collector"))?;
    kafka::assign_at_end(&collector, &[output_topic, alerts_topic])?;

    let stop_relay = Arc::new(AtomicBool::new(false));
    let relayed = AtomicU64::new(0);
    let relay_clients = if args.baseline {
        let of = usize::from(args.relay_consumers);
        let mut consumers = Vec::with_capacity(of);
        for index in 0..of {
            let consumer: BaseConsumer =
                kafka::consumer_config(&args.brokers, &format!("loadgen-relay-{run:08x}"), &extra)
                    .create()
                    .map_err(kafka::kafka_err("relay consumer"))?;
            kafka::assign_share_at_end(&consumer, &[args.events_topic.as_str()], index, of)?;
            consumers.push(consumer);
        }
        let producer: ThreadedProducer<DeliveryCounter> = base
            .create_with_context(DeliveryCounter::default())
            .map_err(kafka::kafka_err("relay producer"))?;
        Some((consumers, producer))
    } else {
        None
    };

    let producer: ThreadedProducer<DeliveryCounter> = base
        .create_with_context(DeliveryCounter::default())
        .map_err(kafka::kafka_err("producer"))?;
    // Fetch metadata now so the first event does not pay for it.
    producer
        .client()
        .fetch_metadata(Some(&args.events_topic), Duration::from_secs(10))
        .map_err(kafka::kafka_err("producer metadata"))?;
    let mut feed = feed::Feed::new(args.leads, args.seed, run)?;
    feed.malformed_every = args.malformed_every;
    let shared = Arc::new(Shared::default());
    let schedule = Schedule {
        start: Instant::now() + Duration::from_millis(200),
        period_ns: 1e9 / rate,
        total,
    };
    let drain = Duration::from_secs_f64(args.drain);
    let progress = !args.quiet;

    let (produced, collected) = std::thread::scope(|scope| {
        if let Some((consumers, producer)) = &relay_clients {
            for consumer in consumers {
                let stop = &stop_relay;
                let relayed = &relayed;
                let topic = args.relay_topic.as_str();
                let pad_to = args.relay_pad_to;
                scope.spawn(move || relay::relay(consumer, producer, topic, pad_to, stop, relayed));
            }
        }
        let collecting = {
            let shared = Arc::clone(&shared);
            let collector = &collector;
            let prefix = prefix.as_str();
            scope.spawn(move || {
                collect::collect(
                    collector,
                    schedule,
                    prefix,
                    alerts_topic,
                    drain,
                    &shared,
                    progress,
                )
            })
        };
        let produced = produce::produce(
            &producer,
            &args.events_topic,
            &mut feed,
            schedule,
            args.pacing,
            &shared,
        );
        shared.done_sending.store(true, Ordering::Release);
        if produced.is_err() {
            shared.stop.store(true, Ordering::Relaxed);
        }
        let collected = collecting.join();
        stop_relay.store(true, Ordering::Relaxed);
        (produced, collected)
    });
    let produced = produced?;
    let collected =
        collected.map_err(|_| CliError::Kafka("the collector thread panicked".into()))?;
    let relay_failed = relay_clients
        .as_ref()
        .map_or(0, |(_, p)| p.context().failed.load(Ordering::Relaxed));

    let send_secs = produced
        .finished
        .duration_since(schedule.start)
        .as_secs_f64();
    let output_secs = collected
        .last_at
        .map_or(0.0, |t| t.duration_since(schedule.start).as_secs_f64());
    Ok(LoadReport {
        mode: if args.baseline { "relay" } else { "engine" },
        brokers: args.brokers.clone(),
        events_topic: args.events_topic.clone(),
        output_topic: output_topic.to_string(),
        alerts_topic: alerts_topic.to_string(),
        relay_consumers: args.baseline.then_some(args.relay_consumers),
        target_rate: rate,
        pacing: args.pacing,
        planned: total,
        sent: produced.sent,
        no_decision_expected: if args.baseline {
            0
        } else {
            produced.sent - produced.lead_events
        },
        send_errors: produced.send_errors,
        delivery_errors: producer.context().failed.load(Ordering::Relaxed) + relay_failed,
        achieved_rate: if send_secs > 0.0 {
            produced.sent as f64 / send_secs
        } else {
            0.0
        },
        max_send_behind_ms: produced.max_behind.as_secs_f64() * 1e3,
        outputs: collected.unique,
        duplicates: collected.duplicates,
        missing: if args.baseline {
            produced.sent.saturating_sub(collected.unique)
        } else {
            produced.lead_events.saturating_sub(collected.unique)
        },
        alerts: collected.alerts,
        output_rate: if output_secs > 0.0 {
            collected.unique as f64 / output_secs
        } else {
            0.0
        },
        latency: collected.latency.summary(),
        latency_to_output_created: collected.to_output_created.summary(),
        latency_output_created_to_consumed: collected.output_created_to_consumed.summary(),
        engine_receipt_to_decision: collected.engine_receipt_to_decision.summary(),
    })
}
