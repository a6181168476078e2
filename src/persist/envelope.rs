//! The envelope: `magic | kind | schema | payload length | crc32 | payload`.
//!
//! What it is for: the byte layout every durable record uses. All integers are little-endian:
//! 4 bytes magic `LSR1`, u16 kind, u16 schema version, u32 payload length, u32 CRC-32 (IEEE) of
//! the payload, then the postcard-encoded payload.
//! What it is not: the payload types themselves; they live with their owners.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::PersistError;

/// The first four bytes of every record.
pub const MAGIC: [u8; 4] = *b"LSR1";
/// Bytes before the payload.
pub const HEADER_LEN: usize = 16;

/// What a record holds. The tag values and each kind's schema version are part of the format:
/// never reuse a tag; bump a schema when the payload type changes incompatibly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// The complete learner state of the decision models (a registry version's snapshot).
    ModelSet,
    /// One lead's state (a changelog record or one entry of a state snapshot).
    LeadState,
    /// A batch of lead states (a local state snapshot file's chunk).
    LeadStateBatch,
    /// A registry manifest (versions and the active pointer).
    RegistryManifest,
}

impl PayloadKind {
    const ALL: [PayloadKind; 4] = [
        PayloadKind::ModelSet,
        PayloadKind::LeadState,
        PayloadKind::LeadStateBatch,
        PayloadKind::RegistryManifest,
    ];

    /// The tag written in the header.
    pub const fn tag(self) -> u16 {
        match self {
            PayloadKind::ModelSet => 1,
            PayloadKind::LeadState => 2,
            PayloadKind::LeadStateBatch => 3,
            PayloadKind::RegistryManifest => 4,
        }
    }

    /// The schema version this build writes and reads for this kind. History: model sets and
    /// lead states went to 2 when send times moved to the lead's local hour of the week (the
    /// send-time bandits' shape, the lead's UTC offset).
    pub const fn schema(self) -> u16 {
        match self {
            PayloadKind::ModelSet | PayloadKind::LeadState | PayloadKind::LeadStateBatch => 2,
            PayloadKind::RegistryManifest => 1,
        }
    }

    /// A readable name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            PayloadKind::ModelSet => "model set",
            PayloadKind::LeadState => "lead state",
            PayloadKind::LeadStateBatch => "lead state batch",
            PayloadKind::RegistryManifest => "registry manifest",
        }
    }

    /// The kind with this tag.
    pub fn from_tag(tag: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.tag() == tag)
    }
}

/// Encodes `value` as a record of `kind`.
///
/// # Errors
/// [`PersistError::Encode`] when serde fails, [`PersistError::TooLarge`] past 4 GiB.
pub fn encode<T: Serialize + ?Sized>(
    kind: PayloadKind,
    value: &T,
) -> Result<Vec<u8>, PersistError> {
    let mut out = Vec::new();
    encode_into(kind, value, &mut out)?;
    Ok(out)
}

/// Appends the record of `value` to `out` (reuse `out` on hot paths to avoid allocating).
///
/// # Errors
/// As [`encode`]; on error `out` is left as it was.
pub fn encode_into<T: Serialize + ?Sized>(
    kind: PayloadKind,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), PersistError> {
    let start = out.len();
    out.extend_from_slice(&[0u8; HEADER_LEN]);
    let taken = std::mem::take(out);
    let mut buf = match postcard::to_extend(value, taken) {
        Ok(buf) => buf,
        Err(e) => return Err(PersistError::Encode(e)),
    };
    let payload_len = buf.len() - start - HEADER_LEN;
    let Ok(len32) = u32::try_from(payload_len) else {
        buf.truncate(start);
        *out = buf;
        return Err(PersistError::TooLarge(payload_len));
    };
    let crc = crc32fast::hash(&buf[start + HEADER_LEN..]);
    let header = &mut buf[start..start + HEADER_LEN];
    header[0..4].copy_from_slice(&MAGIC);
    header[4..6].copy_from_slice(&kind.tag().to_le_bytes());
    header[6..8].copy_from_slice(&kind.schema().to_le_bytes());
    header[8..12].copy_from_slice(&len32.to_le_bytes());
    header[12..16].copy_from_slice(&crc.to_le_bytes());
    *out = buf;
    Ok(())
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The kind of a record, from its header alone (no checksum check).
///
/// # Errors
/// [`PersistError::TooShort`], [`PersistError::BadMagic`], [`PersistError::UnknownKind`].
pub fn peek_kind(bytes: &[u8]) -> Result<PayloadKind, PersistError> {
    if bytes.len() < HEADER_LEN {
        return Err(PersistError::TooShort {
            len: bytes.len(),
            header: HEADER_LEN,
        });
    }
    if bytes[0..4] != MAGIC {
        return Err(PersistError::BadMagic);
    }
    let tag = u16_at(bytes, 4);
    PayloadKind::from_tag(tag).ok_or(PersistError::UnknownKind(tag))
}

/// Decodes a record that must hold `kind`, checking magic, kind, schema, length and checksum.
///
/// # Errors
/// Every [`PersistError`] variant but `Encode`/`TooLarge`, naming what is wrong.
pub fn decode<T: DeserializeOwned>(kind: PayloadKind, bytes: &[u8]) -> Result<T, PersistError> {
    let payload = checked_payload(kind, bytes, |schema| schema == kind.schema())?.1;
    postcard::from_bytes(payload).map_err(PersistError::Decode)
}

/// Decodes a record of `kind` at this build's schema, or at the kind's previous schema as `Old`
/// turned into `T` by `upgrade` (so a record written by the previous release still loads).
///
/// # Errors
/// As [`decode`]; [`PersistError::Incompatible`] for any other schema.
pub fn decode_upgrading<T: DeserializeOwned, Old: DeserializeOwned>(
    kind: PayloadKind,
    bytes: &[u8],
    upgrade: impl FnOnce(Old) -> T,
) -> Result<T, PersistError> {
    let previous = kind.schema().saturating_sub(1);
    let (schema, payload) = checked_payload(kind, bytes, |schema| {
        schema == kind.schema() || (previous > 0 && schema == previous)
    })?;
    if schema == kind.schema() {
        postcard::from_bytes(payload).map_err(PersistError::Decode)
    } else {
        postcard::from_bytes(payload)
            .map(upgrade)
            .map_err(PersistError::Decode)
    }
}

/// The schema and payload of a record that holds `kind` at a schema `readable` accepts, after
/// checking magic, kind, length and checksum.
fn checked_payload(
    kind: PayloadKind,
    bytes: &[u8],
    readable: impl Fn(u16) -> bool,
) -> Result<(u16, &[u8]), PersistError> {
    let found = peek_kind(bytes)?;
    if found != kind {
        return Err(PersistError::WrongKind {
            expected: kind.name(),
            found: found.name(),
        });
    }
    let schema = u16_at(bytes, 6);
    if !readable(schema) {
        return Err(PersistError::Incompatible {
            kind: kind.name(),
            found: schema,
            supported: kind.schema(),
        });
    }
    let expected = u32_at(bytes, 8) as usize;
    let payload = &bytes[HEADER_LEN..];
    if payload.len() != expected {
        return Err(PersistError::Truncated {
            expected,
            found: payload.len(),
        });
    }
    let want = u32_at(bytes, 12);
    let got = crc32fast::hash(payload);
    if want != got {
        return Err(PersistError::Checksum {
            expected: want,
            found: got,
        });
    }
    Ok((schema, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Sample {
        name: String,
        weights: Vec<f64>,
        seen: u64,
    }

    fn sample() -> Sample {
        Sample {
            name: "churn".into(),
            weights: vec![0.5, -1.25, f64::MIN_POSITIVE, 1e300],
            seen: 12_345,
        }
    }

    #[test]
    fn round_trips_bit_identical() {
        let bytes = encode(PayloadKind::ModelSet, &sample()).unwrap();
        assert_eq!(&bytes[0..4], b"LSR1");
        let back: Sample = decode(PayloadKind::ModelSet, &bytes).unwrap();
        assert_eq!(back, sample());
        let bits: Vec<u64> = back.weights.iter().map(|w| w.to_bits()).collect();
        let want: Vec<u64> = sample().weights.iter().map(|w| w.to_bits()).collect();
        assert_eq!(bits, want);
    }

    #[test]
    fn encode_into_appends_after_existing_bytes() {
        let mut out = b"prefix".to_vec();
        encode_into(PayloadKind::LeadState, &sample(), &mut out).unwrap();
        assert_eq!(&out[..6], b"prefix");
        let back: Sample = decode(PayloadKind::LeadState, &out[6..]).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn every_flipped_payload_byte_is_caught() {
        let bytes = encode(PayloadKind::ModelSet, &sample()).unwrap();
        for i in HEADER_LEN..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x10;
            let err = decode::<Sample>(PayloadKind::ModelSet, &bad).unwrap_err();
            assert!(
                matches!(err, PersistError::Checksum { .. }),
                "byte {i}: {err}"
            );
        }
    }

    #[test]
    fn header_damage_gives_the_matching_error() {
        let bytes = encode(PayloadKind::ModelSet, &sample()).unwrap();
        let err = decode::<Sample>(PayloadKind::ModelSet, &bytes[..bytes.len() - 3]).unwrap_err();
        assert!(matches!(err, PersistError::Truncated { .. }), "{err}");
        let err = decode::<Sample>(PayloadKind::ModelSet, &bytes[..5]).unwrap_err();
        assert!(matches!(err, PersistError::TooShort { .. }), "{err}");
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert!(matches!(
            decode::<Sample>(PayloadKind::ModelSet, &bad),
            Err(PersistError::BadMagic)
        ));
        let mut newer = bytes.clone();
        newer[6] = 9;
        let err = decode::<Sample>(PayloadKind::ModelSet, &newer).unwrap_err();
        assert!(
            matches!(err, PersistError::Incompatible { found: 9, .. }),
            "{err}"
        );
        let err = decode::<Sample>(PayloadKind::LeadState, &bytes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "record holds model set, expected lead state"
        );
        let mut unknown = bytes;
        unknown[4] = 200;
        assert!(matches!(
            decode::<Sample>(PayloadKind::ModelSet, &unknown),
            Err(PersistError::UnknownKind(200))
        ));
    }

    #[test]
    fn intact_bytes_of_the_wrong_type_fail_to_decode() {
        let bytes = encode(PayloadKind::ModelSet, &7u8).unwrap();
        let err = decode::<Sample>(PayloadKind::ModelSet, &bytes).unwrap_err();
        assert!(matches!(err, PersistError::Decode(_)), "{err}");
    }
}
