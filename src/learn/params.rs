//! Hyperparameter plumbing shared by every learner: setting a value by name (the CLI's
//! `--set KEY=VALUE`) and the error raised when a name or value is wrong.
//!
//! Each learner has a plain params struct whose `Default` is the reference default (River's unless
//! said otherwise). `build()` on it validates everything once and returns the learner.

use std::str::FromStr;

/// A hyperparameter that was unknown or had a bad value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// No hyperparameter of that name exists for this learner.
    #[error("unknown hyperparameter `{key}` for {learner} (known: {known})")]
    UnknownKey {
        /// The name that was given.
        key: String,
        /// The learner it was given to.
        learner: &'static str,
        /// The names that exist, comma separated.
        known: String,
    },
    /// The value could not be parsed or is out of range.
    #[error("invalid value `{value}` for hyperparameter `{key}`: {reason}")]
    InvalidValue {
        /// The hyperparameter's name.
        key: String,
        /// The value that was given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
}

/// Hyperparameters that can be set by name, as `--set KEY=VALUE` does.
pub trait Hyperparams: Default {
    /// The learner's name, used in error messages.
    const LEARNER: &'static str;
    /// The names [`set`](Hyperparams::set) accepts.
    const KEYS: &'static [&'static str];

    /// Sets one hyperparameter from its textual value.
    ///
    /// # Errors
    /// [`ParamError::UnknownKey`] for a name not in [`KEYS`](Hyperparams::KEYS),
    /// [`ParamError::InvalidValue`] for a value that does not parse.
    fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError>;

    /// The error for a key this learner does not have.
    fn unknown_key(key: &str) -> ParamError {
        ParamError::UnknownKey {
            key: key.to_owned(),
            learner: Self::LEARNER,
            known: Self::KEYS.join(", "),
        }
    }
}

/// Parses `value` for hyperparameter `key`, turning a parse failure into [`ParamError::InvalidValue`].
///
/// # Errors
/// [`ParamError::InvalidValue`] when `value` does not parse as `T`.
pub fn parse_value<T: FromStr>(key: &str, value: &str) -> Result<T, ParamError>
where
    T::Err: std::fmt::Display,
{
    value
        .trim()
        .parse()
        .map_err(|e: T::Err| ParamError::InvalidValue {
            key: key.to_owned(),
            value: value.to_owned(),
            reason: e.to_string(),
        })
}

/// Builds an [`ParamError::InvalidValue`] for a value that parsed but is out of range.
pub fn invalid(key: &str, value: impl ToString, reason: impl Into<String>) -> ParamError {
    ParamError::InvalidValue {
        key: key.to_owned(),
        value: value.to_string(),
        reason: reason.into(),
    }
}
