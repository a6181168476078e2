//! The lead simulator: a seeded, multi-tenant world of leads with hidden traits, an agent that
//! contacts them, and the events and real outcomes that follow, with ground truth.
//!
//! What it is for: realistic event streams to develop, test and benchmark the engine on, and the
//! truth to score it against (churn AUC, channel-choice regret against the oracle, persona
//! recovery, recovery after scheduled drift). The response model is a pure function of (lead
//! traits, channel, hour of week, variant, time) so [`World`] can answer oracle queries; the
//! agent's outbound policy is pluggable ([`OutboundPolicy`]) so a learning policy can drive it.
//! What it is not: part of the engine's data path. Nothing here reads the wall clock; event time
//! starts at [`SimConfig::start_ms`].
//!
//! The model in brief (constants live next to the code that uses them):
//! - Response to a touch: `base(persona) x channel (1 on the preferred channel, 0.4 off it) x
//!   hour (1 in the lead's local active window, 0.55 by day, 0.12 at night, times the persona's
//!   weekend factor) x variant affinity(persona) x (0.6 + 0.8 x intent) x channel outage`,
//!   capped at 0.95 ([`response_probability`]). The loop draws responses from exactly this, so
//!   [`World::response_probability`] and [`World::best_touch`] are the oracle.
//! - Engagement: each lead has a latent engagement in `[0, 1]` (see `engagement`): a settled
//!   lead's is a random walk pulled back to its level on arrival; a touch may start a *fade*
//!   (more likely with churn propensity, a bad fit, over-contact, a market shock) during which it
//!   drifts down for weeks; touches that fit lift it a little, bad ones and over-contact lower
//!   it. It multiplies the response probability above ([`response_factor`]: the oracle is that
//!   of a fully engaged lead), clicks, replies and web visits; it slows replies, sours their
//!   mood (below 0.3 some replies, and some answers to touches otherwise ignored, ask to stop
//!   contact) and makes showings missed.
//! - Churn: once a day the lead leaves with a hazard steep in low engagement
//!   (`0.15 / (1 + exp((e - 0.25) / 0.05))`, times a market shock's multiplier; plus, under a
//!   `poaching` drift, a hazard for keen engaged leads; under a `portal-launch` drift, a
//!   hazard for leads shopping around on a listing portal, which they start at a web visit,
//!   likelier the more they browse, and which triples their browsing, while the hazard of low
//!   engagement falls and fading leads soon come back): by unsubscribing, opting out (SMS
//!   "STOP"), or going silent, as its persona tends to. So leads disengage visibly before they
//!   leave; the truth's `disengaged_ts` is when engagement first fell below [`DISENGAGED`].
//! - Unprompted contact: after some web visits the lead gets in touch on its preferred channel
//!   (texts, writes, calls in, watches a tour), unless a drift killed that channel.
//! - Conversion: responses and visits build hidden progress (more with intent and fit); enough
//!   progress books a showing (attended or missed by intent and annoyance), attended showings
//!   lead to an offer, and the offer is won with probability `0.3 + 0.6 x intent`.
//!
//! Layout: `persona` and `traits` (who the leads are), `response` (the oracle), `engagement`
//! (interest over time), `drift` (the schedule), `policy` (the agent), `stream` with
//! `lead_run`, `lead_days`, `reactions` and `journey` (the loop), `templates` (reply texts),
//! `market`, `sim_event` (rendering to the event contract), `truth`.

mod channel;
mod drift;
mod engagement;
mod journey;
mod lead_days;
mod lead_run;
mod market;
mod persona;
mod policy;
mod reactions;
mod response;
mod sim_event;
mod stream;
mod templates;
mod traits;
mod truth;
mod world;

pub use channel::{
    hour_of_week, local_hour_of_week, ContactChannel, DAY_MS, HOURS_PER_WEEK, HOUR_MS,
};
pub use drift::{DriftKind, DriftSchedule, DriftSpec, Effects};
pub use engagement::{response_factor, DISENGAGED};
pub use market::Market;
pub use persona::{Persona, PersonaProfile};
pub use policy::{CadencePolicy, OutboundPolicy, Touch, TouchContext};
pub use response::{best_touch, effective_preferred, hour_factor, mismatch, response_probability};
pub use sim_event::{SimEvent, SimKind};
pub use stream::{Simulation, MIN_TOUCH_GAP_MS};
pub use templates::{
    leaving_sentence, pick_emotion, sentence, ReplyMood, TemplateSet, LEAVING, TEMPLATES,
};
pub use traits::LeadTraits;
pub use truth::{ChurnKind, Outcome, Truth, TruthDrift, TruthLead, TruthMeta, TruthRecord};
pub use world::{default_start_ms, SimConfig, World, AREAS_PER_TENANT, LISTINGS_PER_AREA};

/// An error from the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The configuration is invalid.
    #[error("invalid simulation: {0}")]
    Config(String),
    /// A drift spec could not be parsed.
    #[error("bad drift spec `{spec}`: {why}")]
    BadDrift {
        /// The spec as given.
        spec: String,
        /// What is wrong with it.
        why: String,
    },
    /// A truth file is malformed.
    #[error("bad truth file: {0}")]
    Truth(String),
    /// Reading or writing failed.
    #[error("simulator I/O: {0}")]
    Io(#[from] std::io::Error),
}
