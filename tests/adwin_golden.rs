//! ADWIN against River 0.26: identical detection indices and final window on every fixture case.

mod drift_fixtures;

use drift_fixtures::{assert_close, cases, detections, params, stream};
use leadstream::learn::drift::AdwinParams;
use leadstream::learn::DriftDetector;

#[test]
fn adwin_detections_match_river() {
    let cases = cases("adwin");
    assert!(cases.len() >= 15, "fixtures missing: {} cases", cases.len());
    let mut total_detections = 0;
    for case in &cases {
        let name = case["stream"].as_str().unwrap();
        let values = stream(name);
        let mut adwin = params::<AdwinParams>(case).build().unwrap();
        let got: Vec<usize> = values
            .iter()
            .enumerate()
            .filter_map(|(i, &x)| adwin.update(x).then_some(i))
            .collect();
        let label = format!("{name} {}", case["params"]);
        assert_eq!(got, detections(case), "detections on {label}");
        total_detections += got.len();
        assert_eq!(
            adwin.width(),
            case["final_width"].as_u64().unwrap(),
            "final width on {label}"
        );
        assert_close(
            &format!("final estimate on {label}"),
            adwin.estimate(),
            case["final_estimate"].as_f64().unwrap(),
        );
        assert_close(
            &format!("final total on {label}"),
            adwin.total(),
            case["final_total"].as_f64().unwrap(),
        );
        assert_eq!(adwin.n_detections(), got.len() as u64);
    }
    // The fixtures must exercise detections and resets, not only quiet streams.
    assert!(total_detections >= 20, "only {total_detections} detections");
}
