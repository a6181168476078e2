//! The leads of one shard: state per (tenant_id, lead_id), created on first sight.
//!
//! What it is for: the single-threaded owner of its leads' state (one per shard worker). States
//! live in one dense `Vec`; a two-level map (tenant, then lead) with the Fx hasher holds only the
//! keys (short lead ids inline) and a `u32` index, so lookups never allocate and the map stays
//! small.
//! Beside each state the store keeps the offset of the newest event applied to it (when the
//! caller gives offsets, see [`LeadStore::apply_at`]), so a replay after a restore is idempotent.
//! What it is not: shared or synchronized (a shard owns its store); no eviction. Where states are
//! persisted is the pipeline's business ([`LeadStore::records`], [`LeadStore::restore`]).

use rustc_hash::FxHashMap;

use crate::event::{Event, JourneyStage};
use crate::text::TextSignals;

use super::config::LeadParams;
use super::key::LeadKey;
use super::record::{LeadRecord, LeadRecordRef, NO_OFFSET};
use super::state::{Applied, LeadState};

/// Counts of what the store did with the events it was given (flush them to metrics per batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreCounters {
    /// Events applied in event-time order.
    pub in_order: u64,
    /// Late events applied within the tolerance.
    pub late: u64,
    /// Events older than the tolerance, counted and dropped.
    pub too_late: u64,
    /// Events not about a lead (market updates), ignored by lead state.
    pub not_lead: u64,
    /// Leads created on first sight.
    pub leads_created: u64,
    /// Replayed events already applied before a restore (not applied again).
    pub replayed: u64,
}

/// The state of every lead of one shard.
#[derive(Debug, Clone, Default)]
pub struct LeadStore {
    params: LeadParams,
    index: FxHashMap<Box<str>, FxHashMap<LeadKey, u32>>,
    states: Vec<LeadState>,
    /// Per state: offset of the newest event applied ([`NO_OFFSET`] if not known).
    offsets: Vec<i64>,
    counters: StoreCounters,
}

impl LeadStore {
    /// An empty store using `params` for every lead.
    pub fn new(params: LeadParams) -> Self {
        Self {
            params,
            ..Self::default()
        }
    }

    /// An empty store with room for `leads` leads of a single tenant without reallocating.
    pub fn with_capacity(params: LeadParams, leads: usize) -> Self {
        Self {
            params,
            states: Vec::with_capacity(leads),
            offsets: Vec::with_capacity(leads),
            ..Self::default()
        }
    }

    /// Applies an event to its lead's state, creating the state on first sight. Returns how it
    /// was applied and the lead's state afterwards (`None` for events without a lead, such as
    /// market updates, and when the shard holds `u32::MAX` leads already).
    pub fn apply(
        &mut self,
        event: &Event<'_>,
        signals: Option<&TextSignals>,
    ) -> (Applied, Option<&LeadState>) {
        self.apply_at(event, signals, NO_OFFSET)
    }

    /// As [`apply`](Self::apply) for the event at `offset` of the store's source partition: an
    /// event at or below the offset last applied to its lead is not applied again
    /// ([`Applied::Replayed`], state returned unchanged). Offsets of one partition rise, so
    /// this only happens when a restored state already contains the event.
    pub fn apply_at(
        &mut self,
        event: &Event<'_>,
        signals: Option<&TextSignals>,
        offset: i64,
    ) -> (Applied, Option<&LeadState>) {
        let (applied, _, state) = self.apply_at_from(event, signals, offset);
        (applied, state)
    }

    /// As [`apply_at`](Self::apply_at), also returning the lead's journey stage before the
    /// event (`None` when the lead was not held), with one lookup of the lead instead of the
    /// two of a [`get`](Self::get) first.
    pub fn apply_at_from(
        &mut self,
        event: &Event<'_>,
        signals: Option<&TextSignals>,
        offset: i64,
    ) -> (Applied, Option<JourneyStage>, Option<&LeadState>) {
        let Some(lead_id) = event.lead_id() else {
            self.counters.not_lead += 1;
            return (Applied::NotLeadEvent, None, None);
        };
        let held = self.states.len();
        let Some(slot) = self.slot_or_insert(&event.tenant_id, lead_id, event.ts) else {
            self.counters.not_lead += 1;
            return (Applied::NotLeadEvent, None, None);
        };
        let (Some(state), Some(applied_offset)) =
            (self.states.get_mut(slot), self.offsets.get_mut(slot))
        else {
            return (Applied::NotLeadEvent, None, None);
        };
        // A slot below the count before the lookup held the lead already: slots are only ever
        // appended (a store never frees one; revoked partitions drop their whole store), so a
        // new lead always lands at `held`. Freeing slots would need a "created" flag instead.
        let before = (slot < held).then(|| state.stage());
        if offset != NO_OFFSET && offset <= *applied_offset {
            self.counters.replayed += 1;
            return (Applied::Replayed, before, Some(state));
        }
        let applied = state.apply(event, signals, &self.params);
        if offset != NO_OFFSET {
            *applied_offset = offset;
        }
        match applied {
            Applied::InOrder => self.counters.in_order += 1,
            Applied::Late => self.counters.late += 1,
            Applied::TooLate => self.counters.too_late += 1,
            Applied::NotLeadEvent => self.counters.not_lead += 1,
            Applied::Replayed => self.counters.replayed += 1,
        }
        (applied, before, Some(state))
    }

    fn slot_or_insert(&mut self, tenant: &str, lead: &str, ts: i64) -> Option<usize> {
        if let Some(&i) = self
            .index
            .get(tenant)
            .and_then(|leads| leads.get(lead.as_bytes()))
        {
            return Some(i as usize);
        }
        let i = u32::try_from(self.states.len()).ok()?;
        self.states.push(LeadState::new(ts));
        self.offsets.push(NO_OFFSET);
        self.index
            .entry(Box::from(tenant))
            .or_default()
            .insert(LeadKey::new(lead), i);
        self.counters.leads_created += 1;
        Some(i as usize)
    }

    /// The state of a lead, if it has been seen.
    pub fn get(&self, tenant_id: &str, lead_id: &str) -> Option<&LeadState> {
        let i = *self.index.get(tenant_id)?.get(lead_id.as_bytes())?;
        self.states.get(i as usize)
    }

    /// The state of a lead for changes outside events (e.g. setting the persona slot).
    pub fn get_mut(&mut self, tenant_id: &str, lead_id: &str) -> Option<&mut LeadState> {
        let i = *self.index.get(tenant_id)?.get(lead_id.as_bytes())?;
        self.states.get_mut(i as usize)
    }

    /// Puts a lead's persisted state (and the offset of the newest event in it) in the store,
    /// replacing any state held for it. Returns `false` (nothing stored) when the store holds
    /// `u32::MAX` leads already.
    pub fn restore(
        &mut self,
        tenant: &str,
        lead: &str,
        state: LeadState,
        applied_offset: i64,
    ) -> bool {
        if let Some(&i) = self
            .index
            .get(tenant)
            .and_then(|leads| leads.get(lead.as_bytes()))
        {
            if let (Some(s), Some(o)) = (
                self.states.get_mut(i as usize),
                self.offsets.get_mut(i as usize),
            ) {
                *s = state;
                *o = applied_offset;
                return true;
            }
        }
        let Ok(i) = u32::try_from(self.states.len()) else {
            return false;
        };
        self.states.push(state);
        self.offsets.push(applied_offset);
        self.index
            .entry(Box::from(tenant))
            .or_default()
            .insert(LeadKey::new(lead), i);
        true
    }

    /// The offset of the newest event applied to a lead ([`NO_OFFSET`] if unknown or unseen).
    pub fn applied_offset(&self, tenant_id: &str, lead_id: &str) -> i64 {
        self.index
            .get(tenant_id)
            .and_then(|leads| leads.get(lead_id.as_bytes()))
            .and_then(|&i| self.offsets.get(i as usize).copied())
            .unwrap_or(NO_OFFSET)
    }

    /// Every lead as a durable record of source partition `partition` (copies the states).
    pub fn records(&self, partition: i32) -> impl Iterator<Item = LeadRecord> + '_ {
        self.index.iter().flat_map(move |(tenant, leads)| {
            leads.iter().filter_map(move |(lead, &i)| {
                let state = self.states.get(i as usize)?;
                Some(LeadRecord {
                    tenant: tenant.to_string(),
                    lead: lead.as_str().to_string(),
                    partition,
                    applied_offset: self.offsets.get(i as usize).copied().unwrap_or(NO_OFFSET),
                    state: state.clone(),
                })
            })
        })
    }

    /// Every lead as a borrowed durable record of source partition `partition` (no copy: for
    /// encoding in place).
    pub fn record_refs(&self, partition: i32) -> impl Iterator<Item = LeadRecordRef<'_>> + '_ {
        self.index.iter().flat_map(move |(tenant, leads)| {
            leads.iter().filter_map(move |(lead, &i)| {
                Some(LeadRecordRef {
                    tenant,
                    lead: lead.as_str(),
                    partition,
                    applied_offset: self.offsets.get(i as usize).copied().unwrap_or(NO_OFFSET),
                    state: self.states.get(i as usize)?,
                })
            })
        })
    }

    /// Number of leads held.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Whether no lead is held.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// Every lead: tenant id, lead id and state (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &LeadState)> + '_ {
        self.index.iter().flat_map(move |(tenant, leads)| {
            leads.iter().filter_map(move |(lead, &i)| {
                self.states
                    .get(i as usize)
                    .map(|s| (&**tenant, lead.as_str(), s))
            })
        })
    }

    /// What the store did so far.
    pub const fn counters(&self) -> StoreCounters {
        self.counters
    }

    /// The params every lead is updated with.
    pub const fn params(&self) -> &LeadParams {
        &self.params
    }

    /// Estimated heap bytes held by the store: state slots, map buckets (key, value, control
    /// byte) and long key strings (ids over 22 bytes; rounded up to 16-byte allocator granularity, plus 8 bytes of
    /// allocator header each). An estimate; examples/lead_memory.rs also measures RSS.
    pub fn heap_bytes_estimate(&self) -> usize {
        let slot = std::mem::size_of::<LeadState>();
        let mut bytes = self.states.capacity() * slot + self.offsets.capacity() * 8;
        let heap = |len: usize| {
            if len == 0 {
                0
            } else {
                8 + len.div_ceil(16) * 16
            }
        };
        let bucket = std::mem::size_of::<(LeadKey, u32)>() + 1;
        let outer = std::mem::size_of::<(Box<str>, FxHashMap<LeadKey, u32>)>() + 1;
        bytes += self.index.capacity() * outer;
        for (tenant, leads) in &self.index {
            bytes += heap(tenant.len());
            let buckets = (leads.capacity() * 8).div_ceil(7).next_power_of_two();
            bytes += buckets * bucket + 16;
            bytes += leads.keys().map(|k| heap(k.heap_len())).sum::<usize>();
        }
        bytes
    }
}
