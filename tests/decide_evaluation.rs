//! The closed loop against the simulator: the engine's decisions drive the simulated agent, and
//! every lead event gets a decision; channel choices beat uniform random choice by far and get
//! better with each lead's history; once labels have arrived, churn risk ranks the leads that
//! really leave above those that stay; the figures are reproducible from the seed.

use leadstream::cli::evaluate_decisions::{evaluate, EvalOptions};
use leadstream::decide::DecideConfig;
use leadstream::sim::SimConfig;

fn opts(seed: u64) -> EvalOptions {
    EvalOptions {
        sim: SimConfig::new(600, 45, seed),
        decide: DecideConfig::default(),
        engine_drives: true,
    }
}

#[test]
fn engine_drives_the_simulator_and_beats_random_channel_choice() {
    let r = evaluate(&opts(5)).unwrap();
    assert!(r.decisions > 5_000, "{}", r.decisions);
    assert!(r.touches > 2_000);
    assert!(
        r.examples.0 > 2_000 && r.examples.1 > 1_000,
        "{:?}",
        r.examples
    );
    println!(
        "regret {:.1} random {:.1} by touch # {:?}, best channel by touch # {:?}; churn AUC {:.3} \
         (second half {:.3}); persona ARI {:.3}",
        r.regret,
        r.random_regret,
        r.regret_by_touch_index,
        r.best_channel_share_by_touch_index,
        r.churn_auc,
        r.churn_auc_second_half,
        r.persona_ari
    );
    // 50.9% of random for this run (52.5% before the review fixes; 0.620 before the engine was
    // asked again at each touch, weighed unprompted contact as 6 answers and counted day-old
    // unanswered touches).
    assert!(
        r.regret < 0.58 * r.random_regret,
        "regret {} vs random {}",
        r.regret,
        r.random_regret
    );
    // References on the same touches: the engine learns more per lead than knowing the true
    // persona gives; for the Bayes learner with the simulator's model, unprompted contact is
    // worth more than its answers alone (docs/evaluation.md).
    let q = r.reference_regret;
    println!(
        "references {q:?}; send time {:?} by touch # {:?}, fixed hours {:?}",
        r.send_time_regret, r.send_time_regret_by_touch_index, r.send_time_fixed_hour_regret
    );
    assert!(r.regret < 0.9 * q.persona_best, "{} vs {q:?}", r.regret);
    assert!(q.bayes_answers_unprompted < q.bayes_answers, "{q:?}");
    // Send time: the chosen hour beats a uniformly random hour of the 24 it was chosen among
    // (72.5% of its regret here; 67.2% averaged over seeds 5-10 at 2000 leads); one fixed hour
    // per true persona would give about a third of random's (35%): docs/evaluation.md.
    let (send, send_random) = r.send_time_regret;
    assert!(
        send < 0.88 * send_random,
        "send-time regret {send} vs {send_random}"
    );
    assert!(r.send_time_fixed_hour_regret.utc_hour_per_persona < 0.5 * send_random);
    assert!(
        r.send_time_fixed_hour_regret.local_hour_per_persona
            < r.send_time_fixed_hour_regret.utc_hour_per_persona
    );
    // Regret per touch falls as a lead's own evidence builds up (sublinear in touches per lead).
    let t = r.regret_by_touch_index;
    assert!(t[3] < 0.75 * t[1], "regret per touch by touch # {t:?}");
    let b = r.best_channel_share_by_touch_index;
    assert!(b[3] > 0.62 && b[3] > b[0] + 0.3, "best channel share {b:?}");
    assert_eq!(r.personas.len(), 5);
    assert!(r.churn_auc > 0.0 && r.churn_auc < 1.0);
    assert!(r.persona_ari > 0.03, "persona ARI {:.3}", r.persona_ari);
}

#[test]
fn churn_risk_ranks_leaving_leads_and_personas_beat_chance_once_labels_have_arrived() {
    // Churn labels come 14 days late and leads fade over weeks, so the model is cold for about
    // the first half of a 60-day run; over the second half it ranks the leads that truly leave
    // within 14 days above those that stay (0.60-0.71 over seeds 5, 7, 8 and 11 at this size).
    let mut o = opts(7);
    o.sim = SimConfig::new(1000, 60, 7);
    let r = evaluate(&o).unwrap();
    println!(
        "churn AUC {:.3}, second half {:.3}, per window {:?}, on own labels {:?}; persona ARI {:.3}",
        r.churn_auc,
        r.churn_auc_second_half,
        r.churn_auc_by_window,
        r.churn_auc_own_labels,
        r.persona_ari
    );
    assert!(r.churn_samples.1 > 500, "{:?}", r.churn_samples);
    // 0.559 and 0.661 for this run since send times are chosen per local hour of the week and
    // scored on the engine's window (0.604 and 0.702 before; over seeds 5-10 at 2000 leads the
    // whole-run AUC rose from 0.592 to 0.606 with that change: one seed's figure moves by a few
    // hundredths whenever the decisions, and so the simulated trajectories, change; 0.593 and
    // 0.679 before email answers to video and call touches stopped counting as unprompted
    // contact and `decide_now` stopped ending campaigns; 0.545 and 0.597 after the
    // channel-choice round before main's promotion-rule change was merged, 0.575 and 0.656
    // before the round: docs/evaluation.md).
    assert!(r.churn_auc > 0.55, "churn AUC {:.3}", r.churn_auc);
    assert!(
        r.churn_auc_second_half > 0.61,
        "churn AUC in the second half {:.3}",
        r.churn_auc_second_half
    );
    // Persona agreement with the simulator's personas: 0.098 for this run since send times are
    // learned per local hour of the week (other touches, other answers; 0.138 before, 0.129
    // before the review fixes; 0.065 with the persona vector before it used the decider's
    // labelled channel evidence; 0.07-0.13 over seeds 5, 7, 8 and 11 at this size). The
    // simulated personas overlap a lot (docs/evaluation.md).
    assert!(r.persona_ari > 0.07, "persona ARI {:.3}", r.persona_ari);
}

#[test]
fn evaluation_is_reproducible() {
    let a = evaluate(&opts(8)).unwrap();
    let b = evaluate(&opts(8)).unwrap();
    assert_eq!(a.regret, b.regret);
    assert_eq!(a.churn_auc, b.churn_auc);
    assert_eq!(a.decisions, b.decisions);
}

#[test]
fn a_drift_run_reports_daily_scores_and_the_response_model_recovers() {
    // After SMS dies the response model's prequential AUC (each label scored before it is
    // learned) is back within 0.03 of its pre-drift level within days (3 days, the shortest the
    // measure allows, for seeds 5-8 at this size); the daily churn series covers every day.
    let mut o = opts(5);
    o.sim.drifts.push("sms-dead@20d".parse().unwrap());
    let r = evaluate(&o).unwrap();
    let d = &r.response_daily;
    println!(
        "response AUC by day {:?}, pre-drift {:?}, lowest after {:?}, recovered after {:?} days",
        d.auc, d.pre_drift_auc, d.post_drift_min_auc, d.recovery_days
    );
    assert_eq!(r.churn_daily.auc.len(), 45);
    assert_eq!(d.auc.len(), 45);
    assert!(
        d.pre_drift_auc.is_some_and(|a| a > 0.7),
        "{:?}",
        d.pre_drift_auc
    );
    assert!(
        d.recovery_days.is_some_and(|days| days <= 10),
        "{:?}",
        d.recovery_days
    );
    assert!(r.churn_daily.pre_drift_auc.is_some());
}
