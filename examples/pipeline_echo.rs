//! The real pipeline (`leadstream run`'s flags, sources, shards, Kafka, /metrics) with a no-op
//! decision layer that echoes each event's id as its decision.
//!
//! What it is for: measuring and observing the pipeline before the decision layer is wired
//! into `leadstream run`: scripts/prometheus_check.sh can scrape it, and `leadstream loadgen`
//! can time it against the `--baseline` relay. Its decisions carry no model output; the model
//! and lead panels of the dashboards stay empty with it.
//! What it is not: the engine's decision logic (see `crate::decide`).
//!
//! Run: `cargo run --example pipeline_echo -- --metrics-addr 127.0.0.1:9464 [run flags]`

use clap::Parser;
use leadstream::cli::run::{run_with, Args};
use leadstream::event::Event;
use leadstream::lead::{LeadState, N_FEATURES};
use leadstream::pipeline::{DecisionFactory, DecisionStage, LearnStage, StageOutputs, Timing};

#[derive(Debug, Parser)]
#[command(name = "pipeline_echo")]
struct Cli {
    #[command(flatten)]
    run: Args,
}

#[derive(Debug)]
struct EchoStage;

#[derive(Debug)]
struct NoLearner;

#[derive(Debug)]
struct EchoFactory;

impl DecisionStage for EchoStage {
    type Example = ();

    fn on_event(
        &mut self,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        _state: &LeadState,
        _features: &[f64; N_FEATURES],
        _timing: Timing,
        out: &mut StageOutputs<()>,
    ) {
        let json = serde_json::json!({
            "event_id": event.event_id,
            "tenant_id": tenant_id,
            "lead_id": lead_id,
        });
        let _ = serde_json::to_writer(&mut out.decision, &json);
    }
}

impl LearnStage for NoLearner {
    type Example = ();

    fn learn(&mut self, _: ()) {}

    fn publish(&mut self) {}
}

impl DecisionFactory for EchoFactory {
    type Example = ();
    type Stage = EchoStage;
    type Learner = NoLearner;

    fn build(&self, shards: usize) -> (NoLearner, Vec<EchoStage>) {
        (NoLearner, (0..shards).map(|_| EchoStage).collect())
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = cli
        .run
        .config()
        .and_then(|config| run_with(&cli.run, &config, &EchoFactory));
    match result {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipeline_echo: error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
