//! The model registry: versioned learner snapshots in a directory (`STATE_DIR/models/`), with
//! metadata per version, an active pointer, atomic writes, bounded retention, and fallback to
//! the last good version when a snapshot is corrupted or incompatible.
//!
//! What it is for: warm starts, periodic and shutdown snapshots, rollbacks (also of a running
//! engine, which polls the active pointer) and export/import of versions between instances.
//! Layout and semantics are documented in docs/models.md.
//! What it is not: the learner state itself (see [`crate::decide::LearnerState`]), its encoding
//! (see [`crate::persist`]), or lead state.

mod atomic;
mod error;
mod hook;
mod shadow;

mod store;
pub mod topic;
mod version;

pub use error::RegistryError;
pub use hook::{RegistryHook, RegistrySettings};
pub use shadow::{Shadow, MIN_PAIRS, PROMOTE_Z};

pub use store::{Loaded, ModelRegistry};
pub use version::{ModelMetrics, SaveReason, VersionInfo};
