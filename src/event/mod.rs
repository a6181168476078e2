//! The event contract and its decoder: what flows into leadstream, as documented in
//! docs/events.md and schema/events.v1.schema.json.
//!
//! What it is for: turning one JSON payload into a validated, borrowed [`Event`] (or a typed
//! [`DecodeError`] with a stable [`reason`](DecodeError::reason) code), and writing events back
//! (`impl Serialize`) so the simulator produces exactly what the decoder reads.
//! What it is not: lead state (see [`crate::lead`]), text analysis (see [`crate::text`]) or
//! transport (the pipeline).

mod decode;
mod error;
mod raw;
mod routing_key;
mod serialize;
mod timestamp;
mod types;
mod vocab;

pub use decode::{decode, default_max_bytes, DecodeConfig, Decoder};
pub use error::DecodeError;
pub use raw::{FieldKind, FIELDS};
pub use routing_key::{routing_key, RoutingKey};
pub use timestamp::parse_rfc3339_ms;
pub use types::{
    CallMetrics, Event, EventKind, Outbound, MAX_TS_MS, MAX_UTC_OFFSET_MIN, SCHEMA_VERSION,
};
pub use vocab::{Channel, EventType, JourneyStage, MessageVariant};
