//! `leadstream analyze-text`. Being written; see issues 2 and 3.

use super::CliError;

/// Arguments of `leadstream analyze-text`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the subcommand.
///
/// # Errors
/// Always, until the subcommand is written.
pub fn run(_args: &Args) -> Result<(), CliError> {
    Err(CliError::Input(
        "`analyze-text` is not available yet".into(),
    ))
}
