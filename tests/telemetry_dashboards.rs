//! Static checks of grafana/: every dashboard parses, every PromQL expression (panel targets and
//! annotations) uses only metrics from the catalogue and only their labels, every catalogue
//! metric is charted somewhere, and every panel uses the provisioned datasource.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use leadstream::telemetry::catalogue::{find_series, MetricDef};
use leadstream::telemetry::CATALOGUE;
use serde_json::Value;

const DASHBOARDS: &str = "grafana/dashboards";

/// PromQL words that are not metric names.
const KEYWORDS: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "and",
    "or",
    "unless",
    "bool",
    "offset",
    "inf",
    "nan",
];

/// Aggregation operators, which may be followed by `by (...)` rather than a parenthesis.
const AGGREGATIONS: &[&str] = &[
    "sum",
    "min",
    "max",
    "avg",
    "group",
    "stddev",
    "stdvar",
    "count",
    "count_values",
    "bottomk",
    "topk",
    "quantile",
    "limitk",
    "limit_ratio",
];

/// The metric names and grouping labels of one PromQL expression.
#[derive(Debug, Default)]
struct Parsed {
    metrics: Vec<String>,
    grouping_labels: Vec<String>,
}

fn parse_promql(expr: &str) -> Parsed {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Parsed::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' || c == '[' || c == '"' {
            // Label matchers, range selectors and strings hold no metric names.
            let close = match c {
                '{' => '}',
                '[' => ']',
                _ => '"',
            };
            i += 1;
            while i < chars.len() && chars[i] != close {
                i += 1;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == ':')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let followed_by_paren = chars.get(j) == Some(&'(');
            let lower = word.to_ascii_lowercase();
            if [
                "by",
                "without",
                "on",
                "ignoring",
                "group_left",
                "group_right",
            ]
            .contains(&lower.as_str())
            {
                if followed_by_paren {
                    let close = (j..chars.len())
                        .find(|&k| chars[k] == ')')
                        .expect("closing paren");
                    let inside: String = chars[j + 1..close].iter().collect();
                    if ["by", "without"].contains(&lower.as_str()) {
                        out.grouping_labels.extend(
                            inside
                                .split(',')
                                .map(|l| l.trim().to_string())
                                .filter(|l| !l.is_empty()),
                        );
                    }
                    i = close + 1;
                }
                continue;
            }
            if followed_by_paren
                || KEYWORDS.contains(&lower.as_str())
                || AGGREGATIONS.contains(&lower.as_str())
            {
                continue; // a function or aggregation, or an operator word
            }
            out.metrics.push(word);
            continue;
        }
        if c.is_ascii_digit() || c == '.' {
            // Numbers, including exponents like 1e-3.
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

fn dashboards() -> Vec<(PathBuf, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DASHBOARDS)
        .expect("grafana/dashboards exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, v)
        })
        .collect()
}

/// (where, expression) for every panel target and annotation.
fn expressions(path: &Path, dash: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for panel in dash["panels"].as_array().expect("panels") {
        let title = panel["title"].as_str().unwrap_or("?");
        for t in panel["targets"].as_array().expect("targets") {
            let expr = t["expr"].as_str().expect("expr");
            out.push((format!("{} / {title}", path.display()), expr.to_string()));
        }
    }
    for a in dash["annotations"]["list"].as_array().expect("annotations") {
        if let Some(expr) = a["expr"].as_str() {
            out.push((
                format!("{} / annotation {}", path.display(), a["name"]),
                expr.to_string(),
            ));
        }
    }
    out
}

#[test]
fn promql_parser_finds_metrics_and_grouping_labels() {
    let p = parse_promql(
        "histogram_quantile(0.99, sum by (le, stage) (rate(leadstream_stage_duration_seconds_bucket{job=\"x\"}[1m]))) / on (bandit) group_left sum(foo_total) * 1e-3",
    );
    assert_eq!(
        p.metrics,
        vec!["leadstream_stage_duration_seconds_bucket", "foo_total"]
    );
    assert_eq!(p.grouping_labels, vec!["le", "stage"]);
}

#[test]
fn every_expression_uses_only_catalogue_metrics_and_their_labels() {
    let dashes = dashboards();
    assert_eq!(dashes.len(), 3, "engine overview, models and drift, leads");
    let mut charted = BTreeSet::new();
    let mut count = 0;
    for (path, dash) in &dashes {
        for (place, expr) in expressions(path, dash) {
            count += 1;
            let parsed = parse_promql(&expr);
            assert!(!parsed.metrics.is_empty(), "{place}: no metric in `{expr}`");
            let defs: Vec<&MetricDef> = parsed
                .metrics
                .iter()
                .map(|m| {
                    find_series(m)
                        .unwrap_or_else(|| panic!("{place}: `{m}` is not in the catalogue"))
                })
                .collect();
            for label in &parsed.grouping_labels {
                let known = label == "le" && defs.iter().all(|d| d.name.ends_with("_seconds"))
                    || defs.iter().any(|d| d.labels.contains(&label.as_str()));
                assert!(
                    known,
                    "{place}: label `{label}` is not a label of {:?}",
                    parsed.metrics
                );
            }
            charted.extend(defs.iter().map(|d| d.name));
        }
    }
    assert!(count >= 25, "only {count} expressions");
    let missing: Vec<_> = CATALOGUE
        .iter()
        .map(|d| d.name)
        .filter(|n| !charted.contains(n))
        .collect();
    assert!(missing.is_empty(), "metrics on no dashboard: {missing:?}");
}

#[test]
fn panels_use_the_provisioned_datasource_and_have_unique_ids() {
    let provisioning = std::fs::read_to_string("grafana/provisioning/datasources/prometheus.yml")
        .expect("datasource");
    let ds: serde_yaml::Value = serde_yaml::from_str(&provisioning).expect("yaml");
    let uid = ds["datasources"][0]["uid"].as_str().expect("uid");
    let provider = std::fs::read_to_string("grafana/provisioning/dashboards/leadstream.yml")
        .expect("provider");
    let pv: serde_yaml::Value = serde_yaml::from_str(&provider).expect("yaml");
    assert!(pv["providers"][0]["options"]["path"].as_str().is_some());
    let mut uids = BTreeSet::new();
    for (path, dash) in dashboards() {
        assert!(uids.insert(dash["uid"].as_str().expect("uid").to_string()));
        let mut ids = BTreeSet::new();
        for panel in dash["panels"].as_array().expect("panels") {
            assert!(
                ids.insert(panel["id"].as_u64().expect("id")),
                "{}: duplicate panel id",
                path.display()
            );
            assert_eq!(
                panel["datasource"]["uid"].as_str(),
                Some(uid),
                "{}",
                path.display()
            );
            for t in panel["targets"].as_array().expect("targets") {
                assert_eq!(t["datasource"]["uid"].as_str(), Some(uid));
            }
        }
    }
}
