//! docs/metrics.md documents exactly the catalogue: every metric with its type and labels, and
//! no metric name that leadstream does not export.

use leadstream::telemetry::catalogue::{find, find_series};
use leadstream::telemetry::CATALOGUE;

#[test]
fn every_metric_is_documented_with_its_type_and_labels() {
    let doc = std::fs::read_to_string("docs/metrics.md").expect("docs/metrics.md");
    for def in CATALOGUE {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", def.name)))
            .unwrap_or_else(|| panic!("{} has no row in docs/metrics.md", def.name));
        assert!(row.contains(&format!("| {} |", def.kind.as_str())), "{row}");
        for label in def.labels {
            assert!(
                row.contains(&format!("`{label}`")),
                "{row} lacks label {label}"
            );
        }
        assert!(
            row.contains(def.help),
            "{row}: help text differs from the catalogue"
        );
    }
}

#[test]
fn the_docs_name_no_metric_outside_the_catalogue() {
    let doc = std::fs::read_to_string("docs/metrics.md").expect("docs/metrics.md");
    let mut rest = doc.as_str();
    while let Some(i) = rest.find("leadstream_") {
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        let name = &tail[..end];
        // The bare prefix is mentioned when the naming convention is explained.
        assert!(
            name == "leadstream_" || find(name).is_some() || find_series(name).is_some(),
            "docs mention unknown metric {name}"
        );
        rest = &tail[end..];
    }
}
