//! Lead gauges shared by every shard: leads held and leads per journey stage.
//!
//! What it is for: each shard counts the changes of its own leads locally (per event, plain
//! integers) and adds them here once per batch, then emits the totals as the
//! `leadstream_active_leads`, `leadstream_lead_state_memory_bytes` and
//! `leadstream_leads_by_journey_stage` gauges, so the gauges are sums over shards.
//! What it is not: an exact memory account (bytes are leads times the in-memory size of one
//! lead's state, an estimate that ignores map overhead and boxed long ids).

use std::sync::atomic::{AtomicI64, Ordering};

use crate::event::JourneyStage;
use crate::lead::LeadState;
use crate::telemetry::events::{JourneyStageLeads, LeadStateSize, TelemetryEvent};

/// One shard's changes since its last flush.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeadDeltas {
    leads: i64,
    stages: [i64; JourneyStage::COUNT],
}

impl LeadDeltas {
    /// A lead was added to the shard in `stage`.
    pub fn added(&mut self, stage: JourneyStage) {
        self.leads += 1;
        self.bump(stage, 1);
    }

    /// A held lead moved from `from` to `to` (no-op when equal).
    pub fn moved(&mut self, from: JourneyStage, to: JourneyStage) {
        if from != to {
            self.bump(from, -1);
            self.bump(to, 1);
        }
    }

    /// A lead in `stage` was dropped (its partition was revoked).
    pub fn removed(&mut self, stage: JourneyStage) {
        self.leads -= 1;
        self.bump(stage, -1);
    }

    fn bump(&mut self, stage: JourneyStage, n: i64) {
        if let Some(s) = self.stages.get_mut(stage.index()) {
            *s += n;
        }
    }
}

/// Totals over every shard.
#[derive(Debug, Default)]
pub struct LeadGauges {
    leads: AtomicI64,
    stages: [AtomicI64; JourneyStage::COUNT],
}

impl LeadGauges {
    /// Adds a shard's deltas, resets them, and emits the totals.
    pub fn flush(&self, deltas: &mut LeadDeltas) {
        let d = std::mem::take(deltas);
        let leads = self.leads.fetch_add(d.leads, Ordering::Relaxed) + d.leads;
        for (stage, (total, delta)) in JourneyStage::ALL
            .iter()
            .zip(self.stages.iter().zip(d.stages))
        {
            let now = total.fetch_add(delta, Ordering::Relaxed) + delta;
            JourneyStageLeads {
                stage: stage.as_str(),
                leads: u64::try_from(now).unwrap_or(0),
            }
            .emit();
        }
        let leads = u64::try_from(leads).unwrap_or(0);
        LeadStateSize {
            active_leads: leads,
            memory_bytes: leads.saturating_mul(std::mem::size_of::<LeadState>() as u64),
        }
        .emit();
    }

    /// Leads held over every shard.
    pub fn leads(&self) -> i64 {
        self.leads.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_from_two_shards_sum_and_reset() {
        let gauges = LeadGauges::default();
        let mut a = LeadDeltas::default();
        a.added(JourneyStage::Exploring);
        a.added(JourneyStage::Exploring);
        a.moved(JourneyStage::Exploring, JourneyStage::ALL[1]);
        let mut b = LeadDeltas::default();
        b.added(JourneyStage::Exploring);
        gauges.flush(&mut a);
        gauges.flush(&mut b);
        assert_eq!(gauges.leads(), 3);
        assert_eq!(gauges.stages[0].load(Ordering::Relaxed), 2);
        assert_eq!(gauges.stages[1].load(Ordering::Relaxed), 1);
        b.removed(JourneyStage::Exploring);
        gauges.flush(&mut b);
        assert_eq!(gauges.leads(), 2);
        assert_eq!(gauges.stages[0].load(Ordering::Relaxed), 1);
        gauges.flush(&mut a); // reset: nothing added twice
        assert_eq!(gauges.leads(), 2);
    }
}
