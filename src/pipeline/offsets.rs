//! At-least-once bookkeeping: which input offsets may be committed.
//!
//! What it is for: per partition, every consumed offset is registered; the sink says how many
//! outputs each record caused and the broker's delivery reports acknowledge them one by one.
//! A record is done when all its outputs are acknowledged (or it caused none). The committable
//! offset of a partition is the lowest offset not yet done (or one past the highest registered
//! when all are done), so nothing is committed before its outputs are safe, whatever order the
//! shards finish in.
//! What it is not: the commit itself (the Kafka source commits what this reports).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use super::batch::Origin;

#[derive(Debug, Default, Clone, Copy)]
struct Pending {
    /// Outputs expected minus outputs acknowledged (may dip below zero when an ack arrives
    /// before the completion that announces the count).
    outstanding: i64,
    /// Whether the completion (with the output count) arrived.
    completed: bool,
}

#[derive(Debug, Default)]
struct PartitionOffsets {
    pending: BTreeMap<i64, Pending>,
    /// One past the highest offset registered.
    next: Option<i64>,
    /// The last offset handed out for commit.
    committed: Option<i64>,
}

impl PartitionOffsets {
    fn committable(&self) -> Option<i64> {
        match self.pending.keys().next() {
            Some(&lowest) => Some(lowest),
            None => self.next,
        }
    }

    fn update(&mut self, offset: i64, f: impl FnOnce(&mut Pending)) {
        let Some(p) = self.pending.get_mut(&offset) else {
            return;
        };
        f(p);
        if p.completed && p.outstanding <= 0 {
            self.pending.remove(&offset);
        }
    }
}

/// Offsets of every assigned partition, shared by the consumer thread, the sink and the
/// producer's delivery callback.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: Mutex<HashMap<i32, PartitionOffsets>>,
    failure: Mutex<Option<String>>,
}

impl OffsetTracker {
    /// An empty tracker.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<R>(&self, f: impl FnOnce(&mut HashMap<i32, PartitionOffsets>) -> R) -> Option<R> {
        self.partitions.lock().ok().map(|mut p| f(&mut p))
    }

    /// Starts tracking `partitions` from scratch (newly assigned).
    pub fn assign(&self, partitions: &[i32]) {
        self.with(|map| {
            for &p in partitions {
                map.insert(p, PartitionOffsets::default());
            }
        });
    }

    /// Stops tracking `partitions` (revoked): late results for them are ignored.
    pub fn revoke(&self, partitions: &[i32]) {
        self.with(|map| {
            for p in partitions {
                map.remove(p);
            }
        });
    }

    /// How many partitions are tracked (assigned to this instance).
    pub fn assigned(&self) -> usize {
        self.with(|map| map.len()).unwrap_or(0)
    }

    /// Registers a consumed record (call before routing it).
    pub fn register(&self, origin: Origin) {
        self.with(|map| {
            let part = map.entry(origin.partition).or_default();
            part.pending.entry(origin.offset).or_default();
            part.next = Some(
                part.next
                    .map_or(origin.offset + 1, |n| n.max(origin.offset + 1)),
            );
        });
    }

    /// The record caused `outputs` outputs (all handed to the producer).
    pub fn complete(&self, origin: Origin, outputs: u32) {
        self.with(|map| {
            if let Some(part) = map.get_mut(&origin.partition) {
                part.update(origin.offset, |p| {
                    p.outstanding += i64::from(outputs);
                    p.completed = true;
                });
            }
        });
    }

    /// The broker acknowledged one output of the record.
    pub fn ack(&self, origin: Origin) {
        self.with(|map| {
            if let Some(part) = map.get_mut(&origin.partition) {
                part.update(origin.offset, |p| p.outstanding -= 1);
            }
        });
    }

    /// An output of the record could not be delivered: the record stays pending forever (its
    /// offset is never committed) and the failure is kept for the engine to report.
    pub fn fail(&self, origin: Origin, why: String) {
        if let Ok(mut f) = self.failure.lock() {
            if f.is_none() {
                *f = Some(format!(
                    "partition {} offset {}: {why}",
                    origin.partition, origin.offset
                ));
            }
        }
    }

    /// Something other than a delivery failed (e.g. restoring lead state): the engine stops
    /// without committing further, reporting `why`.
    pub fn stop(&self, why: String) {
        if let Ok(mut f) = self.failure.lock() {
            if f.is_none() {
                *f = Some(why);
            }
        }
    }

    /// The first delivery failure, if any.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }

    /// Records not yet done in `partitions` (all partitions when `None`).
    pub fn outstanding(&self, partitions: Option<&[i32]>) -> usize {
        self.with(|map| {
            map.iter()
                .filter(|(p, _)| partitions.is_none_or(|ps| ps.contains(p)))
                .map(|(_, o)| o.pending.len())
                .sum()
        })
        .unwrap_or(0)
    }

    /// Offsets to commit now (partition, next offset to read), for partitions whose committable
    /// offset moved since the last call (or all of `partitions`' when `force`), restricted to
    /// `partitions` when given.
    pub fn to_commit(&self, partitions: Option<&[i32]>, force: bool) -> Vec<(i32, i64)> {
        self.with(|map| {
            let mut out = Vec::new();
            for (&p, part) in map.iter_mut() {
                if partitions.is_some_and(|ps| !ps.contains(&p)) {
                    continue;
                }
                let Some(offset) = part.committable() else {
                    continue;
                };
                if force || part.committed != Some(offset) {
                    part.committed = Some(offset);
                    out.push((p, offset));
                }
            }
            out.sort_unstable();
            out
        })
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(offset: i64) -> Origin {
        Origin {
            partition: 0,
            offset,
        }
    }

    #[test]
    fn commits_only_past_fully_acknowledged_records() {
        let t = OffsetTracker::new();
        t.assign(&[0]);
        for i in 10..14 {
            t.register(o(i));
        }
        assert_eq!(t.to_commit(None, false), vec![(0, 10)]);
        // 11 completes first with no outputs; 10 still pending.
        t.complete(o(11), 0);
        assert_eq!(t.to_commit(None, false), vec![]);
        // 10 caused two outputs; one ack (arriving before its completion) is not enough.
        t.ack(o(10));
        t.complete(o(10), 2);
        assert_eq!(t.to_commit(None, true), vec![(0, 10)]);
        t.ack(o(10));
        assert_eq!(t.to_commit(None, false), vec![(0, 12)]);
        t.complete(o(12), 1);
        t.complete(o(13), 0);
        assert_eq!(t.outstanding(None), 1);
        t.ack(o(12));
        assert_eq!(t.to_commit(None, false), vec![(0, 14)]);
        assert_eq!(t.outstanding(None), 0);
    }

    #[test]
    fn revoked_partitions_are_forgotten() {
        let t = OffsetTracker::new();
        t.assign(&[0, 1]);
        t.register(o(5));
        t.register(Origin {
            partition: 1,
            offset: 7,
        });
        t.revoke(&[0]);
        t.complete(o(5), 0);
        assert_eq!(t.to_commit(None, true), vec![(1, 7)]);
        assert_eq!(t.outstanding(Some(&[1])), 1);
    }

    #[test]
    fn failures_are_kept() {
        let t = OffsetTracker::new();
        t.fail(o(3), "broker down".into());
        t.fail(o(4), "later".into());
        assert_eq!(
            t.failure().as_deref(),
            Some("partition 0 offset 3: broker down")
        );
    }
}
