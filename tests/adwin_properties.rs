//! Property tests for the drift detectors: no panic on any finite input, ADWIN's estimate stays
//! within the range of what it was fed, and its window never exceeds what it was fed.

use leadstream::learn::drift::{AdwinParams, PageHinkleyParams};
use leadstream::learn::DriftDetector;
use proptest::prelude::*;

fn adwin_params() -> impl Strategy<Value = AdwinParams> {
    (1e-4..0.5_f64, 1_u32..40, 1_u32..8, 0_u32..20, 0_u32..50).prop_map(
        |(delta, clock, max_buckets, min_window_length, grace_period)| AdwinParams {
            delta,
            clock,
            max_buckets,
            min_window_length,
            grace_period,
        },
    )
}

fn stream() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        prop::collection::vec(prop_oneof![Just(0.0), Just(1.0)], 1..3000),
        prop::collection::vec(-1e6..1e6_f64, 1..3000),
        // Piecewise-constant levels: drifts that ADWIN does detect, so resets are exercised.
        prop::collection::vec((-100.0..100.0_f64, 1_usize..400), 1..10)
            .prop_map(|levels| levels.into_iter().flat_map(|(v, n)| vec![v; n]).collect()),
    ]
}

proptest! {
    #[test]
    fn adwin_estimate_within_the_input_range(params in adwin_params(), values in stream()) {
        let mut adwin = params.build().unwrap();
        let (lo, hi) = values.iter().fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
        let slack = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
        for (i, &v) in values.iter().enumerate() {
            adwin.update(v);
            let e = adwin.estimate();
            prop_assert!(e >= lo - slack && e <= hi + slack, "estimate {} outside [{}, {}]", e, lo, hi);
            prop_assert!(adwin.width() >= 1 && adwin.width() <= i as u64 + 1);
            // The running sum of squared deviations is updated by subtraction when buckets are
            // dropped (as in River), so it may round slightly below 0, relative to the squared scale.
            let var_slack = 1e-9 * lo.abs().max(hi.abs()).max(1.0).powi(2);
            prop_assert!(adwin.variance() >= -var_slack && adwin.variance().is_finite(), "variance {}", adwin.variance());
        }
    }

    #[test]
    fn detectors_never_panic_on_finite_values(
        params in adwin_params(),
        values in prop::collection::vec(prop::num::f64::NORMAL | prop::num::f64::ZERO | prop::num::f64::SUBNORMAL, 1..500),
    ) {
        let mut adwin = params.build().unwrap();
        let mut ph = PageHinkleyParams::default().build().unwrap();
        for &v in &values {
            adwin.update(v);
            ph.update(v);
        }
        prop_assert!(adwin.width() <= values.len() as u64);
    }
}
