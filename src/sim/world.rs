//! The simulated world: its configuration, the population of leads with their hidden traits,
//! tenants and areas, the drift schedule, and the oracle queries on top of the response model.
//!
//! What it is for: everything that is fixed once a seed is chosen, so that an evaluator can ask
//! "how likely was this lead to respond to that touch at that time?" and "what was the best
//! channel?" without running the simulation.
//! What it is not: the event loop (see `stream`) or the events' wire form (see `sim_event`).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::event::MessageVariant;

use super::channel::{hour_of_week, ContactChannel, DAY_MS};
use super::drift::{DriftSchedule, DriftSpec, Effects};
use super::response;
use super::traits::LeadTraits;
use super::SimError;

/// The default start of simulated time: Monday 2026-01-05T00:00:00Z.
pub const fn default_start_ms() -> i64 {
    1_767_571_200_000
}

/// Areas (markets) per tenant.
pub const AREAS_PER_TENANT: usize = 3;
/// Listings per area.
pub const LISTINGS_PER_AREA: usize = 40;

/// Leads arrive during the first part of the window, so most leads have history to act on.
const ARRIVAL_SHARE: f64 = 0.5;
/// Limits that keep runs sane (ids, memory); well beyond any test or benchmark.
const MAX_LEADS: u32 = 50_000_000;
const MAX_DAYS: u32 = 3_650;
const MAX_TENANTS: u32 = 10_000;

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Number of leads (at least 1).
    pub leads: u32,
    /// Length of the simulated window in days (at least 1).
    pub days: u32,
    /// The seed: the same seed and configuration give the same stream.
    pub seed: u64,
    /// Number of tenants (at least 1, at most `leads`).
    pub tenants: u32,
    /// Scheduled drifts (each within the window).
    pub drifts: Vec<DriftSpec>,
    /// Start of simulated time, epoch ms.
    pub start_ms: i64,
}

impl SimConfig {
    /// A configuration with one tenant, no drift and the default start.
    pub fn new(leads: u32, days: u32, seed: u64) -> Self {
        Self {
            leads,
            days,
            seed,
            tenants: 1,
            drifts: Vec::new(),
            start_ms: default_start_ms(),
        }
    }

    /// Checks the configuration.
    ///
    /// # Errors
    /// [`SimError::Config`] for zero or too many leads, days or tenants, more tenants than
    /// leads, or a drift outside the window.
    pub fn validate(&self) -> Result<(), SimError> {
        let bad = |msg: String| Err(SimError::Config(msg));
        if self.leads == 0 || self.leads > MAX_LEADS {
            return bad(format!(
                "leads must be between 1 and {MAX_LEADS}, got {}",
                self.leads
            ));
        }
        if self.days == 0 || self.days > MAX_DAYS {
            return bad(format!(
                "days must be between 1 and {MAX_DAYS}, got {}",
                self.days
            ));
        }
        if self.tenants == 0 || self.tenants > MAX_TENANTS || self.tenants > self.leads {
            return bad(format!(
                "tenants must be between 1 and min(leads, {MAX_TENANTS}), got {}",
                self.tenants
            ));
        }
        for d in &self.drifts {
            if d.after_ms >= self.window_ms() {
                return bad(format!(
                    "drift {} at {:.2}d is not inside the {}-day window",
                    d.kind.as_str(),
                    d.after_ms as f64 / DAY_MS as f64,
                    self.days
                ));
            }
        }
        Ok(())
    }

    /// Length of the window in ms.
    pub fn window_ms(&self) -> i64 {
        i64::from(self.days) * DAY_MS
    }
}

/// The population and rules of one simulation. Immutable once built.
#[derive(Debug, Clone)]
pub struct World {
    config: SimConfig,
    traits: Vec<LeadTraits>,
    lead_ids: Vec<String>,
    arrivals: Vec<i64>,
    tenant_of: Vec<u32>,
    area_of: Vec<u32>,
    tenant_ids: Vec<String>,
    area_ids: Vec<String>,
    listing_ids: Vec<String>,
    schedule: DriftSchedule,
}

impl World {
    /// Builds the world for a configuration: draws every lead's traits, tenant, area and arrival.
    ///
    /// # Errors
    /// [`SimError::Config`] if the configuration is invalid (see [`SimConfig::validate`]).
    pub fn new(config: SimConfig) -> Result<Self, SimError> {
        config.validate()?;
        let mut rng = Pcg64Mcg::seed_from_u64(config.seed);
        let n = config.leads as usize;
        let tenants = config.tenants as usize;
        let arrival_window = (config.window_ms() as f64 * ARRIVAL_SHARE).max(1.0);
        let mut traits = Vec::with_capacity(n);
        let mut arrivals = Vec::with_capacity(n);
        let mut tenant_of = Vec::with_capacity(n);
        let mut area_of = Vec::with_capacity(n);
        let mut lead_ids = Vec::with_capacity(n);
        for i in 0..n {
            traits.push(LeadTraits::sample(&mut rng));
            // The window is at most 3650 days, so the product fits an i64.
            arrivals.push(config.start_ms + (rng.random::<f64>() * arrival_window) as i64);
            let tenant = i % tenants;
            tenant_of.push(tenant as u32);
            let area = tenant * AREAS_PER_TENANT + rng.random_range(0..AREAS_PER_TENANT);
            area_of.push(area as u32);
            lead_ids.push(format!("lead-{i:07}"));
        }
        let tenant_ids = (0..tenants).map(|t| format!("tenant-{t:03}")).collect();
        let area_ids: Vec<String> = (0..tenants * AREAS_PER_TENANT)
            .map(|a| format!("area-{:03}-{}", a / AREAS_PER_TENANT, a % AREAS_PER_TENANT))
            .collect();
        let listing_ids = (0..area_ids.len() * LISTINGS_PER_AREA)
            .map(|l| {
                format!(
                    "mls-{:03}-{:05}",
                    l / LISTINGS_PER_AREA,
                    10_000 + l * 37 % 90_000
                )
            })
            .collect();
        let schedule = DriftSchedule::new(&config.drifts, config.start_ms);
        Ok(Self {
            config,
            traits,
            lead_ids,
            arrivals,
            tenant_of,
            area_of,
            tenant_ids,
            area_ids,
            listing_ids,
            schedule,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Number of leads.
    pub fn lead_count(&self) -> usize {
        self.traits.len()
    }

    /// End of the window (exclusive), epoch ms.
    pub fn end_ms(&self) -> i64 {
        self.config.start_ms + self.config.window_ms()
    }

    /// The hidden traits of a lead; `None` if the index is out of range.
    pub fn traits(&self, lead: usize) -> Option<&LeadTraits> {
        self.traits.get(lead)
    }

    /// All leads' traits, by lead index.
    pub fn all_traits(&self) -> &[LeadTraits] {
        &self.traits
    }

    /// A lead's id as it appears in events (`lead-0000042`).
    pub fn lead_id(&self, lead: usize) -> Option<&str> {
        self.lead_ids.get(lead).map(String::as_str)
    }

    /// When a lead arrives (its `lead_created` time).
    pub fn arrival(&self, lead: usize) -> Option<i64> {
        self.arrivals.get(lead).copied()
    }

    /// Index of a lead's tenant.
    pub fn tenant_of(&self, lead: usize) -> Option<usize> {
        self.tenant_of.get(lead).map(|&t| t as usize)
    }

    /// A tenant's id (`tenant-003`).
    pub fn tenant_id(&self, tenant: usize) -> Option<&str> {
        self.tenant_ids.get(tenant).map(String::as_str)
    }

    /// Index of the area a lead is looking in.
    pub fn area_of(&self, lead: usize) -> Option<usize> {
        self.area_of.get(lead).map(|&a| a as usize)
    }

    /// Number of areas (all tenants).
    pub fn area_count(&self) -> usize {
        self.area_ids.len()
    }

    /// An area's id (`area-003-1`).
    pub fn area_id(&self, area: usize) -> Option<&str> {
        self.area_ids.get(area).map(String::as_str)
    }

    /// A listing id in an area (`k` wraps around the area's listings).
    pub fn listing_id(&self, area: usize, k: usize) -> Option<&str> {
        self.listing_ids
            .get(area * LISTINGS_PER_AREA + k % LISTINGS_PER_AREA)
            .map(String::as_str)
    }

    /// The drift schedule in absolute event time.
    pub fn schedule(&self) -> &DriftSchedule {
        &self.schedule
    }

    /// The drift effects in force at `ts`.
    pub fn effects_at(&self, ts: i64) -> Effects {
        self.schedule.effects_at(ts)
    }

    /// The oracle: the probability that `lead` responds to a touch on `channel` with `variant`
    /// sent at UTC hour of week `utc_hour_of_week` (see [`hour_of_week`]) under the drifts in
    /// force at `ts`. 0 for an unknown lead. Does not know whether the lead has already churned.
    pub fn response_probability(
        &self,
        lead: usize,
        channel: ContactChannel,
        utc_hour_of_week: u16,
        variant: MessageVariant,
        ts: i64,
    ) -> f64 {
        self.traits(lead).map_or(0.0, |t| {
            response::response_probability(
                t,
                channel,
                utc_hour_of_week,
                variant,
                &self.effects_at(ts),
            )
        })
    }

    /// The oracle's best `(channel, variant, probability)` for a lead at an hour under the drifts
    /// in force at `ts`; `None` for an unknown lead.
    pub fn best_touch(
        &self,
        lead: usize,
        utc_hour_of_week: u16,
        ts: i64,
    ) -> Option<(ContactChannel, MessageVariant, f64)> {
        let t = self.traits(lead)?;
        Some(response::best_touch(
            t,
            utc_hour_of_week,
            &self.effects_at(ts),
        ))
    }

    /// The oracle's best channel for a lead for a touch sent at `ts` (hour taken from `ts`),
    /// with the best variant's probability on it.
    pub fn best_channel(&self, lead: usize, ts: i64) -> Option<(ContactChannel, f64)> {
        self.best_touch(lead, hour_of_week(ts), ts)
            .map(|(c, _, p)| (c, p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_errors_are_clear() {
        let err = |c: SimConfig| {
            World::new(c)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(err(SimConfig::new(0, 5, 1)).contains("leads"));
        assert!(err(SimConfig::new(5, 0, 1)).contains("days"));
        let mut c = SimConfig::new(5, 5, 1);
        c.tenants = 6;
        assert!(err(c).contains("tenants"));
        let mut c = SimConfig::new(5, 5, 1);
        c.drifts.push("sms-dead@5d".parse().unwrap());
        assert!(err(c).contains("window"));
    }

    #[test]
    fn same_seed_same_world() {
        let a = World::new(SimConfig::new(50, 10, 3)).unwrap();
        let b = World::new(SimConfig::new(50, 10, 3)).unwrap();
        let c = World::new(SimConfig::new(50, 10, 4)).unwrap();
        assert_eq!(a.all_traits(), b.all_traits());
        assert_ne!(a.all_traits(), c.all_traits());
        assert_eq!(a.lead_id(42), Some("lead-0000042"));
        assert!(a
            .arrival(0)
            .is_some_and(|t| t >= a.config().start_ms && t < a.end_ms()));
    }
}
