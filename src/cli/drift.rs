//! `leadstream drift`: feeds one CSV column through a drift detector and reports where drift
//! was signalled.
//!
//! What it is for: checking a detector on a recorded signal (an error stream, a metric) and
//! measuring its update speed, printing one JSON object as the last stdout line.
//! What it is not: the detectors ([`crate::learn::drift`]) nor the CSV reader
//! ([`super::dataset`]).

use std::time::Instant;

use serde::Serialize;

use super::classifiers::parse_setting;
use super::dataset::Dataset;
use super::CliError;
use crate::learn::drift::{AdwinParams, PageHinkleyParams};
use crate::learn::{DriftDetector, Hyperparams};

/// Arguments of `leadstream drift`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV file: a header row and numeric columns.
    #[arg(long)]
    pub data: String,
    /// adwin or page-hinkley.
    #[arg(long)]
    pub detector: String,
    /// The column to feed (default: the last column).
    #[arg(long)]
    pub column: Option<String>,
    /// A hyperparameter, KEY=VALUE; repeatable; applied in order.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// The JSON line `drift` prints.
#[derive(Debug, Serialize)]
struct DriftOutput<'a> {
    detector: &'a str,
    data: &'a str,
    column: &'a str,
    n: usize,
    n_detections: usize,
    detections: Vec<usize>,
    seconds: f64,
    updates_per_second: Option<f64>,
}

fn configured<P: Hyperparams>(settings: &[(String, String)]) -> Result<P, CliError> {
    let mut params = P::default();
    for (key, value) in settings {
        params.set(key, value)?;
    }
    Ok(params)
}

/// The 0-based indices of `values` at which `detector` signals drift.
fn detections(detector: &mut dyn DriftDetector, values: &[f64]) -> Vec<usize> {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, x)| detector.update(*x).then_some(i))
        .collect()
}

/// Runs the subcommand.
///
/// # Errors
/// [`CliError`] for an unknown detector, a bad `--set`, an unreadable or malformed file (naming
/// the file, row and column), or hyperparameters the detector refuses.
pub fn run(args: &Args) -> Result<(), CliError> {
    let settings: Vec<(String, String)> = args
        .set
        .iter()
        .map(|s| parse_setting(s))
        .collect::<Result<_, _>>()?;
    let mut detector: Box<dyn DriftDetector> = match args.detector.as_str() {
        "adwin" => Box::new(configured::<AdwinParams>(&settings)?.build()?),
        "page-hinkley" => Box::new(configured::<PageHinkleyParams>(&settings)?.build()?),
        other => {
            return Err(CliError::Input(format!(
                "unknown detector `{other}` (known: adwin, page-hinkley)"
            )))
        }
    };
    let dataset = Dataset::load(&args.data)?;
    let column = dataset.column_index(args.column.as_deref())?;
    let values: Vec<f64> = dataset.column(column).collect();

    let start = Instant::now();
    let found = detections(detector.as_mut(), &values);
    let seconds = start.elapsed().as_secs_f64();

    let output = DriftOutput {
        detector: &args.detector,
        data: &args.data,
        column: &dataset.columns[column],
        n: values.len(),
        n_detections: found.len(),
        detections: found,
        seconds,
        updates_per_second: (seconds > 0.0).then(|| values.len() as f64 / seconds),
    };
    let line = serde_json::to_string(&output)
        .map_err(|e| CliError::Input(format!("cannot write the result as JSON: {e}")))?;
    println!("{line}");
    Ok(())
}
