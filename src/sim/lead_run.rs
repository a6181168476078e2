//! What the simulation remembers about one lead while it runs (hidden dynamic state).
//!
//! What it is for: status (waiting, active, silent, left, converted), counts the agent can see,
//! and the lead's hidden progress towards a deal, annoyance and engagement.
//! What it is not: the engine's lead state (see [`crate::lead`]), which must infer all this from
//! events.

use crate::event::JourneyStage;

use super::channel::ContactChannel;
use super::sim_event::SimKind;
use super::truth::Outcome;

/// Where a lead is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Status {
    /// Not arrived yet.
    #[default]
    Waiting,
    /// In play.
    Active,
    /// Churned without saying so: the agent may still contact it, it never answers.
    Silent,
    /// Unsubscribed or opted out: no more contact.
    Left,
    /// Bought.
    Converted,
}

/// The per-lead state of a running simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LeadRun {
    pub(crate) status: Status,
    pub(crate) touches: u32,
    pub(crate) responses: u32,
    pub(crate) unanswered: u32,
    pub(crate) last_channel: Option<ContactChannel>,
    pub(crate) last_response_ts: Option<i64>,
    pub(crate) stage: JourneyStage,
    /// Hidden progress towards a deal: thresholds book showings and lead to offers.
    pub(crate) progress: f64,
    /// Hidden annoyance from badly fitting touches, `[0, 1]`; raises churn and sours replies.
    pub(crate) annoyance: f64,
    pub(crate) appointment_pending: bool,
    pub(crate) offer_pending: bool,
    /// Something just went wrong; the next reply is likely disappointed.
    pub(crate) setback: bool,
    /// When the lead's engagement first fell below [`super::engagement::DISENGAGED`].
    pub(crate) disengaged_at: Option<i64>,
    /// Latent engagement, `[0, 1]` (see `engagement`), as of `engagement_ts`.
    pub(crate) engagement: f64,
    /// Engagement on arrival, the level a settled lead returns to.
    pub(crate) home: f64,
    /// Whether the lead's interest is wearing away (see `engagement`).
    pub(crate) fading: bool,
    /// When `engagement` was last evolved.
    pub(crate) engagement_ts: i64,
    /// Whether the lead is shopping around on a listing portal (`portal-launch` drift): it
    /// browses more, and leaves within days or weeks.
    pub(crate) shopping: bool,
    /// When the agent last touched the lead.
    pub(crate) last_touch_ts: Option<i64>,
    /// The engagement factor the last touch's response was drawn with.
    pub(crate) touch_factor: f64,
    pub(crate) outcome: Outcome,
}

impl Default for LeadRun {
    fn default() -> Self {
        Self {
            status: Status::Waiting,
            touches: 0,
            responses: 0,
            unanswered: 0,
            last_channel: None,
            last_response_ts: None,
            stage: JourneyStage::Exploring,
            progress: 0.0,
            annoyance: 0.0,
            appointment_pending: false,
            offer_pending: false,
            setback: false,
            disengaged_at: None,
            engagement: 1.0,
            home: 1.0,
            fading: false,
            engagement_ts: 0,
            shopping: false,
            last_touch_ts: None,
            touch_factor: 1.0,
            outcome: Outcome::Open,
        }
    }
}

impl LeadRun {
    /// Whether the agent may still contact the lead.
    pub(crate) fn contactable(&self) -> bool {
        matches!(self.status, Status::Active | Status::Silent)
    }

    /// Whether a queued event must be dropped because the lead left before it happened: a
    /// churned or converted lead does not open, click, reply, visit, watch, attend or offer.
    pub(crate) fn drops(&self, kind: &SimKind) -> bool {
        let lead_action = matches!(
            kind,
            SimKind::EmailOpened
                | SimKind::EmailClicked { .. }
                | SimKind::Replied { .. }
                | SimKind::WebVisit { .. }
                | SimKind::VideoViewed { .. }
                | SimKind::AppointmentAttended
                | SimKind::OfferMade { .. }
        );
        lead_action && self.status != Status::Active
    }
}
