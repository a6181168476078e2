//! Page-Hinkley against River 0.26: identical detection indices and final running mean on every
//! fixture case.

mod drift_fixtures;

use drift_fixtures::{assert_close, cases, detections, params, stream};
use leadstream::learn::drift::PageHinkleyParams;
use leadstream::learn::DriftDetector;

#[test]
fn page_hinkley_detections_match_river() {
    let cases = cases("page_hinkley");
    assert!(cases.len() >= 20, "fixtures missing: {} cases", cases.len());
    let mut total_detections = 0;
    for case in &cases {
        let name = case["stream"].as_str().unwrap();
        let values = stream(name);
        let mut ph = params::<PageHinkleyParams>(case).build().unwrap();
        let got: Vec<usize> = values
            .iter()
            .enumerate()
            .filter_map(|(i, &x)| ph.update(x).then_some(i))
            .collect();
        let label = format!("{name} {}", case["params"]);
        assert_eq!(got, detections(case), "detections on {label}");
        total_detections += got.len();
        assert_close(
            &format!("final mean on {label}"),
            ph.mean(),
            case["final_mean"].as_f64().unwrap(),
        );
    }
    assert!(
        total_detections >= 100,
        "only {total_detections} detections"
    );
}
