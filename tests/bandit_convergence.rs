//! Bandits in stationary and changing test worlds: Thompson sampling and LinUCB find the best
//! arm, their regret grows sublinearly and stays far below uniform random choice, and a
//! discounted Thompson bandit follows a change of the best arm.

use leadstream::learn::bandit::{BetaThompson, LinUcb};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

const P: [f64; 4] = [0.10, 0.25, 0.45, 0.30];

fn run_thompson(steps: usize, seed: u64) -> (BetaThompson, Vec<f64>) {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut bandit = BetaThompson::new(4, 1.0, 1.0, 1.0).unwrap();
    let best = P.iter().copied().fold(0.0, f64::max);
    let mut cumulative = Vec::with_capacity(steps);
    let mut regret = 0.0;
    for _ in 0..steps {
        let (arm, _) = bandit.choose(&mut rng, u32::MAX);
        regret += best - P[arm];
        cumulative.push(regret);
        let reward = rng.random::<f64>() < P[arm];
        bandit.update(arm, f64::from(u8::from(reward)));
    }
    (bandit, cumulative)
}

#[test]
fn thompson_converges_to_the_best_arm_with_sublinear_regret() {
    let (bandit, regret) = run_thompson(8000, 11);
    assert_eq!(bandit.best_mean(u32::MAX), 2);
    // Most pulls went to the best arm.
    let total: u64 = (0..4).map(|a| bandit.pulls(a)).sum();
    assert!(
        bandit.pulls(2) as f64 > 0.85 * total as f64,
        "{:?}",
        (0..4).map(|a| bandit.pulls(a)).collect::<Vec<_>>()
    );
    // Regret of the second half is far smaller than that of the first half (sublinear).
    let half = regret[3999];
    let second = regret[7999] - half;
    assert!(
        second < 0.5 * half,
        "first half {half}, second half {second}"
    );
    // Far below uniform random: 8000 * (0.45 - mean(P)).
    let random = 8000.0 * (0.45 - P.iter().sum::<f64>() / 4.0);
    assert!(
        regret[7999] < 0.1 * random,
        "{} vs random {random}",
        regret[7999]
    );
}

#[test]
fn thompson_is_reproducible_from_its_seed() {
    let (a, ra) = run_thompson(500, 3);
    let (b, rb) = run_thompson(500, 3);
    assert_eq!(a, b);
    assert_eq!(ra, rb);
}

#[test]
fn discounted_thompson_follows_a_change_of_the_best_arm() {
    let mut rng = Pcg64Mcg::seed_from_u64(5);
    let mut bandit = BetaThompson::new(2, 1.0, 1.0, 0.995).unwrap();
    let mut stationary = BetaThompson::new(2, 1.0, 1.0, 1.0).unwrap();
    let mut late_best = (0, 0);
    for t in 0..6000 {
        let p = if t < 3000 { [0.6, 0.3] } else { [0.1, 0.5] };
        for (b, hits) in [
            (&mut bandit, &mut late_best.0),
            (&mut stationary, &mut late_best.1),
        ] {
            let (arm, _) = b.choose(&mut rng, u32::MAX);
            if t >= 4000 && arm == 1 {
                *hits += 1;
            }
            let r = rng.random::<f64>() < p[arm];
            b.update(arm, f64::from(u8::from(r)));
        }
    }
    assert!(
        late_best.0 > 1800,
        "discounted chose the new best {} of 2000 times",
        late_best.0
    );
    assert!(late_best.0 > late_best.1, "{late_best:?}");
}

#[test]
fn linucb_learns_the_best_arm_per_context() {
    let mut rng = Pcg64Mcg::seed_from_u64(9);
    // Context one-hot of 3 groups plus a bias; the best of 3 arms differs by group.
    let p: [[f64; 3]; 3] = [[0.6, 0.2, 0.1], [0.1, 0.2, 0.5], [0.2, 0.6, 0.3]];
    let mut bandit = LinUcb::new(3, 4, 0.3).unwrap();
    let mut late_correct = 0;
    for t in 0..9000 {
        let g = t % 3;
        let mut x = [0.0; 4];
        x[0] = 1.0;
        x[1 + g] = 1.0;
        let (arm, _) = bandit.choose(&x, u32::MAX);
        let best = (0..3).max_by(|&a, &b| p[g][a].total_cmp(&p[g][b])).unwrap();
        if t >= 6000 && arm == best {
            late_correct += 1;
        }
        let r = rng.random::<f64>() < p[g][arm];
        bandit.update(arm, &x, f64::from(u8::from(r)));
    }
    assert!(
        late_correct > 2700,
        "best arm chosen {late_correct} of 3000 late rounds"
    );
}

#[test]
fn masks_are_respected() {
    let mut rng = Pcg64Mcg::seed_from_u64(1);
    let bandit = BetaThompson::new(4, 1.0, 1.0, 1.0).unwrap();
    for _ in 0..100 {
        let (arm, _) = bandit.choose(&mut rng, 0b1010);
        assert!(arm == 1 || arm == 3);
    }
    let lin = LinUcb::new(3, 2, 1.0).unwrap();
    assert_eq!(lin.choose(&[1.0, 0.0], 0b100).0, 2);
}

#[test]
fn invalid_settings_are_refused() {
    assert!(BetaThompson::new(0, 1.0, 1.0, 1.0).is_err());
    assert!(BetaThompson::new(3, 0.0, 1.0, 1.0).is_err());
    assert!(BetaThompson::new(3, 1.0, 1.0, 1.5).is_err());
    assert!(LinUcb::new(3, 0, 1.0).is_err());
    assert!(LinUcb::new(3, 4, -1.0).is_err());
}
