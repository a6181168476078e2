//! One lead's durable record: its key, the source partition and offset of the last event applied
//! to it, and its state. The unit of the changelog topic and of local snapshots.
//!
//! What it is for: what is written when a lead's state must survive a crash or move to another
//! instance, and the changelog key (`tenant \0 lead`) that a compacted topic keeps the newest
//! record of.
//! What it is not: the envelope (see [`crate::persist`]) nor where records are written (the
//! pipeline decides).

use serde::{Deserialize, Serialize};

use super::state::{LeadState, LeadStateV1};
use crate::persist::{self, PayloadKind, PersistError};

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

/// A [`LeadRecord`] as schema 1 wrote it (read only to upgrade it).
#[derive(Debug, Deserialize)]
struct LeadRecordV1 {
    tenant: String,
    lead: String,
    partition: i32,
    applied_offset: i64,
    state: LeadStateV1,
}

impl From<LeadRecordV1> for LeadRecord {
    fn from(v: LeadRecordV1) -> Self {
        Self {
            tenant: v.tenant,
            lead: v.lead,
            partition: v.partition,
            applied_offset: v.applied_offset,
            state: v.state.into(),
        }
    }
}

impl LeadRecord {
    /// Decodes one changelog record ([`PayloadKind::LeadState`]), this release's or the
    /// previous one's.
    ///
    /// # Errors
    /// [`PersistError`] naming what is wrong (kind, schema, checksum, payload).
    pub fn decode(bytes: &[u8]) -> Result<Self, PersistError> {
        persist::decode_upgrading(PayloadKind::LeadState, bytes, LeadRecordV1::into)
    }

    /// Decodes one snapshot chunk ([`PayloadKind::LeadStateBatch`]), this release's or the
    /// previous one's.
    ///
    /// # Errors
    /// [`PersistError`] naming what is wrong (kind, schema, checksum, payload).
    pub fn decode_batch(bytes: &[u8]) -> Result<Vec<Self>, PersistError> {
        persist::decode_upgrading(
            PayloadKind::LeadStateBatch,
            bytes,
            |old: Vec<LeadRecordV1>| old.into_iter().map(Self::from).collect(),
        )
    }
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

    use crate::event::{Event, EventKind};
    use crate::lead::LeadParams;

    /// `value` in an envelope at schema 1, as the previous release wrote it.
    fn envelope_v1(kind: PayloadKind, payload: &[u8]) -> Vec<u8> {
        let mut out = persist::MAGIC.to_vec();
        out.extend_from_slice(&kind.tag().to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn record(lead: &str, offset: Option<i16>) -> LeadRecord {
        let params = LeadParams::default();
        let created = EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: offset,
        };
        let mut state = LeadState::new(1_000);
        for (i, kind) in [
            created,
            EventKind::EmailOpened,
            EventKind::AppointmentMissed,
        ]
        .into_iter()
        .enumerate()
        {
            let e = Event::new("e", "t", Some(lead.into()), 1_000 + i as i64 * 60_000, kind);
            state.apply(&e, None, &params);
        }
        LeadRecord {
            tenant: "t".into(),
            lead: lead.into(),
            partition: 3,
            applied_offset: 41,
            state,
        }
    }

    #[test]
    fn a_schema_1_record_upgrades_with_its_offset_unknown() {
        let old = record("L-1", None);
        assert_eq!(old.state.utc_offset_min(), None);
        // Schema 2 appends the offset to schema 1's fields; unknown is i16::MIN, a 3-byte varint.
        let v2 = postcard::to_allocvec(&old).unwrap();
        let v1 = &v2[..v2.len() - 3];
        let bytes = envelope_v1(PayloadKind::LeadState, v1);
        assert_eq!(LeadRecord::decode(&bytes).unwrap(), old);

        let batch = [record("L-1", None), record("L-2", None)];
        let mut payload = vec![2u8];
        for r in &batch {
            let b = postcard::to_allocvec(r).unwrap();
            payload.extend_from_slice(&b[..b.len() - 3]);
        }
        let bytes = envelope_v1(PayloadKind::LeadStateBatch, &payload);
        assert_eq!(LeadRecord::decode_batch(&bytes).unwrap(), batch.to_vec());
    }

    #[test]
    fn a_record_keeps_the_offset_of_its_lead_created() {
        let r = record("L-1", Some(-300));
        assert_eq!(r.state.utc_offset_min(), Some(-300));
        let bytes = persist::encode(PayloadKind::LeadState, &r).unwrap();
        assert_eq!(LeadRecord::decode(&bytes).unwrap(), r);
        // A schema this build never wrote is refused, not misread.
        let mut future = bytes.clone();
        future[6] = 3;
        assert!(matches!(
            LeadRecord::decode(&future),
            Err(PersistError::Incompatible { found: 3, .. })
        ));
    }

    #[test]
    fn key_separates_tenant_and_lead() {
        let mut k = Vec::new();
        changelog_key("t1", "lead-9", &mut k);
        assert_eq!(k, b"t1\0lead-9");
    }
}
