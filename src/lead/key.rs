//! A lead id as a map key, stored inline when short.
//!
//! What it is for: most lead ids are short (UUIDs without dashes, CRM numbers); keeping them in
//! the map bucket saves an allocation per lead and, on lookup, a cache miss to compare the key.
//! What it is not: a general small-string type; it only needs to hash and compare like `str`.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// Longest id stored inline.
const INLINE: usize = 22;

/// A lead id: inline up to 22 bytes, boxed beyond. Hashes and compares exactly like its `str`,
/// so maps keyed by it are looked up with a plain `&str`.
#[derive(Clone)]
pub(crate) enum LeadKey {
    /// Short id: length and bytes.
    Inline(u8, [u8; INLINE]),
    /// Long id.
    Heap(Box<str>),
}

impl LeadKey {
    pub(crate) fn new(s: &str) -> Self {
        let bytes = s.as_bytes();
        if bytes.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..bytes.len()].copy_from_slice(bytes);
            // Cannot truncate: the length is at most 22.
            Self::Inline(bytes.len() as u8, buf)
        } else {
            Self::Heap(Box::from(s))
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // The bytes were copied from a `str` on a char boundary (the whole string).
            Self::Inline(len, buf) => {
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default()
            }
            Self::Heap(s) => s,
        }
    }

    /// Heap bytes owned beyond the key itself (0 when inline).
    pub(crate) fn heap_len(&self) -> usize {
        match self {
            Self::Inline(..) => 0,
            Self::Heap(s) => s.len(),
        }
    }
}

impl std::fmt::Debug for LeadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for LeadKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for LeadKey {}

impl Hash for LeadKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Borrow<str> for LeadKey {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap_round_trip() {
        for s in [
            "",
            "lead-1",
            "0123456789012345678901",
            "01234567890123456789012",
            "é🏡",
        ] {
            let k = LeadKey::new(s);
            assert_eq!(k.as_str(), s);
        }
        assert!(matches!(
            LeadKey::new("0123456789012345678901"),
            LeadKey::Inline(22, _)
        ));
        assert!(matches!(
            LeadKey::new("01234567890123456789012"),
            LeadKey::Heap(_)
        ));
        assert_eq!(std::mem::size_of::<LeadKey>(), 24);
    }

    #[test]
    fn map_lookup_by_str() {
        let mut m = std::collections::HashMap::new();
        m.insert(LeadKey::new("short"), 1);
        m.insert(LeadKey::new("a-rather-long-lead-identifier-0001"), 2);
        assert_eq!(m.get("short"), Some(&1));
        assert_eq!(m.get("a-rather-long-lead-identifier-0001"), Some(&2));
        assert_eq!(m.get("other"), None);
    }
}
