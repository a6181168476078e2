//! Durable encodings: the versioned, checksummed envelope that model snapshots and lead-state
//! records share, so everything leadstream writes to disk or to a compacted topic is read back
//! the same way and a corrupted or incompatible record is a clear error, never a panic.
//!
//! What it is for: turning a serde value into bytes that say what they are (a kind tag and that
//! kind's schema version), carry a CRC-32 of the payload, and decode only into the same kind.
//! The payload codec is `postcard`, whose wire format is stable (1.0 specification).
//! What it is not: where or when things are written (the model registry and the lead-state
//! store decide that), nor a migration framework: a schema change bumps the kind's version;
//! [`decode_upgrading`] reads the previous version through a type its owner keeps for that
//! (lead state does: an upgrade keeps every lead), and older records are rejected with
//! [`PersistError::Incompatible`] (a model set is: the engine starts its models cold).

mod envelope;
mod error;

pub use envelope::{
    decode, decode_upgrading, encode, encode_into, peek_kind, PayloadKind, HEADER_LEN, MAGIC,
};
pub use error::PersistError;
