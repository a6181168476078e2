//! The routing key of an encoded event, its tenant and lead ids, read without decoding it.
//!
//! What it is for: the router reads every record on the source thread only to pick the shard
//! that owns its lead; the shard then decodes and validates the whole event. The ids are almost
//! always among the first fields, so a scan of the top-level object that stops once it has both
//! reads a fraction of what a full decode does. Ids with escapes, or anything the scan does not
//! expect, fall back to serde_json reading just those two fields, so the key is what
//! [`Decoder::decode`](super::Decoder::decode) gives for every event it accepts (tested): a
//! lead's events always meet on one shard.
//! What it is not: validation. A record that is not a JSON object with a string `tenant_id`
//! has no key; the caller routes it anywhere and the shard's full decode rejects it with its
//! reason.

use std::borrow::Cow;

use serde::Deserialize;

use super::raw::CowStr;

/// The tenant id and the lead id (absent for market updates) of an encoded event.
pub type RoutingKey<'a> = (Cow<'a, str>, Option<Cow<'a, str>>);

/// The routing key of `bytes`, or `None` when it has none (not a JSON object, no string
/// `tenant_id`, ...; such a record cannot decode either).
pub fn routing_key(bytes: &[u8]) -> Option<RoutingKey<'_>> {
    match scan(bytes) {
        Scan::Found(tenant, lead) => Some((Cow::Borrowed(tenant), lead.map(Cow::Borrowed))),
        Scan::Unsure => parse(bytes),
    }
}

/// Only the two routing fields; every other field is skipped, `null` counts as absent.
#[derive(Deserialize)]
struct RawKey<'a> {
    #[serde(borrow)]
    tenant_id: Option<CowStr<'a>>,
    #[serde(borrow)]
    lead_id: Option<CowStr<'a>>,
}

fn parse(bytes: &[u8]) -> Option<RoutingKey<'_>> {
    let key: RawKey<'_> = serde_json::from_slice(bytes).ok()?;
    Some((key.tenant_id?.0, key.lead_id.map(|l| l.0)))
}

enum Scan<'a> {
    /// Both fields read (the lead absent when the object ended without one).
    Found(&'a str, Option<&'a str>),
    /// Something the scan does not handle: let serde_json decide.
    Unsure,
}

/// Walks the top-level object's fields until it has `tenant_id` and `lead_id`.
fn scan(b: &[u8]) -> Scan<'_> {
    let mut at = skip_ws(b, 0);
    if b.get(at) != Some(&b'{') {
        return Scan::Unsure;
    }
    at += 1;
    let (mut tenant, mut lead): (Option<&str>, Option<Option<&str>>) = (None, None);
    loop {
        at = skip_ws(b, at);
        let Some((name, after)) = plain_string(b, at) else {
            return Scan::Unsure;
        };
        at = skip_ws(b, after);
        if b.get(at) != Some(&b':') {
            return Scan::Unsure;
        }
        at = skip_ws(b, at + 1);
        match name {
            b"tenant_id" | b"lead_id" => {
                // A repeated field is left to serde_json (which rejects it).
                let seen = if name == b"tenant_id" {
                    tenant.is_some()
                } else {
                    lead.is_some()
                };
                if seen {
                    return Scan::Unsure;
                }
                let (value, after) = if b.get(at..).is_some_and(|s| s.starts_with(b"null")) {
                    (None, at + 4)
                } else {
                    let Some((v, after)) = plain_string(b, at) else {
                        return Scan::Unsure;
                    };
                    let Ok(v) = std::str::from_utf8(v) else {
                        return Scan::Unsure;
                    };
                    (Some(v), after)
                };
                if name == b"tenant_id" {
                    let Some(v) = value else {
                        return Scan::Unsure;
                    };
                    tenant = Some(v);
                } else {
                    lead = Some(value);
                }
                at = after;
            }
            _ => {
                let Some(after) = skip_value(b, at) else {
                    return Scan::Unsure;
                };
                at = after;
            }
        }
        if let (Some(t), Some(l)) = (tenant, lead) {
            return Scan::Found(t, l);
        }
        at = skip_ws(b, at);
        match b.get(at) {
            Some(b',') => at += 1,
            Some(b'}') => {
                return match tenant {
                    Some(t) => Scan::Found(t, None),
                    None => Scan::Unsure,
                }
            }
            _ => return Scan::Unsure,
        }
    }
}

fn skip_ws(b: &[u8], mut at: usize) -> usize {
    while matches!(b.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// A string at `at` with no escapes: its bytes and the index after its closing quote.
fn plain_string(b: &[u8], at: usize) -> Option<(&[u8], usize)> {
    if b.get(at) != Some(&b'"') {
        return None;
    }
    let start = at + 1;
    let len = b
        .get(start..)?
        .iter()
        .position(|&c| c == b'"' || c == b'\\')?;
    let end = start + len;
    (b.get(end) == Some(&b'"')).then(|| (&b[start..end], end + 1))
}

/// The index after the JSON value starting at `at` (strings with escapes, nested arrays and
/// objects included), without checking more than it must to find its end.
fn skip_value(b: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    loop {
        match *b.get(i)? {
            b'"' => i = string_end(b, i)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b',' if depth == 0 => return Some(i),
            _ => i += 1,
        }
        if depth == 0 && matches!(b.get(i), Some(b',' | b'}') | None) {
            return Some(i);
        }
    }
}

/// The index after the string whose opening quote is at `at`, escapes included.
fn string_end(b: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(json: &str) -> Option<(String, Option<String>)> {
        routing_key(json.as_bytes()).map(|(t, l)| (t.into_owned(), l.map(Cow::into_owned)))
    }

    fn owned(t: &str, l: Option<&str>) -> Option<(String, Option<String>)> {
        Some((t.to_string(), l.map(str::to_string)))
    }

    #[test]
    fn reads_the_ids_wherever_they_are() {
        assert_eq!(
            key(r#"{"tenant_id":"t","lead_id":"l"}"#),
            owned("t", Some("l"))
        );
        assert_eq!(
            key(
                r#" { "x" : {"lead_id":"no","a":[1,"]",{"b":"\""}]} , "lead_id" : "l", "tenant_id":"t" }"#
            ),
            owned("t", Some("l"))
        );
        assert_eq!(key(r#"{"tenant_id":"t","lead_id":null}"#), owned("t", None));
        assert_eq!(
            key(r#"{"type":"market_update","tenant_id":"t"}"#),
            owned("t", None)
        );
    }

    #[test]
    fn escapes_and_oddities_go_through_serde_json() {
        assert_eq!(
            key(r#"{"tenant_id":"t","lead_id":"lead\u002d1"}"#),
            owned("t", Some("lead-1"))
        );
        assert_eq!(
            key(r#"{"tenant\u005fid":"t","lead_id":"l"}"#),
            owned("t", Some("l"))
        );
        // A repeated id before both are read: serde_json rejects the record.
        assert_eq!(
            key(r#"{"lead_id":"l","lead_id":"m","tenant_id":"t"}"#),
            None
        );
        assert_eq!(key(r#"{"lead_id":"l"}"#), None);
        assert_eq!(key(r#"{"tenant_id":5,"lead_id":"l"}"#), None);
        assert_eq!(key("[]"), None);
        assert_eq!(key(""), None);
        assert_eq!(key(r#"{"tenant_id":"t","lead_id":"l"#), None);
    }
}
