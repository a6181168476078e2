//! docs/events.md and schema/events.v1.schema.json agree with the decoder.

use std::collections::BTreeSet;

use leadstream::event::{
    decode, Channel, DecodeError, EventType, JourneyStage, MessageVariant, FIELDS,
};

const DOC: &str = include_str!("../docs/events.md");
const SCHEMA: &str = include_str!("../schema/events.v1.schema.json");

fn example_lines() -> Vec<&'static str> {
    let start = DOC.find("```json\n").expect("json block") + 8;
    let end = start + DOC[start..].find("```").expect("end of block");
    DOC[start..end]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

#[test]
fn every_documented_example_decodes_and_every_type_has_one() {
    let mut seen = BTreeSet::new();
    for line in example_lines() {
        let e = decode(line.as_bytes()).unwrap_or_else(|err| panic!("{line}: {err}"));
        seen.insert(e.event_type());
    }
    assert_eq!(seen.len(), EventType::COUNT);
}

#[test]
fn docs_name_every_type_and_reason() {
    for t in EventType::ALL {
        assert!(
            DOC.contains(&format!("| `{}` |", t.as_str())),
            "{t} not documented"
        );
    }
    for r in DecodeError::REASONS {
        assert!(
            DOC.contains(&format!("| `{r}` |")),
            "reason {r} not documented"
        );
    }
}

fn strings(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_array()
        .expect("array")
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn names<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> BTreeSet<String> {
    all.iter().map(|v| f(*v).to_owned()).collect()
}

#[test]
fn schema_matches_the_decoder() {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
    let props = schema["properties"].as_object().expect("properties");
    let schema_fields: BTreeSet<&str> = props.keys().map(String::as_str).collect();
    let decoder_fields: BTreeSet<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
    assert_eq!(schema_fields, decoder_fields);
    assert_eq!(
        strings(&props["type"]["enum"]),
        names(EventType::ALL, EventType::as_str)
    );
    assert_eq!(
        strings(&props["channel"]["enum"]),
        names(Channel::ALL, Channel::as_str)
    );
    assert_eq!(
        strings(&props["variant"]["enum"]),
        names(MessageVariant::ALL, MessageVariant::as_str)
    );
    assert_eq!(
        strings(&props["stage"]["enum"]),
        names(JourneyStage::ALL, JourneyStage::as_str)
    );
}
