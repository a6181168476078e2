//! Ground truth: what really happened in a simulation, for scoring models against.
//!
//! What it is for: per lead, the hidden traits and the real outcome (churned at ts and how,
//! converted at ts, or neither by the end), plus the drift schedule with absolute times, written
//! as JSON lines (one `meta` record, then `drift` records, then `lead` records) and read back.
//! What it is not: anything a model may see while learning.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use super::channel::ContactChannel;
use super::drift::DriftKind;
use super::persona::Persona;
use super::SimError;

/// How a churned lead left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChurnKind {
    /// Unsubscribed from email (an `unsubscribed` event).
    Unsubscribed,
    /// Opted out of SMS (an `opted_out` event).
    OptedOut,
    /// Went silent: no event says so; it stopped responding.
    Silent,
}

/// A lead's real outcome within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Still undecided at the end of the window.
    Open,
    /// Churned at `ts`.
    Churned {
        /// When the lead decided to leave (the touch that made it leave).
        ts: i64,
        /// How.
        how: ChurnKind,
    },
    /// Bought at `ts` (the `deal_won` event).
    Converted {
        /// When.
        ts: i64,
    },
}

/// The first record of a truth file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthMeta {
    /// Seed.
    pub seed: u64,
    /// Leads.
    pub leads: u32,
    /// Days.
    pub days: u32,
    /// Tenants.
    pub tenants: u32,
    /// Window start, epoch ms.
    pub start_ms: i64,
    /// Window end (exclusive), epoch ms.
    pub end_ms: i64,
    /// Events written.
    pub events: u64,
}

/// A scheduled drift with its absolute time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthDrift {
    /// What changed.
    pub drift: DriftKind,
    /// When, epoch ms.
    pub ts: i64,
}

/// One lead's hidden traits and outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthLead {
    /// Lead id, as in events.
    pub lead_id: String,
    /// Tenant id, as in events.
    pub tenant_id: String,
    /// Persona.
    pub persona: Persona,
    /// Preferred channel before any `pref-shift` drift.
    pub preferred_channel: ContactChannel,
    /// Time-zone offset from UTC, hours.
    pub tz_offset_hours: i8,
    /// First local hour of the active window.
    pub active_start_hour: u8,
    /// Length of the active window, hours.
    pub active_hours: u8,
    /// Churn propensity, `[0, 1]`.
    pub churn_propensity: f64,
    /// Buying intent, `[0, 1]`.
    pub buying_intent: f64,
    /// When the lead arrived, epoch ms.
    pub created_ts: i64,
    /// When the lead's engagement first fell below the disengaging threshold (answering less,
    /// slower and more sourly), if it did; churn usually follows days later, but need not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disengaged_ts: Option<i64>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// One line of a truth file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum TruthRecord {
    /// The run's parameters.
    Meta(TruthMeta),
    /// A scheduled drift.
    Drift(TruthDrift),
    /// A lead.
    Lead(TruthLead),
}

/// The ground truth of one simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// The run's parameters.
    pub meta: TruthMeta,
    /// The drift schedule.
    pub drifts: Vec<TruthDrift>,
    /// Every lead, by lead index.
    pub leads: Vec<TruthLead>,
}

impl Truth {
    /// Writes the truth as JSON lines.
    ///
    /// # Errors
    /// [`SimError::Io`] if writing fails.
    pub fn write_jsonl<W: Write>(&self, mut out: W) -> Result<(), SimError> {
        let mut line = |rec: &TruthRecord| -> Result<(), SimError> {
            serde_json::to_writer(&mut out, rec).map_err(|e| SimError::Io(e.into()))?;
            out.write_all(b"\n").map_err(SimError::Io)
        };
        line(&TruthRecord::Meta(self.meta.clone()))?;
        for d in &self.drifts {
            line(&TruthRecord::Drift(*d))?;
        }
        for l in &self.leads {
            line(&TruthRecord::Lead(l.clone()))?;
        }
        Ok(())
    }

    /// Reads a truth file written by [`Truth::write_jsonl`].
    ///
    /// # Errors
    /// [`SimError::Io`] if reading fails, [`SimError::Truth`] for a malformed line or a missing
    /// `meta` record.
    pub fn read_jsonl<R: BufRead>(input: R) -> Result<Self, SimError> {
        let mut meta = None;
        let mut drifts = Vec::new();
        let mut leads = Vec::new();
        for (i, line) in input.lines().enumerate() {
            let line = line.map_err(SimError::Io)?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: TruthRecord = serde_json::from_str(&line)
                .map_err(|e| SimError::Truth(format!("line {}: {e}", i + 1)))?;
            match rec {
                TruthRecord::Meta(m) => meta = Some(m),
                TruthRecord::Drift(d) => drifts.push(d),
                TruthRecord::Lead(l) => leads.push(l),
            }
        }
        let meta = meta.ok_or_else(|| SimError::Truth("no meta record".into()))?;
        Ok(Self {
            meta,
            drifts,
            leads,
        })
    }
}
