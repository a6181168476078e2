//! Retention campaigns: one multi-step sequence per at-risk lead, from the alert that starts it
//! to its end (recovered or lost), with milestones in between.
//!
//! What it is for: tracking, per lead, whether the agent contacted the lead after the alert,
//! whether it responded, re-engaged (three responses) and was recovered; every milestone is a
//! [`DecideEvent::Campaign`], and the outcome becomes an intervention example so that the
//! intervention policy learns what works.
//! What it is not: the choice of intervention (see `alert`).

use super::types::{DecideEvent, Intervention, Milestone};

/// Responses that count as re-engaged.
pub const REENGAGED_RESPONSES: u16 = 3;

/// A running campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Shard-unique id.
    pub id: u64,
    /// Tenant of the lead.
    pub tenant_id: Box<str>,
    /// The lead.
    pub lead_id: Box<str>,
    /// When it started, epoch ms.
    pub started_ts: i64,
    /// When it ends if nothing else ends it, epoch ms.
    pub deadline: i64,
    /// Top indicator at the start (the policy's context).
    pub indicator: usize,
    /// The intervention.
    pub intervention: Intervention,
    /// Whether the lead was contacted since the start.
    pub contacted: bool,
    /// Responses since the start.
    pub responses: u16,
}

impl Campaign {
    /// The milestone event of this campaign at `ts`.
    pub fn event(&self, ts: i64, milestone: Milestone) -> DecideEvent {
        DecideEvent::Campaign {
            ts,
            tenant_id: self.tenant_id.to_string(),
            lead_id: self.lead_id.to_string(),
            campaign_id: self.id,
            milestone,
            intervention: self.intervention,
        }
    }

    /// Records an outbound touch; returns the milestone it reached, if any.
    pub fn on_touch(&mut self) -> Option<Milestone> {
        if self.contacted {
            return None;
        }
        self.contacted = true;
        Some(Milestone::Contacted)
    }

    /// Records a response; returns the milestone it reached, if any.
    pub fn on_response(&mut self) -> Option<Milestone> {
        self.responses = self.responses.saturating_add(1);
        match self.responses {
            1 => Some(Milestone::Responded),
            REENGAGED_RESPONSES => Some(Milestone::Reengaged),
            _ => None,
        }
    }

    /// Whether the lead has re-engaged.
    pub const fn reengaged(&self) -> bool {
        self.responses >= REENGAGED_RESPONSES
    }
}
