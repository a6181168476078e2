//! `leadstream eval`: prequential (test-then-train) evaluation of a classifier on a CSV file.
//!
//! What it is for: scoring a learner on a file and measuring its learning-loop speed, printing
//! one JSON object as the last stdout line (the benchmark script and tests parse it).
//! What it is not: the evaluation loop itself ([`crate::learn::prequential`]) nor the CSV
//! reader ([`super::dataset`]).

use std::time::Instant;

use serde::Serialize;

use super::classifiers::{self, ModelKind, ModelSpec};
use super::dataset::Dataset;
use super::CliError;
use crate::learn::prequential::evaluate;
use crate::learn::MAX_CLASSES;

/// Arguments of `leadstream eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV file: a header row, numeric columns, class labels 0..k-1 in the target column.
    #[arg(long)]
    pub data: String,
    /// hoeffding-tree, hoeffding-adaptive-tree or logistic.
    #[arg(long)]
    pub model: String,
    /// The class column (default: the last column).
    #[arg(long)]
    pub target: Option<String>,
    /// Seed for models that have one (ignored otherwise).
    #[arg(long)]
    pub seed: Option<u64>,
    /// A hyperparameter, KEY=VALUE; repeatable; applied in order after --seed.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// The JSON line `eval` prints.
#[derive(Debug, Serialize)]
struct EvalOutput<'a> {
    model: &'a str,
    data: &'a str,
    target: &'a str,
    n: usize,
    n_features: usize,
    n_classes: usize,
    seed: Option<u64>,
    accuracy: f64,
    log_loss: f64,
    roc_auc: Option<f64>,
    seconds: f64,
    samples_per_second: Option<f64>,
}

/// Runs the subcommand.
///
/// # Errors
/// [`CliError`] for an unknown model, a bad `--set`, an unreadable or malformed file (naming
/// the file, row and column), or hyperparameters the learner refuses.
pub fn run(args: &Args) -> Result<(), CliError> {
    let spec = ModelSpec {
        kind: ModelKind::parse(&args.model)?,
        seed: args.seed,
        settings: args
            .set
            .iter()
            .map(|s| classifiers::parse_setting(s))
            .collect::<Result<_, _>>()?,
    };
    let dataset = Dataset::load(&args.data)?;
    let target = dataset.column_index(args.target.as_deref())?;
    let data = dataset.labelled(target, MAX_CLASSES)?;
    let n_features = data.feature_names.len();
    let mut model = classifiers::build(&spec, n_features, data.n_classes)?;

    let start = Instant::now();
    let report = evaluate(model.as_mut(), data.rows());
    let seconds = start.elapsed().as_secs_f64();

    let output = EvalOutput {
        model: spec.kind.name(),
        data: &args.data,
        target: &dataset.columns[target],
        n: report.n,
        n_features,
        n_classes: data.n_classes,
        seed: classifiers::effective_seed(&spec),
        accuracy: report.accuracy,
        log_loss: report.log_loss,
        roc_auc: report.roc_auc,
        seconds,
        samples_per_second: (seconds > 0.0).then(|| report.n as f64 / seconds),
    };
    let line = serde_json::to_string(&output)
        .map_err(|e| CliError::Input(format!("cannot write the result as JSON: {e}")))?;
    println!("{line}");
    Ok(())
}
