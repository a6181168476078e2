//! The lead-state changelog a shard writes (Kafka mode): one record per updated lead, holding
//! its newest state, produced to the changelog topic's partition with the number of the lead's
//! input partition (co-partitioned, as Kafka Streams does), at most once per flush interval.
//!
//! What it is for: durability of lead state without snapshots, at a bounded cost to the broker.
//! Like Kafka Streams' record cache, updated leads are only marked dirty; every
//! `changelog_flush_ms` (and on revocation and shutdown) each dirty lead's state *at that time*
//! is written once, however many events updated it meanwhile. A lead updated by ten events in
//! a second costs one changelog record, not ten.
//!
//! At-least-once: the completion of a lead's *earliest* unflushed input record is withheld
//! from its output batch and sent with the changelog record, counting that record as one more
//! output. So the input's offset (and with it every later offset of the partition) is not
//! committed before the changelog record holding the lead's state past it is acknowledged: a
//! committed offset always has its state in the changelog. The withheld input's own outputs
//! are produced at once (their acknowledgements may reach the offset tracker before the
//! completion; it counts them); only the commit waits, by up to the flush interval. Inputs after
//! the changelog record are replayed after a crash; the record's `applied_offset` makes that
//! replay idempotent (see [`crate::lead::LeadStore::apply_at`]).
//! What it is not: reading the changelog back (see [`super::restore`]) nor the topic's creation.

use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use super::batch::{Completion, Origin, OutputBatch, OutputKind};
use crate::lead::{LeadRecordRef, LeadStore};
use crate::persist::{self, PayloadKind};
use crate::telemetry::events::{ChangelogRecordsProduced, TelemetryEvent};

/// A dirty lead: the withheld completion of its earliest unflushed input and where its tenant
/// and lead sit in the map key (`partition \0 tenant \0 lead`).
#[derive(Debug, Clone, Copy)]
struct Dirty {
    completion: Completion,
    tenant_at: usize,
    lead_at: usize,
}

/// The leads updated since the last flush (a key is allocated only when a lead first becomes
/// dirty, and its buffer is reused after the flush).
#[derive(Debug)]
pub(crate) struct ChangelogCache {
    dirty: FxHashMap<String, Dirty>,
    /// Key buffers of flushed leads, reused for the next dirty leads.
    spare: Vec<String>,
    scratch: String,
    every: Duration,
    /// When the last flush wrote something (`None`: never).
    flushed_at: Option<Instant>,
}

impl ChangelogCache {
    /// A cache that writes each dirty lead at most once per `every` (zero: every batch).
    pub(crate) fn new(every: Duration) -> Self {
        Self {
            dirty: FxHashMap::default(),
            spare: Vec::new(),
            scratch: String::new(),
            every,
            flushed_at: None,
        }
    }

    /// Notes that the input at `origin`, which caused `outputs` outputs, updated `tenant`'s
    /// `lead`. If the lead was clean, this input is its earliest unflushed one: its completion
    /// is withheld (sent with the lead's changelog record) and `true` is returned, so the
    /// caller must not complete it; otherwise `false` and the caller completes it as usual.
    pub(crate) fn touch(&mut self, origin: Origin, tenant: &str, lead: &str, outputs: u32) -> bool {
        use std::fmt::Write;
        self.scratch.clear();
        let _ = write!(self.scratch, "{}", origin.partition);
        self.scratch.push('\0');
        let tenant_at = self.scratch.len();
        self.scratch.push_str(tenant);
        self.scratch.push('\0');
        let lead_at = self.scratch.len();
        self.scratch.push_str(lead);
        if self.dirty.contains_key(self.scratch.as_str()) {
            return false;
        }
        let mut key = self.spare.pop().unwrap_or_default();
        key.clear();
        key.push_str(&self.scratch);
        self.dirty.insert(
            key,
            Dirty {
                completion: Completion { origin, outputs },
                tenant_at,
                lead_at,
            },
        );
        true
    }

    /// Writes every dirty lead into `out` if the flush interval has passed since the last flush
    /// (at `now`; call at the end of each batch).
    pub(crate) fn flush_if_due(
        &mut self,
        stores: &[(i32, LeadStore)],
        out: &mut OutputBatch,
        now: Instant,
    ) {
        let due = self.flushed_at.is_none_or(|at| at + self.every <= now);
        if due && !self.dirty.is_empty() {
            self.flush(stores, out, None);
            self.flushed_at = Some(now);
        }
    }

    /// When the dirty leads are due to be written (`None`: none is dirty; now if the cache
    /// never flushed).
    pub(crate) fn due_at(&self) -> Option<Instant> {
        if self.dirty.is_empty() {
            return None;
        }
        Some(match self.flushed_at {
            Some(at) => at + self.every,
            None => Instant::now(),
        })
    }

    /// Writes the dirty leads now (all, or those of `partitions`), each with its withheld
    /// completion, and forgets them.
    pub(crate) fn flush(
        &mut self,
        stores: &[(i32, LeadStore)],
        out: &mut OutputBatch,
        partitions: Option<&[i32]>,
    ) {
        let mut produced = 0u64;
        match partitions {
            None => {
                if !self.dirty.is_empty() {
                    self.flushed_at = Some(Instant::now());
                }
                for (key, d) in self.dirty.drain() {
                    produced += u64::from(write_record(&key, &d, stores, out));
                    self.spare.push(key);
                }
            }
            Some(ps) => self.dirty.retain(|key, d| {
                if !ps.contains(&d.completion.origin.partition) {
                    return true;
                }
                produced += u64::from(write_record(key, d, stores, out));
                false
            }),
        }
        if produced > 0 {
            ChangelogRecordsProduced { count: produced }.emit();
        }
    }

    /// Dirty leads not yet written.
    #[cfg(test)]
    pub(crate) fn dirty(&self) -> usize {
        self.dirty.len()
    }
}

/// Writes `d`'s lead's state now (in `stores`) as a changelog record and its withheld
/// completion with the record counted; if the state cannot be written, the completion alone
/// (so the input's offset is not held forever). Whether a record was written.
fn write_record(key: &str, d: &Dirty, stores: &[(i32, LeadStore)], out: &mut OutputBatch) -> bool {
    let origin = d.completion.origin;
    let written = (|| {
        let tenant = key.get(d.tenant_at..d.lead_at.checked_sub(1)?)?;
        let lead = key.get(d.lead_at..)?;
        let store = stores
            .iter()
            .find(|(p, _)| *p == origin.partition)
            .map(|(_, s)| s)?;
        let state = store.get(tenant, lead)?;
        let record = LeadRecordRef {
            tenant,
            lead,
            partition: origin.partition,
            applied_offset: store.applied_offset(tenant, lead),
            state,
        };
        let changelog_key = key.get(d.tenant_at..)?;
        out.push_with(OutputKind::Changelog, &[changelog_key], Some(origin), |w| {
            persist::encode_into(PayloadKind::LeadState, &record, w)
        })
        .ok()
    })()
    .is_some();
    out.complete(origin, d.completion.outputs + u32::from(written));
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::{LeadParams, LeadRecord, LeadState};
    use crate::pipeline::offsets::OffsetTracker;

    const HOUR: Duration = Duration::from_secs(3600);

    fn o(partition: i32, offset: i64) -> Origin {
        Origin { partition, offset }
    }

    /// A store for `partition` whose lead `lead` of tenant `t` has applied up to `offset`
    /// (as the shard's store would after the event at `offset`).
    fn apply(stores: &mut Vec<(i32, LeadStore)>, partition: i32, lead: &str, offset: i64) {
        if !stores.iter().any(|(p, _)| *p == partition) {
            stores.push((partition, LeadStore::new(LeadParams::default())));
        }
        if let Some((_, s)) = stores.iter_mut().find(|(p, _)| *p == partition) {
            assert!(s.restore("t", lead, LeadState::new(offset * 1000), offset));
        }
    }

    /// Every changelog record in `out`: (origin, key, decoded record).
    fn records(out: &OutputBatch) -> Vec<(Option<Origin>, Vec<u8>, LeadRecord)> {
        out.iter()
            .filter(|(m, _, _)| m.kind == OutputKind::Changelog)
            .map(|(m, key, payload)| {
                let record =
                    persist::decode(PayloadKind::LeadState, payload).expect("the record decodes");
                (m.origin, key.to_vec(), record)
            })
            .collect()
    }

    /// A cache whose first flush already happened (at `start`), so the interval applies.
    fn warmed(every: Duration, start: Instant) -> ChangelogCache {
        let mut cache = ChangelogCache::new(every);
        let mut stores = Vec::new();
        apply(&mut stores, 9, "warm-up", 1);
        assert!(cache.touch(o(9, 1), "t", "warm-up", 0));
        let mut out = OutputBatch::default();
        cache.flush_if_due(&stores, &mut out, start);
        assert_eq!(records(&out).len(), 1, "the first flush is due at once");
        cache
    }

    #[test]
    fn two_updates_within_an_interval_give_one_record_holding_the_newer_state() {
        let start = Instant::now();
        let mut cache = warmed(HOUR, start);
        let mut stores = Vec::new();

        // Batch 1: the event at offset 10 updates lead a (one decision): withheld.
        apply(&mut stores, 0, "a", 10);
        assert!(cache.touch(o(0, 10), "t", "a", 1));
        let mut out = OutputBatch::default();
        cache.flush_if_due(&stores, &mut out, start);
        assert!(out.is_empty(), "not due: no record, no completion");

        // Batch 2: offset 11 updates a again: completed by the caller as usual.
        apply(&mut stores, 0, "a", 11);
        assert!(!cache.touch(o(0, 11), "t", "a", 1));
        let mut out = OutputBatch::default();
        cache.flush_if_due(&stores, &mut out, start + HOUR / 2);
        assert!(out.is_empty());
        assert_eq!(cache.dirty(), 1);

        // The interval has passed: one record, a's state after offset 11, counted as an output
        // of offset 10 (its decision plus the record).
        let mut out = OutputBatch::default();
        cache.flush_if_due(&stores, &mut out, start + HOUR);
        let got = records(&out);
        assert_eq!(got.len(), 1);
        let (origin, key, record) = &got[0];
        assert_eq!(*origin, Some(o(0, 10)));
        assert_eq!(key.as_slice(), b"t\0a");
        assert_eq!((record.lead.as_str(), record.partition), ("a", 0));
        assert_eq!(record.applied_offset, 11, "the newest state");
        assert_eq!(record.state, LeadState::new(11_000));
        assert_eq!(
            out.completions(),
            &[Completion {
                origin: o(0, 10),
                outputs: 2
            }]
        );
        assert_eq!(cache.dirty(), 0);
        assert_eq!(cache.due_at(), None);
    }

    /// The offset tracker sees the shard's batches: the earliest input's offset (and every
    /// later one) becomes committable only once its lead's changelog record is acknowledged.
    #[test]
    fn the_earliest_inputs_completion_is_released_only_by_the_flush() {
        let start = Instant::now();
        let mut cache = warmed(HOUR, start);
        let tracker = OffsetTracker::new();
        tracker.assign(&[0]);
        let mut stores = Vec::new();
        let sink = |out: &OutputBatch| {
            for c in out.completions() {
                tracker.complete(c.origin, c.outputs);
            }
        };

        // One batch: 10 and 11 update lead a, 12 updates lead b; each caused one decision,
        // acknowledged at once.
        let mut out = OutputBatch::default();
        for (offset, lead) in [(10, "a"), (11, "a"), (12, "b")] {
            tracker.register(o(0, offset));
            apply(&mut stores, 0, lead, offset);
            if !cache.touch(o(0, offset), "t", lead, 1) {
                out.complete(o(0, offset), 1);
            }
        }
        cache.flush_if_due(&stores, &mut out, start);
        assert_eq!(out.completions().len(), 1, "only 11 is completed now");
        sink(&out);
        for offset in 10..13 {
            tracker.ack(o(0, offset));
        }
        assert_eq!(tracker.to_commit(None, true), vec![(0, 10)]);
        assert_eq!(tracker.outstanding(None), 2);

        // The timer fires: two records (a's from 10, b's from 12), then their acks.
        let mut out = OutputBatch::default();
        cache.flush(&stores, &mut out, None);
        let got = records(&out);
        assert_eq!(got.len(), 2);
        sink(&out);
        assert_eq!(
            tracker.to_commit(None, true),
            vec![(0, 10)],
            "records not acked yet"
        );
        for (origin, _, _) in &got {
            tracker.ack(origin.expect("a changelog record has its input"));
        }
        assert_eq!(tracker.to_commit(None, true), vec![(0, 13)]);
        assert_eq!(tracker.outstanding(None), 0);
    }

    #[test]
    fn revocation_flushes_the_revoked_partitions_leads_only() {
        let start = Instant::now();
        let mut cache = warmed(HOUR, start);
        let mut stores = Vec::new();
        apply(&mut stores, 0, "a", 5);
        apply(&mut stores, 1, "b", 7);
        assert!(cache.touch(o(0, 5), "t", "a", 1));
        assert!(cache.touch(o(1, 7), "t", "b", 0));
        let mut out = OutputBatch::default();
        cache.flush(&stores, &mut out, Some(&[1]));
        let got = records(&out);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].0, got[0].2.lead.as_str()), (Some(o(1, 7)), "b"));
        assert_eq!(
            out.completions(),
            &[Completion {
                origin: o(1, 7),
                outputs: 1
            }]
        );
        assert_eq!(cache.dirty(), 1, "partition 0's lead still waits");
        // A partial flush does not restart the interval.
        assert_eq!(cache.due_at(), Some(start + HOUR));
    }

    #[test]
    fn a_zero_interval_writes_a_record_after_every_batch() {
        let mut cache = ChangelogCache::new(Duration::ZERO);
        let mut stores = Vec::new();
        for offset in [3, 4] {
            apply(&mut stores, 0, "a", offset);
            assert!(cache.touch(o(0, offset), "t", "a", 1));
            let mut out = OutputBatch::default();
            cache.flush_if_due(&stores, &mut out, Instant::now());
            let got = records(&out);
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].2.applied_offset, offset);
            assert_eq!(out.completions()[0].outputs, 2);
        }
    }

    #[test]
    fn a_lead_without_state_still_releases_its_input() {
        let mut cache = ChangelogCache::new(HOUR);
        assert!(cache.touch(o(0, 3), "t", "gone", 1));
        let mut out = OutputBatch::default();
        cache.flush(&[], &mut out, None);
        assert_eq!(out.len(), 0, "no record");
        assert_eq!(
            out.completions(),
            &[Completion {
                origin: o(0, 3),
                outputs: 1
            }]
        );
    }
}
