//! The ten churn indicators, computed from lead state, each in `[0, 1]` (0 = no sign).
//!
//! What it is for: signs an agent understands ("six emails unopened in a row"), ranked in an
//! alert by their contribution to a small logistic model learned from churn labels.
//! What it is not: the churn model itself (which sees all features), nor learned.

use crate::event::{EventType, JourneyStage};
use crate::lead::LeadState;

use super::types::Indicator;

/// Number of indicators.
pub const N_INDICATORS: usize = Indicator::COUNT;

const HOUR_MS: f64 = 3_600_000.0;

fn ramp(x: f64, full: f64) -> f64 {
    if x.is_finite() && full > 0.0 {
        (x / full).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Computes every indicator of `state` as seen at `now_ms` into `out`, in [`Indicator::ALL`]
/// order. Saturation points are documented in docs/decisions.md.
pub fn compute(state: &LeadState, now_ms: i64, out: &mut [f64; N_INDICATORS]) {
    let since = |ts: Option<i64>| ts.map(|t| now_ms.saturating_sub(t).max(0) as f64 / HOUR_MS);
    let created = state.created_ts();
    let silent_h =
        since(state.last_response_ts()).unwrap_or_else(|| since(Some(created)).unwrap_or(0.0));
    let touched = state.last_touch_ts().is_some();
    // Declining engagement: days of silence while being contacted, full at 14 days.
    out[Indicator::DecliningEngagement.index()] = if touched {
        ramp(silent_h, 14.0 * 24.0)
    } else {
        0.0
    };
    let s = state.sentiment();
    let sentiment = if s.count() > 0 {
        ramp(-s.trend(), 0.5).max(ramp(-s.ewma(), 0.6))
    } else {
        0.0
    };
    out[Indicator::NegativeSentimentTrend.index()] = sentiment;
    let lat = state.latency();
    out[Indicator::RisingResponseLatency.index()] = if lat.count() >= 2 && lat.std_log_s() > 0.0 {
        ramp((lat.last_log_s() - lat.mean_log_s()) / lat.std_log_s(), 2.0)
    } else {
        0.0
    };
    let c = state.churn();
    out[Indicator::MissedAppointments.index()] = ramp(f64::from(c.missed_appointments), 2.0);
    out[Indicator::UnopenedStreak.index()] = ramp(f64::from(c.unopened_streak), 6.0);
    let touches: f64 = state.touches().iter().map(|&t| f64::from(t)).sum();
    let responses: f64 = state.responses().iter().map(|&r| f64::from(r)).sum();
    // Fatigue: many decayed touches (full at 8) with few responses to them.
    out[Indicator::ChannelFatigue.index()] =
        ramp(touches, 8.0) * (1.0 - ramp(responses, touches.max(1.0)));
    out[Indicator::UnsubscribeCues.index()] = ramp(f64::from(c.unsubscribe_cues), 1.0);
    let age_days = since(Some(created)).unwrap_or(0.0) / 24.0;
    let early = matches!(
        state.stage(),
        JourneyStage::Exploring | JourneyStage::Engaged
    );
    let stage_moves = f64::from(state.actions()[EventType::StageChanged.index()]);
    out[Indicator::StalledJourney.index()] = if early && stage_moves < 0.5 {
        ramp(age_days - 14.0, 30.0)
    } else {
        0.0
    };
    out[Indicator::CompetitorMentions.index()] = ramp(f64::from(c.competitor_mentions), 2.0);
    out[Indicator::PriceObjections.index()] = ramp(f64::from(c.price_objections), 2.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_lead_shows_no_sign() {
        let state = LeadState::new(0);
        let mut out = [1.0; N_INDICATORS];
        compute(&state, 3_600_000, &mut out);
        assert!(out.iter().all(|&v| v == 0.0), "{out:?}");
    }
}
