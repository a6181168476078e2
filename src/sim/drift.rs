//! Scheduled concept drift: changes to the world's rules at given event times.
//!
//! What it is for: parsing `--drift NAME@TIME` specs (`sms-dead@10d`, `market-shock@20d`,
//! `pref-shift@36h`, `poaching@30d`, `portal-launch@30d`) and answering, for an event time, which
//! effects are in force, so that the response model stays a pure function of time.
//! What it is not: drift *detection* (see [`crate::learn`]); this is the truth detectors are
//! scored against.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::channel::{ContactChannel, DAY_MS, HOUR_MS};
use super::SimError;

/// One kind of change to the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftKind {
    /// Email stops working: almost nobody opens or replies any more.
    EmailDead,
    /// SMS stops working (carrier filtering): almost nobody replies any more.
    SmsDead,
    /// Calls stop working (spam labelling): almost nobody picks up.
    CallDead,
    /// Video messages stop working: almost nobody watches.
    VideoDead,
    /// Rates jump and prices fall: buying intent drops and churn rises for everyone.
    MarketShock,
    /// Every lead's preferred channel moves to the next one (email -> SMS -> call -> video -> email).
    PrefShift,
    /// A competitor starts poaching: keen, active leads (high intent and engagement) now leave
    /// too, suddenly, without fading first. It changes *which* leads churn, not just how many:
    /// a churn model trained before it ranks the new churners as safe.
    Poaching,
    /// A listing portal launches and turns a visible relationship around. It routes its most active
    /// browsers to its own agents: a web visit may start the lead shopping around on the portal
    /// (the more it browses, the likelier), after which it browses three times as much and leaves
    /// within about a week. And its listing alerts bring back leads that lose interest: a fading
    /// lead soon comes back (as interested as on arrival), and going quiet rarely ends in leaving.
    /// So much browsing, the sign of a keen lead before it, now comes before leaving, and going
    /// quiet, the sign of a leaving lead before it, no longer does: a churn model trained before it
    /// is wrong both ways. Unlike `poaching`, the new concept is as visible as the old.
    PortalLaunch,
}

impl DriftKind {
    /// Every kind, with its spec name.
    pub const ALL: [(DriftKind, &'static str); 8] = [
        (DriftKind::EmailDead, "email-dead"),
        (DriftKind::SmsDead, "sms-dead"),
        (DriftKind::CallDead, "call-dead"),
        (DriftKind::VideoDead, "video-dead"),
        (DriftKind::MarketShock, "market-shock"),
        (DriftKind::PrefShift, "pref-shift"),
        (DriftKind::Poaching, "poaching"),
        (DriftKind::PortalLaunch, "portal-launch"),
    ];

    /// The spec name (`sms-dead`, ...).
    pub fn as_str(self) -> &'static str {
        DriftKind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("unknown", |(_, name)| name)
    }
}

/// A drift and when it happens, as an offset from the simulation start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftSpec {
    /// What changes.
    pub kind: DriftKind,
    /// When, in milliseconds after the start of the simulation.
    pub after_ms: i64,
}

impl FromStr for DriftSpec {
    type Err = SimError;

    /// Parses `NAME@TIME`, where TIME is a number followed by `d` (days) or `h` (hours).
    ///
    /// # Examples
    /// ```
    /// use leadstream::sim::{DriftKind, DriftSpec};
    /// let spec: DriftSpec = "sms-dead@10d".parse().unwrap();
    /// assert_eq!(spec.kind, DriftKind::SmsDead);
    /// assert_eq!(spec.after_ms, 10 * 86_400_000);
    /// assert!("sms-dead@soon".parse::<DriftSpec>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, SimError> {
        let bad = |why: &str| SimError::BadDrift {
            spec: s.to_string(),
            why: why.to_string(),
        };
        let (name, time) = s.split_once('@').ok_or_else(|| bad("expected NAME@TIME"))?;
        let kind = DriftKind::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(k, _)| *k)
            .ok_or_else(|| bad("unknown drift name"))?;
        let (number, unit_ms) = if let Some(n) = time.strip_suffix('d') {
            (n, DAY_MS)
        } else if let Some(n) = time.strip_suffix('h') {
            (n, HOUR_MS)
        } else {
            return Err(bad("time needs a unit, d or h (e.g. 10d, 36h)"));
        };
        let value: f64 = number.parse().map_err(|_| bad("time is not a number"))?;
        if !(0.0..=36_500.0).contains(&value) {
            return Err(bad("time must be between 0 and 36500 days"));
        }
        Ok(Self {
            kind,
            // Bounded above, so the product fits an i64.
            after_ms: (value * unit_ms as f64).round() as i64,
        })
    }
}

/// The effects in force at one event time, the input of the response model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effects {
    /// Multiplier on response probability per contact channel.
    pub channel: [f64; 4],
    /// Multiplier on buying intent.
    pub intent: f64,
    /// Multiplier on the churn hazard.
    pub churn: f64,
    /// How many steps every lead's preferred channel has rotated.
    pub pref_shift: usize,
    /// Daily hazard of being poached at full intent and engagement (0: no poaching).
    pub poach: f64,
    /// Chance that a web visit starts the lead shopping around on a listing portal, per visit at
    /// a browsing rate of one visit a day (0: no portal).
    pub portal: f64,
    /// Multiplier on the churn hazard of low engagement (1: no change).
    pub quiet_churn: f64,
    /// Daily chance that a fading lead stops fading and is back to its level on arrival (0:
    /// none).
    pub revive: f64,
}

impl Effects {
    /// No drift: the world as it starts.
    pub const NONE: Effects = Effects {
        channel: [1.0; 4],
        intent: 1.0,
        churn: 1.0,
        pref_shift: 0,
        poach: 0.0,
        portal: 0.0,
        quiet_churn: 1.0,
        revive: 0.0,
    };
}

/// A dead channel keeps a trickle of responses (some messages still get through).
const DEAD_CHANNEL: f64 = 0.04;
const SHOCK_INTENT: f64 = 0.55;
const SHOCK_CHURN: f64 = 2.0;
/// Daily poaching hazard of a lead at intent and engagement 1 (a keen lead: about 1.5% a day).
const POACH_PER_DAY: f64 = 0.03;
/// Chance per web visit, at one visit a day, that a lead starts shopping around on the portal;
/// it grows with the browsing rate, so the daily onset grows with its square (about 0.3% a day
/// at a visit every two days, 4% a day at two visits a day: the portal targets its heaviest
/// users).
const PORTAL_PER_VISIT: f64 = 0.01;
/// Under the portal, the churn hazard of low engagement is this share of what it was.
const PORTAL_QUIET_CHURN: f64 = 0.15;
/// Under the portal, the daily chance that a fading lead comes back (its alerts bring it back):
/// a fade lasts about five days instead of until the lead leaves.
const PORTAL_REVIVE_PER_DAY: f64 = 0.2;

/// The drift schedule of one simulation, in absolute event time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DriftSchedule {
    /// `(kind, absolute ts in ms)`, sorted by time.
    events: Vec<(DriftKind, i64)>,
}

impl DriftSchedule {
    /// Builds the schedule for a simulation starting at `start_ms`.
    pub fn new(specs: &[DriftSpec], start_ms: i64) -> Self {
        let mut events: Vec<(DriftKind, i64)> = specs
            .iter()
            .map(|s| (s.kind, start_ms.saturating_add(s.after_ms)))
            .collect();
        events.sort_by_key(|&(_, ts)| ts);
        Self { events }
    }

    /// The scheduled drifts with their absolute times, in time order.
    pub fn events(&self) -> &[(DriftKind, i64)] {
        &self.events
    }

    /// The effects in force at `ts` (drifts at exactly `ts` are in force).
    pub fn effects_at(&self, ts: i64) -> Effects {
        let mut e = Effects::NONE;
        for &(kind, at) in &self.events {
            if at > ts {
                break;
            }
            match kind {
                DriftKind::EmailDead => e.channel[ContactChannel::Email.index()] = DEAD_CHANNEL,
                DriftKind::SmsDead => e.channel[ContactChannel::Sms.index()] = DEAD_CHANNEL,
                DriftKind::CallDead => e.channel[ContactChannel::Call.index()] = DEAD_CHANNEL,
                DriftKind::VideoDead => e.channel[ContactChannel::Video.index()] = DEAD_CHANNEL,
                DriftKind::MarketShock => {
                    e.intent *= SHOCK_INTENT;
                    e.churn *= SHOCK_CHURN;
                }
                DriftKind::PrefShift => e.pref_shift += 1,
                DriftKind::Poaching => e.poach = POACH_PER_DAY,
                DriftKind::PortalLaunch => {
                    e.portal = PORTAL_PER_VISIT;
                    e.quiet_churn = PORTAL_QUIET_CHURN;
                    e.revive = PORTAL_REVIVE_PER_DAY;
                }
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_hours_and_rejects_nonsense() {
        let s: DriftSpec = "market-shock@1.5d".parse().unwrap();
        assert_eq!((s.kind, s.after_ms), (DriftKind::MarketShock, 36 * HOUR_MS));
        let s: DriftSpec = "pref-shift@36h".parse().unwrap();
        assert_eq!(s.after_ms, 36 * HOUR_MS);
        for bad in [
            "",
            "sms-dead",
            "sms-dead@",
            "sms-dead@10",
            "sms-dead@-1d",
            "fax-dead@1d",
            "sms-dead@xd",
            "sms-dead@NaNd",
        ] {
            assert!(bad.parse::<DriftSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn effects_start_at_their_time_and_stack() {
        let specs = [
            "market-shock@2d".parse().unwrap(),
            "sms-dead@1d".parse().unwrap(),
        ];
        let sched = DriftSchedule::new(&specs, 1000);
        assert_eq!(sched.effects_at(1000 + DAY_MS - 1), Effects::NONE);
        let e = sched.effects_at(1000 + DAY_MS);
        assert_eq!(e.channel[ContactChannel::Sms.index()], DEAD_CHANNEL);
        assert_eq!(e.intent, 1.0);
        let e = sched.effects_at(1000 + 2 * DAY_MS);
        assert!(e.intent < 1.0 && e.churn > 1.0);
        assert_eq!(DriftKind::SmsDead.as_str(), "sms-dead");
    }

    #[test]
    fn only_the_portal_launch_turns_on_the_portal() {
        let before = Effects::NONE;
        assert_eq!(
            (before.portal, before.quiet_churn, before.revive),
            (0.0, 1.0, 0.0)
        );
        for (kind, name) in DriftKind::ALL {
            let spec: DriftSpec = format!("{name}@1d").parse().unwrap();
            assert_eq!(spec.kind, kind);
            let e = DriftSchedule::new(&[spec], 0).effects_at(DAY_MS);
            let portal = kind == DriftKind::PortalLaunch;
            assert_eq!(e.portal > 0.0, portal, "{name}");
            assert_eq!(e.quiet_churn < 1.0, portal, "{name}");
            assert_eq!(e.revive > 0.0, portal, "{name}");
        }
    }
}
