//! Metric names: one constant per metric leadstream exports, in Prometheus naming style.
//!
//! What it is for: the single spelling of every metric name, shared by the typed events that
//! record them, the catalogue that describes them, the dashboards and docs/metrics.md.
//! What it is not: the descriptions (help, unit, labels live in [`super::catalogue`]).
//!
//! Conventions (Prometheus's): a `leadstream_` prefix, base units in the name (`_seconds`,
//! `_bytes`, `_ratio`), `_total` on counters, no unit suffix on pure counts.

// Pipeline.
/// Counter: events read from the source.
pub const EVENTS_CONSUMED: &str = "leadstream_events_consumed_total";
/// Counter: events decoded and validated.
pub const EVENTS_DECODED: &str = "leadstream_events_decoded_total";
/// Counter: events rejected by the decoder, by reason.
pub const EVENTS_REJECTED: &str = "leadstream_events_rejected_total";
/// Counter: personalization decisions emitted.
pub const DECISIONS_EMITTED: &str = "leadstream_decisions_emitted_total";
/// Counter: records written to the dead-letter sink.
pub const DEAD_LETTERS: &str = "leadstream_dead_letters_total";
/// Histogram: processing time per pipeline stage, seconds.
pub const STAGE_DURATION: &str = "leadstream_stage_duration_seconds";
/// Histogram: event time to decision, seconds.
pub const EVENT_TO_DECISION: &str = "leadstream_event_to_decision_seconds";
/// Histogram: receipt by the engine to decision, seconds.
pub const RECEIPT_TO_DECISION: &str = "leadstream_receipt_to_decision_seconds";
/// Gauge: consumer lag (records behind the high watermark) per topic and partition.
pub const CONSUMER_LAG: &str = "leadstream_consumer_lag_records";
/// Gauge: partitions currently assigned to this instance, per topic.
pub const PARTITIONS_ASSIGNED: &str = "leadstream_partitions_assigned";
/// Gauge: items waiting in a bounded internal queue.
pub const QUEUE_DEPTH: &str = "leadstream_queue_depth";
/// Counter: offset commits, by result.
pub const COMMITS: &str = "leadstream_commits_total";
/// Counter: consumer-group rebalances, by kind (assign, revoke).
pub const REBALANCES: &str = "leadstream_rebalances_total";
/// Counter: errors, by kind.
pub const ERRORS: &str = "leadstream_errors_total";
/// Gauge: always 1, labelled with the version.
pub const BUILD_INFO: &str = "leadstream_build_info";

// Models.
/// Gauge: rolling prequential accuracy per model.
pub const MODEL_ACCURACY: &str = "leadstream_model_accuracy_ratio";
/// Gauge: rolling prequential log loss per model (nats).
pub const MODEL_LOG_LOSS: &str = "leadstream_model_log_loss";
/// Gauge: rolling ROC AUC per model.
pub const MODEL_ROC_AUC: &str = "leadstream_model_roc_auc_ratio";
/// Counter: labelled samples learned per model.
pub const MODEL_SAMPLES_LEARNED: &str = "leadstream_model_samples_learned_total";
/// Counter: drift detections per model and detector.
pub const MODEL_DRIFT_DETECTIONS: &str = "leadstream_model_drift_detections_total";
/// Counter: model replacements (retrainings) per model and reason.
pub const MODEL_RETRAININGS: &str = "leadstream_model_retrainings_total";
/// Gauge: version number of the model currently serving predictions.
pub const MODEL_VERSION: &str = "leadstream_model_version";
/// Counter: model snapshots written to the registry, by reason.
pub const MODEL_SNAPSHOTS_SAVED: &str = "leadstream_model_snapshots_saved_total";
/// Counter: model snapshots that could not be loaded (corrupted, incompatible, missing), by reason.
pub const MODEL_SNAPSHOT_LOAD_FAILURES: &str = "leadstream_model_snapshot_load_failures_total";
/// Counter: rollbacks applied to a running engine.
pub const MODEL_ROLLBACKS: &str = "leadstream_model_rollbacks_total";
/// Counter: bandit arm selections per bandit and arm.
pub const BANDIT_ARM_SELECTIONS: &str = "leadstream_bandit_arm_selections_total";

// Leads.
/// Counter: churn alerts emitted, by risk level.
pub const CHURN_ALERTS: &str = "leadstream_churn_alerts_total";
/// Counter: interventions recommended, by type and urgency.
pub const INTERVENTIONS: &str = "leadstream_interventions_total";
/// Counter: inbound messages analysed, by detected emotional state.
pub const MESSAGE_EMOTIONS: &str = "leadstream_message_emotions_total";
/// Gauge: tracked leads per journey stage.
pub const LEADS_BY_JOURNEY_STAGE: &str = "leadstream_leads_by_journey_stage";
/// Counter: retention-campaign milestones reached, by milestone.
pub const CAMPAIGN_MILESTONES: &str = "leadstream_campaign_milestones_total";
/// Gauge: leads whose state is held in memory.
pub const ACTIVE_LEADS: &str = "leadstream_active_leads";
/// Gauge: estimated memory held by lead state, bytes.
pub const LEAD_STATE_MEMORY: &str = "leadstream_lead_state_memory_bytes";
/// Counter: churn alerts not emitted because the lead was alerted at the same or a higher level
/// within the cooldown.
pub const ALERTS_DEDUPLICATED: &str = "leadstream_churn_alerts_deduplicated_total";
/// Counter: decisions whose outcome will never be learned because their lead had too many open
/// (the oldest was dropped), by kind (`touch`, `snapshot`).
pub const PENDING_LABELS_DROPPED: &str = "leadstream_pending_labels_dropped_total";
/// Counter: leads whose decision memory was dropped because their partitions were revoked.
pub const LEADS_FORGOTTEN: &str = "leadstream_leads_forgotten_total";
/// Counter: lead states restored from persisted state (snapshot or changelog).
pub const LEADS_RESTORED: &str = "leadstream_leads_restored_total";
/// Histogram: time to restore persisted lead state, seconds.
pub const LEAD_RESTORE_DURATION: &str = "leadstream_lead_restore_duration_seconds";
/// Counter: starts that used the previous lead-state snapshot because the latest did not load,
/// by reason.
pub const LEAD_SNAPSHOT_FALLBACKS: &str = "leadstream_lead_snapshot_fallbacks_total";
/// Counter: lead-state changelog records produced (one per dirty lead per flush interval).
pub const CHANGELOG_RECORDS: &str = "leadstream_changelog_records_total";
