//! The error type of decision making.
//!
//! What it is for: refusing an invalid [`DecideConfig`](super::DecideConfig) with a message
//! naming the setting. What it is not: used on the decision path, which never fails.

/// An error from the decide area.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecideError {
    /// A setting out of range.
    #[error("invalid decide setting `{field}` = {value}: {reason}")]
    Invalid {
        /// The setting's name.
        field: &'static str,
        /// Its value, as text.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A saved learner state does not fit this build or configuration.
    #[error("saved state of `{model}` does not fit: {detail}")]
    IncompatibleState {
        /// The model (or part of the learner) that does not fit.
        model: &'static str,
        /// What does not fit.
        detail: String,
    },
}
