//! `leadstream simulate` end to end: output bytes, truth file, and clear errors.

use std::path::PathBuf;
use std::process::{Command, Output};

use leadstream::event::decode;
use leadstream::sim::{DriftKind, Outcome, Truth};

fn simulate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .arg("simulate")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadstream-cli-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn stdout_and_out_file_hold_the_same_deterministic_stream() {
    let base = [
        "--leads",
        "80",
        "--days",
        "15",
        "--seed",
        "5",
        "--tenants",
        "2",
    ];
    let a = simulate(&base);
    let b = simulate(&base);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let out = temp("events.jsonl");
    let mut with_file = base.to_vec();
    with_file.extend(["--out", out.to_str().unwrap()]);
    let c = simulate(&with_file);
    assert!(c.status.success(), "{}", stderr(&c));
    assert!(c.stdout.is_empty());
    assert_eq!(std::fs::read(&out).unwrap(), a.stdout);
    let other = simulate(&[
        "--leads",
        "80",
        "--days",
        "15",
        "--seed",
        "6",
        "--tenants",
        "2",
    ]);
    assert_ne!(other.stdout, a.stdout);
    let lines: Vec<&[u8]> = a
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert!(lines.len() > 500);
    let mut tenants = std::collections::HashSet::new();
    for line in lines {
        let ev = decode(line).unwrap();
        tenants.insert(ev.tenant_id.to_string());
    }
    assert_eq!(tenants.len(), 2);
}

#[test]
fn truth_file_has_every_lead_the_drifts_and_outcomes_matching_events() {
    let truth_path = temp("truth.jsonl");
    let o = simulate(&[
        "--leads",
        "500",
        "--days",
        "40",
        "--seed",
        "9",
        "--drift",
        "sms-dead@10d",
        "--drift",
        "market-shock@30d",
        "--truth",
        truth_path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = std::fs::File::open(&truth_path).unwrap();
    let truth = Truth::read_jsonl(std::io::BufReader::new(file)).unwrap();
    assert_eq!(truth.leads.len(), 500);
    let events = o
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(truth.meta.events, events as u64);
    let kinds: Vec<(DriftKind, i64)> = truth
        .drifts
        .iter()
        .map(|d| (d.drift, d.ts - truth.meta.start_ms))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (DriftKind::SmsDead, 10 * 86_400_000),
            (DriftKind::MarketShock, 30 * 86_400_000)
        ]
    );
    // Every converted lead in the truth has a deal_won event at that time, and no other lead has.
    let mut won = std::collections::HashMap::new();
    for line in o.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let ev = decode(line).unwrap();
        if ev.event_type() == leadstream::event::EventType::DealWon {
            won.insert(ev.lead_id().unwrap().to_string(), ev.ts);
        }
    }
    let converted: std::collections::HashMap<String, i64> = truth
        .leads
        .iter()
        .filter_map(|l| match l.outcome {
            Outcome::Converted { ts } => Some((l.lead_id.clone(), ts)),
            _ => None,
        })
        .collect();
    assert!(!converted.is_empty());
    assert_eq!(won, converted);
}

#[test]
fn bad_input_gets_a_clear_error_and_a_failure_status() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--leads", "0", "--days", "5", "--seed", "1"],
            "leads must be between",
        ),
        (
            &["--leads", "5", "--days", "0", "--seed", "1"],
            "days must be between",
        ),
        (
            &[
                "--leads",
                "5",
                "--days",
                "5",
                "--seed",
                "1",
                "--tenants",
                "9",
            ],
            "tenants",
        ),
        (
            &[
                "--leads",
                "5",
                "--days",
                "5",
                "--seed",
                "1",
                "--drift",
                "sms-dead@tomorrow",
            ],
            "bad drift spec `sms-dead@tomorrow`",
        ),
        (
            &[
                "--leads",
                "5",
                "--days",
                "5",
                "--seed",
                "1",
                "--drift",
                "fax-dead@1d",
            ],
            "unknown drift name",
        ),
        (
            &[
                "--leads",
                "5",
                "--days",
                "5",
                "--seed",
                "1",
                "--drift",
                "sms-dead@6d",
            ],
            "not inside the 5-day window",
        ),
    ];
    for (args, expected) in cases {
        let o = simulate(args);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
    let o = simulate(&[
        "--leads",
        "5",
        "--days",
        "5",
        "--seed",
        "1",
        "--out",
        "/nonexistent-dir/x.jsonl",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot create /nonexistent-dir/x.jsonl"),
        "{}",
        stderr(&o)
    );
    let o = simulate(&[
        "--leads",
        "5",
        "--days",
        "5",
        "--seed",
        "1",
        "--truth",
        "/nonexistent-dir/t.jsonl",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("cannot create /nonexistent-dir/t.jsonl"));
    assert!(
        o.stdout.is_empty(),
        "nothing is simulated when an output cannot be opened"
    );
}
