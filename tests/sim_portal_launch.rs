//! The `portal-launch` drift reverses visible relationships: before it, a lead that browses a lot
//! (many web visits) is a keen lead that stays and a lead that goes quiet leaves; after it,
//! browsing a lot comes before leaving and going quiet mostly does not. Measured on the simulator's
//! events and truth, as a model would see them.

use leadstream::learn::metrics::{Metric, RocAuc};
use leadstream::sim::{
    CadencePolicy, Outcome, SimConfig, SimEvent, SimKind, Simulation, Truth, World, DAY_MS,
};

fn run(days: u32, seed: u64, drifts: &[&str]) -> (Vec<SimEvent>, Truth, i64) {
    let mut c = SimConfig::new(2000, days, seed);
    c.tenants = 3;
    c.drifts = drifts.iter().map(|d| d.parse().unwrap()).collect();
    let start = c.start_ms;
    let mut sim = Simulation::new(World::new(c).unwrap(), CadencePolicy::default());
    let events: Vec<SimEvent> = sim.by_ref().collect();
    (events, sim.truth(), start)
}

/// AUC of "web visits in the week before `at`" as a score for "churns within 14 days after
/// `at`", over the leads in play at `at` with a full week of history; and the positives.
fn visits_predict_churn(events: &[SimEvent], truth: &Truth, at: i64) -> (f64, usize) {
    let mut visits = vec![0_u32; truth.leads.len()];
    for ev in events {
        if let (Some(lead), SimKind::WebVisit { .. }) = (ev.lead, &ev.kind) {
            if (at - 7 * DAY_MS..at).contains(&ev.ts) {
                visits[lead as usize] += 1;
            }
        }
    }
    let mut auc = RocAuc::default();
    let mut positives = 0;
    for (i, lead) in truth.leads.iter().enumerate() {
        if lead.created_ts > at - 7 * DAY_MS {
            continue;
        }
        let churned = match lead.outcome {
            Outcome::Churned { ts, .. } if ts < at => continue,
            Outcome::Converted { ts } if ts < at => continue,
            Outcome::Churned { ts, .. } => ts < at + 14 * DAY_MS,
            _ => false,
        };
        positives += usize::from(churned);
        let score = f64::from(visits[i]) / (1.0 + f64::from(visits[i]));
        auc.update(usize::from(churned), &[1.0 - score, score]);
    }
    (auc.get(), positives)
}

#[test]
fn portal_launch_turns_heavy_browsing_from_a_keen_sign_into_a_churn_sign_and_quiet_into_none() {
    let (calm_events, calm, start) = run(45, 6, &[]);
    let (events, drifted, _) = run(45, 6, &["portal-launch@20d"]);
    let before = start + 18 * DAY_MS;
    let after = start + 27 * DAY_MS;
    let (calm_before, n0) = visits_predict_churn(&calm_events, &calm, before);
    let (calm_after, n2) = visits_predict_churn(&calm_events, &calm, after);
    let (drift_after, n3) = visits_predict_churn(&events, &drifted, after);
    eprintln!(
        "AUC of last week's web visits for churn within 14 days: day 18 calm {calm_before:.3} \
         ({n0} churners); day 27 calm {calm_after:.3} ({n2}) \
         / drifted {drift_after:.3} ({n3})"
    );
    for (auc, n) in [(calm_before, n0), (calm_after, n2)] {
        assert!(n > 50, "{n} churners");
        assert!(
            auc < 0.4,
            "without the drift heavy browsers should stay: {auc:.3}"
        );
    }
    assert!(n3 > 50, "{n3} churners");
    assert!(
        drift_after > 0.65,
        "after the drift heavy browsers should leave: {drift_after:.3}"
    );
    // And going quiet no longer comes before leaving: the share of churners after day 27 that
    // had disengaged first.
    let faded_first = |t: &Truth| {
        let v: Vec<bool> = t
            .leads
            .iter()
            .filter_map(|l| match l.outcome {
                Outcome::Churned { ts, .. } if ts >= after => {
                    Some(l.disengaged_ts.is_some_and(|d| d <= ts))
                }
                _ => None,
            })
            .collect();
        v.iter().filter(|b| **b).count() as f64 / v.len().max(1) as f64
    };
    let (f0, f1) = (faded_first(&calm), faded_first(&drifted));
    eprintln!("churners after day 27 that disengaged first: calm {f0:.3}, drifted {f1:.3}");
    assert!(f0 > 0.8 && f1 < 0.5, "calm {f0:.3}, drifted {f1:.3}");
    // Before its time, the two runs are the same world.
    let churned_before = |t: &Truth| {
        t.leads
            .iter()
            .filter(
                |l| matches!(l.outcome, Outcome::Churned { ts, .. } if ts < start + 20 * DAY_MS),
            )
            .count()
    };
    assert_eq!(churned_before(&calm), churned_before(&drifted));
}
