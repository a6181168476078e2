//! Hand-written JSON for [`Decision`] and [`ChurnAlert`]: the hot path's serializer, writing
//! straight into a reused buffer.
//!
//! What it is for: the shard workers serialize one decision per event (and an alert for about
//! one event in five). serde's derived serializer spent most of its time dispatching per field
//! and escaping the constant keys; here keys are pre-escaped byte strings, vocabulary values
//! are written by their wire names, and only the three id strings are checked for characters
//! that need escaping. The output is byte for byte what `serde_json::to_writer` writes for the
//! same value (numbers go through serde_json's own formatter, model outputs in single
//! precision as the derives write them, non-finite floats become `null`, escaping falls back
//! to serde_json), which the tests check on generated values.
//! What it is not: the schema (the `Serialize` derives in `types` stay the reference, and
//! docs/decisions.md documents it) nor a general JSON writer.

use std::io;

use serde_json::ser::{CompactFormatter, Formatter};

use super::types::{
    ArmBelief, ChurnAlert, Decision, Explanation, FeatureContribution, IndicatorContribution,
    ModelVersions,
};

/// Writes `s` as a JSON string; the common case (nothing to escape) is one copy.
fn string(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    let plain = s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
    if plain {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(&mut *out, s).map_err(io::Error::from)
    }
}

/// A wire name known to need no escaping (vocabulary values, feature names).
fn name(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    string(out, s)
}

/// A model output as the `Serialize` derives write it (`types::single`): the shortest form of
/// its `f32` rounding, double precision when finite but beyond `f32`, `null` when not finite.
fn float(out: &mut Vec<u8>, v: f64) -> io::Result<()> {
    let narrow = v as f32;
    if narrow.is_finite() {
        CompactFormatter.write_f32(out, narrow)
    } else {
        double(out, v)
    }
}

/// A float as serde_json writes an `f64`: shortest round-trip form, `null` when not finite.
fn double(out: &mut Vec<u8>, v: f64) -> io::Result<()> {
    if v.is_finite() {
        CompactFormatter.write_f64(out, v)
    } else {
        out.extend_from_slice(b"null");
        Ok(())
    }
}

fn opt_double(out: &mut Vec<u8>, v: Option<f64>) -> io::Result<()> {
    match v {
        Some(v) => double(out, v),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

fn int(out: &mut Vec<u8>, v: i64) -> io::Result<()> {
    CompactFormatter.write_i64(out, v)
}

fn uint(out: &mut Vec<u8>, v: u64) -> io::Result<()> {
    CompactFormatter.write_u64(out, v)
}

fn boolean(out: &mut Vec<u8>, v: bool) {
    out.extend_from_slice(if v { b"true" } else { b"false" });
}

fn belief(out: &mut Vec<u8>, b: &ArmBelief) -> io::Result<()> {
    out.extend_from_slice(b"{\"estimate\":");
    float(out, b.estimate)?;
    out.extend_from_slice(b",\"uncertainty\":");
    float(out, b.uncertainty)?;
    out.extend_from_slice(b",\"score\":");
    float(out, b.score)?;
    out.push(b'}');
    Ok(())
}

fn features(out: &mut Vec<u8>, list: &[FeatureContribution]) -> io::Result<()> {
    out.push(b'[');
    for (i, f) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"feature\":");
        string(out, f.feature)?;
        out.extend_from_slice(b",\"value\":");
        float(out, f.value)?;
        out.extend_from_slice(b",\"contribution\":");
        float(out, f.contribution)?;
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

fn indicators(out: &mut Vec<u8>, list: &[IndicatorContribution]) -> io::Result<()> {
    out.push(b'[');
    for (i, c) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"indicator\":");
        name(out, c.indicator.as_str())?;
        out.extend_from_slice(b",\"value\":");
        float(out, c.value)?;
        out.extend_from_slice(b",\"contribution\":");
        float(out, c.contribution)?;
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

fn explanation(out: &mut Vec<u8>, e: &Explanation) -> io::Result<()> {
    out.extend_from_slice(b"{\"top_features\":");
    features(out, &e.top_features)?;
    out.extend_from_slice(b",\"channel\":");
    belief(out, &e.channel)?;
    out.extend_from_slice(b",\"variant\":");
    belief(out, &e.variant)?;
    out.extend_from_slice(b",\"send_time\":");
    belief(out, &e.send_time)?;
    out.push(b'}');
    Ok(())
}

fn versions(out: &mut Vec<u8>, v: &ModelVersions) -> io::Result<()> {
    let fields: [(&[u8], u64); 8] = [
        (b"{\"churn\":", v.churn),
        (b",\"response\":", v.response),
        (b",\"journey\":", v.journey),
        (b",\"channel_bandit\":", v.channel_bandit),
        (b",\"variant_bandit\":", v.variant_bandit),
        (b",\"send_time\":", v.send_time),
        (b",\"personas\":", v.personas),
        (b",\"interventions\":", v.interventions),
    ];
    for (key, value) in fields {
        out.extend_from_slice(key);
        uint(out, value)?;
    }
    out.push(b'}');
    Ok(())
}

/// The fields every output starts with: `event_id`, `tenant_id`, `lead_id`, `event_ts_ms`.
fn head(out: &mut Vec<u8>, event_id: &str, tenant: &str, lead: &str, ts: i64) -> io::Result<()> {
    out.extend_from_slice(b"{\"event_id\":");
    string(out, event_id)?;
    out.extend_from_slice(b",\"tenant_id\":");
    string(out, tenant)?;
    out.extend_from_slice(b",\"lead_id\":");
    string(out, lead)?;
    out.extend_from_slice(b",\"event_ts_ms\":");
    int(out, ts)
}

/// The fields every output ends with: model versions and the two latencies.
fn tail(
    out: &mut Vec<u8>,
    v: &ModelVersions,
    event_ms: Option<f64>,
    receipt_us: Option<f64>,
) -> io::Result<()> {
    out.extend_from_slice(b",\"model_versions\":");
    versions(out, v)?;
    out.extend_from_slice(b",\"latency_from_event_ms\":");
    opt_double(out, event_ms)?;
    out.extend_from_slice(b",\"latency_from_receipt_us\":");
    opt_double(out, receipt_us)?;
    out.push(b'}');
    Ok(())
}

impl Decision {
    /// Appends this decision's JSON (the documented schema, byte-identical to
    /// `serde_json::to_writer`) to `out`.
    ///
    /// # Errors
    /// Only if escaping an id string fails, which writing to a `Vec` never does; `out` may
    /// then hold a partial object.
    pub fn write_json(&self, out: &mut Vec<u8>) -> io::Result<()> {
        head(
            out,
            &self.event_id,
            &self.tenant_id,
            &self.lead_id,
            self.event_ts_ms,
        )?;
        out.extend_from_slice(b",\"channel\":");
        name(out, self.channel.as_str())?;
        out.extend_from_slice(b",\"contactable\":");
        boolean(out, self.contactable);
        out.extend_from_slice(b",\"send_at_ms\":");
        int(out, self.send_at_ms)?;
        out.extend_from_slice(b",\"send_hour_utc\":");
        uint(out, u64::from(self.send_hour_utc))?;
        out.extend_from_slice(b",\"send_local_hour_of_week\":");
        uint(out, u64::from(self.send_local_hour_of_week))?;
        out.extend_from_slice(b",\"utc_offset_minutes\":");
        match self.utc_offset_minutes {
            Some(m) => int(out, i64::from(m))?,
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"variant\":");
        name(out, self.variant.as_str())?;
        out.extend_from_slice(b",\"tone\":");
        name(out, self.tone.as_str())?;
        out.extend_from_slice(b",\"persona\":");
        match self.persona {
            Some(p) => uint(out, u64::from(p))?,
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"journey_stage\":");
        name(out, self.journey_stage.as_str())?;
        out.extend_from_slice(b",\"progression_probability\":");
        float(out, self.progression_probability)?;
        out.extend_from_slice(b",\"response_probability\":[");
        for (i, p) in self.response_probability.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            float(out, *p)?;
        }
        out.extend_from_slice(b"],\"churn_probability\":");
        float(out, self.churn_probability)?;
        out.extend_from_slice(b",\"risk_level\":");
        name(out, self.risk_level.as_str())?;
        out.extend_from_slice(b",\"explanation\":");
        explanation(out, &self.explanation)?;
        tail(
            out,
            &self.model_versions,
            self.latency_from_event_ms,
            self.latency_from_receipt_us,
        )
    }
}

impl ChurnAlert {
    /// Appends this alert's JSON (the documented schema, byte-identical to
    /// `serde_json::to_writer`) to `out`.
    ///
    /// # Errors
    /// As [`Decision::write_json`].
    pub fn write_json(&self, out: &mut Vec<u8>) -> io::Result<()> {
        head(
            out,
            &self.event_id,
            &self.tenant_id,
            &self.lead_id,
            self.event_ts_ms,
        )?;
        out.extend_from_slice(b",\"risk_level\":");
        name(out, self.risk_level.as_str())?;
        out.extend_from_slice(b",\"score\":");
        float(out, self.score)?;
        out.extend_from_slice(b",\"previous_level\":");
        match self.previous_level {
            Some(l) => name(out, l.as_str())?,
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"indicators\":");
        indicators(out, &self.indicators)?;
        out.extend_from_slice(b",\"intervention\":");
        name(out, self.intervention.as_str())?;
        out.extend_from_slice(b",\"urgency\":");
        name(out, self.urgency.as_str())?;
        out.extend_from_slice(b",\"intervention_belief\":");
        belief(out, &self.intervention_belief)?;
        out.extend_from_slice(b",\"campaign_id\":");
        uint(out, self.campaign_id)?;
        out.extend_from_slice(b",\"top_features\":");
        features(out, &self.top_features)?;
        tail(
            out,
            &self.model_versions,
            self.latency_from_event_ms,
            self.latency_from_receipt_us,
        )
    }
}
