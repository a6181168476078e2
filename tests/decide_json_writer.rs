//! The hand-written JSON of decisions and alerts is byte for byte what serde_json writes for the
//! same values (the `Serialize` derives are the reference schema), over generated values:
//! every vocabulary value, ids that need escaping, and floats including NaN, infinities,
//! negative zero, subnormals and extremes.

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
