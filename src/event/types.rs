//! The decoded event: common fields plus one typed payload per event type.
//!
//! What it is for: the in-memory shape of the event contract (docs/events.md), shared by the
//! decoder, the simulator (which builds and serializes events) and lead state.
//! What it is not: the JSON parsing (see `decode`) or the JSON writing (see `serialize`).

use std::borrow::Cow;

use super::vocab::{Channel, EventType, JourneyStage, MessageVariant};

/// The schema version this build writes and the highest it reads.
pub const SCHEMA_VERSION: u32 = 1;

/// One lead interaction (or market update), borrowed from its input bytes where possible.
///
/// Invariants the decoder guarantees (and [`Event::new`] establishes):
/// - `lead_id` is `Some` for every type except [`EventType::MarketUpdate`], where it is optional;
/// - `channel` is `Some(implied)` for every type with an implied channel
///   ([`EventType::implied_channel`]);
/// - `ts` is epoch milliseconds in `0..=MAX_TS_MS`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<'a> {
    /// Unique id of the event, echoed on every output it causes (for de-duplication).
    pub event_id: Cow<'a, str>,
    /// The tenant (brokerage, team) the lead belongs to.
    pub tenant_id: Cow<'a, str>,
    /// The lead; `None` only for market updates, which concern an area.
    pub lead_id: Option<Cow<'a, str>>,
    /// Event time, epoch milliseconds (UTC).
    pub ts: i64,
    /// The schema version the producer wrote.
    pub schema_version: u32,
    /// The channel the event happened on, where relevant.
    pub channel: Option<Channel>,
    /// Free text: a reply, a transcript, an outbound message body.
    pub text: Option<Cow<'a, str>>,
    /// The type-specific payload.
    pub kind: EventKind<'a>,
}

/// The largest accepted UTC offset in minutes, either way (UTC+14:00 is the furthest zone).
pub const MAX_UTC_OFFSET_MIN: i16 = 14 * 60;

/// The largest accepted timestamp: 9999-12-31T23:59:59.999Z in epoch milliseconds.
pub const MAX_TS_MS: i64 = 253_402_300_799_999;

impl<'a> Event<'a> {
    /// Builds an event with the current schema version, no text, and the channel implied by the
    /// kind (if any); set `channel` or `text` afterwards for types that take them.
    pub fn new(
        event_id: impl Into<Cow<'a, str>>,
        tenant_id: impl Into<Cow<'a, str>>,
        lead_id: Option<Cow<'a, str>>,
        ts: i64,
        kind: EventKind<'a>,
    ) -> Self {
        Self {
            event_id: event_id.into(),
            tenant_id: tenant_id.into(),
            lead_id,
            ts,
            schema_version: SCHEMA_VERSION,
            channel: kind.event_type().implied_channel(),
            text: None,
            kind,
        }
    }

    /// The event's type.
    pub fn event_type(&self) -> EventType {
        self.kind.event_type()
    }

    /// The lead id, or `None` for a market update without one.
    pub fn lead_id(&self) -> Option<&str> {
        self.lead_id.as_deref()
    }

    /// The free text, if any.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Copies every borrowed string, detaching the event from its input buffer.
    pub fn into_owned(self) -> Event<'static> {
        Event {
            event_id: Cow::Owned(self.event_id.into_owned()),
            tenant_id: Cow::Owned(self.tenant_id.into_owned()),
            lead_id: self.lead_id.map(|s| Cow::Owned(s.into_owned())),
            ts: self.ts,
            schema_version: self.schema_version,
            channel: self.channel,
            text: self.text.map(|s| Cow::Owned(s.into_owned())),
            kind: self.kind.into_owned(),
        }
    }
}

/// Metrics of a completed call, from the telephony system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallMetrics {
    /// Call length in seconds (`>= 0`).
    pub duration_s: f64,
    /// Words spoken by the agent.
    pub agent_words: u32,
    /// Words spoken by the lead.
    pub lead_words: u32,
    /// Share of the talking done by the agent, in `[0, 1]`.
    pub talk_ratio: f64,
    /// Times one side interrupted the other.
    pub interruptions: u32,
}

/// Fields carried by outbound messages (email, SMS and video sent).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outbound<'a> {
    /// The message tone that was chosen, if the sender chose among variants.
    pub variant: Option<MessageVariant>,
    /// The campaign the message belongs to.
    pub campaign_id: Option<Cow<'a, str>>,
}

/// The type-specific payload of an event. Field meanings and units are in docs/events.md.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind<'a> {
    /// A new lead entered the system.
    LeadCreated {
        /// Where the lead came from (portal, referral, open house...).
        source: Option<Cow<'a, str>>,
        /// The area the lead is interested in.
        area: Option<Cow<'a, str>>,
        /// The lead's offset from UTC in minutes (e.g. -300 for New York in winter), from its
        /// address or phone number: what send times are planned in.
        utc_offset_min: Option<i16>,
    },
    /// An email was sent to the lead.
    EmailSent(Outbound<'a>),
    /// The lead opened an email.
    EmailOpened,
    /// The lead clicked a link in an email.
    EmailClicked {
        /// The link, if known.
        url: Option<Cow<'a, str>>,
    },
    /// The lead replied by email (reply in `text`).
    EmailReplied,
    /// An email to the lead bounced.
    EmailBounced,
    /// An SMS was sent to the lead.
    SmsSent(Outbound<'a>),
    /// The lead replied by SMS (reply in `text`).
    SmsReplied,
    /// A call with the lead took place (optional transcript in `text`).
    CallCompleted(CallMetrics),
    /// The agent called and left a voicemail; the lead did not pick up.
    Voicemail {
        /// Length of the voicemail in seconds.
        duration_s: Option<f64>,
    },
    /// The lead visited a web page (a listing, a search, the agent's site).
    WebVisit {
        /// The page path or name.
        page: Cow<'a, str>,
        /// The listing shown, if any.
        listing_id: Option<Cow<'a, str>>,
        /// Seconds spent on the page (`>= 0`).
        dwell_s: f64,
    },
    /// A video message was sent to the lead.
    VideoSent(Outbound<'a>),
    /// The lead watched a video message.
    VideoViewed {
        /// Share of the video watched, in percent `[0, 100]`.
        watch_pct: f64,
        /// Times the lead replayed it.
        replays: u32,
    },
    /// An appointment (showing, consultation) was booked.
    AppointmentBooked {
        /// When the appointment is, epoch ms, if known.
        appointment_ts: Option<i64>,
    },
    /// The lead did not show up to an appointment.
    AppointmentMissed,
    /// The lead attended an appointment.
    AppointmentAttended,
    /// The lead made an offer on a property.
    OfferMade {
        /// Offer amount in the tenant's currency.
        amount: Option<f64>,
    },
    /// The deal closed: the lead bought (or sold).
    DealWon {
        /// Deal amount in the tenant's currency.
        amount: Option<f64>,
    },
    /// The deal was lost.
    DealLost {
        /// Why, as recorded by the agent.
        reason: Option<Cow<'a, str>>,
    },
    /// The lead unsubscribed (from `channel`, or from everything when no channel is given).
    Unsubscribed,
    /// The lead opted out of contact (e.g. SMS "STOP"; from `channel` or everything).
    OptedOut,
    /// The agent moved the lead to a journey stage.
    StageChanged {
        /// The new stage.
        stage: JourneyStage,
    },
    /// Market conditions for an area changed (not about one lead; `lead_id` optional).
    MarketUpdate {
        /// The area (zip code, neighbourhood id).
        area: Cow<'a, str>,
        /// Mortgage rate in percent.
        rate: Option<f64>,
        /// Homes for sale.
        inventory: Option<u32>,
        /// Price index (e.g. 100 = base period).
        price_index: Option<f64>,
    },
}

fn own(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

impl EventKind<'_> {
    /// The event type of this payload.
    pub fn event_type(&self) -> EventType {
        match self {
            Self::LeadCreated { .. } => EventType::LeadCreated,
            Self::EmailSent(_) => EventType::EmailSent,
            Self::EmailOpened => EventType::EmailOpened,
            Self::EmailClicked { .. } => EventType::EmailClicked,
            Self::EmailReplied => EventType::EmailReplied,
            Self::EmailBounced => EventType::EmailBounced,
            Self::SmsSent(_) => EventType::SmsSent,
            Self::SmsReplied => EventType::SmsReplied,
            Self::CallCompleted(_) => EventType::CallCompleted,
            Self::Voicemail { .. } => EventType::Voicemail,
            Self::WebVisit { .. } => EventType::WebVisit,
            Self::VideoSent(_) => EventType::VideoSent,
            Self::VideoViewed { .. } => EventType::VideoViewed,
            Self::AppointmentBooked { .. } => EventType::AppointmentBooked,
            Self::AppointmentMissed => EventType::AppointmentMissed,
            Self::AppointmentAttended => EventType::AppointmentAttended,
            Self::OfferMade { .. } => EventType::OfferMade,
            Self::DealWon { .. } => EventType::DealWon,
            Self::DealLost { .. } => EventType::DealLost,
            Self::Unsubscribed => EventType::Unsubscribed,
            Self::OptedOut => EventType::OptedOut,
            Self::StageChanged { .. } => EventType::StageChanged,
            Self::MarketUpdate { .. } => EventType::MarketUpdate,
        }
    }

    /// Copies every borrowed string.
    pub fn into_owned(self) -> EventKind<'static> {
        let outbound = |o: Outbound<'_>| Outbound {
            variant: o.variant,
            campaign_id: o.campaign_id.map(own),
        };
        match self {
            Self::LeadCreated {
                source,
                area,
                utc_offset_min,
            } => EventKind::LeadCreated {
                source: source.map(own),
                area: area.map(own),
                utc_offset_min,
            },
            Self::EmailSent(o) => EventKind::EmailSent(outbound(o)),
            Self::EmailOpened => EventKind::EmailOpened,
            Self::EmailClicked { url } => EventKind::EmailClicked { url: url.map(own) },
            Self::EmailReplied => EventKind::EmailReplied,
            Self::EmailBounced => EventKind::EmailBounced,
            Self::SmsSent(o) => EventKind::SmsSent(outbound(o)),
            Self::SmsReplied => EventKind::SmsReplied,
            Self::CallCompleted(m) => EventKind::CallCompleted(m),
            Self::Voicemail { duration_s } => EventKind::Voicemail { duration_s },
            Self::WebVisit {
                page,
                listing_id,
                dwell_s,
            } => EventKind::WebVisit {
                page: own(page),
                listing_id: listing_id.map(own),
                dwell_s,
            },
            Self::VideoSent(o) => EventKind::VideoSent(outbound(o)),
            Self::VideoViewed { watch_pct, replays } => {
                EventKind::VideoViewed { watch_pct, replays }
            }
            Self::AppointmentBooked { appointment_ts } => {
                EventKind::AppointmentBooked { appointment_ts }
            }
            Self::AppointmentMissed => EventKind::AppointmentMissed,
            Self::AppointmentAttended => EventKind::AppointmentAttended,
            Self::OfferMade { amount } => EventKind::OfferMade { amount },
            Self::DealWon { amount } => EventKind::DealWon { amount },
            Self::DealLost { reason } => EventKind::DealLost {
                reason: reason.map(own),
            },
            Self::Unsubscribed => EventKind::Unsubscribed,
            Self::OptedOut => EventKind::OptedOut,
            Self::StageChanged { stage } => EventKind::StageChanged { stage },
            Self::MarketUpdate {
                area,
                rate,
                inventory,
                price_index,
            } => EventKind::MarketUpdate {
                area: own(area),
                rate,
                inventory,
                price_index,
            },
        }
    }
}
