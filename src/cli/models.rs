//! `leadstream models`: list, show, roll back, export and import model versions of a state
//! directory's registry (docs/models.md).
//!
//! What it is for: operators. A rollback makes a copy of the chosen version active; a running
//! engine on the same state directory switches to it within a second, without restart.
//! What it is not: the registry itself (see [`crate::registry`]).

use std::io::Write;
use std::path::PathBuf;

use super::CliError;
use crate::registry::{ModelRegistry, VersionInfo};

/// Arguments of `leadstream models`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// State directory (the one given to `leadstream run --state-dir`).
    #[arg(long, env = "LEADSTREAM_STATE_DIR", global = true)]
    pub state_dir: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// Versions kept after a rollback or import (0, the default, keeps all; a running engine
    /// prunes to its own `[state] keep_versions` on its next save).
    #[arg(long, default_value_t = 0, global = true)]
    pub keep_versions: usize,
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// A `leadstream models` action.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Every version, oldest first, with the active one marked.
    List,
    /// One version's metadata (ids look like v000042).
    Show {
        /// The version id.
        version: String,
    },
    /// Makes a copy of VERSION the active version; a running engine switches to it.
    Rollback {
        /// The version id.
        version: String,
    },
    /// Writes VERSION's snapshot to FILE (verified first).
    Export {
        /// The version id.
        version: String,
        /// Destination file.
        file: PathBuf,
    },
    /// Runs VERSION in shadow mode in a running engine: it learns beside the live models,
    /// scored on the same labels without affecting decisions, and is promoted when
    /// significantly better or on `promote`.
    Shadow {
        /// The version id.
        version: String,
    },
    /// Stops the shadow run.
    Unshadow,
    /// Asks the running engine to promote its shadow now.
    Promote,
    /// Adds the snapshot in FILE as a new version (not activated; use `rollback` to activate).
    Import {
        /// Snapshot file written by `export`.
        file: PathBuf,
    },
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

fn metric(
    v: &VersionInfo,
    model: &str,
    pick: fn(&crate::registry::ModelMetrics) -> Option<f64>,
) -> String {
    fmt_opt(v.metrics.iter().find(|m| m.model == model).and_then(pick))
}

fn table(versions: &[VersionInfo], active: Option<&str>, shadow: Option<&str>) -> String {
    let mut out = format!(
        "{:<2}{:<9} {:<9} {:<13} {:>24} {:>10} {:>9} {:>9} {:>10}\n",
        "",
        "VERSION",
        "PARENT",
        "REASON",
        "CREATED (UTC)",
        "SAMPLES",
        "CHURN_LL",
        "CHURN_AUC",
        "BYTES"
    );
    for v in versions {
        let mark = if active == Some(v.id.as_str()) {
            "*"
        } else if shadow == Some(v.id.as_str()) {
            "s"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:<2}{:<9} {:<9} {:<13} {:>24} {:>10} {:>9} {:>9} {:>10}\n",
            mark,
            v.id,
            v.parent.as_deref().unwrap_or("-"),
            v.reason.as_str(),
            utc(v.created_at_ms),
            v.samples_seen,
            metric(v, "churn", |m| m.log_loss),
            metric(v, "churn", |m| m.roc_auc),
            v.size_bytes,
        ));
    }
    out
}

/// `YYYY-MM-DD HH:MM:SS` of epoch milliseconds (civil-from-days, proleptic Gregorian).
fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Io {
        context: "writing JSON".into(),
        source: e.into(),
    })
}

/// Runs the subcommand, printing to stdout.
///
/// # Errors
/// [`CliError::Input`] without `--state-dir`; [`CliError::Registry`] when the registry
/// operation fails (unknown version, corrupted snapshot, unreadable file).
pub fn run(args: &Args) -> Result<(), CliError> {
    let text = output(args)?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .map_err(|source| CliError::Io {
            context: "writing to stdout".into(),
            source,
        })
}

/// What the subcommand prints.
///
/// # Errors
/// As [`run`].
pub fn output(args: &Args) -> Result<String, CliError> {
    let dir = args.state_dir.as_deref().ok_or_else(|| {
        CliError::Input("--state-dir (or LEADSTREAM_STATE_DIR) is required".into())
    })?;
    let registry = ModelRegistry::in_state_dir(dir)?;
    let active = registry.active_id()?;
    Ok(match &args.action {
        Action::List => {
            let versions = registry.list()?;
            let shadow = registry.shadow_id()?;
            if args.json {
                json(
                    &serde_json::json!({ "active": active, "shadow": shadow, "versions": versions }),
                )? + "\n"
            } else {
                table(&versions, active.as_deref(), shadow.as_deref())
            }
        }
        Action::Show { version } => {
            let info = registry.info(version)?;
            if args.json {
                json(&info)? + "\n"
            } else {
                let is_active = active.as_deref() == Some(version.as_str());
                format!(
                    "{}{}\n{}",
                    info.id,
                    if is_active { " (active)" } else { "" },
                    json(&info)?
                ) + "\n"
            }
        }
        Action::Rollback { version } => {
            let info = registry.rollback(version, args.keep_versions)?;
            if args.json {
                json(&info)? + "\n"
            } else {
                format!(
                    "Rolled back to {version}: {} (a copy of it) is now active; a running engine switches within a second.\n",
                    info.id
                )
            }
        }
        Action::Export { version, file } => {
            let bytes = registry.export(version, file)?;
            if args.json {
                json(&serde_json::json!({ "version": version, "file": file, "bytes": bytes }))?
                    + "\n"
            } else {
                format!(
                    "Exported {version} to {} ({bytes} bytes).\n",
                    file.display()
                )
            }
        }
        Action::Shadow { version } => {
            registry.set_shadow(Some(version))?;
            format!("{version} will run in shadow mode in a running engine (within a second).\n")
        }
        Action::Unshadow => {
            registry.set_shadow(None)?;
            "Shadow run stopped.\n".to_owned()
        }
        Action::Promote => {
            if registry.shadow_id()?.is_none() {
                return Err(CliError::Input(
                    "no shadow version is set (see `leadstream models shadow`)".into(),
                ));
            }
            registry.request_promotion()?;
            "Promotion requested: a running engine promotes its shadow within a second.\n"
                .to_owned()
        }
        Action::Import { file } => {
            let info = registry.import(file)?;
            registry.prune(args.keep_versions)?;
            if args.json {
                json(&info)? + "\n"
            } else {
                format!(
                    "Imported {} as {} ({} samples); activate it with `leadstream models rollback {}`.\n",
                    file.display(),
                    info.id,
                    info.samples_seen,
                    info.id
                )
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_795_000_000_000), "2026-11-18 11:06:40");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00");
    }
}
