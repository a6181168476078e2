//! One evaluation run: the simulator's events through lead state, features and the deciders,
//! the learner learning from the joined labels, and the figures scored against ground truth.
//!
//! What it is for: [`evaluate`], used by `leadstream evaluate-decisions` and by tests.
//! What it is not: the pipeline (no Kafka, no threads: one shard, the learner inline).

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;

use super::policy::{to_contact, EvalPolicy, Plan, Planner, RegretLog, SharedPlanner};
use super::recovery::{daily, DailyScores, Scored};
use super::reference::{FixedHourRegret, ReferenceRegret};
use crate::decide::{
    DecideConfig, DecisionOutputs, LabelledExample, Learner, LearnerEvent, ShardDecider,
    SupervisorEvent,
};
use crate::lead::{extract, LeadParams, LeadStore, N_FEATURES};
use crate::learn::cluster::adjusted_rand_index;
use crate::learn::metrics::{Metric, RocAuc};
use crate::sim::{Outcome, SimConfig, SimError, Simulation, Truth, World, DAY_MS};

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// The simulation.
    pub sim: SimConfig,
    /// Decision settings (including whether drift triggers retraining).
    pub decide: DecideConfig,
    /// Drive the simulated agent with the engine's decisions (else the default cadence).
    pub engine_drives: bool,
}

/// One churn score sample: (lead, time, score).
type ScoreSample = (usize, i64, f64);

/// The figures of one run.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Events processed.
    pub events: u64,
    /// Decisions made.
    pub decisions: u64,
    /// Alerts emitted.
    pub alerts: u64,
    /// Alerts suppressed by deduplication.
    pub alerts_deduplicated: u64,
    /// Labelled examples learned (response, lead).
    pub examples: (u64, u64),
    /// Share of lead examples labelled churned.
    pub churn_label_rate: f64,
    /// Churn AUC against the simulator's true churn within the horizon (daily samples).
    pub churn_auc: f64,
    /// Churn AUC over the samples of the second half of the run, once the model has had labels
    /// (the first arrive 14 days in: the churn horizon).
    pub churn_auc_second_half: f64,
    /// The live churn model's rolling prequential ROC AUC on the engine's own delayed labels
    /// (what it can see: unsubscribes, opt-outs, lost deals and 14 days of silence), at the end.
    pub churn_auc_own_labels: Option<f64>,
    /// Churn samples and positives.
    pub churn_samples: (usize, usize),
    /// Churn AUC per window of `auc_window_days`, from the start.
    pub churn_auc_by_window: Vec<f64>,
    /// Window length of `churn_auc_by_window`, days.
    pub auc_window_days: u32,
    /// Touches scored for regret.
    pub touches: usize,
    /// Cumulative channel regret of the engine's choices.
    pub regret: f64,
    /// Expected cumulative regret of uniform random channel choice at the same touches.
    pub random_regret: f64,
    /// Mean oracle response probability of the touches as made (channel, variant and hour).
    pub mean_response_probability: f64,
    /// Cumulative regret at each tenth of the touches.
    pub regret_curve: Vec<f64>,
    /// Mean regret per touch by touch index within a lead: 1st, 2nd-3rd, 4th-7th, 8th+.
    pub regret_by_touch_index: [f64; 4],
    /// Share of touches on the oracle's best channel by touch index within a lead: 1st, 2nd-3rd,
    /// 4th-7th, 8th+ (uniform random choice: about 0.25).
    pub best_channel_share_by_touch_index: [f64; 4],
    /// Mean regret per touch in the first and last quarter of touches.
    pub regret_first_last_quarter: (f64, f64),
    /// Reference channel policies' cumulative regret on the same touches (see `reference`).
    pub reference_regret: ReferenceRegret,
    /// Send-time regret of the touches after each lead's first: (chosen hour, uniformly random
    /// hour of the 24 it was chosen among), cumulative, for the chosen channel and variant.
    pub send_time_regret: (f64, f64),
    /// Send-time regret per touch by touch index within a lead (2nd-3rd, 4th-7th, 8th+): (chosen
    /// hour, random hour).
    pub send_time_regret_by_touch_index: [(f64, f64); 3],
    /// Send-time regret of the best fixed hours in hindsight at the same touches.
    pub send_time_fixed_hour_regret: FixedHourRegret,
    /// Adjusted Rand index of learned personas vs true personas (leads with 3+ responses).
    pub persona_ari: f64,
    /// Leads scored for persona agreement.
    pub persona_leads: usize,
    /// Readable persona descriptions.
    pub personas: Vec<String>,
    /// Promoted retrainings: (model, reason, day of the run).
    pub retrainings: Vec<(String, String, f64)>,
    /// Background models started: (model, reason, day of the run).
    pub backgrounds: Vec<(String, String, f64)>,
    /// Background models discarded: (model, day of the run, live log loss, background log loss,
    /// labels compared, paired z of the live model's excess loss).
    pub discarded: Vec<(String, f64, f64, f64, u64, f64)>,
    /// Scheduled drifts: (name, day of the run).
    pub drifts: Vec<(String, f64)>,
    /// Churn scores against true churn, daily over a trailing window, and their recovery after
    /// the first drift.
    pub churn_daily: DailyScores,
    /// The live response model's prequential scores on its labels (each scored just before it
    /// is learned), daily over a trailing window, and their recovery after the first drift.
    pub response_daily: DailyScores,
    /// The live churn model's prequential scores on the engine's own churn labels, daily.
    pub churn_own_daily: DailyScores,
}

/// The engine under evaluation: one shard's lead store and decider, and the learner inline.
#[derive(Debug)]
struct Engine {
    world: World,
    params: LeadParams,
    store: LeadStore,
    decider: ShardDecider,
    learner: Learner,
    out: DecisionOutputs,
    features: [f64; N_FEATURES],
    learner_events: Vec<LearnerEvent>,
    /// Prequential samples of the response model: (label time, prediction, responded).
    response_scored: Vec<Scored>,
    /// Prequential samples of the churn model on its own labels.
    churn_own_scored: Vec<Scored>,
}

impl Engine {
    fn advance(&mut self, now_ms: i64) {
        self.out.clear();
        self.decider.on_watermark(now_ms, &mut self.out);
        self.learn_outputs();
    }

    fn learn_outputs(&mut self) {
        for ex in self.out.examples.drain(..) {
            match &ex {
                LabelledExample::Response(r) => {
                    let p = self.learner.response_probability(&r.features, r.channel);
                    self.response_scored.push((r.label_ts, p, r.responded));
                }
                LabelledExample::Lead(l) => {
                    let p = self.learner.churn_probability(&l.features);
                    self.churn_own_scored.push((l.label_ts, p, l.churned));
                }
                _ => {}
            }
            self.learner.learn(ex);
        }
        self.learner_events.extend(self.learner.take_events());
    }
}

impl Engine {
    /// The engine's decision for lead `lead` (world index) as if asked at `at_ms`, without
    /// moving its clock.
    fn decide_at(&mut self, lead: u32, at_ms: i64) -> Option<crate::decide::Decision> {
        let i = lead as usize;
        let tenant = self
            .world
            .tenant_of(i)
            .and_then(|t| self.world.tenant_id(t))?;
        let lead_id = self.world.lead_id(i)?;
        let state = self.store.get(tenant, lead_id)?;
        extract(state, &self.params, at_ms, &mut self.features);
        self.decider
            .decide_now(tenant, lead_id, at_ms, state, &self.features)
    }
}

impl Planner for Engine {
    fn plan(&mut self, lead: u32, now_ms: i64) -> Option<Plan> {
        self.advance(now_ms);
        let d = self.decide_at(lead, now_ms)?;
        Some(Plan {
            channel: to_contact(d.channel),
            variant: d.variant,
            hour: d.send_hour_utc,
        })
    }

    fn slot(&mut self, lead: u32, from_ms: i64) -> Option<i64> {
        self.decide_at(lead, from_ms).map(|d| d.send_at_ms)
    }
}

/// Runs one evaluation.
///
/// # Errors
/// [`SimError`] for an invalid simulation configuration.
pub fn evaluate(opts: &EvalOptions) -> Result<EvalReport, SimError> {
    let world = World::new(opts.sim.clone())?;

    let start = opts.sim.start_ms;
    let seed = opts.sim.seed;
    let params = LeadParams::default();
    let (learner, reader) = Learner::new(&opts.decide, seed);
    let engine = Rc::new(RefCell::new(Engine {
        world: world.clone(),
        params,
        store: LeadStore::new(params),
        decider: ShardDecider::new(reader.clone(), &opts.decide, 0, seed),
        learner,
        out: DecisionOutputs::default(),
        features: [0.0; N_FEATURES],
        learner_events: Vec::new(),
        response_scored: Vec::new(),
        churn_own_scored: Vec::new(),
    }));
    let regret = Rc::new(RefCell::new(RegretLog::default()));
    let planner: SharedPlanner = engine.clone();
    let policy = EvalPolicy::new(
        opts.engine_drives.then_some(planner),
        world.clone(),
        regret.clone(),
        seed ^ 0xA5,
    );
    let mut sim = Simulation::new(world, policy);
    let mut id_buf = String::new();
    let mut scores: Vec<ScoreSample> = Vec::new();
    let mut last_day = vec![i64::MIN; opts.sim.leads as usize];
    let mut events = 0_u64;
    while let Some(ev) = sim.next_event() {
        events += 1;
        let event = ev.render(sim.world(), &mut id_buf);
        if let (Some(lead), Some(channel)) = (
            ev.lead,
            super::reference::answered_channel(event.event_type()),
        ) {
            regret
                .borrow_mut()
                .references
                .on_inbound(lead, channel, event.ts);
        }
        let mut guard = engine.borrow_mut();
        let e = &mut *guard;
        e.advance(event.ts);
        let signals = event.text().map(crate::text::analyze);
        let (_, state) = e.store.apply(&event, signals.as_ref());
        if let (Some(state), Some(lead_id), Some(lead)) = (state, event.lead_id(), ev.lead) {
            extract(state, &params, event.ts, &mut e.features);
            e.out.clear();
            e.decider.on_event(
                &event.tenant_id,
                lead_id,
                &event,
                state,
                &e.features,
                &mut e.out,
            );
            if let Some(d) = &e.out.decision {
                let day = event.ts.div_euclid(DAY_MS);
                let slot = &mut last_day[lead as usize];
                if *slot != day {
                    *slot = day;
                    scores.push((lead as usize, event.ts, d.churn_probability));
                }
                if let (Some(p), Some(s)) = (d.persona, e.store.get_mut(&event.tenant_id, lead_id))
                {
                    s.set_persona(p);
                }
            }
            e.learn_outputs();
        }
    }
    let e = engine.borrow();
    let (store, decider, learner, learner_events) =
        (&e.store, &e.decider, &e.learner, &e.learner_events);
    let truth = sim.truth();
    let counters = decider.counters();
    let lc = learner.counters();
    let snapshot = reader.load();
    let horizon = opts.decide.churn_horizon_ms;
    let (churn_auc, samples, positives) = auc(&scores, &truth, horizon, |_| true);
    let half = start + opts.sim.window_ms() / 2;
    let churn_auc_second_half = auc(&scores, &truth, horizon, |ts| ts >= half).0;
    let window_days = 5_u32;
    let windows = opts.sim.days.div_ceil(window_days);
    let churn_auc_by_window = (0..windows)
        .map(|w| {
            let lo = start + i64::from(w * window_days) * DAY_MS;
            let hi = lo + i64::from(window_days) * DAY_MS;
            auc(&scores, &truth, horizon, |ts| ts >= lo && ts < hi).0
        })
        .collect();
    let day_of = |ts: i64| (ts - start) as f64 / DAY_MS as f64;
    let first_drift = truth.drifts.first().map(|d| d.ts);
    let truth_scored: Vec<Scored> = scores
        .iter()
        .filter_map(|&(lead, ts, p)| truth_label(&truth, lead, ts, horizon).map(|y| (ts, p, y)))
        .collect();
    let churn_daily = daily(&truth_scored, start, opts.sim.days, first_drift);
    let response_daily = daily(&e.response_scored, start, opts.sim.days, first_drift);
    let churn_own_daily = daily(&e.churn_own_scored, start, opts.sim.days, first_drift);
    let mut retrainings = Vec::new();
    let mut backgrounds = Vec::new();
    let mut discarded = Vec::new();
    for LearnerEvent::Supervisor(ev) in learner_events.iter() {
        match ev {
            SupervisorEvent::Retrained(r) => {
                retrainings.push((r.model.to_owned(), format!("{:?}", r.reason), day_of(r.ts)));
            }
            SupervisorEvent::BackgroundStarted { model, reason, ts } => {
                backgrounds.push(((*model).to_owned(), format!("{reason:?}"), day_of(*ts)));
            }
            SupervisorEvent::BackgroundDiscarded {
                model,
                ts,
                log_loss_live,
                log_loss_background,
                samples,
                z,
            } => discarded.push((
                (*model).to_owned(),
                day_of(*ts),
                *log_loss_live,
                *log_loss_background,
                *samples,
                *z,
            )),
        }
    }
    let regret = regret.borrow();
    let n = regret.touches.len();
    let total: f64 = regret.touches.iter().map(|t| t.0).sum();
    let random: f64 = regret.touches.iter().map(|t| t.1).sum();
    let mut curve = Vec::new();
    let mut acc = 0.0;
    for (i, t) in regret.touches.iter().enumerate() {
        acc += t.0;
        if n >= 10 && (i + 1) % (n / 10) == 0 && curve.len() < 10 {
            curve.push(acc);
        }
    }
    let mean_of = |f: &dyn Fn(u32) -> bool| {
        let v: Vec<f64> = regret
            .touches
            .iter()
            .filter(|t| f(t.2))
            .map(|t| t.0)
            .collect();
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let by_index = [
        mean_of(&|i| i == 0),
        mean_of(&|i| (1..3).contains(&i)),
        mean_of(&|i| (3..7).contains(&i)),
        mean_of(&|i| i >= 7),
    ];
    let best_share = |f: &dyn Fn(u32) -> bool| {
        let v: Vec<bool> = regret
            .touches
            .iter()
            .filter(|t| f(t.2))
            .map(|t| t.0 <= 1e-12)
            .collect();
        v.iter().filter(|b| **b).count() as f64 / v.len().max(1) as f64
    };
    let best_by_index = [
        best_share(&|i| i == 0),
        best_share(&|i| (1..3).contains(&i)),
        best_share(&|i| (3..7).contains(&i)),
        best_share(&|i| i >= 7),
    ];
    let q = n / 4;
    let quarter = |s: &[(f64, f64, u32)]| {
        if s.is_empty() {
            0.0
        } else {
            s.iter().map(|t| t.0).sum::<f64>() / s.len() as f64
        }
    };
    let first_last = (
        quarter(&regret.touches[..q]),
        quarter(&regret.touches[n - q..]),
    );
    let send = &regret.references.send_time;
    let send_time_regret = (
        send.iter().map(|t| t.0).sum(),
        send.iter().map(|t| t.1).sum(),
    );
    let send_by = |f: &dyn Fn(u32) -> bool| {
        let v: Vec<&(f64, f64, u32)> = send.iter().filter(|t| f(t.2)).collect();
        let n = v.len().max(1) as f64;
        (
            v.iter().map(|t| t.0).sum::<f64>() / n,
            v.iter().map(|t| t.1).sum::<f64>() / n,
        )
    };
    let send_time_regret_by_touch_index = [
        send_by(&|i| (1..3).contains(&i)),
        send_by(&|i| (3..7).contains(&i)),
        send_by(&|i| i >= 7),
    ];
    // Personas: final behaviour vectors of leads with enough responses, against the truth.
    let (mut learned, mut true_p) = (Vec::new(), Vec::new());
    if snapshot.personas().is_seeded() {
        for (i, t) in truth.leads.iter().enumerate() {
            let Some(state) = store.get(&t.tenant_id, &t.lead_id) else {
                continue;
            };
            if state.hours().total() < 3 {
                continue;
            }
            let point = decider.persona_point(&t.tenant_id, &t.lead_id, state);
            learned.push(snapshot.personas().predict_one(&point));
            true_p.push(truth.leads[i].persona.index());
        }
    }
    Ok(EvalReport {
        events,
        decisions: counters.decisions,
        alerts: counters.alerts,
        alerts_deduplicated: counters.alerts_deduplicated,
        examples: (lc.response, lc.lead),
        churn_label_rate: if lc.lead > 0 {
            lc.churned as f64 / lc.lead as f64
        } else {
            0.0
        },
        churn_auc,
        churn_auc_second_half,
        churn_auc_own_labels: learner.rolling_scores()[0].3,
        churn_samples: (samples, positives),
        churn_auc_by_window,
        auc_window_days: window_days,
        touches: n,
        regret: total,
        random_regret: random,
        regret_curve: curve,
        mean_response_probability: regret.achieved / n.max(1) as f64,
        regret_by_touch_index: by_index,
        best_channel_share_by_touch_index: best_by_index,
        regret_first_last_quarter: first_last,
        reference_regret: regret.references.regret,
        send_time_regret,
        send_time_regret_by_touch_index,
        send_time_fixed_hour_regret: regret.references.best_fixed_hours(),
        persona_ari: adjusted_rand_index(&learned, &true_p),
        persona_leads: learned.len(),
        personas: snapshot.persona_descriptions.clone(),
        retrainings,
        backgrounds,
        discarded,
        drifts: truth
            .drifts
            .iter()
            .map(|d| (format!("{:?}", d.drift), day_of(d.ts)))
            .collect(),
        churn_daily,
        response_daily,
        churn_own_daily,
    })
}

/// Churn AUC of the samples passing `keep`: a sample of a lead not yet gone is positive when the
/// lead truly churned within `horizon` after it. Returns (AUC, samples, positives).
fn auc(
    scores: &[ScoreSample],
    truth: &Truth,
    horizon: i64,
    keep: impl Fn(i64) -> bool,
) -> (f64, usize, usize) {
    let mut metric = RocAuc::default();
    let (mut n, mut pos) = (0, 0);
    for &(lead, ts, score) in scores {
        if !keep(ts) {
            continue;
        }
        let Some(label) = truth_label(truth, lead, ts, horizon) else {
            continue;
        };
        n += 1;
        pos += usize::from(label);
        metric.update(usize::from(label), &[1.0 - score, score]);
    }
    (metric.get(), n, pos)
}

/// The true churn label of a sample of `lead` at `ts`: whether it churned within `horizon`
/// after; `None` for a lead already gone (churned or converted) or unknown.
fn truth_label(truth: &Truth, lead: usize, ts: i64, horizon: i64) -> Option<bool> {
    let t = truth.leads.get(lead)?;
    match t.outcome {
        Outcome::Churned { ts: c, .. } if c <= ts => None,
        Outcome::Converted { ts: c } if c <= ts => None,
        Outcome::Churned { ts: c, .. } => Some(c <= ts + horizon),
        _ => Some(false),
    }
}
