//! Errors of the lead area: only configuration can be wrong; applying events never fails.
//!
//! What it is for: the typed error returned when building lead settings.
//! What it is not: a per-event error (bad events are rejected by the decoder; late events are
//! counted, not errors).

/// A lead state setting out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeadConfigError {
    /// A setting had a value outside its domain.
    #[error("invalid lead setting `{field}` = {value}: {reason}")]
    Invalid {
        /// The setting's name.
        field: &'static str,
        /// The value given.
        value: i64,
        /// What the value must be.
        reason: &'static str,
    },
}
