//! The wire shape of an event: every known field optional, strings borrowed where possible.
//!
//! What it is for: serde parses JSON into [`RawEvent`] in one pass with no buffering (no
//! internally tagged enum, no `flatten`), and the decoder then checks which fields the `type`
//! requires. Unknown fields are skipped by serde and never reach state.
//! What it is not: validation (see `decode`); this layer only rejects wrong JSON types.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A string borrowed from the input when it has no escapes, owned otherwise.
///
/// serde's `#[serde(borrow)]` only borrows a bare `Cow<str>` field; inside `Option` it would
/// always allocate. This wrapper borrows in both places.
#[derive(Debug)]
pub(crate) struct CowStr<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for CowStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A timestamp as it appeared on the wire; any JSON value is accepted here so that every bad
/// timestamp is reported as `bad_timestamp`, not as a generic type error.
#[derive(Debug)]
pub(crate) enum RawTs<'a> {
    /// A non-negative integer.
    Unsigned(u64),
    /// A negative integer.
    Negative(i64),
    /// A number with a fraction or exponent.
    Float(f64),
    /// Text, expected to be RFC 3339.
    Text(Cow<'a, str>),
    /// Anything else (bool, array, object); names the JSON type.
    Other(&'static str),
}

impl<'de: 'a, 'a> Deserialize<'de> for RawTs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawTs::Unsigned(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(if v >= 0 {
                    RawTs::Unsigned(v.unsigned_abs())
                } else {
                    RawTs::Negative(v)
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawTs::Float(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(RawTs::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawTs::Text(Cow::Owned(v.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(RawTs::Other("a boolean"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawTs::Other("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawTs::Other("an object"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Every field of every event type, optional; `null` counts as absent.
#[derive(Debug, Deserialize)]
pub(crate) struct RawEvent<'a> {
    #[serde(borrow)]
    pub(crate) event_id: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) tenant_id: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) lead_id: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) ts: Option<RawTs<'a>>,
    #[serde(rename = "type", borrow)]
    pub(crate) event_type: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) channel: Option<CowStr<'a>>,
    pub(crate) schema_version: Option<u64>,
    #[serde(borrow)]
    pub(crate) text: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) source: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) area: Option<CowStr<'a>>,
    pub(crate) utc_offset_minutes: Option<f64>,
    #[serde(borrow)]
    pub(crate) variant: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) campaign_id: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) url: Option<CowStr<'a>>,
    pub(crate) duration_s: Option<f64>,
    pub(crate) agent_words: Option<u32>,
    pub(crate) lead_words: Option<u32>,
    pub(crate) talk_ratio: Option<f64>,
    pub(crate) interruptions: Option<u32>,
    #[serde(borrow)]
    pub(crate) page: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) listing_id: Option<CowStr<'a>>,
    pub(crate) dwell_s: Option<f64>,
    pub(crate) watch_pct: Option<f64>,
    pub(crate) replays: Option<u32>,
    #[serde(borrow)]
    pub(crate) appointment_ts: Option<RawTs<'a>>,
    pub(crate) amount: Option<f64>,
    #[serde(borrow)]
    pub(crate) reason: Option<CowStr<'a>>,
    #[serde(borrow)]
    pub(crate) stage: Option<CowStr<'a>>,
    pub(crate) rate: Option<f64>,
    pub(crate) inventory: Option<u32>,
    pub(crate) price_index: Option<f64>,
}

/// The JSON type a field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A string.
    String,
    /// Any JSON number.
    Number,
    /// A non-negative integer that fits in 32 bits.
    Count,
    /// A non-negative integer (64 bits).
    Version,
    /// Epoch milliseconds (integer) or RFC 3339 text.
    Timestamp,
}

impl FieldKind {
    /// How the type is described in error messages.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Number => "a number",
            Self::Count => "a non-negative integer below 2^32",
            Self::Version => "a non-negative integer",
            Self::Timestamp => "epoch milliseconds or RFC 3339 text",
        }
    }
}

/// Every field the contract knows, with its JSON type (matches `RawEvent`; docs/events.md and
/// schema/events.v1.schema.json are checked against it in tests).
pub const FIELDS: [(&str, FieldKind); 31] = [
    ("event_id", FieldKind::String),
    ("tenant_id", FieldKind::String),
    ("lead_id", FieldKind::String),
    ("ts", FieldKind::Timestamp),
    ("type", FieldKind::String),
    ("channel", FieldKind::String),
    ("schema_version", FieldKind::Version),
    ("text", FieldKind::String),
    ("source", FieldKind::String),
    ("area", FieldKind::String),
    ("utc_offset_minutes", FieldKind::Number),
    ("variant", FieldKind::String),
    ("campaign_id", FieldKind::String),
    ("url", FieldKind::String),
    ("duration_s", FieldKind::Number),
    ("agent_words", FieldKind::Count),
    ("lead_words", FieldKind::Count),
    ("talk_ratio", FieldKind::Number),
    ("interruptions", FieldKind::Count),
    ("page", FieldKind::String),
    ("listing_id", FieldKind::String),
    ("dwell_s", FieldKind::Number),
    ("watch_pct", FieldKind::Number),
    ("replays", FieldKind::Count),
    ("appointment_ts", FieldKind::Timestamp),
    ("amount", FieldKind::Number),
    ("reason", FieldKind::String),
    ("stage", FieldKind::String),
    ("rate", FieldKind::Number),
    ("inventory", FieldKind::Count),
    ("price_index", FieldKind::Number),
];

/// Whether a JSON value fits a field kind (`null` always does: it means absent).
pub(crate) fn value_fits(kind: FieldKind, v: &serde_json::Value) -> bool {
    if v.is_null() {
        return true;
    }
    match kind {
        FieldKind::String => v.is_string(),
        FieldKind::Number => v.is_number(),
        FieldKind::Count => v.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)),
        FieldKind::Version => v.is_u64(),
        FieldKind::Timestamp => true,
    }
}
