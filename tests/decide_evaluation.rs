//! The closed loop against the simulator: the engine's decisions drive the simulated agent, and
//! every lead event gets a decision; channel choices beat uniform random choice; the figures are
//! reproducible from the seed.

use leadstream::cli::evaluate_decisions::{evaluate, EvalOptions};
use leadstream::decide::DecideConfig;
use leadstream::sim::SimConfig;

fn opts(seed: u64) -> EvalOptions {
    EvalOptions {
        sim: SimConfig::new(400, 30, seed),
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
    assert!(
        r.regret < r.random_regret,
        "regret {} vs random {}",
        r.regret,
        r.random_regret
    );
    assert_eq!(r.personas.len(), 5);
    assert!(r.churn_auc > 0.0 && r.churn_auc < 1.0);
    println!(
        "regret {:.1} random {:.1} churn AUC {:.3} persona ARI {:.3}",
        r.regret, r.random_regret, r.churn_auc, r.persona_ari
    );
}

#[test]
fn evaluation_is_reproducible() {
    let a = evaluate(&opts(8)).unwrap();
    let b = evaluate(&opts(8)).unwrap();
    assert_eq!(a.regret, b.regret);
    assert_eq!(a.churn_auc, b.churn_auc);
    assert_eq!(a.decisions, b.decisions);
}
