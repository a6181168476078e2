//! What can go wrong reading or writing an envelope.
//!
//! What it is for: one typed error per failure a user can act on (wrong file, truncated write,
//! bit rot, a snapshot from an incompatible version).
//! What it is not: IO errors of the stores that hold envelopes; they wrap this one.

use thiserror::Error;

/// A record could not be encoded or decoded.
#[derive(Debug, Error)]
pub enum PersistError {
    /// Fewer bytes than the header needs.
    #[error("record too short: {len} bytes, the header alone is {header} bytes")]
    TooShort {
        /// Bytes given.
        len: usize,
        /// Header length.
        header: usize,
    },
    /// The bytes do not start with leadstream's magic number.
    #[error("not a leadstream record (bad magic number)")]
    BadMagic,
    /// The kind tag is unknown to this build.
    #[error("unknown record kind {0}")]
    UnknownKind(u16),
    /// The record holds another kind than the caller asked for.
    #[error("record holds {found}, expected {expected}")]
    WrongKind {
        /// What the caller asked for.
        expected: &'static str,
        /// What the record holds.
        found: &'static str,
    },
    /// The record was written with a schema version this build cannot read.
    #[error("{kind} record has schema version {found}; this build reads version {supported}")]
    Incompatible {
        /// The kind.
        kind: &'static str,
        /// Version in the record.
        found: u16,
        /// Version this build reads and writes.
        supported: u16,
    },
    /// The payload is shorter or longer than the header says.
    #[error("payload length {found} does not match the header's {expected} (truncated write?)")]
    Truncated {
        /// Length in the header.
        expected: usize,
        /// Bytes present.
        found: usize,
    },
    /// The payload's CRC-32 does not match the header's (corruption).
    #[error("checksum mismatch: header says {expected:08x}, payload hashes to {found:08x}")]
    Checksum {
        /// CRC in the header.
        expected: u32,
        /// CRC of the payload.
        found: u32,
    },
    /// The payload is intact but does not decode as the expected type.
    #[error("payload does not decode: {0}")]
    Decode(postcard::Error),
    /// The value could not be encoded.
    #[error("value does not encode: {0}")]
    Encode(postcard::Error),
    /// The payload exceeds the format's 4 GiB limit.
    #[error("payload of {0} bytes exceeds the 4 GiB limit")]
    TooLarge(usize),
}
