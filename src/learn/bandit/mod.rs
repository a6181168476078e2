//! Multi-armed bandits: Beta-Bernoulli Thompson sampling and disjoint LinUCB.
//!
//! What it is for: choosing among a few actions (contact channels, message variants,
//! interventions) while learning from their binary outcomes, balancing trying arms against using
//! the best one. [`BetaThompson`] (Thompson, 1933; Chapelle & Li, 2011) keeps a Beta posterior per
//! arm, optionally discounted so it tracks a changing world; [`LinUcb`] (Li et al., 2010) keeps a
//! ridge regression per arm over a context vector and adds an upper confidence bonus;
//! [`HourOfWeekThompson`] is Thompson sampling over the 168 hours of a week, each hour's
//! evidence pooled with the same hour on other days.
//! What it is not: a policy about leads; callers map contexts and rewards. Everything here is
//! pure and deterministic given the caller's seeded generator: no clocks, no IO, and no
//! allocation when selecting or updating.

mod beta;
mod hour_of_week;
mod linucb;
mod thompson;

pub use beta::{
    sample_beta, sample_gamma, sample_standard_normal, BetaPosterior, BetaSampler, GammaSampler,
};
pub use hour_of_week::{HourOfWeekThompson, PreparedHourOfWeek, POOL_PSEUDO_COUNTS, WEEK_HOURS};
pub use linucb::{LinUcb, LinUcbEstimate, PreparedLinUcb, MAX_CONTEXT};
pub use thompson::{ArmEstimate, BetaThompson, PreparedThompson, MAX_ARMS, POOLED_PRIOR};

/// An invalid bandit setting.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BanditError {
    /// A setting out of range, with the reason.
    #[error("invalid bandit setting `{name}` = {value}: {reason}")]
    Invalid {
        /// The setting.
        name: &'static str,
        /// Its value, as text.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
}

pub(crate) fn invalid(
    name: &'static str,
    value: impl ToString,
    reason: &'static str,
) -> BanditError {
    BanditError::Invalid {
        name,
        value: value.to_string(),
        reason,
    }
}
