//! Writing events in the wire format, so that what the simulator writes decodes back identically.
//!
//! What it is for: `impl Serialize for Event` producing the flat JSON object of the contract
//! (`ts` as epoch milliseconds, absent optional fields omitted).
//! What it is not: a second definition of the contract; the decoder is the reference, and the
//! round-trip tests hold the two together.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::types::{Event, EventKind, Outbound};

impl Serialize for Event<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("event_id", &*self.event_id)?;
        m.serialize_entry("tenant_id", &*self.tenant_id)?;
        if let Some(lead) = &self.lead_id {
            m.serialize_entry("lead_id", &**lead)?;
        }
        m.serialize_entry("ts", &self.ts)?;
        m.serialize_entry("type", self.event_type().as_str())?;
        m.serialize_entry("schema_version", &self.schema_version)?;
        if let Some(channel) = self.channel {
            m.serialize_entry("channel", channel.as_str())?;
        }
        if let Some(text) = &self.text {
            m.serialize_entry("text", &**text)?;
        }
        write_kind(&mut m, &self.kind)?;
        m.end()
    }
}

fn opt<M: SerializeMap, T: Serialize + ?Sized>(
    m: &mut M,
    key: &'static str,
    v: Option<&T>,
) -> Result<(), M::Error> {
    match v {
        Some(v) => m.serialize_entry(key, v),
        None => Ok(()),
    }
}

fn write_outbound<M: SerializeMap>(m: &mut M, o: &Outbound<'_>) -> Result<(), M::Error> {
    opt(m, "variant", o.variant.map(|v| v.as_str()))?;
    opt(m, "campaign_id", o.campaign_id.as_deref())
}

fn write_kind<M: SerializeMap>(m: &mut M, kind: &EventKind<'_>) -> Result<(), M::Error> {
    match kind {
        EventKind::LeadCreated {
            source,
            area,
            utc_offset_min,
        } => {
            opt(m, "source", source.as_deref())?;
            opt(m, "area", area.as_deref())?;
            opt(m, "utc_offset_minutes", utc_offset_min.as_ref())
        }
        EventKind::EmailSent(o) | EventKind::SmsSent(o) | EventKind::VideoSent(o) => {
            write_outbound(m, o)
        }
        EventKind::EmailClicked { url } => opt(m, "url", url.as_deref()),
        EventKind::CallCompleted(c) => {
            m.serialize_entry("duration_s", &c.duration_s)?;
            m.serialize_entry("agent_words", &c.agent_words)?;
            m.serialize_entry("lead_words", &c.lead_words)?;
            m.serialize_entry("talk_ratio", &c.talk_ratio)?;
            m.serialize_entry("interruptions", &c.interruptions)
        }
        EventKind::Voicemail { duration_s } => opt(m, "duration_s", duration_s.as_ref()),
        EventKind::WebVisit {
            page,
            listing_id,
            dwell_s,
        } => {
            m.serialize_entry("page", &**page)?;
            opt(m, "listing_id", listing_id.as_deref())?;
            m.serialize_entry("dwell_s", dwell_s)
        }
        EventKind::VideoViewed { watch_pct, replays } => {
            m.serialize_entry("watch_pct", watch_pct)?;
            m.serialize_entry("replays", replays)
        }
        EventKind::AppointmentBooked { appointment_ts } => {
            opt(m, "appointment_ts", appointment_ts.as_ref())
        }
        EventKind::OfferMade { amount } | EventKind::DealWon { amount } => {
            opt(m, "amount", amount.as_ref())
        }
        EventKind::DealLost { reason } => opt(m, "reason", reason.as_deref()),
        EventKind::StageChanged { stage } => m.serialize_entry("stage", stage.as_str()),
        EventKind::MarketUpdate {
            area,
            rate,
            inventory,
            price_index,
        } => {
            m.serialize_entry("area", &**area)?;
            opt(m, "rate", rate.as_ref())?;
            opt(m, "inventory", inventory.as_ref())?;
            opt(m, "price_index", price_index.as_ref())
        }
        EventKind::EmailOpened
        | EventKind::EmailReplied
        | EventKind::EmailBounced
        | EventKind::SmsReplied
        | EventKind::AppointmentMissed
        | EventKind::AppointmentAttended
        | EventKind::Unsubscribed
        | EventKind::OptedOut => Ok(()),
    }
}
