//! Prints summary statistics of a simulation (for tuning; not part of the crate's API).
use leadstream::sim::*;
use std::collections::BTreeMap;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let leads: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5000);
    let days: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let world = World::new(SimConfig::new(leads, days, 1)).unwrap();
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut buf = String::new();
    let mut n = 0u64;
    while let Some(ev) = sim.next_event() {
        let e = ev.render(sim.world(), &mut buf);
        *kinds
            .entry(e.event_type().as_str().to_string())
            .or_default() += 1;
        n += 1;
    }
    println!("events {n} per lead {:.1}", n as f64 / leads as f64);
    for (k, v) in &kinds {
        println!("  {k:22} {v}");
    }
    let t = sim.truth();
    let mut churn = 0;
    let mut conv = 0;
    let mut silent = 0;
    for l in &t.leads {
        match l.outcome {
            Outcome::Churned { how, .. } => {
                churn += 1;
                if how == ChurnKind::Silent {
                    silent += 1
                }
            }
            Outcome::Converted { .. } => conv += 1,
            _ => {}
        }
    }
    println!(
        "churned {:.3} (silent {silent}) converted {:.3}",
        churn as f64 / leads as f64,
        conv as f64 / leads as f64
    );
    let mut by: Vec<(f64, bool)> = t
        .leads
        .iter()
        .map(|l| {
            (
                l.churn_propensity,
                matches!(l.outcome, Outcome::Churned { .. }),
            )
        })
        .collect();
    by.sort_by(|a, b| a.0.total_cmp(&b.0));
    let q = by.len() / 4;
    let rate = |s: &[(f64, bool)]| s.iter().filter(|x| x.1).count() as f64 / s.len() as f64;
    println!(
        "churn bottom quartile {:.3} top quartile {:.3}",
        rate(&by[..q]),
        rate(&by[by.len() - q..])
    );
    let mut per: BTreeMap<&str, (u32, u32, u32)> = BTreeMap::new();
    for l in &t.leads {
        let e = per.entry(l.persona.as_str()).or_default();
        e.0 += 1;
        if matches!(l.outcome, Outcome::Churned { .. }) {
            e.1 += 1
        }
        if matches!(l.outcome, Outcome::Converted { .. }) {
            e.2 += 1
        }
    }
    for (p, (n, c, v)) in per {
        println!(
            "  {p:18} n {n} churn {:.3} conv {:.3}",
            c as f64 / n as f64,
            v as f64 / n as f64
        );
    }
}
