//! The lead-state changelog a shard writes per batch (Kafka mode): one record per lead the batch
//! updated, holding its newest state, produced to the changelog topic's partition with the
//! number of the lead's input partition (co-partitioned, as Kafka Streams does).
//!
//! What it is for: durability of lead state without snapshots. Each changelog record is counted
//! as an output of the *earliest* input record of its lead in the batch, so that input's offset
//! (and with it every later offset of the partition) is not committed before the changelog
//! record is acknowledged: a committed offset always has its state in the changelog. Inputs after
//! the changelog record are replayed after a crash; the record's `applied_offset` makes that
//! replay idempotent (see [`crate::lead::LeadStore::apply_at`]).
//! What it is not: reading the changelog back (see [`super::restore`]) nor the topic's creation.

use rustc_hash::FxHashMap;

use super::batch::{Origin, OutputBatch, OutputKind};
use crate::lead::{LeadRecordRef, LeadStore};
use crate::persist::{self, PayloadKind};
use crate::telemetry::events::{ChangelogRecordsProduced, TelemetryEvent};

/// Where a touched lead's changelog record goes and which input it is an output of.
#[derive(Debug, Clone, Copy)]
struct Touched {
    completion: usize,
    origin: Origin,
    /// Byte offset of the tenant in the map key (`partition \0 tenant \0 lead`).
    tenant_at: usize,
    /// Byte offset of the lead in the map key.
    lead_at: usize,
}

/// The leads updated in the current batch (keys allocated only on a lead's first update).
#[derive(Debug, Default)]
pub(crate) struct ChangelogBatch {
    touched: FxHashMap<String, Touched>,
    scratch: String,
}

impl ChangelogBatch {
    /// Notes that the input at `origin` (whose completion is at `completion` in the output
    /// batch) updated `tenant`'s `lead`. Only the first input per lead in a batch is kept.
    pub(crate) fn touch(&mut self, origin: Origin, tenant: &str, lead: &str, completion: usize) {
        use std::fmt::Write;
        self.scratch.clear();
        let _ = write!(self.scratch, "{}", origin.partition);
        self.scratch.push('\0');
        let tenant_at = self.scratch.len();
        self.scratch.push_str(tenant);
        self.scratch.push('\0');
        let lead_at = self.scratch.len();
        self.scratch.push_str(lead);
        if self.touched.contains_key(self.scratch.as_str()) {
            return;
        }
        self.touched.insert(
            self.scratch.clone(),
            Touched {
                completion,
                origin,
                tenant_at,
                lead_at,
            },
        );
    }

    /// Writes one changelog record per touched lead (its state now, in `stores`) into `out`,
    /// counts each as an output of its lead's earliest input, and forgets the batch's leads.
    pub(crate) fn write(&mut self, stores: &[(i32, LeadStore)], out: &mut OutputBatch) {
        let mut produced = 0u64;
        for (key, t) in self.touched.drain() {
            let (Some(tenant), Some(lead)) = (
                key.get(t.tenant_at..t.lead_at.saturating_sub(1)),
                key.get(t.lead_at..),
            ) else {
                continue;
            };
            let Some(store) = stores
                .iter()
                .find(|(p, _)| *p == t.origin.partition)
                .map(|(_, s)| s)
            else {
                continue;
            };
            let Some(state) = store.get(tenant, lead) else {
                continue;
            };
            let record = LeadRecordRef {
                tenant,
                lead,
                partition: t.origin.partition,
                applied_offset: store.applied_offset(tenant, lead),
                state,
            };
            let Some(changelog_key) = key.get(t.tenant_at..) else {
                continue;
            };
            let pushed = out.push_with(
                OutputKind::Changelog,
                &[changelog_key],
                Some(t.origin),
                |w| persist::encode_into(PayloadKind::LeadState, &record, w),
            );
            if pushed.is_ok() {
                out.add_outputs(t.completion, 1);
                produced += 1;
            }
        }
        if produced > 0 {
            ChangelogRecordsProduced { count: produced }.emit();
        }
    }
}
