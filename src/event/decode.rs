//! The decoder: bytes to a validated [`Event`], or a typed [`DecodeError`].
//!
//! What it is for: the one entry point that turns a record payload into an event, checking size,
//! UTF-8, JSON shape, the fields each type requires, timestamps and value ranges. It never panics.
//! What it is not: deduplication, ordering or routing (the pipeline's job).

use std::borrow::Cow;

use super::error::DecodeError;
use super::raw::{value_fits, CowStr, RawEvent, RawTs, FIELDS};
use super::timestamp::parse_rfc3339_ms;
use super::types::{
    CallMetrics, Event, EventKind, Outbound, MAX_TS_MS, MAX_UTC_OFFSET_MIN, SCHEMA_VERSION,
};
use super::vocab::{Channel, EventType, JourneyStage, MessageVariant};

/// The default payload limit: 64 KiB, room for a long call transcript while bounding memory.
pub const fn default_max_bytes() -> usize {
    64 * 1024
}

/// Decoder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeConfig {
    /// Payloads larger than this many bytes are rejected as `oversize`
    /// (default [`default_max_bytes`]).
    pub max_bytes: usize,
}

impl Default for DecodeConfig {
    fn default() -> Self {
        Self {
            max_bytes: default_max_bytes(),
        }
    }
}

/// Decodes event payloads with a fixed configuration. Cheap to copy; holds no buffers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Decoder {
    config: DecodeConfig,
}

/// Decodes one payload with the default configuration.
///
/// # Errors
/// See [`Decoder::decode`].
pub fn decode(bytes: &[u8]) -> Result<Event<'_>, DecodeError> {
    Decoder::default().decode(bytes)
}

impl Decoder {
    /// A decoder with the given configuration.
    pub const fn new(config: DecodeConfig) -> Self {
        Self { config }
    }

    /// The configuration.
    pub const fn config(&self) -> DecodeConfig {
        self.config
    }

    /// Decodes one JSON event. Strings without escapes borrow from `bytes`.
    ///
    /// # Examples
    /// ```
    /// use leadstream::event::{decode, EventType};
    /// let json = br#"{"event_id":"e1","tenant_id":"t1","lead_id":"l1","ts":"2026-11-24T13:55:27Z",
    ///                 "type":"email_opened","schema_version":1}"#;
    /// let event = decode(json).unwrap();
    /// assert_eq!(event.event_type(), EventType::EmailOpened);
    /// assert_eq!(event.ts, 1_795_528_527_000);
    /// assert_eq!(decode(b"{}").unwrap_err().reason(), "missing_field");
    /// ```
    ///
    /// # Errors
    /// A [`DecodeError`] naming the first problem found, checked in this order: size, UTF-8, JSON
    /// syntax and field types, `schema_version`, `type`, common fields, type-specific fields.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Result<Event<'a>, DecodeError> {
        if bytes.len() > self.config.max_bytes {
            return Err(DecodeError::Oversize {
                len: bytes.len(),
                limit: self.config.max_bytes,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::NotUtf8 {
            detail: format!("invalid byte at offset {}", e.valid_up_to()),
        })?;
        self.decode_str(text)
    }

    /// Decodes one JSON event from text already known to be UTF-8.
    ///
    /// # Errors
    /// As [`Decoder::decode`].
    pub fn decode_str<'a>(&self, text: &'a str) -> Result<Event<'a>, DecodeError> {
        if text.len() > self.config.max_bytes {
            return Err(DecodeError::Oversize {
                len: text.len(),
                limit: self.config.max_bytes,
            });
        }
        // serde's derived struct visitor also accepts arrays; the contract allows only objects.
        match text.trim_start().as_bytes().first() {
            Some(b'{') => {}
            _ => {
                return Err(DecodeError::Malformed {
                    detail: "expected a JSON object".to_owned(),
                })
            }
        }
        let raw: RawEvent<'a> = serde_json::from_str(text).map_err(|e| classify(text, &e))?;
        validate(raw)
    }
}

/// Maps a serde_json error to a rejection reason. Cold path: may re-parse to name the field.
#[cold]
fn classify(text: &str, err: &serde_json::Error) -> DecodeError {
    let detail = err.to_string();
    if detail.contains("surrogate")
        || detail.contains("hex escape")
        || detail.contains("unicode code point")
    {
        return DecodeError::NotUtf8 { detail };
    }
    if !err.is_data() || detail.starts_with("duplicate field") {
        return DecodeError::Malformed { detail };
    }
    if let Ok(map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        for (name, kind) in FIELDS {
            if let Some(v) = map.get(name) {
                if !value_fits(kind, v) {
                    return DecodeError::WrongType {
                        field: name.to_owned(),
                        expected: kind.describe(),
                        detail,
                    };
                }
            }
        }
    }
    DecodeError::WrongType {
        field: "?".to_owned(),
        expected: "the contract's type",
        detail,
    }
}

fn missing(field: &'static str, event_type: Option<EventType>) -> DecodeError {
    DecodeError::MissingField { field, event_type }
}

fn invalid(field: &'static str, detail: impl Into<String>) -> DecodeError {
    DecodeError::InvalidValue {
        field,
        detail: detail.into(),
    }
}

fn non_empty<'a>(
    v: Option<CowStr<'a>>,
    field: &'static str,
    event_type: Option<EventType>,
) -> Result<Cow<'a, str>, DecodeError> {
    let s = v.ok_or_else(|| missing(field, event_type))?.0;
    if s.is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    Ok(s)
}

fn timestamp(v: RawTs<'_>, field: &'static str) -> Result<i64, DecodeError> {
    let bad = |detail: String| DecodeError::BadTimestamp { field, detail };
    match v {
        RawTs::Unsigned(ms) => i64::try_from(ms)
            .ok()
            .filter(|ms| *ms <= MAX_TS_MS)
            .ok_or_else(|| bad(format!("{ms} is after year 9999"))),
        RawTs::Negative(ms) => Err(bad(format!("{ms} is before 1970"))),
        RawTs::Float(f) => Err(bad(format!(
            "{f} is not an integer number of epoch milliseconds"
        ))),
        RawTs::Text(s) => parse_rfc3339_ms(&s).map_err(|why| {
            let shown: String = s.chars().take(40).collect();
            bad(format!("{shown:?}: {why}"))
        }),
        RawTs::Other(what) => Err(bad(format!(
            "{what} is neither epoch milliseconds nor RFC 3339 text"
        ))),
    }
}

/// A UTC offset in whole minutes within UTC-14:00..=UTC+14:00 (every zone in use).
fn utc_offset(v: f64) -> Result<i16, DecodeError> {
    let max = f64::from(MAX_UTC_OFFSET_MIN);
    let v = in_range(v, "utc_offset_minutes", -max, max)?;
    if v.fract() != 0.0 {
        return Err(invalid(
            "utc_offset_minutes",
            format!("{v} is not whole minutes"),
        ));
    }
    // |v| <= 840, so it fits an i16.
    Ok(v as i16)
}

fn in_range(v: f64, field: &'static str, lo: f64, hi: f64) -> Result<f64, DecodeError> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(v)
    } else {
        Err(invalid(field, format!("{v} is outside [{lo}, {hi}]")))
    }
}

fn opt_range(
    v: Option<f64>,
    field: &'static str,
    lo: f64,
    hi: f64,
) -> Result<Option<f64>, DecodeError> {
    v.map(|x| in_range(x, field, lo, hi)).transpose()
}

/// Parses a closed-vocabulary field; the list of known names is built only on error.
fn wire<T: Copy>(
    v: Option<CowStr<'_>>,
    field: &'static str,
    parse: fn(&str) -> Option<T>,
    all: &'static [T],
    as_str: fn(T) -> &'static str,
) -> Result<Option<T>, DecodeError> {
    v.map(|s| {
        parse(&s.0).ok_or_else(|| {
            let shown: String = s.0.chars().take(40).collect();
            let known: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
            invalid(
                field,
                format!("{shown:?} is not one of {}", known.join(", ")),
            )
        })
    })
    .transpose()
}

fn outbound<'a>(
    variant: Option<CowStr<'a>>,
    campaign_id: Option<CowStr<'a>>,
) -> Result<Outbound<'a>, DecodeError> {
    Ok(Outbound {
        variant: wire(
            variant,
            "variant",
            MessageVariant::from_wire,
            MessageVariant::ALL,
            MessageVariant::as_str,
        )?,
        campaign_id: campaign_id.map(|s| s.0),
    })
}

const MAX_AMOUNT: f64 = 1e15;

/// Checks required fields and ranges, and builds the event.
fn validate(raw: RawEvent<'_>) -> Result<Event<'_>, DecodeError> {
    let version = raw
        .schema_version
        .ok_or_else(|| missing("schema_version", None))?;
    if version == 0 || version > u64::from(SCHEMA_VERSION) {
        return Err(DecodeError::UnsupportedVersion {
            version,
            supported: SCHEMA_VERSION,
        });
    }
    let type_name = raw.event_type.ok_or_else(|| missing("type", None))?.0;
    let et = EventType::from_wire(&type_name).ok_or_else(|| DecodeError::UnknownType {
        type_name: type_name.chars().take(64).collect(),
    })?;
    let t = Some(et);
    let event_id = non_empty(raw.event_id, "event_id", None)?;
    let tenant_id = non_empty(raw.tenant_id, "tenant_id", None)?;
    let lead_id = match (et, raw.lead_id) {
        (EventType::MarketUpdate, None) => None,
        (_, lead) => Some(non_empty(lead, "lead_id", None)?),
    };
    let ts = timestamp(raw.ts.ok_or_else(|| missing("ts", None))?, "ts")?;
    let given_channel = wire(
        raw.channel,
        "channel",
        Channel::from_wire,
        Channel::ALL,
        Channel::as_str,
    )?;
    let channel = match (et.implied_channel(), given_channel) {
        (Some(implied), Some(given)) if implied != given => {
            return Err(invalid(
                "channel",
                format!("{given} contradicts type {et}, which is on {implied}"),
            ))
        }
        (Some(implied), _) => Some(implied),
        (None, given) => given,
    };
    let kind = match et {
        EventType::LeadCreated => EventKind::LeadCreated {
            source: raw.source.map(|s| s.0),
            area: raw.area.map(|s| s.0),
            utc_offset_min: raw.utc_offset_minutes.map(utc_offset).transpose()?,
        },
        EventType::EmailSent => EventKind::EmailSent(outbound(raw.variant, raw.campaign_id)?),
        EventType::EmailOpened => EventKind::EmailOpened,
        EventType::EmailClicked => EventKind::EmailClicked {
            url: raw.url.map(|s| s.0),
        },
        EventType::EmailReplied => EventKind::EmailReplied,
        EventType::EmailBounced => EventKind::EmailBounced,
        EventType::SmsSent => EventKind::SmsSent(outbound(raw.variant, raw.campaign_id)?),
        EventType::SmsReplied => EventKind::SmsReplied,
        EventType::CallCompleted => EventKind::CallCompleted(CallMetrics {
            duration_s: in_range(
                raw.duration_s.ok_or_else(|| missing("duration_s", t))?,
                "duration_s",
                0.0,
                1e7,
            )?,
            agent_words: raw.agent_words.ok_or_else(|| missing("agent_words", t))?,
            lead_words: raw.lead_words.ok_or_else(|| missing("lead_words", t))?,
            talk_ratio: in_range(
                raw.talk_ratio.ok_or_else(|| missing("talk_ratio", t))?,
                "talk_ratio",
                0.0,
                1.0,
            )?,
            interruptions: raw.interruptions.unwrap_or(0),
        }),
        EventType::Voicemail => EventKind::Voicemail {
            duration_s: opt_range(raw.duration_s, "duration_s", 0.0, 1e7)?,
        },
        EventType::WebVisit => EventKind::WebVisit {
            page: raw.page.ok_or_else(|| missing("page", t))?.0,
            listing_id: raw.listing_id.map(|s| s.0),
            dwell_s: in_range(
                raw.dwell_s.ok_or_else(|| missing("dwell_s", t))?,
                "dwell_s",
                0.0,
                1e7,
            )?,
        },
        EventType::VideoSent => EventKind::VideoSent(outbound(raw.variant, raw.campaign_id)?),
        EventType::VideoViewed => EventKind::VideoViewed {
            watch_pct: in_range(
                raw.watch_pct.ok_or_else(|| missing("watch_pct", t))?,
                "watch_pct",
                0.0,
                100.0,
            )?,
            replays: raw.replays.unwrap_or(0),
        },
        EventType::AppointmentBooked => EventKind::AppointmentBooked {
            appointment_ts: raw
                .appointment_ts
                .map(|v| timestamp(v, "appointment_ts"))
                .transpose()?,
        },
        EventType::AppointmentMissed => EventKind::AppointmentMissed,
        EventType::AppointmentAttended => EventKind::AppointmentAttended,
        EventType::OfferMade => EventKind::OfferMade {
            amount: opt_range(raw.amount, "amount", 0.0, MAX_AMOUNT)?,
        },
        EventType::DealWon => EventKind::DealWon {
            amount: opt_range(raw.amount, "amount", 0.0, MAX_AMOUNT)?,
        },
        EventType::DealLost => EventKind::DealLost {
            reason: raw.reason.map(|s| s.0),
        },
        EventType::Unsubscribed => EventKind::Unsubscribed,
        EventType::OptedOut => EventKind::OptedOut,
        EventType::StageChanged => EventKind::StageChanged {
            stage: wire(
                raw.stage,
                "stage",
                JourneyStage::from_wire,
                JourneyStage::ALL,
                JourneyStage::as_str,
            )?
            .ok_or_else(|| missing("stage", t))?,
        },
        EventType::MarketUpdate => {
            let rate = opt_range(raw.rate, "rate", 0.0, 100.0)?;
            let price_index = opt_range(raw.price_index, "price_index", 0.0, 1e9)?;
            if rate.is_none() && raw.inventory.is_none() && price_index.is_none() {
                return Err(missing("rate|inventory|price_index", t));
            }
            EventKind::MarketUpdate {
                area: non_empty(raw.area, "area", t)?,
                rate,
                inventory: raw.inventory,
                price_index,
            }
        }
    };
    Ok(Event {
        event_id,
        tenant_id,
        lead_id,
        ts,
        schema_version: u32::try_from(version).unwrap_or(SCHEMA_VERSION),
        channel,
        text: raw.text.map(|s| s.0),
        kind,
    })
}
