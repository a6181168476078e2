//! One lead's durable record: its key, the source partition and offset of the last event applied
//! to it, and its state. The unit of the changelog topic and of local snapshots.
//!
//! What it is for: what is written when a lead's state must survive a crash or move to another
//! instance, and the changelog key (`tenant \0 lead`) that a compacted topic keeps the newest
//! record of.
//! What it is not: the envelope (see [`crate::persist`]) nor where records are written (the
//! pipeline decides).

use serde::{Deserialize, Serialize};

use super::state::LeadState;

/// No event applied yet (a lead restored without an offset, or an embedded source).
pub const NO_OFFSET: i64 = i64::MIN;

/// A lead's state with where it stands in its source partition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadRecord {
    /// The tenant.
    pub tenant: String,
    /// The lead id.
    pub lead: String,
    /// The source partition whose events built this state.
    pub partition: i32,
    /// Offset of the newest event applied to `state` ([`NO_OFFSET`] if unknown): replayed events
    /// at or below it are decided again but not applied twice.
    pub applied_offset: i64,
    /// The state.
    pub state: LeadState,
}

/// A borrowed [`LeadRecord`] for writing without copying the state: serializes to exactly the
/// same bytes.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LeadRecordRef<'a> {
    /// The tenant.
    pub tenant: &'a str,
    /// The lead id.
    pub lead: &'a str,
    /// The source partition.
    pub partition: i32,
    /// Offset of the newest event applied to `state`.
    pub applied_offset: i64,
    /// The state.
    pub state: &'a LeadState,
}

/// Writes the changelog key of a lead (`tenant`, a NUL byte, `lead`) into `out` (cleared first).
pub fn changelog_key(tenant: &str, lead: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(tenant.len() + 1 + lead.len());
    out.extend_from_slice(tenant.as_bytes());
    out.push(0);
    out.extend_from_slice(lead.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_separates_tenant_and_lead() {
        let mut k = Vec::new();
        changelog_key("t1", "lead-9", &mut k);
        assert_eq!(k, b"t1\0lead-9");
    }
}
