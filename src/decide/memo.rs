//! The shard decider's memory of one lead: its open touches and pending snapshots (by handle,
//! each with the little the hot path reads of it), its own channel and send-hour evidence, its
//! last alert and its running campaign.
//!
//! What it is for: what the decider keeps per lead between events (512 bytes a lead on 64-bit
//! targets, plus a running campaign's tenant and lead ids). Each pending handle sits beside what the decision
//! and label paths need of it, so they read no slab slot for it; handles and what they stand
//! for are stored as pairs, so they cannot fall out of step.
//! What it is not: the pending examples themselves (the ~900-byte snapshots live in the
//! `pending` slabs, filled and resolved by `labels`), nor the lead's state (see [`crate::lead`]).
//! Nothing here is bounded by `max_pending`: a memo lives as long as the shard holds the lead.

use crate::event::JourneyStage;

use super::campaign::Campaign;
use super::pending::Handle;
use super::personalize;
use super::shard::{MAX_OPEN_SNAPSHOTS, MAX_OPEN_TOUCHES};
use super::types::RiskLevel;

/// What a lead did after one of its pending snapshots, kept in its [`LeadMemo`] beside the
/// snapshot's handle.
#[derive(Debug, Clone, Copy)]
pub(super) struct SinceSnapshot {
    /// The lead's latest response after the snapshot ([`SinceSnapshot::NO_RESPONSE`]: none).
    /// A sentinel rather than an `Option` keeps the pair with its handle at 24 bytes, not 32.
    last_response_ts: i64,
    /// Touches since the lead's latest response after the snapshot (or since the snapshot).
    pub(super) touches_since_response: u16,
}

impl Default for SinceSnapshot {
    fn default() -> Self {
        Self {
            last_response_ts: Self::NO_RESPONSE,
            touches_since_response: 0,
        }
    }
}

impl SinceSnapshot {
    /// `last_response_ts` of a lead that has not responded since the snapshot (a response at
    /// this very instant, the earliest representable, counts as none too).
    pub(super) const NO_RESPONSE: i64 = i64::MIN;

    /// Takes in one later event of the lead.
    pub(super) fn observe(&mut self, ts: i64, touched: bool, response: bool) {
        if response {
            self.last_response_ts = ts;
            self.touches_since_response = 0;
        }
        self.touches_since_response = self
            .touches_since_response
            .saturating_add(u16::from(touched));
    }

    /// When the lead's current silence began: its latest response after the snapshot, or the
    /// snapshot itself (taken at `snapshot_ts`).
    pub(super) const fn silent_since(&self, snapshot_ts: i64) -> i64 {
        if self.last_response_ts == Self::NO_RESPONSE {
            snapshot_ts
        } else {
            self.last_response_ts
        }
    }
}

/// What the decision path needs of one open touch, kept in the lead's [`LeadMemo`] beside its
/// handle so that a decision reads no slab slot for it (the slab keeps the ~900-byte example).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct OpenTouch {
    pub(super) touch_ts: i64,
    /// The contact channel arm (0..=3, an index into `CONTACT_CHANNELS`).
    channel: u8,
    pub(super) hour_of_week: u16,
}

impl OpenTouch {
    /// A touch at `touch_ts` on channel arm `arm`, sent at `hour_of_week`.
    pub(super) fn new(touch_ts: i64, arm: usize, hour_of_week: u16) -> Self {
        Self {
            touch_ts,
            // Arms are 0..=3; u8::MAX (no arm) could only come from a caller's bug and then
            // matches no channel.
            channel: u8::try_from(arm).unwrap_or(u8::MAX),
            hour_of_week,
        }
    }

    /// The contact channel arm.
    pub(super) fn arm(&self) -> usize {
        usize::from(self.channel)
    }
}

/// What the shard decider remembers of one lead.
#[derive(Debug, Clone)]
pub(super) struct LeadMemo {
    /// Open touches, oldest first, each with what it was. A handle becomes [`Handle::NONE`] once
    /// answered or expired, or stays stale (no longer in the slab) after eviction when the slab
    /// is full.
    pub(super) touches: [(Handle, OpenTouch); MAX_OPEN_TOUCHES],
    /// Pending lead snapshots, oldest first, each with what the lead did since. A handle stays
    /// stale (no longer in the slab) once its snapshot is labelled or evicted when the slab is
    /// full, until a newer snapshot pushes it out; every snapshot still in the slab is here.
    pub(super) snapshots: [(Handle, SinceSnapshot); MAX_OPEN_SNAPSHOTS],
    /// The lead's own labelled (successes, failures) per channel arm.
    pub(super) arms: [(f32, f32); 4],
    /// The lead's own labelled (successes, failures) per 3-hour bucket of the send hour (UTC).
    pub(super) hours: [(f32, f32); personalize::HOUR_BUCKETS],
    /// The lead's unprompted contacts per channel arm (also counted in `arms`).
    pub(super) unprompted: [f32; 4],
    /// When each channel arm was last used to contact the lead (`i64::MIN`: never).
    pub(super) last_touch_ts: [i64; 4],
    pub(super) last_snapshot_ts: i64,
    pub(super) stage: JourneyStage,
    pub(super) last_alert: Option<(RiskLevel, i64)>,
    pub(super) campaign: Option<Campaign>,
}

impl LeadMemo {
    pub(super) fn new() -> Self {
        Self {
            touches: [(Handle::NONE, OpenTouch::default()); MAX_OPEN_TOUCHES],
            snapshots: [(Handle::NONE, SinceSnapshot::default()); MAX_OPEN_SNAPSHOTS],
            arms: [(0.0, 0.0); 4],
            hours: [(0.0, 0.0); personalize::HOUR_BUCKETS],
            unprompted: [0.0; 4],
            last_touch_ts: [i64::MIN; 4],
            last_snapshot_ts: i64::MIN,
            stage: JourneyStage::Exploring,
            last_alert: None,
            campaign: None,
        }
    }

    /// The handle of the oldest open touch (the one [`push_touch`](Self::push_touch) drops).
    pub(super) const fn oldest_touch(&self) -> Handle {
        self.touches[0].0
    }

    /// Remembers a new open touch as the newest; the oldest falls out (the caller removes it
    /// from the slab first).
    pub(super) fn push_touch(&mut self, h: Handle, touch: OpenTouch) {
        self.touches.rotate_left(1);
        self.touches[MAX_OPEN_TOUCHES - 1] = (h, touch);
    }

    /// Forgets the open touch `h` (its label came at the horizon).
    pub(super) fn forget_touch(&mut self, h: Handle) {
        if let Some(t) = self.touches.iter_mut().find(|t| t.0 == h) {
            t.0 = Handle::NONE;
        }
    }

    /// The handle of the oldest pending snapshot (the one
    /// [`push_snapshot`](Self::push_snapshot) drops).
    pub(super) const fn oldest_snapshot(&self) -> Handle {
        self.snapshots[0].0
    }

    /// Remembers a new pending snapshot as the newest, with nothing done since; the oldest
    /// falls out (the caller removes it from the slab first).
    pub(super) fn push_snapshot(&mut self, h: Handle) {
        self.snapshots.rotate_left(1);
        self.snapshots[MAX_OPEN_SNAPSHOTS - 1] = (h, SinceSnapshot::default());
    }

    /// What the lead did since its snapshot `h`, if `h` is remembered.
    pub(super) fn since_snapshot(&self, h: Handle) -> Option<SinceSnapshot> {
        self.snapshots.iter().find(|s| s.0 == h).map(|s| s.1)
    }

    /// Takes in one event of the lead for every remembered snapshot. Positions whose snapshot
    /// is no longer pending are updated too: harmless, a new snapshot starts its position
    /// afresh.
    pub(super) fn observe(&mut self, ts: i64, touched: bool, response: bool) {
        for (_, since) in &mut self.snapshots {
            since.observe(ts, touched, response);
        }
    }

    /// The handles of the remembered snapshots (some may be stale).
    pub(super) fn snapshot_handles(&self) -> [Handle; MAX_OPEN_SNAPSHOTS] {
        self.snapshots.map(|(h, _)| h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_handle_and_what_it_stands_for_take_24_bytes() {
        // 16 bytes each (an i64 and two small fields); an Option<i64> or a usize channel made
        // them 24, and each pair 32: 88 bytes more per lead (600 then, 512 now).
        assert_eq!(std::mem::size_of::<OpenTouch>(), 16);
        assert_eq!(std::mem::size_of::<SinceSnapshot>(), 16);
        assert_eq!(std::mem::size_of::<(Handle, OpenTouch)>(), 24);
        assert_eq!(std::mem::size_of::<(Handle, SinceSnapshot)>(), 24);
        assert_eq!(std::mem::size_of::<LeadMemo>(), 512);
    }

    #[test]
    fn since_snapshot_tracks_the_latest_response_and_touches_after_it() {
        let mut s = SinceSnapshot::default();
        assert_eq!(s.silent_since(100), 100);
        s.observe(110, true, false);
        s.observe(120, true, false);
        assert_eq!((s.silent_since(100), s.touches_since_response), (100, 2));
        s.observe(130, false, true);
        s.observe(140, true, false);
        assert_eq!((s.silent_since(100), s.touches_since_response), (130, 1));
    }

    #[test]
    fn pushes_keep_each_handle_with_what_it_stands_for() {
        let mut memo = LeadMemo::new();
        let mut slab = super::super::pending::PendingSlab::new(16);
        let handles: Vec<Handle> = (0..5).map(|i| slab.insert(i, ())).collect();
        for (i, &h) in handles.iter().enumerate() {
            memo.push_touch(h, OpenTouch::new(i as i64, i % 4, i as u16));
        }
        // The first of five fell out; the rest are oldest first, each with its own touch.
        assert_eq!(memo.oldest_touch(), handles[1]);
        for (i, (h, t)) in memo.touches.iter().enumerate() {
            assert_eq!(*h, handles[i + 1]);
            assert_eq!((t.touch_ts, t.arm()), ((i + 1) as i64, (i + 1) % 4));
        }
        memo.forget_touch(handles[2]);
        assert_eq!(memo.touches[1].0, Handle::NONE);
        assert_eq!(memo.touches[1].1.touch_ts, 2);

        memo.push_snapshot(handles[0]);
        memo.observe(10, true, false);
        memo.push_snapshot(handles[1]);
        memo.observe(20, false, true);
        let first = memo.since_snapshot(handles[0]).map(|s| s.silent_since(0));
        let second = memo
            .since_snapshot(handles[1])
            .map(|s| s.touches_since_response);
        assert_eq!((first, second), (Some(20), Some(0)));
        assert!(memo.since_snapshot(handles[4]).is_none());
        assert_eq!(memo.snapshot_handles()[MAX_OPEN_SNAPSHOTS - 1], handles[1]);
    }
}
