//! Thompson sampling over the 168 hours of the week, with the evidence of each hour shared
//! along a hierarchy: the same hour on the same kind of day (weekday or weekend), then the same
//! hour on any day, then every hour.
//!
//! What it is for: when to contact someone. A week has 168 hours and a population learns about
//! each one slowly, so each hour's posterior sits on a prior taken from its pools (hierarchical
//! Beta-Binomial shrinkage in its simplest empirical form; Gelman et al., *Bayesian Data
//! Analysis*, 3rd ed., 2013, ch. 5): Saturday 10:00 never
//! tried still looks like the other 10:00s, tilted by what weekends taught, while an hour with
//! plenty of evidence speaks for itself. A choice draws one value per candidate hour (the next
//! hours of a window, in the caller's local time) and takes the largest.
//! What it is not: a calendar. Hours are indices (0 is Monday 00:00-01:00 in whatever time the
//! caller uses); the caller maps times and time zones onto them.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::beta::{BetaPosterior, BetaSampler};
use super::thompson::{ArmEstimate, POOLED_PRIOR};

/// Hours in a week.
pub const WEEK_HOURS: usize = 168;
/// Pseudo-counts a pool lends the level below it (at most; a pool with less lends what it has).
pub const POOL_PSEUDO_COUNTS: f64 = 20.0;
/// Days 5 and 6 of the week (Saturday, Sunday) are the weekend.
const FIRST_WEEKEND_DAY: usize = 5;

/// Beta-Bernoulli Thompson sampling over the hours of the week with hierarchical pooling.
///
/// # Examples
/// ```
/// use leadstream::learn::bandit::HourOfWeekThompson;
/// use rand::{Rng, SeedableRng};
/// use rand_pcg::Pcg64Mcg;
///
/// let mut rng = Pcg64Mcg::seed_from_u64(7);
/// let mut hours = HourOfWeekThompson::new(1.0);
/// // People answer at 19:00 and 20:00, every day; hardly at other hours.
/// for _ in 0..20_000 {
///     let how = rng.random_range(0..168);
///     let p = if matches!(how % 24, 19 | 20) { 0.5 } else { 0.05 };
///     hours.update(how, f64::from(u8::from(rng.random::<f64>() < p)));
/// }
/// // From Monday 08:00, the next 24 hours: the choice falls on 19:00 or 20:00.
/// let (k, _) = hours.choose_next(&mut rng, 8, 24, |_| (0.0, 0.0), 50.0);
/// assert!(matches!((8 + k) % 24, 19 | 20));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourOfWeekThompson {
    discount: f64,
    /// Evidence per hour in units of `scale`: the discounted counts are these times `scale`.
    /// Discounting multiplies `scale` alone, so an update costs one hour, not 168.
    successes: Vec<f64>,
    failures: Vec<f64>,
    scale: f64,
    pulls: Vec<u64>,
}

/// Below this `scale`, the stored evidence is rescaled to units of 1 (so it never overflows).
const MIN_SCALE: f64 = 1e-150;

impl HourOfWeekThompson {
    /// A bandit with no evidence; `discount` in (0, 1] multiplies all evidence at each update
    /// (1 = stationary; anything else is taken as 1, as [`BetaThompson::uniform`] does, so this
    /// never fails).
    ///
    /// [`BetaThompson::uniform`]: super::BetaThompson::uniform
    pub fn new(discount: f64) -> Self {
        let discount = if discount > 0.0 && discount <= 1.0 {
            discount
        } else {
            1.0
        };
        Self {
            discount,
            successes: vec![0.0; WEEK_HOURS],
            failures: vec![0.0; WEEK_HOURS],
            scale: 1.0,
            pulls: vec![0; WEEK_HOURS],
        }
    }

    /// Whether the discount is in (0, 1] and the evidence has one finite, non-negative entry per
    /// hour of the week (a restored state may not).
    pub fn is_well_formed(&self) -> bool {
        self.discount > 0.0
            && self.discount <= 1.0
            && self.scale.is_finite()
            && self.scale > 0.0
            && self.successes.len() == WEEK_HOURS
            && self.failures.len() == WEEK_HOURS
            && self.pulls.len() == WEEK_HOURS
            && self
                .successes
                .iter()
                .chain(&self.failures)
                .all(|v| v.is_finite() && *v >= 0.0)
    }

    /// Times `hour` was updated.
    pub fn pulls(&self, hour: usize) -> u64 {
        self.pulls.get(hour).copied().unwrap_or(0)
    }

    /// Learns a reward in `[0, 1]` at `hour` of the week (clamped; NaN and hours out of range
    /// are ignored). Every hour's evidence is first multiplied by the discount.
    pub fn update(&mut self, hour: usize, reward: f64) {
        if hour >= self.successes.len().min(self.failures.len()) || reward.is_nan() {
            return;
        }
        if self.discount < 1.0 {
            self.scale *= self.discount;
            if self.scale < MIN_SCALE {
                for v in self.successes.iter_mut().chain(self.failures.iter_mut()) {
                    *v *= self.scale;
                }
                self.scale = 1.0;
            }
        }
        let r = reward.clamp(0.0, 1.0);
        self.successes[hour] += r / self.scale;
        self.failures[hour] += (1.0 - r) / self.scale;
        if let Some(p) = self.pulls.get_mut(hour) {
            *p += 1;
        }
    }

    /// The discounted (successes, failures) of `hour` (zero out of range).
    pub fn evidence(&self, hour: usize) -> (f64, f64) {
        (
            self.successes.get(hour).copied().unwrap_or(0.0) * self.scale,
            self.failures.get(hour).copied().unwrap_or(0.0) * self.scale,
        )
    }

    /// The posterior of every hour of the week. Each level's evidence is counted once: an
    /// hour's prior starts at the mean of all hours ([`POOLED_PRIOR`] pseudo-counts), takes the
    /// same hour of day on the *other* kind of day (weekdays for a weekend hour and the other
    /// way round), is lent on at most [`POOL_PSEUDO_COUNTS`], takes the same hour on the
    /// *other* days of its own kind, is lent on again, and takes the hour's own evidence. With
    /// `strength > 0` a posterior with more pseudo-counts than `strength` is scaled down to it,
    /// so one lead's own evidence can still move it.
    pub fn posteriors(&self, strength: f64) -> [BetaPosterior; WEEK_HOURS] {
        let at = |h: usize| self.evidence(h);
        let sum = |v: &[f64]| v.iter().sum::<f64>() * self.scale;
        let (all_s, all_f) = (sum(&self.successes), sum(&self.failures));
        let all_mean = (1.0 + all_s) / (2.0 + all_s + all_f);
        let all = BetaPosterior::new(all_mean * POOLED_PRIOR, (1.0 - all_mean) * POOLED_PRIOR);
        let mut out = [all; WEEK_HOURS];
        for hour_of_day in 0..24 {
            // Evidence at this hour of day on weekdays and on weekends.
            let mut kinds = [(0.0, 0.0); 2];
            for day in 0..7 {
                let (s, f) = at(day * 24 + hour_of_day);
                let kind = &mut kinds[usize::from(day >= FIRST_WEEKEND_DAY)];
                *kind = (kind.0 + s, kind.1 + f);
            }
            for day in 0..7 {
                let h = day * 24 + hour_of_day;
                let weekend = usize::from(day >= FIRST_WEEKEND_DAY);
                let own = at(h);
                let same_kind = kinds[weekend];
                let other_days = (same_kind.0 - own.0, same_kind.1 - own.1);
                let post = with_evidence(all, kinds[1 - weekend]);
                let post = with_evidence(lend(post, POOL_PSEUDO_COUNTS), other_days);
                let post = with_evidence(lend(post, POOL_PSEUDO_COUNTS), own);
                out[h] = capped(post, strength);
            }
        }
        out
    }

    /// Thompson choice among the `count` hours from `first` (wrapping past Sunday 23:00): a
    /// draw from each hour's posterior ([`posteriors`](Self::posteriors) at `strength`) plus
    /// `extra(hour) = (successes, failures)`, e.g. one lead's own evidence. Returns the
    /// position of the chosen hour among the candidates (0 = `first`) and its estimate.
    ///
    /// With `count == 0` nothing is drawn and `first` is returned with its posterior mean.
    pub fn choose_next<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        first: usize,
        count: usize,
        extra: impl Fn(usize) -> (f64, f64),
        strength: f64,
    ) -> (usize, ArmEstimate) {
        let posts = self.posteriors(strength);
        choose_among(
            first,
            count,
            &extra,
            |h| {
                let post = posts[h];
                (post, None)
            },
            rng,
        )
    }

    /// The posteriors at `strength` with their samplers prepared, for many choices between two
    /// updates; its choices are [`choose_next`](Self::choose_next)'s, bit for bit.
    pub fn prepared(&self, strength: f64) -> PreparedHourOfWeek {
        let hours = self
            .posteriors(strength)
            .map(|post| (post, BetaSampler::new(post.alpha, post.beta)));
        PreparedHourOfWeek {
            strength,
            hours: Box::new(hours),
        }
    }
}

/// A [`HourOfWeekThompson`] frozen at one state, its posteriors and samplers computed once.
#[derive(Debug, Clone)]
pub struct PreparedHourOfWeek {
    strength: f64,
    hours: Box<[(BetaPosterior, BetaSampler); WEEK_HOURS]>,
}

impl PreparedHourOfWeek {
    /// The pseudo-count strength the posteriors were capped at.
    pub const fn strength(&self) -> f64 {
        self.strength
    }

    /// [`HourOfWeekThompson::choose_next`] on the prepared state.
    pub fn choose_next<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        first: usize,
        count: usize,
        extra: impl Fn(usize) -> (f64, f64),
    ) -> (usize, ArmEstimate) {
        choose_among(
            first,
            count,
            &extra,
            |h| {
                let (post, sampler) = &self.hours[h];
                (*post, Some(sampler))
            },
            rng,
        )
    }
}

/// The Thompson loop shared by the plain and prepared bandits: `prior(hour)` gives an hour's
/// posterior and, when it has one, its prepared sampler (used as is when `extra` adds nothing,
/// and for the side that gains nothing otherwise).
fn choose_among<'s, R: Rng + ?Sized>(
    first: usize,
    count: usize,
    extra: &impl Fn(usize) -> (f64, f64),
    prior: impl Fn(usize) -> (BetaPosterior, Option<&'s BetaSampler>),
    rng: &mut R,
) -> (usize, ArmEstimate) {
    let first = first % WEEK_HOURS;
    let mut best = (0, f64::NEG_INFINITY);
    let mut best_post = prior(first).0;
    for k in 0..count.min(WEEK_HOURS) {
        let h = (first + k) % WEEK_HOURS;
        let (post, sampler) = prior(h);
        let (s, f) = extra(h);
        let (s, f) = (s.max(0.0), f.max(0.0));
        let (post, draw) = match sampler {
            Some(sampler) if s == 0.0 && f == 0.0 => (post, sampler.sample(rng)),
            Some(sampler) => (
                BetaPosterior::new(post.alpha + s, post.beta + f),
                sampler.plus(s, f).sample(rng),
            ),
            None => {
                let post = BetaPosterior::new(post.alpha + s, post.beta + f);
                (post, post.sample(rng))
            }
        };
        if draw > best.1 {
            best = (k, draw);
            best_post = post;
        }
    }
    let sample = if best.1.is_finite() {
        best.1
    } else {
        best_post.mean()
    };
    (
        best.0,
        ArmEstimate {
            mean: best_post.mean(),
            std: best_post.std(),
            sample,
        },
    )
}

/// A prior of at most `pseudo_counts` at the mean of `pool` (all of `pool` when it has fewer).
fn lend(pool: BetaPosterior, pseudo_counts: f64) -> BetaPosterior {
    let n = pool.alpha + pool.beta;
    let w = n.min(pseudo_counts);
    BetaPosterior::new(pool.alpha / n * w, pool.beta / n * w)
}

fn with_evidence(prior: BetaPosterior, (s, f): (f64, f64)) -> BetaPosterior {
    BetaPosterior::new(prior.alpha + s.max(0.0), prior.beta + f.max(0.0))
}

/// `post` scaled down to `strength` pseudo-counts when it has more (`strength <= 0`: as is).
fn capped(post: BetaPosterior, strength: f64) -> BetaPosterior {
    let n = post.alpha + post.beta;
    if strength > 0.0 && n > strength {
        BetaPosterior::new(post.alpha / n * strength, post.beta / n * strength)
    } else {
        post
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    /// Evening hours answer best, and weekends twice as well as weekdays.
    fn truth(hour: usize) -> f64 {
        let evening = if (18..22).contains(&(hour % 24)) {
            0.3
        } else {
            0.05
        };
        if hour / 24 >= FIRST_WEEKEND_DAY {
            (evening * 2.0_f64).min(1.0)
        } else {
            evening
        }
    }

    fn trained(hours: impl Iterator<Item = usize>, seed: u64) -> HourOfWeekThompson {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut b = HourOfWeekThompson::new(1.0);
        for h in hours {
            b.update(h, f64::from(u8::from(rng.random::<f64>() < truth(h))));
        }
        b
    }

    #[test]
    fn each_outcome_is_counted_once() {
        // No evidence: every hour sits on the pooled prior of POOLED_PRIOR pseudo-counts.
        let b = HourOfWeekThompson::new(1.0);
        for post in b.posteriors(0.0) {
            assert!(
                (post.alpha + post.beta - POOLED_PRIOR).abs() < 1e-12,
                "{post:?}"
            );
            assert!((post.mean() - 0.5).abs() < 1e-12);
        }
        // One success at Monday 10:00 and nothing else: that hour's posterior is the pooled
        // prior (whose mean the success already moved to 2/3) plus one success, not more.
        let mut b = HourOfWeekThompson::new(1.0);
        b.update(10, 1.0);
        let post = b.posteriors(0.0);
        let m = 2.0 / 3.0;
        assert!(
            (post[10].alpha - (m * POOLED_PRIOR + 1.0)).abs() < 1e-12,
            "{:?}",
            post[10]
        );
        assert!(
            (post[10].beta - (1.0 - m) * POOLED_PRIOR).abs() < 1e-12,
            "{:?}",
            post[10]
        );
        // Another hour of day learns only through the overall mean.
        assert!((post[11].mean() - m).abs() < 1e-12, "{:?}", post[11]);
        // Three failures on three weekdays at 10:00: Monday's own failure counts once in
        // Monday's posterior, the other two come through the pool.
        let mut b = HourOfWeekThompson::new(1.0);
        for day in 0..3 {
            b.update(day * 24 + 10, 0.0);
        }
        let post = b.posteriors(0.0);
        assert!((post[10].alpha + post[10].beta - (POOLED_PRIOR + 3.0)).abs() < 1e-12);
    }

    #[test]
    fn an_hour_never_tried_borrows_from_the_same_hour_on_other_days() {
        // Only weekdays are tried: Saturday 19:00 and Saturday 03:00 have no evidence.
        let b = trained((0..40_000).map(|i| i % 120), 1);
        let post = b.posteriors(0.0);
        let (sat_evening, sat_night) = (5 * 24 + 19, 5 * 24 + 3);
        assert_eq!(b.pulls(sat_evening), 0);
        assert!(post[sat_evening].mean() > 0.2, "{:?}", post[sat_evening]);
        assert!(post[sat_night].mean() < 0.1, "{:?}", post[sat_night]);
    }

    #[test]
    fn a_weekend_hour_never_tried_borrows_from_the_other_weekend_day() {
        // Every hour but Sunday's is tried: Sunday 19:00 learns from Saturday 19:00.
        let b = trained((0..60_000).map(|i| i % 144), 2);
        let post = b.posteriors(0.0);
        let (sunday, monday) = (6 * 24 + 19, 19);
        assert_eq!(b.pulls(sunday), 0);
        assert!(
            post[sunday].mean() > post[monday].mean() + 0.1,
            "sunday {:?} monday {:?}",
            post[sunday],
            post[monday]
        );
    }

    #[test]
    fn choices_settle_on_the_best_hour_of_the_window() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let mut b = HourOfWeekThompson::new(1.0);
        let mut late_best = 0;
        for i in 0..20_000 {
            let first = rng.random_range(0..WEEK_HOURS);
            let (k, _) = b.choose_next(&mut rng, first, 24, |_| (0.0, 0.0), 50.0);
            let h = (first + k) % WEEK_HOURS;
            b.update(h, f64::from(u8::from(rng.random::<f64>() < truth(h))));
            let best = (0..24)
                .map(|j| truth((first + j) % WEEK_HOURS))
                .fold(0.0, f64::max);
            if i >= 15_000 && truth(h) == best {
                late_best += 1;
            }
        }
        // 4 of the 24 hours are evening ones: random would hit the best about 1 time in 6.
        assert!(late_best > 4_000, "{late_best} of 5000 on a best hour");
    }

    #[test]
    fn a_leads_own_evidence_moves_the_choice() {
        let b = trained((0..50_000).map(|i| i % WEEK_HOURS), 4);
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        // This lead answered at 08:00 twenty times out of twenty and never in the evening,
        // against a population whose evenings are six times better than its mornings.
        let own = |h: usize| match h % 24 {
            8 => (20.0, 0.0),
            18..=21 => (0.0, 20.0),
            _ => (0.0, 0.0),
        };
        let mut picks = |extra: &dyn Fn(usize) -> (f64, f64)| {
            (0..200)
                .filter(|_| b.choose_next(&mut rng, 0, 24, extra, 50.0).0 == 8)
                .count()
        };
        let (population, lead) = (picks(&|_| (0.0, 0.0)), picks(&own));
        assert!(population < 10, "08:00 chosen {population} of 200 times");
        assert!(lead > 100, "08:00 chosen {lead} of 200 times for the lead");
    }

    #[test]
    fn prepared_choices_are_the_plain_ones() {
        let b = trained((0..5_000).map(|i| (i * 7) % WEEK_HOURS), 6);
        let p = b.prepared(50.0);
        let (mut r1, mut r2) = (Pcg64Mcg::seed_from_u64(9), Pcg64Mcg::seed_from_u64(9));
        let extra = |h: usize| {
            if h.is_multiple_of(5) {
                (1.0, 2.0)
            } else {
                (0.0, 0.0)
            }
        };
        for first in 0..WEEK_HOURS {
            let a = b.choose_next(&mut r1, first, 24, extra, 50.0);
            let c = p.choose_next(&mut r2, first, 24, extra);
            assert_eq!(a.0, c.0);
            assert_eq!(a.1.sample.to_bits(), c.1.sample.to_bits());
        }
    }

    #[test]
    fn discounting_by_scale_matches_discounting_every_hour() {
        // Long enough for the scale to be renormalized several times (0.9^3300 < 1e-150).
        let mut b = HourOfWeekThompson::new(0.9);
        let mut reference = [(0.0_f64, 0.0_f64); WEEK_HOURS];
        let mut rng = Pcg64Mcg::seed_from_u64(12);
        for _ in 0..10_000 {
            let h = rng.random_range(0..WEEK_HOURS);
            let r = f64::from(u8::from(rng.random::<f64>() < 0.3));
            b.update(h, r);
            for e in &mut reference {
                e.0 *= 0.9;
                e.1 *= 0.9;
            }
            reference[h].0 += r;
            reference[h].1 += 1.0 - r;
        }
        for (h, (s, f)) in reference.iter().enumerate() {
            let (bs, bf) = b.evidence(h);
            assert!((bs - s).abs() <= 1e-9 * s.max(1.0), "{h}: {bs} vs {s}");
            assert!((bf - f).abs() <= 1e-9 * f.max(1.0), "{h}: {bf} vs {f}");
        }
        assert!(b.is_well_formed());
    }

    #[test]
    fn out_of_range_and_nan_updates_are_ignored() {
        let mut b = HourOfWeekThompson::new(0.5);
        b.update(WEEK_HOURS, 1.0);
        b.update(3, f64::NAN);
        assert!(b.is_well_formed());
        assert_eq!((0..WEEK_HOURS).map(|h| b.pulls(h)).sum::<u64>(), 0);
        b.update(3, 7.0);
        assert_eq!(b.pulls(3), 1);
    }
}
