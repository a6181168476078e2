//! The hand-written JSON of decisions and alerts is byte for byte what serde_json writes for the
//! same values (the `Serialize` derives are the reference schema), over generated values:
//! every vocabulary value, ids that need escaping, and floats including NaN, infinities,
//! negative zero, subnormals and extremes. Model outputs go out in single precision: what a
//! reader parses is the value rounded to `f32` (or the exact value beyond `f32`'s range).

use leadstream::decide::{
    ArmBelief, ChurnAlert, Decision, Explanation, FeatureContribution, Indicator,
    IndicatorContribution, Intervention, ModelVersions, RiskLevel, Tone, Urgency,
};
use leadstream::event::{Channel, JourneyStage, MessageVariant};
use leadstream::lead::FEATURE_NAMES;
use proptest::prelude::*;

fn any_float() -> BoxedStrategy<f64> {
    prop_oneof![
        4 => -1e3..1e3f64,
        2 => 0.0..1.0f64,
        1 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-0.0),
        1 => Just(f64::MIN_POSITIVE / 4.0),
        1 => Just(1e300),
        1 => Just(2.0f64.powi(60)),
    ]
    .boxed()
}

fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,8}-[0-9]{1,7}",
        1 => any::<String>(),
        1 => Just("quote\" back\\slash\n\t\u{1}\u{7f} é ✓".to_string()),
    ]
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    (0..all.len()).prop_map(move |i| all[i])
}

fn belief() -> BoxedStrategy<ArmBelief> {
    (any_float(), any_float(), any_float())
        .prop_map(|(estimate, uncertainty, score)| ArmBelief {
            estimate,
            uncertainty,
            score,
        })
        .boxed()
}

fn features() -> BoxedStrategy<[FeatureContribution; 3]> {
    prop::array::uniform3((0..FEATURE_NAMES.len(), any_float(), any_float()).prop_map(
        |(i, value, contribution)| FeatureContribution {
            feature: FEATURE_NAMES[i],
            value,
            contribution,
        },
    ))
    .boxed()
}

fn versions() -> impl Strategy<Value = ModelVersions> {
    prop::array::uniform8(any::<u64>()).prop_map(|v| ModelVersions {
        churn: v[0],
        response: v[1],
        journey: v[2],
        channel_bandit: v[3],
        variant_bandit: v[4],
        send_time: v[5],
        personas: v[6],
        interventions: v[7],
    })
}

fn ids() -> impl Strategy<Value = (String, String, String, i64)> {
    (any_id(), any_id(), any_id(), any::<i64>())
}

fn decision() -> impl Strategy<Value = Decision> {
    (
        ids(),
        (
            pick(Channel::ALL),
            any::<bool>(),
            any::<i64>(),
            (any::<u8>(), any::<u16>(), any::<Option<i16>>()),
        ),
        (
            pick(MessageVariant::ALL),
            pick(Tone::ALL),
            any::<Option<u8>>(),
            pick(JourneyStage::ALL),
        ),
        (any_float(), prop::array::uniform4(any_float()), any_float()),
        (
            pick(RiskLevel::ALL),
            features(),
            belief(),
            belief(),
            belief(),
        ),
        (
            versions(),
            prop::option::of(any_float()),
            prop::option::of(any_float()),
        ),
    )
        .prop_map(
            |(
                (event_id, tenant_id, lead_id, event_ts_ms),
                (
                    channel,
                    contactable,
                    send_at_ms,
                    (send_hour_utc, send_local_hour_of_week, utc_offset_minutes),
                ),
                (variant, tone, persona, journey_stage),
                (progression_probability, response_probability, churn_probability),
                (risk_level, top_features, channel_belief, variant_belief, send_belief),
                (model_versions, latency_from_event_ms, latency_from_receipt_us),
            )| Decision {
                event_id,
                tenant_id,
                lead_id,
                event_ts_ms,
                channel,
                contactable,
                send_at_ms,
                send_hour_utc,
                send_local_hour_of_week,
                utc_offset_minutes,
                variant,
                tone,
                persona,
                journey_stage,
                progression_probability,
                response_probability,
                churn_probability,
                risk_level,
                explanation: Explanation {
                    top_features,
                    channel: channel_belief,
                    variant: variant_belief,
                    send_time: send_belief,
                },
                model_versions,
                latency_from_event_ms,
                latency_from_receipt_us,
            },
        )
}

fn alert() -> impl Strategy<Value = ChurnAlert> {
    let indicator = (pick(Indicator::ALL), any_float(), any_float())
        .prop_map(|(indicator, value, contribution)| IndicatorContribution {
            indicator,
            value,
            contribution,
        })
        .boxed();
    (
        ids(),
        (
            pick(RiskLevel::ALL),
            any_float(),
            prop::option::of(pick(RiskLevel::ALL)),
        ),
        prop::array::uniform10(indicator),
        (
            pick(Intervention::ALL),
            pick(Urgency::ALL),
            belief(),
            any::<u64>(),
        ),
        (features(), versions()),
        (prop::option::of(any_float()), prop::option::of(any_float())),
    )
        .prop_map(
            |(
                (event_id, tenant_id, lead_id, event_ts_ms),
                (risk_level, score, previous_level),
                indicators,
                (intervention, urgency, intervention_belief, campaign_id),
                (top_features, model_versions),
                (latency_from_event_ms, latency_from_receipt_us),
            )| ChurnAlert {
                event_id,
                tenant_id,
                lead_id,
                event_ts_ms,
                risk_level,
                score,
                previous_level,
                indicators,
                intervention,
                urgency,
                intervention_belief,
                campaign_id,
                top_features,
                model_versions,
                latency_from_event_ms,
                latency_from_receipt_us,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decision_json_matches_serde(d in decision()) {
        let mut ours = b"prefix".to_vec();
        d.write_json(&mut ours).unwrap();
        let mut reference = b"prefix".to_vec();
        serde_json::to_writer(&mut reference, &d).unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&reference));
    }

    #[test]
    fn alert_json_matches_serde(a in alert()) {
        let mut ours = Vec::new();
        a.write_json(&mut ours).unwrap();
        let reference = serde_json::to_vec(&a).unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&reference));
    }
}

/// What a reader gets back for a model output written as `v`: `v` rounded to `f32`, exactly
/// `v` when finite but beyond `f32`'s range, nothing (`null`) when not finite.
fn read_back(v: f64) -> Option<f64> {
    let narrow = v as f32;
    if narrow.is_finite() {
        Some(f64::from(narrow))
    } else if v.is_finite() {
        Some(v)
    } else {
        None
    }
}

/// Parses a written number as `f32` when the expectation is an `f32` value (the shortest `f32`
/// form reads back as that `f32`, not necessarily as its exact `f64` widening).
fn parsed(j: &serde_json::Value, expected: Option<f64>) -> Option<f64> {
    let x = j.as_f64()?;
    match expected {
        Some(e) if e.abs() <= f64::from(f32::MAX) => Some(f64::from(x as f32)),
        _ => Some(x),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn model_outputs_read_back_in_single_precision(d in decision(), a in alert()) {
        let mut out = Vec::new();
        d.write_json(&mut out).unwrap();
        let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let mut pairs = vec![
            (&j["progression_probability"], d.progression_probability),
            (&j["churn_probability"], d.churn_probability),
            (&j["explanation"]["channel"]["estimate"], d.explanation.channel.estimate),
            (&j["explanation"]["send_time"]["score"], d.explanation.send_time.score),
            (&j["explanation"]["top_features"][0]["contribution"], d.explanation.top_features[0].contribution),
        ];
        for (i, p) in d.response_probability.iter().enumerate() {
            pairs.push((&j["response_probability"][i], *p));
        }
        let mut out = Vec::new();
        a.write_json(&mut out).unwrap();
        let ja: serde_json::Value = serde_json::from_slice(&out).unwrap();
        pairs.push((&ja["score"], a.score));
        pairs.push((&ja["indicators"][0]["value"], a.indicators[0].value));
        for (written, v) in pairs {
            let expected = read_back(v);
            prop_assert_eq!(parsed(written, expected), expected, "value {}", v);
        }
    }
}

#[test]
fn a_probability_is_written_with_seven_significant_digits() {
    use proptest::strategy::ValueTree;
    let d = decision()
        .new_tree(&mut proptest::test_runner::TestRunner::deterministic())
        .unwrap()
        .current();
    let d = Decision {
        churn_probability: 0.627_098_899_423_527_6,
        ..d
    };
    let mut out = Vec::new();
    d.write_json(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("\"churn_probability\":0.6270989,"), "{text}");
}
