//! Serves /metrics with every leadstream metric fed by synthetic activity, through the public
//! telemetry API only (batches and typed events).
//!
//! What it is for: developing dashboards and scripts/prometheus_check.sh without a broker
//! (`ENGINE_CMD="target/debug/examples/telemetry_demo --listen {LISTEN}"`). The check that
//! counts scrapes the real engine (`leadstream run`); this example is not the engine.
//!
//! Run: `cargo run --example telemetry_demo -- --listen 127.0.0.1:9464 --seconds 60`

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use leadstream::telemetry::events::*;
use leadstream::telemetry::labels::{CommitResult, Queue, RiskLevel, Source, Stage};
use leadstream::telemetry::{install_exporter, LatencyBatch, LeadBatch, PipelineBatch};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

const EMOTIONS: &[&str] = &["excited", "hopeful", "neutral", "anxious", "frustrated"];
const STAGES: &[&str] = &[
    "awareness",
    "consideration",
    "evaluation",
    "decision",
    "closed",
];
const CHANNELS: &[&str] = &["email", "sms", "call", "video"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut listen: SocketAddr = "127.0.0.1:9464".parse()?;
    let mut seconds = 60u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs ADDR")?.parse()?,
            "--seconds" => seconds = args.next().ok_or("--seconds needs N")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    install_exporter(listen)?;
    eprintln!("telemetry_demo: serving http://{listen}/metrics for {seconds} s");
    let mut rng = Pcg64Mcg::seed_from_u64(7);
    let mut pipeline = PipelineBatch::new(Source::Simulator);
    let mut leads = LeadBatch::new();
    let mut latency = LatencyBatch::new();
    let start = Instant::now();
    let mut tick = 0u64;
    let mut version = 1;
    while start.elapsed() < Duration::from_secs(seconds) {
        tick += 1;
        for _ in 0..200 {
            pipeline.consumed(1);
            if rng.random_bool(0.01) {
                pipeline.rejected("malformed_json");
                pipeline.dead_letter();
                continue;
            }
            pipeline.decoded(1);
            pipeline.decision();
            for stage in Stage::ALL {
                latency.stage(*stage, Duration::from_nanos(rng.random_range(500..20_000)));
            }
            latency.receipt_to_decision(Duration::from_micros(rng.random_range(20..200)));
            latency.event_to_decision(Duration::from_millis(rng.random_range(2..40)));
            if rng.random_bool(0.05) {
                let level = RiskLevel::ALL[rng.random_range(0..5)];
                pipeline.alert(level);
                leads.intervention("personal_call", level.as_str());
                leads.milestone("contacted");
            }
            if rng.random_bool(0.2) {
                leads.emotion(EMOTIONS[rng.random_range(0..EMOTIONS.len())]);
            }
            leads.arm_selected("channel", CHANNELS[rng.random_range(0..CHANNELS.len())]);
        }
        pipeline.flush();
        leads.flush();
        latency.flush();
        ConsumerLag {
            topic: "lead-events",
            partition: 0,
            lag: rng.random_range(0..50),
        }
        .emit();
        PartitionsAssigned {
            topic: "lead-events",
            count: 1,
        }
        .emit();
        QueueDepth {
            queue: Queue::ShardInput,
            worker: 0,
            depth: rng.random_range(0..64),
        }
        .emit();
        OffsetsCommitted {
            result: CommitResult::Ok,
        }
        .emit();
        ModelPerformance {
            model: "churn",
            accuracy: Some(0.8 + rng.random_range(0.0..0.1)),
            log_loss: Some(0.4 + rng.random_range(0.0..0.1)),
            roc_auc: Some(0.75 + rng.random_range(0.0..0.1)),
        }
        .emit();
        SamplesLearned {
            model: "churn",
            count: 20,
        }
        .emit();
        if tick % 100 == 1 {
            DriftDetected {
                model: "churn",
                detector: "adwin",
            }
            .emit();
            version += 1;
            ModelRetrained {
                model: "churn",
                reason: "drift",
                version,
            }
            .emit();
        }
        for (i, s) in STAGES.iter().enumerate() {
            JourneyStageLeads {
                stage: s,
                leads: 100 / (i as u64 + 1),
            }
            .emit();
        }
        LeadStateSize {
            active_leads: 1000,
            memory_bytes: 1_000_000,
        }
        .emit();
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}
