//! The model registry on disk: versions with metadata and an active pointer, fallback to the
//! last good version when the newest is corrupted or incompatible, bounded retention, rollback,
//! export and import.

use std::path::PathBuf;

use leadstream::decide::{DecideConfig, LabelledExample, LeadExample, Learner};
use leadstream::lead::N_FEATURES;
use leadstream::registry::{ModelRegistry, SaveReason};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadstream-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn train(learner: &mut Learner, n: usize) {
    for i in 0..n {
        let mut features = [0.0; N_FEATURES];
        features[0] = (i % 7) as f64 / 7.0;
        learner.learn(LabelledExample::Lead(LeadExample {
            snapshot_ts: i as i64,
            label_ts: i as i64,
            features,
            indicators: [0.1; 10],
            churned: i % 7 > 3,
            progressed: false,
        }));
    }
}

#[test]
fn saved_versions_are_listed_with_metadata_and_the_last_is_active() {
    let dir = temp_dir("list");
    let registry = ModelRegistry::in_state_dir(&dir).expect("opens");
    let (mut learner, _) = Learner::new(&DecideConfig::default(), 1);
    let v1 = registry
        .save(&learner.checkpoint(), SaveReason::Initial, None, 0)
        .expect("saves");
    train(&mut learner, 700);
    let v2 = registry
        .save(
            &learner.checkpoint(),
            SaveReason::Periodic,
            Some(v1.id.clone()),
            0,
        )
        .expect("saves");
    let list = registry.list().expect("lists");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, "v000001");
    assert_eq!(list[1].parent.as_deref(), Some("v000001"));
    assert_eq!(list[1].reason, SaveReason::Periodic);
    assert_eq!(list[1].samples_seen, 700);
    assert_eq!(list[0].samples_seen, 0);
    assert!(list[1].size_bytes > list[0].size_bytes);
    let churn = list[1]
        .metrics
        .iter()
        .find(|m| m.model == "churn")
        .expect("churn");
    assert!(churn.log_loss.is_some_and(|l| l > 0.0));
    assert_eq!(
        registry.active_id().expect("reads").as_deref(),
        Some(v2.id.as_str())
    );
    assert!(dir.join("models").join("v000002.snap").exists());
}

#[test]
fn a_corrupted_active_snapshot_falls_back_to_the_last_good_version() {
    let dir = temp_dir("corrupt");
    let registry = ModelRegistry::open(&dir).expect("opens");
    let config = DecideConfig::default();
    let (mut learner, _) = Learner::new(&config, 1);
    train(&mut learner, 300);
    let good = registry
        .save(&learner.checkpoint(), SaveReason::Periodic, None, 0)
        .expect("saves");
    train(&mut learner, 300);
    let bad = registry
        .save(&learner.checkpoint(), SaveReason::Periodic, None, 0)
        .expect("saves");
    // Flip one byte in the middle of the newest snapshot.
    let path = dir.join(format!("{}.snap", bad.id));
    let mut bytes = std::fs::read(&path).expect("reads");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&path, bytes).expect("writes");

    let err = registry.load(&bad.id).expect_err("corrupted");
    assert!(err.to_string().contains("corrupted"), "{err}");
    let (learner, _, loaded) = registry
        .load_learner(&config)
        .expect("lists")
        .expect("a good version loads");
    assert_eq!(loaded.info.id, good.id);
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].0, bad.id);
    assert_eq!(loaded.skipped[0].1.reason(), "corrupted");
    assert_eq!(learner.counters().lead, 300);
}

#[test]
fn an_incompatible_snapshot_is_refused_with_a_clear_error_and_skipped() {
    let dir = temp_dir("incompatible");
    let registry = ModelRegistry::open(&dir).expect("opens");
    let config = DecideConfig::default();
    let (learner, _) = Learner::new(&config, 1);
    registry
        .save(&learner.checkpoint(), SaveReason::Initial, None, 0)
        .expect("saves");
    let other = DecideConfig {
        personas: config.personas + 2,
        ..config.clone()
    };
    let loaded = registry.load_learner(&other).expect("lists");
    assert!(
        loaded.is_none(),
        "a snapshot with another persona count must not load"
    );
}

#[test]
fn retention_keeps_the_newest_versions_and_never_the_active_one_out() {
    let dir = temp_dir("retention");
    let registry = ModelRegistry::open(&dir).expect("opens");
    let (learner, _) = Learner::new(&DecideConfig::default(), 1);
    let state = learner.checkpoint();
    for _ in 0..5 {
        registry
            .save(&state, SaveReason::Periodic, None, 3)
            .expect("saves");
    }
    let ids: Vec<String> = registry
        .list()
        .expect("lists")
        .into_iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(ids, ["v000003", "v000004", "v000005"]);
    // An older active version (after a rollback pointer change) survives pruning.
    registry.set_active("v000003").expect("activates");
    assert_eq!(registry.prune(1).expect("prunes"), 1);
    let ids: Vec<String> = registry
        .list()
        .expect("lists")
        .into_iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(ids, ["v000003", "v000005"]);
}

#[test]
fn rollback_export_and_import_round_trip() {
    let dir = temp_dir("rollback");
    let registry = ModelRegistry::open(&dir).expect("opens");
    let config = DecideConfig::default();
    let (mut learner, _) = Learner::new(&config, 1);
    let v1 = registry
        .save(&learner.checkpoint(), SaveReason::Initial, None, 0)
        .expect("saves");
    train(&mut learner, 500);
    registry
        .save(
            &learner.checkpoint(),
            SaveReason::Periodic,
            Some(v1.id.clone()),
            0,
        )
        .expect("saves");
    let back = registry.rollback(&v1.id, 0).expect("rolls back");
    assert_eq!(back.reason, SaveReason::Rollback);
    assert_eq!(back.parent.as_deref(), Some(v1.id.as_str()));
    assert_eq!(back.samples_seen, 0);
    assert_eq!(registry.active_id().expect("reads"), Some(back.id.clone()));
    assert!(registry.rollback("v999999", 0).is_err());

    let file = dir.join("exported.lsm");
    registry.export("v000002", &file).expect("exports");
    let other = ModelRegistry::open(dir.join("other")).expect("opens");
    let imported = other.import(&file).expect("imports");
    assert_eq!(imported.reason, SaveReason::Import);
    assert_eq!(imported.samples_seen, 500);
    assert_eq!(
        imported.checksum,
        registry.info("v000002").expect("info").checksum
    );
    assert_eq!(other.active_id().expect("reads"), None);
    std::fs::write(&file, b"not a snapshot").expect("writes");
    assert!(other.import(&file).is_err());
}

#[test]
fn a_snapshot_of_a_newer_schema_version_is_refused_as_incompatible_and_skipped() {
    let dir = temp_dir("schema");
    let registry = ModelRegistry::open(&dir).expect("opens");
    let config = DecideConfig::default();
    let (mut learner, _) = Learner::new(&config, 1);
    train(&mut learner, 200);
    let good = registry
        .save(&learner.checkpoint(), SaveReason::Periodic, None, 0)
        .expect("saves");
    let newer = registry
        .save(&learner.checkpoint(), SaveReason::Periodic, None, 0)
        .expect("saves");
    // Bytes 6..8 of the envelope hold the schema version; record the file's new checksum in
    // the metadata so only the schema differs.
    let snap = dir.join(format!("{}.snap", newer.id));
    let mut bytes = std::fs::read(&snap).expect("reads");
    bytes[6..8].copy_from_slice(&99u16.to_le_bytes());
    std::fs::write(&snap, &bytes).expect("writes");
    let meta = dir.join(format!("{}.json", newer.id));
    let mut info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta).expect("reads")).expect("JSON");
    info["checksum"] = crc32fast::hash(&bytes).into();
    std::fs::write(&meta, serde_json::to_vec(&info).expect("JSON")).expect("writes");

    let err = registry.load(&newer.id).expect_err("newer schema");
    assert_eq!(err.reason(), "incompatible");
    assert!(err.to_string().contains("schema version 99"), "{err}");
    let (_, _, loaded) = registry
        .load_learner(&config)
        .expect("lists")
        .expect("the older version loads");
    assert_eq!(loaded.info.id, good.id);
    assert_eq!(loaded.skipped[0].1.reason(), "incompatible");
}

/// The engine saves with the active pointer it last saw: when a rollback moved the pointer in
/// between, the save is kept as a version but does not take the pointer back.
#[test]
fn a_save_does_not_overwrite_a_rollback_made_since_the_saver_last_looked() {
    let dir = temp_dir("cas");
    let registry = ModelRegistry::in_state_dir(&dir).expect("opens");
    let (mut learner, _) = Learner::new(&DecideConfig::default(), 1);
    let v1 = registry
        .save(&learner.checkpoint(), SaveReason::Initial, None, 0)
        .expect("saves");
    train(&mut learner, 100);
    let (v2, activated) = registry
        .save_if_active(
            &learner.checkpoint(),
            SaveReason::Periodic,
            Some(v1.id.clone()),
            0,
            Some(&v1.id),
        )
        .expect("saves");
    assert!(activated, "nothing moved the pointer");
    let rolled = registry.rollback(&v1.id, 0).expect("rolls back");
    train(&mut learner, 100);
    // The saver last saw v2 active.
    let (v4, activated) = registry
        .save_if_active(
            &learner.checkpoint(),
            SaveReason::Periodic,
            Some(v2.id.clone()),
            0,
            Some(&v2.id),
        )
        .expect("saves");
    assert!(!activated, "the rollback happened after the saver looked");
    assert_eq!(
        registry.active_id().unwrap().as_deref(),
        Some(rolled.id.as_str())
    );
    assert!(
        registry.info(&v4.id).is_ok(),
        "the save is kept as a version"
    );
    // Seeing the rollback, the next save activates.
    let (v5, activated) = registry
        .save_if_active(
            &learner.checkpoint(),
            SaveReason::Periodic,
            Some(rolled.id.clone()),
            0,
            Some(&rolled.id),
        )
        .expect("saves");
    assert!(activated);
    assert_eq!(registry.active_id().unwrap(), Some(v5.id));
}
