//! `leadstream analyze-text`: prints every text signal of each message as one JSON line.
//!
//! What it is for: letting users inspect what the engine sees in a message (sentiment, emotion
//! and confidence, readability, persuasion, length, churn cues).
//! What it is not: the analysis itself, which lives in [`crate::text`].

use std::io::{BufRead, Write};

use serde::Serialize;

use super::CliError;
use crate::text::{analyze, TextSignals};

/// Arguments of `leadstream analyze-text`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One message to analyse. Without it, messages are read from stdin, one per line (blank
    /// lines are skipped).
    #[arg(long)]
    pub text: Option<String>,
}

/// One output line: the message and its signals.
#[derive(Debug, Serialize)]
struct Line<'a> {
    text: &'a str,
    #[serde(flatten)]
    signals: TextSignals,
}

/// Writes the JSON line of `text` to `out`.
fn write_line(out: &mut impl Write, text: &str) -> Result<(), CliError> {
    let line = Line {
        text,
        signals: analyze(text),
    };
    let json = serde_json::to_string(&line)
        .map_err(|e| CliError::Input(format!("cannot encode signals as JSON: {e}")))?;
    writeln!(out, "{json}").map_err(|source| CliError::Io {
        context: "writing to stdout".into(),
        source,
    })
}

/// Runs the subcommand.
///
/// # Errors
/// [`CliError::Io`] when stdin cannot be read (including text that is not UTF-8, reported with
/// its line number) or stdout cannot be written.
pub fn run(args: &Args) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(text) = &args.text {
        write_line(&mut out, text)?;
    } else {
        let stdin = std::io::stdin();
        for (index, line) in stdin.lock().lines().enumerate() {
            let line = line.map_err(|source| CliError::Io {
                context: format!("reading stdin line {}", index + 1),
                source,
            })?;
            let text = line.trim_end_matches('\r');
            if text.trim().is_empty() {
                continue;
            }
            write_line(&mut out, text)?;
        }
    }
    out.flush().map_err(|source| CliError::Io {
        context: "writing to stdout".into(),
        source,
    })
}
