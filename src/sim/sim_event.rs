//! The simulator's compact event, and its rendering into the event contract.
//!
//! What it is for: a small `Copy` value the simulation yields (no strings: ids are indices into
//! the [`World`], texts are `'static` templates), rendered on demand into a borrowed
//! [`Event`] that serializes to the wire format and decodes back.
//! What it is not: the event contract itself (see [`crate::event`]).

use std::borrow::Cow;
use std::fmt::Write;

use crate::event::{
    CallMetrics, Channel, Event, EventKind, JourneyStage, MessageVariant, Outbound,
};
use crate::text::EmotionalState;

use super::channel::ContactChannel;
use super::world::World;

/// One simulated event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimEvent {
    /// Position in the stream, from 0; also the event id's suffix.
    pub seq: u64,
    /// Event time, epoch ms.
    pub ts: i64,
    /// The lead's index in the world; `None` for market updates.
    pub lead: Option<u32>,
    /// What happened.
    pub kind: SimKind,
}

/// What happened, with indices instead of strings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SimKind {
    /// The lead arrived.
    LeadCreated {
        /// Where it came from.
        source: &'static str,
        /// Its time zone's offset from UTC, minutes (the CRM knows the lead's address).
        utc_offset_min: Option<i16>,
    },
    /// The agent sent an email, SMS or video message.
    Sent {
        /// The channel (never `Call`: calls become `CallCompleted` or `Voicemail`).
        channel: ContactChannel,
        /// The message variant.
        variant: MessageVariant,
    },
    /// The agent called; the lead did not pick up.
    Voicemail {
        /// Message length, seconds.
        duration_s: f64,
        /// The variant of the message left.
        variant: MessageVariant,
    },
    /// The lead picked up a call.
    CallCompleted {
        /// Call metrics.
        metrics: CallMetrics,
        /// What the lead said, summarised as one template sentence.
        text: &'static str,
        /// The emotion of `text`.
        emotion: EmotionalState,
    },
    /// The lead opened an email.
    EmailOpened,
    /// The lead clicked a listing in an email.
    EmailClicked {
        /// Listing index in the lead's area.
        listing: u32,
    },
    /// The lead replied by email or SMS.
    Replied {
        /// `Email` or `Sms`.
        channel: ContactChannel,
        /// The reply.
        text: &'static str,
        /// The emotion of `text`.
        emotion: EmotionalState,
    },
    /// The lead visited the agent's site.
    WebVisit {
        /// Page name.
        page: &'static str,
        /// Listing index in the lead's area, for listing pages.
        listing: Option<u32>,
        /// Seconds on the page.
        dwell_s: f64,
    },
    /// The lead watched a video message.
    VideoViewed {
        /// Percent watched.
        watch_pct: f64,
        /// Replays.
        replays: u32,
    },
    /// An appointment was booked.
    AppointmentBooked {
        /// When it is.
        at: i64,
    },
    /// The lead missed an appointment.
    AppointmentMissed,
    /// The lead attended an appointment.
    AppointmentAttended,
    /// The lead made an offer.
    OfferMade {
        /// Amount.
        amount: f64,
    },
    /// The deal closed.
    DealWon {
        /// Amount.
        amount: f64,
    },
    /// The deal fell through.
    DealLost {
        /// Why.
        reason: &'static str,
    },
    /// The lead unsubscribed from email.
    Unsubscribed,
    /// The lead opted out of SMS ("STOP").
    OptedOut,
    /// The agent moved the lead to a stage.
    StageChanged {
        /// The new stage.
        stage: JourneyStage,
    },
    /// Market conditions of an area.
    MarketUpdate {
        /// Area index.
        area: u32,
        /// Mortgage rate, percent.
        rate: f64,
        /// Homes for sale.
        inventory: u32,
        /// Price index.
        price_index: f64,
    },
}

impl SimEvent {
    /// Renders the event in the contract's form. The event id (`ev-<seed hex>-<seq>`) is written
    /// into `id_buf`; every other string borrows from `world` or is static.
    pub fn render<'a>(&self, world: &'a World, id_buf: &'a mut String) -> Event<'a> {
        id_buf.clear();
        // Writing to a String cannot fail.
        let _ = write!(id_buf, "ev-{:x}-{}", world.config().seed, self.seq);
        let id: &'a String = id_buf;
        let lead = self.lead.map(|l| l as usize);
        let tenant = match (lead, &self.kind) {
            (Some(l), _) => world.tenant_of(l),
            (None, SimKind::MarketUpdate { area, .. }) => {
                Some(*area as usize / super::world::AREAS_PER_TENANT)
            }
            (None, _) => None,
        };
        let tenant_id = tenant.and_then(|t| world.tenant_id(t)).unwrap_or("unknown");
        let lead_id = lead.and_then(|l| world.lead_id(l)).map(Cow::Borrowed);
        let area = lead.and_then(|l| world.area_of(l)).unwrap_or(0);
        let listing = |k: u32| world.listing_id(area, k as usize).map(Cow::Borrowed);
        let mut text = None;
        let mut channel = None;
        let kind = match self.kind {
            SimKind::LeadCreated {
                source,
                utc_offset_min,
            } => EventKind::LeadCreated {
                source: Some(Cow::Borrowed(source)),
                area: world.area_id(area).map(Cow::Borrowed),
                utc_offset_min,
            },
            SimKind::Sent {
                channel: c,
                variant,
            } => {
                let o = Outbound {
                    variant: Some(variant),
                    campaign_id: None,
                };
                match c {
                    ContactChannel::Sms => EventKind::SmsSent(o),
                    ContactChannel::Video => EventKind::VideoSent(o),
                    ContactChannel::Email | ContactChannel::Call => EventKind::EmailSent(o),
                }
            }
            SimKind::Voicemail { duration_s, .. } => EventKind::Voicemail {
                duration_s: Some(duration_s),
            },
            SimKind::CallCompleted {
                metrics, text: t, ..
            } => {
                text = Some(t);
                EventKind::CallCompleted(metrics)
            }
            SimKind::EmailOpened => EventKind::EmailOpened,
            SimKind::EmailClicked { listing: k } => EventKind::EmailClicked { url: listing(k) },
            SimKind::Replied {
                channel: c,
                text: t,
                ..
            } => {
                text = Some(t);
                match c {
                    ContactChannel::Sms => EventKind::SmsReplied,
                    _ => EventKind::EmailReplied,
                }
            }
            SimKind::WebVisit {
                page,
                listing: k,
                dwell_s,
            } => EventKind::WebVisit {
                page: Cow::Borrowed(page),
                listing_id: k.and_then(listing),
                dwell_s,
            },
            SimKind::VideoViewed { watch_pct, replays } => {
                EventKind::VideoViewed { watch_pct, replays }
            }
            SimKind::AppointmentBooked { at } => EventKind::AppointmentBooked {
                appointment_ts: Some(at),
            },
            SimKind::AppointmentMissed => EventKind::AppointmentMissed,
            SimKind::AppointmentAttended => EventKind::AppointmentAttended,
            SimKind::OfferMade { amount } => EventKind::OfferMade {
                amount: Some(amount),
            },
            SimKind::DealWon { amount } => EventKind::DealWon {
                amount: Some(amount),
            },
            SimKind::DealLost { reason } => EventKind::DealLost {
                reason: Some(Cow::Borrowed(reason)),
            },
            SimKind::Unsubscribed => {
                channel = Some(Channel::Email);
                EventKind::Unsubscribed
            }
            SimKind::OptedOut => {
                channel = Some(Channel::Sms);
                text = Some("STOP");
                EventKind::OptedOut
            }
            SimKind::StageChanged { stage } => EventKind::StageChanged { stage },
            SimKind::MarketUpdate {
                area: a,
                rate,
                inventory,
                price_index,
            } => EventKind::MarketUpdate {
                area: Cow::Borrowed(world.area_id(a as usize).unwrap_or("unknown")),
                rate: Some(rate),
                inventory: Some(inventory),
                price_index: Some(price_index),
            },
        };
        let mut event = Event::new(
            Cow::Borrowed(id.as_str()),
            Cow::Borrowed(tenant_id),
            lead_id,
            self.ts,
            kind,
        );
        if channel.is_some() {
            event.channel = channel;
        }
        event.text = text.map(Cow::Borrowed);
        event
    }

    /// The emotion of the lead's words in this event, if it carries any.
    pub fn emotion(&self) -> Option<EmotionalState> {
        match self.kind {
            SimKind::Replied { emotion, .. } | SimKind::CallCompleted { emotion, .. } => {
                Some(emotion)
            }
            _ => None,
        }
    }
}
