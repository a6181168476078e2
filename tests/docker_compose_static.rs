//! docker-compose.yml cannot run here (no Docker engine), so it is validated statically: it
//! parses; Kafka runs in KRaft mode; every file it mounts or builds from exists; and ports,
//! broker addresses and topics agree with config/leadstream.toml, prometheus/prometheus.yml and
//! the Grafana provisioning.

use std::path::Path;

use serde_yaml::Value;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn compose() -> Value {
    yaml("docker-compose.yml")
}

fn service<'a>(c: &'a Value, name: &str) -> &'a Value {
    let s = &c["services"][name];
    assert!(s.is_mapping(), "service {name} missing");
    s
}

fn command(s: &Value) -> Vec<String> {
    s["command"]
        .as_sequence()
        .expect("command is a list")
        .iter()
        .map(|v| v.as_str().expect("string argument").to_string())
        .collect()
}

/// The value after `flag` in an argument list.
fn flag(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// `key = "value"` lines of one `[table]` of a TOML file (enough for config/leadstream.toml).
fn toml_table(path: &str, table: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut inside = table.is_empty();
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == format!("[{table}]");
            continue;
        }
        if !inside || line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().to_string(), v.trim().trim_matches('"').to_string()));
        }
    }
    out
}

fn port_of(addr: &str) -> &str {
    addr.rsplit_once(':').expect("HOST:PORT").1
}

#[test]
fn compose_parses_and_has_every_service() {
    let c = compose();
    for name in [
        "kafka",
        "kafka-init",
        "leadstream",
        "loadgen",
        "prometheus",
        "grafana",
    ] {
        service(&c, name);
    }
}

#[test]
fn kafka_is_a_single_kraft_broker() {
    let c = compose();
    let env = &service(&c, "kafka")["environment"];
    let roles = env["KAFKA_PROCESS_ROLES"].as_str().expect("roles");
    assert!(
        roles.contains("broker") && roles.contains("controller"),
        "KRaft combined mode"
    );
    let voters = env["KAFKA_CONTROLLER_QUORUM_VOTERS"]
        .as_str()
        .expect("voters");
    assert_eq!(voters.split(',').count(), 1, "one broker");
    let text = std::fs::read_to_string("docker-compose.yml").expect("compose");
    assert!(!text.to_lowercase().contains("zookeeper"));
}

#[test]
fn every_referenced_file_exists() {
    let c = compose();
    let services = c["services"].as_mapping().expect("services");
    let mut mounts = 0;
    for (name, s) in services {
        if let Some(build) = s["build"].as_str() {
            assert!(
                Path::new(build).join("Dockerfile").is_file(),
                "{name:?}: no Dockerfile"
            );
        }
        for v in s["volumes"].as_sequence().into_iter().flatten() {
            let spec = v.as_str().expect("short volume syntax");
            let host = spec.split(':').next().expect("host path");
            if host.starts_with("./") {
                assert!(Path::new(host).exists(), "{name:?} mounts missing {host}");
                mounts += 1;
            }
        }
    }
    assert!(
        mounts >= 4,
        "config, prometheus.yml, provisioning, dashboards"
    );
    let dockerfile = std::fs::read_to_string("Dockerfile").expect("Dockerfile");
    for line in dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY ") && !l.contains("--from"))
    {
        let src = line.split_whitespace().nth(1).expect("COPY source");
        assert!(Path::new(src).exists(), "Dockerfile copies missing {src}");
    }
}

#[test]
fn ports_and_addresses_agree_with_prometheus_and_grafana() {
    let c = compose();
    let engine = command(service(&c, "leadstream"));
    let metrics = flag(&engine, "--metrics-addr").expect("engine serves /metrics");
    let prom = yaml("prometheus/prometheus.yml");
    let target = prom["scrape_configs"][0]["static_configs"][0]["targets"][0]
        .as_str()
        .expect("scrape target")
        .to_string();
    assert_eq!(target, format!("leadstream:{}", port_of(&metrics)));
    let exposed: Vec<String> = service(&c, "leadstream")["expose"]
        .as_sequence()
        .expect("expose")
        .iter()
        .map(|p| p.as_str().expect("port").to_string())
        .collect();
    assert!(exposed.contains(&port_of(&metrics).to_string()));

    // Grafana reaches Prometheus by service name on the port Prometheus listens on.
    let ds = yaml("grafana/provisioning/datasources/prometheus.yml");
    let url = ds["datasources"][0]["url"]
        .as_str()
        .expect("datasource url");
    let prom_ports: Vec<&str> = service(&c, "prometheus")["ports"]
        .as_sequence()
        .expect("ports")
        .iter()
        .map(|p| p.as_str().expect("port"))
        .collect();
    let container_port = prom_ports[0].rsplit(':').next().expect("port");
    assert_eq!(url, format!("http://prometheus:{container_port}"));

    // The dashboard provider reads the folder the dashboards are mounted at.
    let provider = yaml("grafana/provisioning/dashboards/leadstream.yml");
    let path = provider["providers"][0]["options"]["path"]
        .as_str()
        .expect("path");
    let mounts: Vec<&str> = service(&c, "grafana")["volumes"]
        .as_sequence()
        .expect("volumes")
        .iter()
        .map(|v| v.as_str().expect("volume"))
        .collect();
    assert!(mounts
        .iter()
        .any(|m| m.starts_with("./grafana/dashboards:") && m.contains(path)));
    assert!(mounts
        .iter()
        .any(|m| m.starts_with("./grafana/provisioning:/etc/grafana/provisioning")));
}

#[test]
fn brokers_and_topics_agree_with_the_engine_config() {
    let c = compose();
    let advertised = service(&c, "kafka")["environment"]["KAFKA_ADVERTISED_LISTENERS"]
        .as_str()
        .expect("advertised listeners")
        .trim_start_matches("PLAINTEXT://")
        .to_string();
    let engine = command(service(&c, "leadstream"));
    let loadgen = command(service(&c, "loadgen"));
    assert_eq!(flag(&engine, "--brokers"), Some(advertised.clone()));
    assert_eq!(flag(&loadgen, "--brokers"), Some(advertised));

    let topics = toml_table("config/leadstream.toml", "topics");
    let topic = |k: &str| {
        topics
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("config [topics] {k}"))
    };
    let init = service(&c, "kafka-init")["command"][0]
        .as_str()
        .expect("init script");
    let created: Vec<&str> = init
        .lines()
        .find_map(|l| l.trim().strip_prefix("for topic in "))
        .and_then(|l| l.split(';').next())
        .expect("`for topic in ...;` loop")
        .split_whitespace()
        .collect();
    for key in ["events", "decisions", "alerts", "dead_letter"] {
        let t = topic(key);
        assert!(
            created.contains(&t.as_str()),
            "topic {t} not created at start: {created:?}"
        );
    }
    let partitions = topic("partitions");
    assert!(init.contains(&format!("--partitions {partitions}")));
    assert_eq!(flag(&loadgen, "--events-topic"), Some(topic("events")));
    assert_eq!(
        flag(&loadgen, "--decisions-topic"),
        Some(topic("decisions"))
    );
    let config_path = flag(&engine, "--config").expect("--config");
    let mounts = service(&c, "leadstream")["volumes"]
        .as_sequence()
        .expect("volumes");
    assert!(mounts
        .iter()
        .any(|m| m.as_str() == Some(&format!("./config/leadstream.toml:{config_path}:ro"))));
}
