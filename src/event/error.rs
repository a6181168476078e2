//! Why an event was rejected: one typed error per rejection reason, each with a stable short code.
//!
//! What it is for: the decoder's error type; `reason()` labels metrics and dead-letter records.
//! What it is not: a place for I/O or pipeline errors.

use super::vocab::EventType;

/// An event that could not be decoded. Never caused by a panic: every malformed input maps here.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// The payload is larger than the configured limit.
    #[error("payload of {len} bytes exceeds the limit of {limit} bytes")]
    Oversize {
        /// Payload size in bytes.
        len: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The payload (and so some text in it) is not valid UTF-8, or holds an escaped lone surrogate.
    #[error("payload is not valid UTF-8 ({detail})")]
    NotUtf8 {
        /// Where the first invalid byte or escape is.
        detail: String,
    },
    /// The payload is not one JSON object (syntax error, trailing data, not an object).
    #[error("malformed JSON: {detail}")]
    Malformed {
        /// The parser's message, with line and column.
        detail: String,
    },
    /// The `type` field names no known event type.
    #[error("unknown event type {type_name:?}")]
    UnknownType {
        /// The type that was given (truncated to 64 characters).
        type_name: String,
    },
    /// A required field is absent (or null).
    #[error("missing field `{field}`{}", for_type(*.event_type))]
    MissingField {
        /// The field's name.
        field: &'static str,
        /// The event's type, when the field is specific to it.
        event_type: Option<EventType>,
    },
    /// A field has the wrong JSON type (e.g. a string where a number belongs, a negative count).
    #[error("field `{field}` has the wrong type: expected {expected} ({detail})")]
    WrongType {
        /// The field's name (`?` when the parser could not tell).
        field: String,
        /// What the field must be.
        expected: &'static str,
        /// The parser's message.
        detail: String,
    },
    /// `ts` is neither epoch milliseconds nor RFC 3339 text, or is out of range.
    #[error("bad timestamp in `{field}`: {detail}")]
    BadTimestamp {
        /// The field (`ts` or `appointment_ts`).
        field: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// A field has the right JSON type but a value outside its domain (unknown channel or
    /// variant, percent over 100, negative duration, channel contradicting the type...).
    #[error("field `{field}` has an invalid value: {detail}")]
    InvalidValue {
        /// The field's name.
        field: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// `schema_version` is newer than this build reads (or zero).
    #[error("unsupported schema_version {version} (this build reads 1..={supported})")]
    UnsupportedVersion {
        /// The version given.
        version: u64,
        /// The highest version this build reads.
        supported: u32,
    },
}

fn for_type(t: Option<EventType>) -> String {
    t.map(|t| format!(" for event type {t}"))
        .unwrap_or_default()
}

impl DecodeError {
    /// Every reason code, in the order of the variants (for metric pre-registration and docs).
    pub const REASONS: [&'static str; 9] = [
        "oversize",
        "not_utf8",
        "malformed_json",
        "unknown_type",
        "missing_field",
        "wrong_type",
        "bad_timestamp",
        "invalid_value",
        "unsupported_version",
    ];

    /// A stable short code for the rejection, for metric labels and the dead-letter topic.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Oversize { .. } => "oversize",
            Self::NotUtf8 { .. } => "not_utf8",
            Self::Malformed { .. } => "malformed_json",
            Self::UnknownType { .. } => "unknown_type",
            Self::MissingField { .. } => "missing_field",
            Self::WrongType { .. } => "wrong_type",
            Self::BadTimestamp { .. } => "bad_timestamp",
            Self::InvalidValue { .. } => "invalid_value",
            Self::UnsupportedVersion { .. } => "unsupported_version",
        }
    }
}
