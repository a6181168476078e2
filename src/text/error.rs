//! Errors of the text-intelligence area.
//!
//! What it is for: rejecting call and video metadata that cannot give a meaningful signal.
//! What it is not: used by message analysis, which is total (every `&str` gives signals).

/// Metadata that cannot be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TextError {
    /// A number was NaN, infinite or negative where only a finite non-negative value makes sense.
    #[error("{field} must be a finite non-negative number, got {value}")]
    NotFiniteNonNegative {
        /// The offending field.
        field: &'static str,
        /// Its value.
        value: f64,
    },
    /// A call with zero duration has no pace.
    #[error("call duration must be positive, got {0} seconds")]
    ZeroDuration(f64),
}

/// Checks that `value` is finite and `>= 0`.
pub(crate) fn non_negative(field: &'static str, value: f64) -> Result<f64, TextError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(TextError::NotFiniteNonNegative { field, value })
    }
}
