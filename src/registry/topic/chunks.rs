//! The model topic's record format: a version's snapshot split into chunks small enough for
//! Kafka's default 1 MB message limit, and the reassembly that tells a complete, intact chunk
//! set from an incomplete, mixed or corrupted one.
//!
//! What it is for: both sides of the topic, without a broker (unit-tested here). Keys are
//! `INSTANCE/SLOT/INDEX` (`INDEX` four digits): an instance writes its versions alternately to
//! slot `a` and slot `b`, so compaction (newest record per key) keeps its newest version and the
//! one before; a publication cut short leaves a mixed slot and the other slot still complete.
//! Every chunk carries headers naming its publication (`uid`), version, creation time, index,
//! count, the whole snapshot's size and CRC-32, and its own CRC-32.
//! What it is not: producing or consuming (see the sibling modules).

use std::collections::BTreeMap;

use crate::registry::error::RegistryError;
use crate::registry::version::VersionInfo;

/// Bytes per chunk: a quarter of Kafka's default `message.max.bytes` (1 MB), so a chunk and its
/// headers fit every default broker and client limit; a 1.4 MB learner snapshot is 6 chunks.
pub const CHUNK_BYTES: usize = 256 * 1024;
/// Most chunks a publication may claim (1 GiB at [`CHUNK_BYTES`]): headers from the topic are
/// untrusted, and a set claiming more is ignored rather than allocated for.
pub(super) const MAX_CHUNKS: u32 = 4096;

/// Header: the publication, `INSTANCE/VERSION@CREATED_AT_MS`.
pub(super) const H_UID: &str = "leadstream.uid";
/// Header: the version id in the publishing registry (`v000042`).
pub(super) const H_VERSION: &str = "leadstream.version";
/// Header: the version's creation time, epoch ms.
pub(super) const H_CREATED: &str = "leadstream.created_at_ms";
/// Header: labelled examples the learner had learned.
pub(super) const H_SAMPLES: &str = "leadstream.samples_seen";
/// Header: this chunk's index (0-based).
pub(super) const H_CHUNK: &str = "leadstream.chunk";
/// Header: chunks in the set.
pub(super) const H_CHUNKS: &str = "leadstream.chunks";
/// Header: size of the whole snapshot, bytes.
pub(super) const H_SIZE: &str = "leadstream.size";
/// Header: CRC-32 of the whole snapshot (8 hex digits).
pub(super) const H_CRC: &str = "leadstream.crc32";
/// Header: CRC-32 of this chunk's bytes (8 hex digits).
pub(super) const H_CHUNK_CRC: &str = "leadstream.chunk_crc32";

/// One record of the model topic, as produced or as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRecord {
    /// `INSTANCE/SLOT/INDEX`.
    pub key: String,
    /// Header names and UTF-8 values.
    pub headers: Vec<(String, String)>,
    /// The chunk's bytes.
    pub value: Vec<u8>,
}

impl TopicRecord {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The uid of a publication of `info` by `instance`.
pub fn uid_of(instance: &str, info: &VersionInfo) -> String {
    format!("{instance}/{}@{}", info.id, info.created_at_ms)
}

/// Splits a version's verified snapshot `bytes` into the records of slot `slot`.
pub fn split(
    instance: &str,
    slot: char,
    info: &VersionInfo,
    bytes: &[u8],
    chunk_bytes: usize,
) -> Vec<TopicRecord> {
    let pieces: Vec<&[u8]> = bytes.chunks(chunk_bytes.max(1)).collect();
    let count = pieces.len().max(1);
    let uid = uid_of(instance, info);
    let crc = format!("{:08x}", crc32fast::hash(bytes));
    let mut out = Vec::with_capacity(count);
    for index in 0..count {
        let piece = pieces.get(index).copied().unwrap_or(&[]);
        let headers = [
            (H_UID, uid.clone()),
            (H_VERSION, info.id.clone()),
            (H_CREATED, info.created_at_ms.to_string()),
            (H_SAMPLES, info.samples_seen.to_string()),
            (H_CHUNK, index.to_string()),
            (H_CHUNKS, count.to_string()),
            (H_SIZE, bytes.len().to_string()),
            (H_CRC, crc.clone()),
            (H_CHUNK_CRC, format!("{:08x}", crc32fast::hash(piece))),
        ];
        out.push(TopicRecord {
            key: format!("{instance}/{slot}/{index:04}"),
            headers: headers
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v))
                .collect(),
            value: piece.to_vec(),
        });
    }
    out
}

/// The chunks of one publication found in the topic.
#[derive(Debug, Clone)]
pub struct ChunkSet {
    /// `INSTANCE/VERSION@CREATED_AT_MS`.
    pub uid: String,
    /// The publishing instance.
    pub instance: String,
    /// The slot (`a` or `b`) its chunks were found in.
    pub slot: String,
    /// The version id in the publishing registry.
    pub version: String,
    /// Creation time, epoch ms (the publishing registry's clock).
    pub created_at_ms: i64,
    /// Labelled examples learned.
    pub samples_seen: u64,
    count: u32,
    size: u64,
    crc: u32,
    chunks: BTreeMap<u32, TopicRecord>,
    disagreement: Option<String>,
}

fn parse<T: std::str::FromStr>(r: &TopicRecord, name: &str) -> Option<T> {
    r.header(name)?.parse().ok()
}

fn parse_crc(r: &TopicRecord, name: &str) -> Option<u32> {
    u32::from_str_radix(r.header(name)?, 16).ok()
}

impl ChunkSet {
    fn start(r: &TopicRecord) -> Option<Self> {
        let mut key = r.key.splitn(3, '/');
        let (instance, slot) = (key.next()?.to_owned(), key.next()?.to_owned());
        let count: u32 = parse(r, H_CHUNKS)?;
        let size: u64 = parse(r, H_SIZE)?;
        let max_size = u64::from(count).saturating_mul(CHUNK_BYTES as u64);
        if count == 0 || count > MAX_CHUNKS || size > max_size {
            return None;
        }
        Some(Self {
            uid: r.header(H_UID)?.to_owned(),
            instance,
            slot,
            version: r.header(H_VERSION)?.to_owned(),
            created_at_ms: parse(r, H_CREATED)?,
            samples_seen: parse(r, H_SAMPLES)?,
            count,
            size,
            crc: parse_crc(r, H_CRC)?,
            chunks: BTreeMap::new(),
            disagreement: None,
        })
    }

    fn add(&mut self, index: u32, r: TopicRecord) {
        if index >= self.count {
            return;
        }
        let agrees = parse::<u32>(&r, H_CHUNKS) == Some(self.count)
            && parse::<u64>(&r, H_SIZE) == Some(self.size)
            && parse_crc(&r, H_CRC) == Some(self.crc);
        if !agrees && self.disagreement.is_none() {
            self.disagreement = Some(format!(
                "chunk {index} disagrees with the others on count, size or CRC"
            ));
        }
        self.chunks.insert(index, r);
    }

    /// CRC-32 of the whole snapshot, from the headers.
    pub fn crc(&self) -> u32 {
        self.crc
    }

    /// Whether every chunk `0..count` is present.
    pub fn is_complete(&self) -> bool {
        self.count > 0 && (0..self.count).all(|i| self.chunks.contains_key(&i))
    }

    fn fail(&self, reason: &'static str, detail: String) -> RegistryError {
        RegistryError::ChunkSet {
            uid: self.uid.clone(),
            reason,
            detail,
        }
    }

    /// The reassembled snapshot, verified: every chunk present and matching its CRC-32, the
    /// whole matching the recorded size and CRC-32.
    ///
    /// # Errors
    /// [`RegistryError::ChunkSet`] with reason `incomplete` or `corrupted`.
    pub fn bytes(&self) -> Result<Vec<u8>, RegistryError> {
        if !self.is_complete() {
            let missing: Vec<u32> = (0..self.count)
                .filter(|i| !self.chunks.contains_key(i))
                .collect();
            return Err(self.fail(
                "incomplete",
                format!("chunks {missing:?} of {} are missing", self.count),
            ));
        }
        if let Some(d) = &self.disagreement {
            return Err(self.fail("corrupted", d.clone()));
        }
        let mut out = Vec::with_capacity(self.chunks.values().map(|r| r.value.len()).sum());
        for (i, r) in &self.chunks {
            if *i >= self.count {
                continue;
            }
            let found = crc32fast::hash(&r.value);
            if parse_crc(r, H_CHUNK_CRC) != Some(found) {
                return Err(self.fail(
                    "corrupted",
                    format!("chunk {i} has CRC-32 {found:08x}, not its header's"),
                ));
            }
            out.extend_from_slice(&r.value);
        }
        let found = crc32fast::hash(&out);
        if out.len() as u64 != self.size || found != self.crc {
            return Err(self.fail(
                "corrupted",
                format!(
                    "reassembled {} bytes with CRC-32 {found:08x}, expected {} bytes with {:08x}",
                    out.len(),
                    self.size,
                    self.crc
                ),
            ));
        }
        Ok(out)
    }
}

/// Groups the topic's records (already reduced to the newest per key) into chunk sets, newest
/// first (by creation time, then samples seen). Records without the headers, or whose headers
/// claim no chunks, more than `MAX_CHUNKS` or more bytes than their chunks can hold, are
/// ignored, as are chunk indices past the claimed count.
pub fn assemble(records: impl IntoIterator<Item = TopicRecord>) -> Vec<ChunkSet> {
    let mut sets: BTreeMap<String, ChunkSet> = BTreeMap::new();
    for r in records {
        let (Some(uid), Some(index)) = (r.header(H_UID), parse::<u32>(&r, H_CHUNK)) else {
            continue;
        };
        if !sets.contains_key(uid) {
            let Some(set) = ChunkSet::start(&r) else {
                continue;
            };
            sets.insert(uid.to_owned(), set);
        }
        if let Some(set) = sets.get_mut(uid) {
            set.add(index, r);
        }
    }
    let mut out: Vec<ChunkSet> = sets.into_values().collect();
    out.sort_by(|a, b| {
        (b.created_at_ms, b.samples_seen, &b.uid).cmp(&(a.created_at_ms, a.samples_seen, &a.uid))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{DecideConfig, Learner};
    use crate::registry::SaveReason;

    fn info(id: &str, created: i64, bytes: &[u8]) -> VersionInfo {
        let (learner, _) = Learner::new(&DecideConfig::default(), 1);
        let mut v = VersionInfo::describe(
            1,
            None,
            created,
            SaveReason::Periodic,
            &learner.checkpoint(),
            bytes,
        );
        v.id = id.to_owned();
        v
    }

    fn payload(n: usize, seed: u8) -> Vec<u8> {
        (0..n)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn split_and_assemble_round_trip() {
        let bytes = payload(10_000, 3);
        let records = split("i1", 'a', &info("v000001", 5, &bytes), &bytes, 4096);
        assert_eq!(records.len(), 3);
        assert_eq!(records[2].key, "i1/a/0002");
        let sets = assemble(records);
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].bytes().expect("complete"), bytes);
        assert_eq!(sets[0].slot, "a");
    }

    #[test]
    fn missing_chunk_is_incomplete_and_newest_comes_first() {
        let old = payload(9000, 1);
        let new = payload(9000, 2);
        let mut records = split("i1", 'a', &info("v000001", 5, &old), &old, 4096);
        let mut newer = split("i1", 'b', &info("v000002", 9, &new), &new, 4096);
        newer.remove(1);
        records.extend(newer);
        let sets = assemble(records);
        assert_eq!(sets[0].version, "v000002");
        let err = sets[0].bytes().expect_err("a chunk is missing");
        assert!(
            matches!(
                err,
                RegistryError::ChunkSet {
                    reason: "incomplete",
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(sets[1].bytes().expect("older set complete"), old);
    }

    #[test]
    fn headers_claiming_absurd_sizes_are_ignored_not_allocated_for() {
        let bytes = payload(9000, 1);
        let good = split("i1", 'a', &info("v000001", 5, &bytes), &bytes, 4096);
        let set_header = |r: &mut TopicRecord, name: &str, value: String| {
            for (n, v) in &mut r.headers {
                if n == name {
                    *v = value.clone();
                }
            }
        };
        let mut huge_count = split("i2", 'a', &info("v000002", 9, &bytes), &bytes, 4096);
        for r in &mut huge_count {
            set_header(r, H_CHUNKS, u32::MAX.to_string());
        }
        let mut huge_size = split("i3", 'a', &info("v000003", 9, &bytes), &bytes, 4096);
        for r in &mut huge_size {
            set_header(r, H_SIZE, u64::MAX.to_string());
        }
        let mut records = good;
        records.extend(huge_count);
        records.extend(huge_size);
        let sets = assemble(records);
        assert_eq!(sets.len(), 1, "only the well-formed publication is a set");
        assert_eq!(sets[0].bytes().expect("complete"), bytes);
    }

    #[test]
    fn flipped_byte_is_corrupted() {
        let bytes = payload(9000, 1);
        let mut records = split("i1", 'a', &info("v000001", 5, &bytes), &bytes, 4096);
        records[1].value[7] ^= 0x40;
        let err = assemble(records)[0].bytes().expect_err("corrupted");
        assert!(
            matches!(
                err,
                RegistryError::ChunkSet {
                    reason: "corrupted",
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(err.reason(), "corrupted");
    }

    #[test]
    fn a_slot_overwritten_halfway_mixes_two_versions_and_neither_is_complete() {
        let v1 = payload(12_000, 1);
        let v3 = payload(12_000, 3);
        let mut slot: BTreeMap<String, TopicRecord> = BTreeMap::new();
        for r in split("i1", 'a', &info("v000001", 1, &v1), &v1, 4096) {
            slot.insert(r.key.clone(), r);
        }
        // The publication of v000003 into the same slot stopped after its first chunk.
        let first = split("i1", 'a', &info("v000003", 3, &v3), &v3, 4096).remove(0);
        slot.insert(first.key.clone(), first);
        let sets = assemble(slot.into_values());
        assert_eq!(sets.len(), 2);
        assert!(sets.iter().all(|s| !s.is_complete()));
    }
}
