//! Bounded storage of pending label snapshots, expiring in event-time order.
//!
//! What it is for: holding the feature snapshots taken at decision time until their outcome
//! arrives or their horizon passes. A slab of slots with generation-checked [`Handle`]s (so a
//! lead's stale handle to a slot reused by another lead is harmless), a free list, and a FIFO of
//! deadlines: each kind has one horizon and snapshots are taken in event-time order, so the FIFO
//! is (up to late events) in deadline order. At capacity the oldest entry is evicted and counted.
//! What it is not: what labels mean (see `shard`).

use std::collections::VecDeque;

/// A reference to a slot, valid while the slot's generation matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Handle {
    idx: u32,
    generation: u32,
}

impl Handle {
    /// A handle that refers to nothing.
    pub(crate) const NONE: Handle = Handle {
        idx: u32::MAX,
        generation: 0,
    };
}

#[derive(Debug, Clone)]
struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

/// A bounded slab of pending values with deadlines.
#[derive(Debug, Clone)]
pub(crate) struct PendingSlab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    queue: VecDeque<(i64, Handle)>,
    capacity: usize,
    live: usize,
    evicted: u64,
}

impl<T> PendingSlab<T> {
    /// An empty slab holding at most `capacity` values (at least 1).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
            queue: VecDeque::new(),
            capacity: capacity.clamp(1, u32::MAX as usize - 1),
            live: 0,
            evicted: 0,
        }
    }

    /// Values currently held.
    pub(crate) const fn len(&self) -> usize {
        self.live
    }

    /// Values evicted because the slab was full.
    pub(crate) const fn evicted(&self) -> u64 {
        self.evicted
    }

    /// Stores `value` until `deadline`; evicts the oldest value first when full.
    pub(crate) fn insert(&mut self, deadline: i64, value: T) -> Handle {
        while self.live >= self.capacity {
            let Some((_, h)) = self.queue.pop_front() else {
                break;
            };
            if self.remove(h).is_some() {
                self.evicted += 1;
            }
        }
        let idx = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(Slot {
                    generation: 0,
                    value: None,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let slot = &mut self.slots[idx as usize];
        slot.generation = slot.generation.wrapping_add(1);
        slot.value = Some(value);
        self.live += 1;
        let h = Handle {
            idx,
            generation: slot.generation,
        };
        self.queue.push_back((deadline, h));
        h
    }

    /// Whether `h` is still pending.
    pub(crate) fn contains(&self, h: Handle) -> bool {
        self.slots
            .get(h.idx as usize)
            .is_some_and(|s| s.generation == h.generation && s.value.is_some())
    }

    /// Takes the value behind `h` out (its queue entry is skipped later).
    pub(crate) fn remove(&mut self, h: Handle) -> Option<T> {
        let slot = self.slots.get_mut(h.idx as usize)?;
        if slot.generation != h.generation {
            return None;
        }
        let v = slot.value.take()?;
        self.free.push(h.idx);
        self.live -= 1;
        Some(v)
    }

    /// Takes out the next value whose deadline is at or before `now`, with its deadline and the
    /// handle it had.
    pub(crate) fn pop_expired(&mut self, now: i64) -> Option<(i64, Handle, T)> {
        while let Some(&(deadline, h)) = self.queue.front() {
            if deadline > now {
                return None;
            }
            self.queue.pop_front();
            if let Some(v) = self.remove(h) {
                return Some((deadline, h, v));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_order_and_evicts_the_oldest_when_full() {
        let mut slab = PendingSlab::new(2);
        let a = slab.insert(10, "a");
        let b = slab.insert(20, "b");
        let c = slab.insert(30, "c");
        assert_eq!(slab.evicted(), 1);
        assert!(!slab.contains(a));
        assert_eq!(slab.len(), 2);
        assert_eq!(slab.remove(c), Some("c"));
        assert!(matches!(slab.pop_expired(25), Some((20, h, "b")) if h == b));
        assert_eq!(slab.pop_expired(100), None);
        // Two slots are free (b's freed last, so reused first, then c's): the reused slots do
        // not answer to the old handles, their generation moved on.
        let d = slab.insert(40, "d");
        let e = slab.insert(50, "e");
        assert_eq!((d.idx, e.idx), (b.idx, c.idx));
        assert!(slab.contains(d) && slab.contains(e));
        assert!(!slab.contains(b) && !slab.contains(c));
        assert_eq!((slab.remove(b), slab.remove(c)), (None, None));
        assert_eq!((slab.remove(d), slab.remove(e)), (Some("d"), Some("e")));
    }
}
