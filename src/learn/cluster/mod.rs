//! Streaming clustering: online k-means with stable cluster ids, and the adjusted Rand index to
//! score a clustering against known groups.
//!
//! What it is for: grouping leads into a few behavioural personas as their behaviour is observed
//! ([`OnlineKMeans`]) and measuring agreement with ground truth ([`adjusted_rand_index`]).
//! What it is not: a batch clustering library; no distance other than Euclidean on standardized
//! values.

mod ari;
mod kmeans;

pub use ari::adjusted_rand_index;
pub use kmeans::{OnlineKMeans, MAX_DIM, MAX_K};

/// An invalid clustering setting.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClusterError {
    /// A setting out of range.
    #[error("invalid clustering setting `{name}` = {value}: {reason}")]
    Invalid {
        /// The setting.
        name: &'static str,
        /// Its value, as text.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
}
