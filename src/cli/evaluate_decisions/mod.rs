//! `leadstream evaluate-decisions`: drives the simulator with the engine's own decisions and
//! scores them against the simulator's ground truth.
//!
//! What it is for: the proof of issue 5. Churn AUC against true churn (overall and per window,
//! so recovery after a scheduled drift is visible, with and without drift-triggered
//! retraining), channel regret against the oracle and against uniform random choice (and the
//! simulator's default cadence agent, and beside reference policies that know more), send-time
//! regret against the best and a random hour of the 24 it was chosen among, and persona
//! agreement (adjusted
//! Rand index). Prints a table and one JSON line.
//! What it is not: a benchmark of speed (see benches/decide.rs).

mod engine;
mod policy;
pub mod recovery;
mod reference;

pub use engine::{evaluate, EvalOptions, EvalReport};
pub use policy::{to_contact, EvalPolicy, Plan, Planner, RegretLog, SharedPlanner};
pub use reference::{ReferenceRegret, References, AFTER_ANSWERS};

use serde::Serialize;

use super::CliError;
use crate::decide::DecideConfig;
use crate::sim::{DriftSpec, SimConfig};

/// Arguments of `leadstream evaluate-decisions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of leads.
    #[arg(long, default_value_t = 2000)]
    pub leads: u32,
    /// Days of simulated time.
    #[arg(long, default_value_t = 60)]
    pub days: u32,
    /// Seed.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// A scheduled drift, NAME@TIME (repeatable), as for `simulate`. With a drift, the run is
    /// repeated without drift-triggered retraining for comparison.
    #[arg(long = "drift", value_name = "SPEC")]
    pub drifts: Vec<String>,
    /// Skip the baseline run with the simulator's default cadence agent.
    #[arg(long)]
    pub no_baseline: bool,
    /// Repeat the evaluation for this many seeds (SEED, SEED+1, ...) and print the main
    /// figures per seed and their means (the full table only for one seed).
    #[arg(long, default_value_t = 1)]
    pub seeds: u64,
}

#[derive(Debug, Serialize)]
struct Summary<'a> {
    leads: u32,
    days: u32,
    seed: u64,
    drifts: &'a [String],
    engine: &'a EvalReport,
    without_retraining: Option<&'a EvalReport>,
    cadence_baseline_regret: Option<f64>,
    cadence_baseline_touches: Option<usize>,
}

/// Runs the subcommand.
///
/// # Errors
/// [`CliError::Input`] for a bad drift spec or simulation configuration.
pub fn run(args: &Args) -> Result<(), CliError> {
    if args.seeds > 1 {
        return run_seeds(args);
    }
    let mut sim = SimConfig::new(args.leads, args.days, args.seed);
    for d in &args.drifts {
        let spec: DriftSpec = d.parse().map_err(|e| CliError::Input(format!("{e}")))?;
        sim.drifts.push(spec);
    }
    sim.validate().map_err(|e| CliError::Input(e.to_string()))?;
    let opts = EvalOptions {
        sim: sim.clone(),
        decide: DecideConfig::default(),
        engine_drives: true,
    };
    let bad = |e: crate::sim::SimError| CliError::Input(e.to_string());
    let main = evaluate(&opts).map_err(bad)?;
    let without = if args.drifts.is_empty() {
        None
    } else {
        let mut o = opts.clone();
        o.decide.retrain_on_drift = false;
        Some(evaluate(&o).map_err(bad)?)
    };
    let baseline = if args.no_baseline {
        None
    } else {
        let mut o = opts.clone();
        o.engine_drives = false;
        Some(evaluate(&o).map_err(bad)?)
    };
    print_table(&main, without.as_ref(), baseline.as_ref());
    let summary = Summary {
        leads: args.leads,
        days: args.days,
        seed: args.seed,
        drifts: &args.drifts,
        engine: &main,
        without_retraining: without.as_ref(),
        cadence_baseline_regret: baseline.as_ref().map(|b| b.regret),
        cadence_baseline_touches: baseline.as_ref().map(|b| b.touches),
    };
    let json = serde_json::to_string(&summary).map_err(|e| CliError::Input(e.to_string()))?;
    println!("{json}");
    Ok(())
}

/// One seed's main figures, with and without drift-triggered retraining.
#[derive(Debug, Serialize)]
struct SeedFigures {
    seed: u64,
    churn_auc: f64,
    churn_auc_second_half: f64,
    churn_recovery_days: Option<u32>,
    churn_recovery_days_without_retraining: Option<u32>,
    response_recovery_days: Option<u32>,
    response_recovery_days_without_retraining: Option<u32>,
    regret_share_of_random: f64,
    persona_ari: f64,
    churn_retrainings: Vec<f64>,
    /// Against the same seed without the drift: (mean daily churn AUC deficit, recovery days)
    /// with retraining, then without.
    churn_vs_twin: Option<[(f64, Option<u32>); 2]>,
    /// The same for the response model's prequential AUC.
    response_vs_twin: Option<[(f64, Option<u32>); 2]>,
}

fn run_seeds(args: &Args) -> Result<(), CliError> {
    let bad = |e: crate::sim::SimError| CliError::Input(e.to_string());
    let mut rows = Vec::new();
    for seed in args.seed..args.seed.saturating_add(args.seeds) {
        let mut sim = SimConfig::new(args.leads, args.days, seed);
        for d in &args.drifts {
            let spec: DriftSpec = d.parse().map_err(|e| CliError::Input(format!("{e}")))?;
            sim.drifts.push(spec);
        }
        sim.validate().map_err(|e| CliError::Input(e.to_string()))?;
        let opts = EvalOptions {
            sim,
            decide: DecideConfig::default(),
            engine_drives: true,
        };
        let drift_day = opts
            .sim
            .drifts
            .first()
            .map(|d| d.after_ms as f64 / crate::sim::DAY_MS as f64);
        let r = evaluate(&opts).map_err(bad)?;
        let (w, twin) = if args.drifts.is_empty() {
            (None, None)
        } else {
            let mut o = opts.clone();
            o.decide.retrain_on_drift = false;
            let w = evaluate(&o).map_err(bad)?;
            let mut t = opts.clone();
            t.sim.drifts.clear();
            (Some(w), Some(evaluate(&t).map_err(bad)?))
        };
        let vs_twin = |pick: fn(&EvalReport) -> &[f64]| -> Option<[(f64, Option<u32>); 2]> {
            let (w, t, day) = (w.as_ref()?, twin.as_ref()?, drift_day?);
            Some([
                recovery::against_twin(pick(&r), pick(t), day),
                recovery::against_twin(pick(w), pick(t), day),
            ])
        };
        let churn_vs_twin = vs_twin(|e| &e.churn_daily.auc);
        let response_vs_twin = vs_twin(|e| &e.response_daily.auc);
        rows.push(SeedFigures {
            seed,
            churn_auc: r.churn_auc,
            churn_auc_second_half: r.churn_auc_second_half,
            churn_recovery_days: r.churn_daily.recovery_days,
            churn_recovery_days_without_retraining: w
                .as_ref()
                .and_then(|w| w.churn_daily.recovery_days),
            response_recovery_days: r.response_daily.recovery_days,
            response_recovery_days_without_retraining: w
                .as_ref()
                .and_then(|w| w.response_daily.recovery_days),
            regret_share_of_random: r.regret / r.random_regret.max(1e-9),
            persona_ari: r.persona_ari,
            churn_retrainings: r
                .retrainings
                .iter()
                .filter(|(m, _, _)| m == "churn")
                .map(|(_, _, d)| *d)
                .collect(),
            churn_vs_twin,
            response_vs_twin,
        });
    }
    let days = |d: Option<u32>| d.map_or_else(|| "none".to_owned(), |d| d.to_string());
    println!("seed  churn AUC (2nd half)  churn recovery d: retrain / not  response recovery d: retrain / not  regret/random  ARI    churn promoted at day");
    for r in &rows {
        let promoted: Vec<String> = r
            .churn_retrainings
            .iter()
            .map(|d| format!("{d:.1}"))
            .collect();
        println!(
            "{:<5} {:.3} ({:.3})         {:>4} / {:<4}                       {:>4} / {:<4}                          {:.3}          {:.3}  {}",
            r.seed,
            r.churn_auc,
            r.churn_auc_second_half,
            days(r.churn_recovery_days),
            days(r.churn_recovery_days_without_retraining),
            days(r.response_recovery_days),
            days(r.response_recovery_days_without_retraining),
            r.regret_share_of_random,
            r.persona_ari,
            promoted.join(" ")
        );
    }
    let n = rows.len().max(1) as f64;
    let mean = |f: &dyn Fn(&SeedFigures) -> f64| rows.iter().map(f).sum::<f64>() / n;
    // A run that did not recover within the run counts as recovering at its end (a lower
    // bound), and is counted apart.
    let horizon = |d: Option<i64>| -> f64 {
        let drift_day = args
            .drifts
            .first()
            .and_then(|s| s.parse::<DriftSpec>().ok())
            .map_or(0.0, |s| s.after_ms as f64 / crate::sim::DAY_MS as f64);
        d.map_or(f64::from(args.days) - drift_day, |d| d as f64)
    };
    let recov = |f: &dyn Fn(&SeedFigures) -> Option<u32>| {
        let never = rows.iter().filter(|r| f(r).is_none()).count();
        (mean(&|r| horizon(f(r).map(i64::from))), never)
    };
    println!(
        "mean  {:.3} ({:.3})   regret/random {:.3}   ARI {:.3}",
        mean(&|r| r.churn_auc),
        mean(&|r| r.churn_auc_second_half),
        mean(&|r| r.regret_share_of_random),
        mean(&|r| r.persona_ari)
    );
    if !args.drifts.is_empty() {
        for (name, with, without) in [
            (
                "churn AUC vs truth",
                recov(&|r| r.churn_recovery_days),
                recov(&|r| r.churn_recovery_days_without_retraining),
            ),
            (
                "response AUC (prequential)",
                recov(&|r| r.response_recovery_days),
                recov(&|r| r.response_recovery_days_without_retraining),
            ),
        ] {
            println!(
                "mean recovery days, {name}: with retraining {:.1} ({} of {} not within the run), without {:.1} ({} not)",
                with.0,
                with.1,
                rows.len(),
                without.0,
                without.1
            );
        }
    }
    for (name, pick) in [
        (
            "churn AUC vs truth",
            (|r: &SeedFigures| r.churn_vs_twin) as fn(&SeedFigures) -> _,
        ),
        ("response AUC (prequential)", |r: &SeedFigures| {
            r.response_vs_twin
        }),
    ] {
        let pairs: Vec<[(f64, Option<u32>); 2]> = rows.iter().filter_map(pick).collect();
        if pairs.is_empty() {
            continue;
        }
        let per_seed: Vec<String> = pairs
            .iter()
            .map(|p| format!("{}/{}", days(p[0].1), days(p[1].1)))
            .collect();
        let m = pairs.len() as f64;
        println!(
            "against the same seed without the drift, {name}: mean daily AUC deficit after the drift {:.3} with retraining, {:.3} without; days until within {} of it (with/without, per seed): {}",
            pairs.iter().map(|p| p[0].0).sum::<f64>() / m,
            pairs.iter().map(|p| p[1].0).sum::<f64>() / m,
            recovery::RECOVERY_MARGIN,
            per_seed.join(" ")
        );
    }
    let json = serde_json::to_string(&rows).map_err(|e| CliError::Input(e.to_string()))?;
    println!("{json}");
    Ok(())
}

/// Values with two decimals, separated by spaces (the printed per-day and per-window series).
fn two_decimals(v: &[f64]) -> String {
    v.iter()
        .map(|a| format!("{a:.2}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn print_daily(name: &str, r: &recovery::DailyScores, without: Option<&recovery::DailyScores>) {
    println!(
        "{name} AUC by day ({}-day trailing)      {}",
        recovery::TRAILING_DAYS,
        two_decimals(&r.auc)
    );
    if let Some(w) = without {
        println!(
            "  same, without retraining               {}",
            two_decimals(&w.auc)
        );
    }
    let days =
        |d: Option<u32>| d.map_or_else(|| "not within the run".to_owned(), |d| format!("{d} days"));
    for (label, d) in [
        ("with retraining", Some(r)),
        ("without retraining", without),
    ] {
        let Some(d) = d else { continue };
        if let (Some(pre), Some(min)) = (d.pre_drift_auc, d.post_drift_min_auc) {
            println!(
                "  {name} {label}: pre-drift AUC {pre:.3}, lowest after {min:.3}, back within {} after {}",
                recovery::RECOVERY_MARGIN,
                days(d.recovery_days)
            );
        }
    }
}

fn print_table(r: &EvalReport, without: Option<&EvalReport>, baseline: Option<&EvalReport>) {
    println!("figure                                   value");
    println!(
        "events / decisions / alerts (deduped)    {} / {} / {} ({})",
        r.events, r.decisions, r.alerts, r.alerts_deduplicated
    );
    println!(
        "examples: response / lead                {} / {}",
        r.examples.0, r.examples.1
    );
    println!(
        "churn label rate (14 d)                  {:.3}",
        r.churn_label_rate
    );
    println!(
        "churn AUC vs true churn (14 d)           {:.3}  ({} samples, {} positive)",
        r.churn_auc, r.churn_samples.0, r.churn_samples.1
    );
    println!(
        "  same, second half of the run            {:.3}",
        r.churn_auc_second_half
    );
    if let Some(own) = r.churn_auc_own_labels {
        println!("churn AUC on the engine's own labels     {own:.3}  (rolling, prequential)");
    }
    println!(
        "churn AUC per {}-day window               {}",
        r.auc_window_days,
        two_decimals(&r.churn_auc_by_window)
    );
    if let Some(w) = without {
        println!(
            "  same, without retraining               {}",
            two_decimals(&w.churn_auc_by_window)
        );
        println!(
            "  churn AUC without retraining           {:.3}  (second half {:.3})",
            w.churn_auc, w.churn_auc_second_half
        );
    }
    for (name, day) in &r.drifts {
        println!("scheduled drift                          {name} at day {day:.1}");
    }
    print_daily("churn", &r.churn_daily, without.map(|w| &w.churn_daily));
    print_daily(
        "response",
        &r.response_daily,
        without.map(|w| &w.response_daily),
    );
    print_daily(
        "churn (own labels)",
        &r.churn_own_daily,
        without.map(|w| &w.churn_own_daily),
    );
    for (m, reason, day) in &r.retrainings {
        println!("retraining promoted                      {m} ({reason}) at day {day:.1}");
    }
    println!(
        "background models started               {}",
        r.backgrounds.len()
    );
    for (m, day, live, bg, n, z) in &r.discarded {
        println!(
            "background discarded                     {m} at day {day:.1}: log loss live {live:.4} vs background {bg:.4} over {n} labels, z {z:.1}"
        );
    }
    println!("touches scored                           {}", r.touches);
    println!(
        "channel regret: engine / random          {:.1} / {:.1}  ({:.1}% of random)",
        r.regret,
        r.random_regret,
        100.0 * r.regret / r.random_regret.max(1e-9)
    );
    if let Some(b) = baseline {
        println!(
            "channel regret: default cadence agent    {:.1} over {} touches",
            b.regret, b.touches
        );
    }
    println!(
        "mean oracle P(response) of touches       {:.4}",
        r.mean_response_probability
    );
    if let Some(b) = baseline {
        println!(
            "  same, default cadence agent            {:.4}",
            b.mean_response_probability
        );
    }
    println!(
        "regret per touch, first / last quarter   {:.4} / {:.4}",
        r.regret_first_last_quarter.0, r.regret_first_last_quarter.1
    );
    let t = r.regret_by_touch_index;
    println!(
        "regret per touch by touch # (1,2-3,4-7,8+) {:.4} {:.4} {:.4} {:.4}",
        t[0], t[1], t[2], t[3]
    );
    let b = r.best_channel_share_by_touch_index;
    println!(
        "on the oracle's best channel, by touch # {:.3} {:.3} {:.3} {:.3}",
        b[0], b[1], b[2], b[3]
    );
    let share = |x: f64| 100.0 * x / r.random_regret.max(1e-9);
    let q = r.reference_regret;
    println!(
        "reference regret on the same touches:    persona's best channel {:.0} ({:.0}%); lead's best after {} / {} answers {:.0} ({:.0}%) / {:.0} ({:.0}%); Bayes with the sim's model {:.0} ({:.0}%), with unprompted contact {:.0} ({:.0}%)",
        q.persona_best,
        share(q.persona_best),
        reference::AFTER_ANSWERS[0],
        reference::AFTER_ANSWERS[1],
        q.best_after_answers[0],
        share(q.best_after_answers[0]),
        q.best_after_answers[1],
        share(q.best_after_answers[1]),
        q.bayes_answers,
        share(q.bayes_answers),
        q.bayes_answers_unprompted,
        share(q.bayes_answers_unprompted)
    );
    let (s, sr) = r.send_time_regret;
    let sb = r.send_time_regret_by_touch_index;
    println!(
        "send-time regret: engine / random hour   {s:.1} / {sr:.1}  ({:.1}% of random); per touch by touch # (2-3,4-7,8+) {:.4}/{:.4} {:.4}/{:.4} {:.4}/{:.4}",
        100.0 * s / sr.max(1e-9),
        sb[0].0,
        sb[0].1,
        sb[1].0,
        sb[1].1,
        sb[2].0,
        sb[2].1
    );
    let f = r.send_time_fixed_hour_regret;
    let share = |v: f64| 100.0 * v / sr.max(1e-9);
    println!(
        "  reference: best fixed UTC hour in hindsight {:.1} ({:.1}%), one per true persona {:.1} ({:.1}%), one local hour per true persona {:.1} ({:.1}%)",
        f.utc_hour,
        share(f.utc_hour),
        f.utc_hour_per_persona,
        share(f.utc_hour_per_persona),
        f.local_hour_per_persona,
        share(f.local_hour_per_persona)
    );
    println!(
        "cumulative regret at each tenth          {}",
        two_decimals(&r.regret_curve)
    );
    println!(
        "persona ARI vs true personas             {:.3}  ({} leads with 3+ responses)",
        r.persona_ari, r.persona_leads
    );
    for (i, p) in r.personas.iter().enumerate() {
        println!("persona {i}                                {p}");
    }
}
