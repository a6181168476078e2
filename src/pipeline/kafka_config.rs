//! Kafka connection settings shared by the consumer, the producers and the admin client.
//!
//! What it is for: the brokers, group and topic names, and the `[kafka]` table passed through
//! verbatim to librdkafka, merged under the few settings at-least-once needs (those win).
//! What it is not: the TOML file layout (see the config module).

use std::collections::BTreeMap;

use rdkafka::ClientConfig;

/// Topic names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topics {
    /// Input events.
    pub events: String,
    /// Personalization decisions.
    pub decisions: String,
    /// Churn alerts.
    pub alerts: String,
    /// Rejected records.
    pub dead_letter: String,
    /// Lead-state changelog (compacted, co-partitioned with `events`); empty: no changelog.
    pub changelog: String,
}

/// Everything needed to talk to the brokers.
#[derive(Debug, Clone, PartialEq)]
pub struct KafkaSettings {
    /// `bootstrap.servers`.
    pub brokers: String,
    /// Consumer group id.
    pub group: String,
    /// Topic names.
    pub topics: Topics,
    /// Create missing topics at start.
    pub create_topics: bool,
    /// Partitions of topics created at start.
    pub partitions: i32,
    /// Replication factor of topics created at start.
    pub replication: i32,
    /// Events-topic partitions consumed by static assignment; empty: group subscription.
    pub static_partitions: Vec<i32>,
    /// Commit the committable offsets at most this often, milliseconds.
    pub commit_interval_ms: u64,
    /// How long to wait for in-flight outputs on revocation and shutdown, milliseconds.
    pub drain_timeout_ms: u64,
    /// librdkafka settings passed through verbatim (the `[kafka]` table).
    pub client: BTreeMap<String, String>,
}

impl KafkaSettings {
    /// Settings for `brokers` with default topic names and no pass-through settings.
    pub fn new(brokers: &str, group: &str) -> Self {
        Self {
            brokers: brokers.to_string(),
            group: group.to_string(),
            topics: Topics {
                events: "lead-events".into(),
                decisions: "lead-decisions".into(),
                alerts: "churn-alerts".into(),
                dead_letter: "lead-events-dlq".into(),
                changelog: String::new(),
            },
            create_topics: true,
            partitions: 4,
            replication: 1,
            static_partitions: Vec::new(),
            commit_interval_ms: 200,
            drain_timeout_ms: 30_000,
            client: BTreeMap::new(),
        }
    }

    /// A librdkafka config: pass-through settings first, then `bootstrap.servers`.
    pub fn base(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        for (k, v) in &self.client {
            c.set(k, v);
        }
        c.set("bootstrap.servers", &self.brokers);
        c
    }

    /// The consumer config: manual offset commits (at-least-once), start from the earliest
    /// offset when the group has none (unless overridden).
    pub fn consumer(&self) -> ClientConfig {
        let mut c = self.base();
        if !self.client.contains_key("auto.offset.reset") {
            c.set("auto.offset.reset", "earliest");
        }
        c.set("group.id", &self.group)
            .set("enable.auto.commit", "false")
            .set("enable.auto.offset.store", "false");
        c
    }

    /// The consumer config of shard `index`: each shard is its own member of the group. A
    /// pass-through `client.id` or `group.instance.id` (static membership) gets the suffix
    /// `-shard-INDEX`, so the members of one instance stay distinct and keep the same ids
    /// across restarts.
    pub fn shard_consumer(&self, index: usize) -> ClientConfig {
        let mut c = self.consumer();
        for key in ["client.id", "group.instance.id"] {
            if let Some(id) = self.client.get(key) {
                c.set(key, format!("{id}-shard-{index}"));
            }
        }
        if !self.client.contains_key("client.id") {
            c.set("client.id", format!("leadstream-shard-{index}"));
        }
        c
    }

    /// The producer config (pass-through producer settings apply; the rest is librdkafka's
    /// defaults, which include idempotence off and acks=all).
    pub fn producer(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        for (k, v) in &self.client {
            // Consumer-only keys would make the producer log warnings.
            if !is_consumer_only(k) {
                c.set(k, v);
            }
        }
        c.set("bootstrap.servers", &self.brokers);
        c
    }
}

fn is_consumer_only(key: &str) -> bool {
    key.starts_with("fetch.")
        || key.starts_with("auto.")
        || key.starts_with("session.")
        || key.starts_with("heartbeat.")
        || key.starts_with("group.")
        || key.starts_with("partition.assignment")
        || key.starts_with("max.poll")
        || key.starts_with("enable.auto")
        || key.starts_with("isolation.")
        || key.starts_with("queued.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shard_is_a_distinct_member_with_stable_ids() {
        let mut settings = KafkaSettings::new("127.0.0.1:9092", "g");
        let id = |c: &ClientConfig, key: &str| c.get(key).map(str::to_owned);
        let first = settings.shard_consumer(0);
        assert_eq!(
            id(&first, "client.id").as_deref(),
            Some("leadstream-shard-0")
        );
        assert_eq!(id(&first, "group.id").as_deref(), Some("g"));
        assert_eq!(id(&first, "enable.auto.commit").as_deref(), Some("false"));
        assert_eq!(id(&first, "group.instance.id"), None);
        settings
            .client
            .insert("group.instance.id".into(), "pod-3".into());
        settings.client.insert("client.id".into(), "crm".into());
        let second = settings.shard_consumer(1);
        assert_eq!(
            id(&second, "group.instance.id").as_deref(),
            Some("pod-3-shard-1")
        );
        assert_eq!(id(&second, "client.id").as_deref(), Some("crm-shard-1"));
    }
}
