//! The `portal-capture` drift reverses a visible relationship: before it, a lead that browses a
//! lot (many web visits) is a keen lead that stays; after it, browsing a lot comes before
//! leaving. Measured on the simulator's events and truth, as a model would see them.

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
/// `at`", over the leads in play at `at` with a full week of history that browsed at least
/// `min_visits` times that week; and the positives.
fn visits_predict_churn(events: &[SimEvent], truth: &Truth, at: i64, min_visits: u32) -> (f64, usize) {
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
        if lead.created_ts > at - 7 * DAY_MS || visits[i] < min_visits {
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
fn portal_capture_turns_heavy_browsing_from_a_keen_sign_into_a_churn_sign() {
    let (calm_events, calm, start) = run(45, 6, &[]);
    let (events, drifted, _) = run(45, 6, &["portal-capture@20d"]);
    let before = start + 18 * DAY_MS;
    let after = start + 27 * DAY_MS;
    for m in [0, 1, 2] {
        for (name, ev, t) in [("calm", &calm_events, &calm), ("drift", &events, &drifted)] {
            for day in [12, 18, 22, 27, 32] {
                let (a, n) = visits_predict_churn(ev, t, start + day * DAY_MS, m);
                eprintln!("probe min {m} {name} day {day}: {a:.3} ({n})");
            }
        }
    }
    let (calm_before, n0) = visits_predict_churn(&calm_events, &calm, before, 0);
    let (drift_before, n1) = visits_predict_churn(&events, &drifted, before, 0);
    let (calm_after, n2) = visits_predict_churn(&calm_events, &calm, after, 0);
    let (drift_after, n3) = visits_predict_churn(&events, &drifted, after, 0);
    eprintln!(
        "AUC of last week's web visits for churn within 14 days: day 18 calm {calm_before:.3} \
         ({n0} churners) / drifted {drift_before:.3} ({n1}); day 27 calm {calm_after:.3} ({n2}) \
         / drifted {drift_after:.3} ({n3})"
    );
    for (auc, n) in [(calm_before, n0), (calm_after, n2)] {
        assert!(n > 50, "{n} churners");
        assert!(auc < 0.4, "without the drift heavy browsers should stay: {auc:.3}");
    }
    // The days after day 18 overlap the drift; the churn after it shows in the labels, so
    // only check that browsing was not yet a churn sign the week before.
    assert!(drift_before < 0.5, "{drift_before:.3}");
    assert!(n3 > 50, "{n3} churners");
    assert!(
        drift_after > 0.6,
        "after the drift heavy browsers should leave: {drift_after:.3}"
    );
    // Before its time, the two runs are the same world.
    let churned_before = |t: &Truth| {
        t.leads
            .iter()
            .filter(|l| matches!(l.outcome, Outcome::Churned { ts, .. } if ts < start + 20 * DAY_MS))
            .count()
    };
    assert_eq!(churned_before(&calm), churned_before(&drifted));
}
