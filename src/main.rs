//! The `leadstream` binary: parses the command line and dispatches to [`leadstream::cli`].

use clap::{Parser, Subcommand};
use leadstream::cli;

/// Streaming online-learning engine for nurturing sales leads.
#[derive(Debug, Parser)]
#[command(name = "leadstream", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Prequential (test-then-train) evaluation of a learner on a CSV file.
    Eval(cli::eval::Args),
    /// Feeds a CSV column through a drift detector and reports where drift was signalled.
    Drift(cli::drift::Args),
    /// Prints every text signal (sentiment, emotion, readability, persuasion) for messages.
    AnalyzeText(cli::analyze_text::Args),
    /// Generates a realistic stream of lead events with ground truth.
    Simulate(cli::simulate::Args),
    /// Runs the engine: embedded (simulator or --input file) by default, or against Kafka.
    Run(Box<cli::run::Args>),
    /// Open-loop load generator: offers events to a running engine through Kafka and reports
    /// end-to-end latency (or, with --baseline, of a plain relay on the same broker).
    Loadgen(cli::loadgen::Args),
    /// Model versions of a state directory: list, show, rollback, export, import.
    Models(cli::models::Args),
    /// Drives the simulator with the engine's decisions and scores them against ground truth.
    EvaluateDecisions(cli::evaluate_decisions::Args),
}

/// Log lines (sentences with fields) on stderr; `RUST_LOG` filters, `info` by default.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Eval(args) => cli::eval::run(args),
        Command::Drift(args) => cli::drift::run(args),
        Command::AnalyzeText(args) => cli::analyze_text::run(args),
        Command::Simulate(args) => cli::simulate::run(args),
        Command::Run(args) => {
            init_logging();
            cli::run::run(args)
        }
        Command::Loadgen(args) => cli::loadgen::run(args),
        Command::Models(args) => cli::models::run(args),
        Command::EvaluateDecisions(args) => cli::evaluate_decisions::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("leadstream: error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
