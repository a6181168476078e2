//! Shadow mode: a candidate version learns beside the live learner on the same labels without
//! changing it, is promoted automatically when significantly better, is not promoted when it is
//! no better, and is promoted on request (`models promote`).

use std::time::Duration;

use leadstream::decide::{DecideConfig, LabelledExample, LeadExample, Learner};
use leadstream::lead::N_FEATURES;
use leadstream::registry::{ModelRegistry, RegistryHook, RegistrySettings, SaveReason};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("leadstream-shadow-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Lead examples whose churn label is `features[0] > 0.5`, or its opposite when `flipped`.
fn concept(n: usize, flipped: bool, seed: u64) -> Vec<LabelledExample> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let mut features = [0.0; N_FEATURES];
            for f in &mut features {
                *f = rng.random::<f64>();
            }
            LabelledExample::Lead(LeadExample {
                snapshot_ts: i as i64,
                label_ts: i as i64,
                features,
                indicators: [0.0; 10],
                churned: (features[0] > 0.5) != flipped,
                progressed: false,
            })
        })
        .collect()
}

fn trained(examples: &[LabelledExample]) -> Learner {
    let (mut learner, _) = Learner::new(&DecideConfig::default(), 1);
    for e in examples {
        learner.learn(e.clone());
    }
    learner
}

fn setup(name: &str) -> (ModelRegistry, RegistrySettings) {
    let registry = ModelRegistry::open(temp_dir(name)).expect("opens");
    let settings = RegistrySettings {
        registry: registry.clone(),
        snapshot_every: Duration::from_secs(3600),
        keep_versions: 0,
    };
    (registry, settings)
}

fn probe(flipped_high: bool) -> [f64; N_FEATURES] {
    let mut x = [0.5; N_FEATURES];
    x[0] = if flipped_high { 0.1 } else { 0.9 };
    x
}

#[test]
fn a_significantly_better_shadow_is_promoted_and_serves() {
    let (registry, settings) = setup("better");
    let mut live = trained(&concept(3000, false, 1));
    let live_v = registry
        .save(&live.checkpoint(), SaveReason::Periodic, None, 0)
        .expect("saves");
    let candidate = trained(&concept(3000, true, 2));
    let cand_v = registry
        .save(&candidate.checkpoint(), SaveReason::Manual, None, 0)
        .expect("saves");
    registry.set_active(&live_v.id).expect("activates");
    let mut hook = RegistryHook::new(settings, Some(live_v.id.clone()), &mut live);
    registry.set_shadow(Some(&cand_v.id)).expect("shadow set");
    assert!(!hook.poll_shadow(&mut live));
    assert_eq!(hook.shadow().map(|s| s.id()), Some(cand_v.id.as_str()));

    // The world now follows the candidate's concept.
    let live_churn_before = live.churn_probability(&probe(false));
    let mut promoted = false;
    for chunk in concept(3000, true, 3).chunks(100) {
        for e in chunk {
            hook.observe(&live, e);
            live.learn(e.clone());
        }
        if hook.poll_shadow(&mut live) {
            promoted = true;
            break;
        }
    }
    assert!(promoted, "the better shadow was never promoted");
    assert!(live_churn_before > 0.5);
    // The live learner is now the candidate (which learned the new concept all along).
    assert!(live.churn_probability(&probe(true)) > 0.8);
    assert!(live.churn_probability(&probe(false)) < 0.2);
    let active = registry.active_id().expect("reads").expect("active");
    let info = registry.info(&active).expect("info");
    assert_eq!(info.reason, SaveReason::ShadowPromotion);
    assert_eq!(info.parent.as_deref(), Some(cand_v.id.as_str()));
    assert_eq!(registry.shadow_id().expect("reads"), None);
    assert!(hook.shadow().is_none());
}

#[test]
fn a_shadow_no_better_is_not_promoted_until_asked() {
    let (registry, settings) = setup("equal");
    let examples = concept(3000, false, 1);
    let mut live = trained(&examples);
    let v = registry
        .save(&live.checkpoint(), SaveReason::Periodic, None, 0)
        .expect("saves");
    let mut hook = RegistryHook::new(settings, Some(v.id.clone()), &mut live);
    // The shadow is the live learner's own version: identical losses, never significantly better.
    registry.set_shadow(Some(&v.id)).expect("shadow set");
    assert!(!hook.poll_shadow(&mut live));
    for e in concept(1500, false, 4) {
        hook.observe(&live, &e);
        live.learn(e);
    }
    assert!(!hook.poll_shadow(&mut live));
    let (n, live_loss, shadow_loss) = hook.shadow().expect("shadow runs").score();
    assert_eq!(n, 1500);
    assert_eq!(live_loss.to_bits(), shadow_loss.to_bits());
    assert_eq!(registry.active_id().expect("reads"), Some(v.id.clone()));

    registry.request_promotion().expect("requests");
    assert!(hook.poll_shadow(&mut live));
    let active = registry.active_id().expect("reads").expect("active");
    assert_ne!(active, v.id);
    assert_eq!(
        registry.info(&active).expect("info").reason,
        SaveReason::ShadowPromotion
    );
}
