//! Bounded label values owned by telemetry: pipeline stages, sources, queues, error kinds,
//! commit results, rebalance kinds and the five churn risk levels.
//!
//! What it is for: making the value set of every label that telemetry knows about a closed enum,
//! so no caller can put an unbounded value (a lead id) into a label.
//! What it is not: the domain types themselves. Labels from higher layers (model names,
//! intervention types, emotions, journey stages) are taken as `&'static str`: static strings are
//! a fixed set known at compile time, which keeps them bounded too.

macro_rules! label_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The label value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }
    };
}

label_enum! {
    /// Where events come from (label `source`).
    Source {
        /// A Kafka topic.
        Kafka => "kafka",
        /// The built-in simulator (embedded mode).
        Simulator => "simulator",
        /// A JSONL file replay (`--input`).
        File => "file",
    }
}

label_enum! {
    /// A pipeline stage whose processing time is measured (label `stage`).
    Stage {
        /// Bytes to a validated event.
        Decode => "decode",
        /// Hashing the lead key to a worker shard and handing the event over.
        Route => "route",
        /// Updating the lead's state.
        State => "state",
        /// Building the feature vector.
        Features => "features",
        /// Model predictions from the current snapshots.
        Predict => "predict",
        /// Churn risk, interventions and personalization choices.
        Decide => "decide",
        /// Serializing and handing outputs to the sink.
        Sink => "sink",
    }
}

label_enum! {
    /// A bounded internal queue (label `queue`).
    Queue {
        /// Events routed to a worker shard.
        ShardInput => "shard_input",
        /// Labelled examples waiting for a model's learner.
        Learner => "learner",
        /// Outputs waiting to be produced.
        Sink => "sink",
        /// Offsets waiting for their outputs' acknowledgements before commit.
        PendingCommit => "pending_commit",
    }
}

label_enum! {
    /// The kind of an error (label `kind` of `leadstream_errors_total`).
    ErrorKind {
        /// Reading from the source failed.
        Consume => "consume",
        /// Handing a record to the producer failed.
        Produce => "produce",
        /// The broker reported a failed delivery.
        Delivery => "delivery",
        /// An offset commit failed.
        Commit => "commit",
        /// A local sink (file, terminal) failed.
        Sink => "sink",
        /// Anything else inside the engine.
        Internal => "internal",
    }
}

label_enum! {
    /// The result of an offset commit (label `result`).
    CommitResult {
        /// Committed.
        Ok => "ok",
        /// The commit failed.
        Error => "error",
    }
}

label_enum! {
    /// A consumer-group rebalance event (label `kind` of `leadstream_rebalances_total`).
    Rebalance {
        /// Partitions were assigned to this instance.
        Assign => "assign",
        /// Partitions were revoked from this instance.
        Revoke => "revoke",
    }
}

label_enum! {
    /// The five churn risk levels of issue 5 (label `risk_level`), lowest first.
    RiskLevel {
        /// Very low risk.
        VeryLow => "very_low",
        /// Low risk.
        Low => "low",
        /// Medium risk.
        Medium => "medium",
        /// High risk.
        High => "high",
        /// Critical risk.
        Critical => "critical",
    }
}

impl RiskLevel {
    /// The level at `index` (0 = very low .. 4 = critical), for callers with their own enum.
    pub fn from_index(index: usize) -> Option<Self> {
        Self::ALL.get(index).copied()
    }
}
