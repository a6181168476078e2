//! Churn alerts: indicator ranking, intervention choice, urgency, and per-lead deduplication.
//!
//! What it is for: turning a risk level and the lead's indicators into an actionable alert: the
//! ten indicators ranked by their contribution to the indicator model's churn logit, an
//! intervention chosen by Thompson sampling among what has recovered leads with the same top
//! indicator, and an urgency from the risk level.
//! What it is not: the churn model (see `models`) or campaigns (see `campaign`).

use rand::Rng;

use super::indicators::N_INDICATORS;
use super::snapshot::ModelSnapshot;
use super::types::{ArmBelief, Indicator, IndicatorContribution, Intervention, RiskLevel, Urgency};

/// Ranks the indicators by contribution (weight times value), largest first; returns them and
/// the index of the top indicator (the policy's context).
pub fn rank_indicators(
    snapshot: &ModelSnapshot,
    values: &[f64; N_INDICATORS],
) -> ([IndicatorContribution; N_INDICATORS], usize) {
    let mut parts = [0.0; N_INDICATORS];
    snapshot.indicators.contributions(values, &mut parts);
    let mut ranked = [IndicatorContribution {
        indicator: Indicator::DecliningEngagement,
        value: 0.0,
        contribution: 0.0,
    }; N_INDICATORS];
    for (i, slot) in ranked.iter_mut().enumerate() {
        *slot = IndicatorContribution {
            indicator: Indicator::from_index(i),
            value: values[i],
            contribution: parts[i],
        };
    }
    ranked.sort_by(|a, b| {
        b.contribution
            .total_cmp(&a.contribution)
            .then(b.value.total_cmp(&a.value))
    });
    let top = ranked[0].indicator.index();
    (ranked, top)
}

/// Chooses an intervention for a lead whose top indicator is `top` (Thompson sampling over
/// intervention outcomes learned per top indicator).
pub fn choose_intervention<R: Rng + ?Sized>(
    snapshot: &ModelSnapshot,
    top: usize,
    rng: &mut R,
) -> (Intervention, ArmBelief) {
    let Some(bandit) = snapshot.interventions.get(top) else {
        return (Intervention::PersonalCall, ArmBelief::default());
    };
    let (arm, est) = bandit.choose(rng, u32::MAX);
    (
        Intervention::from_index(arm),
        ArmBelief {
            estimate: est.mean,
            uncertainty: est.std,
            score: est.sample,
        },
    )
}

/// Urgency from the risk level: critical is immediate, high is high, medium elevated, low
/// normal, very low low; one step more when the risk rose since the previous alert.
pub fn urgency(level: RiskLevel, previous: Option<RiskLevel>) -> Urgency {
    let rising = previous.is_some_and(|p| p < level);
    Urgency::from_index(level.index() + usize::from(rising))
}

/// Whether an alert at `level` at `ts` passes deduplication given the lead's previous alert:
/// the first alert, a higher level, or the same or lower level after the cooldown.
pub fn passes_dedup(
    previous: Option<(RiskLevel, i64)>,
    level: RiskLevel,
    ts: i64,
    cooldown_ms: i64,
) -> bool {
    match previous {
        None => true,
        Some((prev, at)) => level > prev || ts.saturating_sub(at) >= cooldown_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_allows_escalation_and_repeats_after_cooldown_only() {
        let prev = Some((RiskLevel::High, 1_000));
        assert!(passes_dedup(None, RiskLevel::High, 0, 10));
        assert!(!passes_dedup(prev, RiskLevel::High, 1_005, 10));
        assert!(!passes_dedup(prev, RiskLevel::Medium, 1_005, 10));
        assert!(passes_dedup(prev, RiskLevel::Critical, 1_005, 10));
        assert!(passes_dedup(prev, RiskLevel::High, 1_010, 10));
    }

    #[test]
    fn urgency_follows_risk_and_rises_with_it() {
        assert_eq!(urgency(RiskLevel::Critical, None), Urgency::Immediate);
        assert_eq!(urgency(RiskLevel::High, None), Urgency::High);
        assert_eq!(
            urgency(RiskLevel::High, Some(RiskLevel::Medium)),
            Urgency::Immediate
        );
    }
}
