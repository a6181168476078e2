//! The units that travel between pipeline stages: batches of input records and of outputs.
//!
//! What it is for: moving many records per channel message (one allocation per batch, not per
//! record) with where each record came from ([`Origin`]) and when it was received, so a sink can
//! acknowledge the input offset once every output it caused is delivered.
//! What it is not: decoding or serialization (records are raw bytes here).

use std::ops::Range;
use std::time::Instant;

/// Where an input record came from: a Kafka partition and offset. Embedded sources use
/// partition 0 and a running sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// Source partition.
    pub partition: i32,
    /// Offset within the partition.
    pub offset: i64,
}

/// One input record inside an [`InputBatch`].
#[derive(Debug, Clone)]
pub struct InputMeta {
    /// The record's bytes in the batch arena.
    pub range: Range<usize>,
    /// Where it came from.
    pub origin: Origin,
    /// When the source received it (wall-clock latency is measured from here).
    pub received: Instant,
}

/// Raw input records for one shard, stored back to back in one buffer.
#[derive(Debug, Default)]
pub struct InputBatch {
    data: Vec<u8>,
    records: Vec<InputMeta>,
}

impl InputBatch {
    /// An empty batch with room for `records` records of about `bytes_each` bytes.
    pub fn with_capacity(records: usize, bytes_each: usize) -> Self {
        Self {
            data: Vec::with_capacity(records * bytes_each),
            records: Vec::with_capacity(records),
        }
    }

    /// Appends a record.
    pub fn push(&mut self, bytes: &[u8], origin: Origin, received: Instant) {
        let start = self.data.len();
        self.data.extend_from_slice(bytes);
        self.records.push(InputMeta {
            range: start..self.data.len(),
            origin,
            received,
        });
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Empties the batch, keeping its buffers for reuse.
    pub fn clear(&mut self) {
        self.data.clear();
        self.records.clear();
    }

    /// Whether the batch holds no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every record: its bytes and metadata, in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &InputMeta)> + '_ {
        self.records
            .iter()
            .map(move |m| (self.data.get(m.range.clone()).unwrap_or_default(), m))
    }
}

/// What an output record is, which decides its topic or file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputKind {
    /// A personalization decision.
    Decision,
    /// A churn alert.
    Alert,
    /// A rejected input record with the reason.
    DeadLetter,
    /// A lead's newest state for the changelog topic (key `tenant\0lead`, value a
    /// [`crate::persist`] envelope), produced to the partition number of its input record.
    Changelog,
}

impl OutputKind {
    /// All kinds, in a fixed order (for per-kind arrays).
    pub const ALL: [Self; 4] = [
        Self::Decision,
        Self::Alert,
        Self::DeadLetter,
        Self::Changelog,
    ];

    /// Index into per-kind arrays.
    pub const fn index(self) -> usize {
        match self {
            Self::Decision => 0,
            Self::Alert => 1,
            Self::DeadLetter => 2,
            Self::Changelog => 3,
        }
    }
}

/// One output record inside an [`OutputBatch`].
#[derive(Debug, Clone)]
pub struct OutputMeta {
    /// Decision, alert or dead letter.
    pub kind: OutputKind,
    /// The record key (the lead, `tenant_id/lead_id`) in the arena.
    pub key: Range<usize>,
    /// The JSON payload in the arena.
    pub payload: Range<usize>,
    /// The input record that caused it (`None` for outputs of event-time progress alone).
    pub origin: Option<Origin>,
    /// For dead letters: the error message in the arena (empty otherwise). For dead letters the
    /// key holds the reason code and the payload the original bytes.
    pub detail: Range<usize>,
}

/// That an input record is fully processed and caused `outputs` outputs in this batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    /// The input record.
    pub origin: Origin,
    /// How many outputs in the same batch it caused.
    pub outputs: u32,
}

/// Outputs from one stage, stored back to back in one buffer, plus the input records they
/// complete.
#[derive(Debug, Default)]
pub struct OutputBatch {
    data: Vec<u8>,
    records: Vec<OutputMeta>,
    completions: Vec<Completion>,
}

impl OutputBatch {
    /// An empty batch with room for `records` outputs (of about 512 bytes each).
    pub fn with_capacity(records: usize) -> Self {
        Self::with_capacity_bytes(records, records * 512)
    }

    /// An empty batch with room for `records` outputs and `bytes` bytes of keys and payloads.
    pub fn with_capacity_bytes(records: usize, bytes: usize) -> Self {
        Self {
            data: Vec::with_capacity(bytes),
            records: Vec::with_capacity(records),
            completions: Vec::with_capacity(records),
        }
    }

    /// Empties the batch, keeping its allocations.
    pub fn clear(&mut self) {
        self.data.clear();
        self.records.clear();
        self.completions.clear();
    }

    /// Bytes of keys, payloads and details held.
    pub fn bytes(&self) -> usize {
        self.data.len()
    }

    /// Appends an output whose key is `key` and whose payload is written by `write` into the
    /// arena (so JSON is serialized straight into the batch, without a temporary buffer).
    pub fn push_with<E>(
        &mut self,
        kind: OutputKind,
        key: &[&str],
        origin: Option<Origin>,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>,
    ) -> Result<(), E> {
        let key_start = self.data.len();
        for (i, part) in key.iter().enumerate() {
            if i > 0 {
                self.data.push(b'/');
            }
            self.data.extend_from_slice(part.as_bytes());
        }
        let payload_start = self.data.len();
        if let Err(e) = write(&mut self.data) {
            self.data.truncate(key_start);
            return Err(e);
        }
        self.records.push(OutputMeta {
            kind,
            key: key_start..payload_start,
            payload: payload_start..self.data.len(),
            origin,
            detail: 0..0,
        });
        Ok(())
    }

    /// Appends a dead letter: the reason code, the error message and the original bytes.
    pub fn push_dead_letter(
        &mut self,
        reason: &str,
        detail: &str,
        original: &[u8],
        origin: Origin,
    ) {
        let key_start = self.data.len();
        self.data.extend_from_slice(reason.as_bytes());
        let detail_start = self.data.len();
        self.data.extend_from_slice(detail.as_bytes());
        let payload_start = self.data.len();
        self.data.extend_from_slice(original);
        self.records.push(OutputMeta {
            kind: OutputKind::DeadLetter,
            key: key_start..detail_start,
            payload: payload_start..self.data.len(),
            origin: Some(origin),
            detail: detail_start..payload_start,
        });
    }

    /// The detail text of an output (the error message of a dead letter; empty otherwise).
    pub fn detail(&self, meta: &OutputMeta) -> &[u8] {
        self.data.get(meta.detail.clone()).unwrap_or_default()
    }

    /// Records that `origin` is fully processed with `outputs` outputs in this batch.
    pub fn complete(&mut self, origin: Origin, outputs: u32) {
        self.completions.push(Completion { origin, outputs });
    }

    /// Number of output records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the batch holds neither outputs nor completions.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.completions.is_empty()
    }

    /// Every output: metadata, key bytes and payload bytes.
    pub fn iter(&self) -> impl Iterator<Item = (&OutputMeta, &[u8], &[u8])> + '_ {
        self.records.iter().map(move |m| {
            let key = self.data.get(m.key.clone()).unwrap_or_default();
            let payload = self.data.get(m.payload.clone()).unwrap_or_default();
            (m, key, payload)
        })
    }

    /// Counts `outputs` more outputs for the completion at `index` (an index into
    /// [`completions`](Self::completions)), for outputs written after the record was completed,
    /// such as the changelog record of a batch's leads.
    pub fn add_outputs(&mut self, index: usize, outputs: u32) {
        if let Some(c) = self.completions.get_mut(index) {
            c.outputs += outputs;
        }
    }

    /// The input records this batch completes.
    pub fn completions(&self) -> &[Completion] {
        &self.completions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_batch_keeps_records_apart() {
        let mut b = InputBatch::with_capacity(2, 8);
        let now = Instant::now();
        b.push(
            b"one",
            Origin {
                partition: 0,
                offset: 1,
            },
            now,
        );
        b.push(
            b"",
            Origin {
                partition: 0,
                offset: 2,
            },
            now,
        );
        b.push(
            b"three",
            Origin {
                partition: 1,
                offset: 3,
            },
            now,
        );
        let got: Vec<_> = b
            .iter()
            .map(|(bytes, m)| (bytes, m.origin.offset))
            .collect();
        assert_eq!(
            got,
            vec![(&b"one"[..], 1), (&b""[..], 2), (&b"three"[..], 3)]
        );
    }

    #[test]
    fn output_batch_rolls_back_failed_writes() {
        let mut b = OutputBatch::with_capacity(2);
        let ok: Result<(), ()> = b.push_with(OutputKind::Decision, &["t", "l"], None, |w| {
            w.extend_from_slice(b"{}");
            Ok(())
        });
        assert!(ok.is_ok());
        let err = b.push_with(OutputKind::Alert, &["t", "x"], None, |w| {
            w.extend_from_slice(b"partial");
            Err(())
        });
        assert!(err.is_err());
        let got: Vec<_> = b.iter().map(|(m, k, p)| (m.kind, k, p)).collect();
        assert_eq!(got, vec![(OutputKind::Decision, &b"t/l"[..], &b"{}"[..])]);
    }
}
