//! Delayed labels and alerts through the shard decider: a touch becomes a negative label exactly
//! at its horizon and a positive one when the lead answers on its channel; lead snapshots are
//! labelled churned on an unsubscribe at once and not churned at the horizon after a response;
//! alerts are deduplicated per lead; the lead's own evidence steers the channel choice (an
//! unprompted contact strongly, a touch unanswered for a day as a failure before its label); a
//! lead keeps its newest 4 open touches and 7 snapshots (older ones dropped unlabelled and
//! counted), and a full slab evicts the oldest without the memo's stale handles to it counting
//! again or answering; a lead forgotten on revocation leaves no labels behind.

use std::borrow::Cow;

use leadstream::decide::{
    DecideConfig, DecideEvent, DecisionOutputs, LabelledExample, LeadExample, Learner, Milestone,
    ResponseExample, RiskLevel, ShardDecider, VARIANT_CONTEXT,
};
use leadstream::event::{Channel, Event, EventKind, MessageVariant, Outbound};
use leadstream::lead::{extract, LeadParams, LeadStore, N_FEATURES};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const T0: i64 = 1_767_225_600_000;

struct Rig {
    store: LeadStore,
    decider: ShardDecider,
    out: DecisionOutputs,
    features: [f64; N_FEATURES],
    n: u64,
}

impl Rig {
    fn new(config: &DecideConfig) -> Self {
        let (_learner, reader) = Learner::new(config, 1);
        Self {
            store: LeadStore::new(LeadParams::default()),
            decider: ShardDecider::new(reader, config, 0, 1),
            out: DecisionOutputs::default(),
            features: [0.0; N_FEATURES],
            n: 0,
        }
    }

    /// Applies one event of `lead` and returns the outputs.
    fn send(&mut self, lead: &str, ts: i64, kind: EventKind<'static>) -> &DecisionOutputs {
        self.n += 1;
        let event = Event::new(
            format!("ev-{}", self.n),
            "t1",
            Some(Cow::Owned(lead.to_owned())),
            ts,
            kind,
        );
        self.out.clear();
        self.decider.on_watermark(ts, &mut self.out);
        let (_, state) = self.store.apply(&event, None);
        let state = state.expect("lead events have a state");
        extract(state, &LeadParams::default(), ts, &mut self.features);
        self.decider
            .on_event("t1", lead, &event, state, &self.features, &mut self.out);
        &self.out
    }

    /// The share of `n` fresh decisions for `lead` at `ts` that choose `channel`.
    fn channel_share(&mut self, lead: &str, ts: i64, channel: Channel, n: usize) -> f64 {
        let state = self.store.get("t1", lead).expect("known lead").clone();
        extract(&state, &LeadParams::default(), ts, &mut self.features);
        let hits = (0..n)
            .filter(|_| {
                self.decider
                    .decide_now("t1", lead, ts, &state, &self.features)
                    .is_some_and(|d| d.channel == channel)
            })
            .count();
        hits as f64 / n as f64
    }

    fn watermark(&mut self, ts: i64) -> &DecisionOutputs {
        self.out.clear();
        self.decider.on_watermark(ts, &mut self.out);
        &self.out
    }
}

fn email() -> EventKind<'static> {
    EventKind::EmailSent(Outbound {
        variant: Some(MessageVariant::Professional),
        campaign_id: None,
    })
}

fn responses(out: &DecisionOutputs) -> Vec<(bool, i64, usize, Option<usize>)> {
    out.examples
        .iter()
        .filter_map(|e| match e {
            LabelledExample::Response(r) => Some((r.responded, r.label_ts, r.channel, r.variant)),
            _ => None,
        })
        .collect()
}

fn leads(out: &DecisionOutputs) -> Vec<(bool, i64)> {
    out.examples
        .iter()
        .filter_map(|e| match e {
            LabelledExample::Lead(l) => Some((l.churned, l.label_ts)),
            _ => None,
        })
        .collect()
}

#[test]
fn touches_are_labelled_at_their_horizon_or_by_a_response() {
    let config = DecideConfig::default();
    let horizon = config.response_horizon_ms;
    let mut rig = Rig::new(&config);
    let created = rig.send(
        "a",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    assert!(
        created.decision.is_some(),
        "every lead event gets a decision"
    );
    let t1 = T0 + HOUR;
    assert!(responses(rig.send("a", t1, email())).is_empty());
    assert!(responses(rig.watermark(t1 + horizon - 1)).is_empty());
    assert_eq!(
        responses(rig.watermark(t1 + horizon)),
        vec![(
            false,
            t1 + horizon,
            0,
            Some(MessageVariant::Professional.index())
        )]
    );
    // A second email, opened an hour later: a positive label at once, nothing at the horizon.
    let t2 = t1 + horizon + DAY;
    rig.send("a", t2, email());
    let opened = responses(rig.send("a", t2 + HOUR, EventKind::EmailOpened));
    assert_eq!(opened, vec![(true, t2 + HOUR, 0, Some(1))]);
    assert!(responses(rig.watermark(t2 + 10 * horizon)).is_empty());
}

#[test]
fn lead_snapshots_are_labelled_by_churn_events_at_once_and_by_the_horizon_otherwise() {
    let config = DecideConfig::default();
    let mut rig = Rig::new(&config);
    rig.send(
        "gone",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    rig.send("gone", T0 + HOUR, email());
    let out = rig.send("gone", T0 + 2 * HOUR, EventKind::Unsubscribed);
    assert_eq!(leads(out), vec![(true, T0 + 2 * HOUR)]);

    rig.send(
        "kept",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    rig.send("kept", T0 + HOUR, email());
    rig.send("kept", T0 + 2 * HOUR, EventKind::EmailOpened);
    rig.send("kept", T0 + DAY, email());
    let horizon = config.churn_horizon_ms;
    assert!(leads(rig.watermark(T0 + horizon - 1)).is_empty());
    assert_eq!(
        leads(rig.watermark(T0 + horizon)),
        vec![(false, T0 + horizon)]
    );

    // Touched twice, never answered: not churn (a lead that never answered did not leave; this
    // was a churn label until the simulator showed it taught the model the wrong leads).
    rig.send(
        "silent",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    rig.send("silent", T0 + HOUR, email());
    rig.send("silent", T0 + DAY, email());
    assert_eq!(
        leads(rig.watermark(T0 + horizon + 1)),
        vec![(false, T0 + horizon)]
    );

    // Answered, then touched twice and silent through the horizon: silent churn.
    let t = T0 + horizon + DAY;
    rig.send(
        "faded",
        t,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    rig.send("faded", t + HOUR, email());
    rig.send("faded", t + 2 * HOUR, EventKind::EmailOpened);
    // The next snapshot (two days on) sees a lead that answered within the horizon.
    rig.send("faded", t + 3 * DAY, email());
    rig.send("faded", t + 5 * DAY, email());
    rig.send("faded", t + 7 * DAY, email());
    assert_eq!(
        leads(rig.watermark(t + horizon)),
        vec![(false, t + horizon)],
        "the first snapshot saw the open"
    );
    assert_eq!(
        leads(rig.watermark(t + 3 * DAY + horizon)),
        vec![(true, t + 3 * DAY + horizon)]
    );
}

#[test]
fn alerts_are_deduplicated_per_lead() {
    // Thresholds so low that the untrained model (about 0.5) is critical for every lead, and
    // no warm-up, so that it rates leads at once.
    let config = DecideConfig {
        risk_thresholds: [1e-4, 2e-4, 3e-4, 4e-4],
        churn_warmup_labels: 0,
        ..DecideConfig::default()
    };
    let cooldown = config.alert_cooldown_ms;
    let mut rig = Rig::new(&config);
    let first = rig.send(
        "a",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    let alert = first.alert.clone().expect("first alert");
    assert_eq!(alert.risk_level, RiskLevel::Critical);
    assert_eq!(alert.previous_level, None);
    let started = first
        .events
        .iter()
        .filter(|e| {
            matches!(
                e,
                DecideEvent::Campaign {
                    milestone: Milestone::Started,
                    ..
                }
            )
        })
        .count();
    assert_eq!(started, 1);
    for k in 1..10 {
        let out = rig.send("a", T0 + k * HOUR, email());
        assert!(out.alert.is_none(), "alert storm at event {k}");
    }
    assert_eq!(rig.decider.counters().alerts_deduplicated, 9);
    // Another lead is not affected by the first one's dedup.
    assert!(rig
        .send(
            "b",
            T0 + 2 * HOUR,
            EventKind::LeadCreated {
                source: None,
                area: None,
                utc_offset_min: None
            }
        )
        .alert
        .is_some());
    // After the cooldown the same lead may be alerted again; the campaign continues.
    let again = rig.send("a", T0 + cooldown + HOUR, email());
    let alert2 = again.alert.clone().expect("alert after cooldown");
    assert_eq!(alert2.previous_level, Some(RiskLevel::Critical));
    assert_eq!(alert2.campaign_id, alert.campaign_id);
    // Indicators are all listed, ranked by contribution.
    let c: Vec<f64> = alert2.indicators.iter().map(|i| i.contribution).collect();
    assert!(c.windows(2).all(|w| w[0] >= w[1]), "{c:?}");
}

#[test]
fn decisions_serialize_with_the_documented_fields() {
    let config = DecideConfig::default();
    let mut rig = Rig::new(&config);
    let out = rig.send(
        "a",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    let json = serde_json::to_value(out.decision.as_ref().unwrap()).unwrap();
    for key in [
        "event_id",
        "tenant_id",
        "lead_id",
        "channel",
        "send_at_ms",
        "variant",
        "tone",
        "persona",
        "journey_stage",
        "churn_probability",
        "risk_level",
        "explanation",
        "model_versions",
        "latency_from_event_ms",
    ] {
        assert!(json.get(key).is_some(), "missing {key} in {json}");
    }
    assert_eq!(json["event_id"], "ev-1");
    assert!(json["send_at_ms"].as_i64().unwrap() > T0);
}

#[test]
fn a_lead_that_goes_silent_within_the_horizon_is_a_churn_label() {
    // The churn truth is "leaves within the horizon", not "already gone": a snapshot whose lead
    // answered after it, then fell silent for at least seven days while touched twice, is
    // churn; a lead silent for only the last five days of the horizon is not.
    let config = DecideConfig::default();
    let horizon = config.churn_horizon_ms;
    for (last_open, churned) in [(4 * DAY, true), (12 * DAY, false)] {
        let mut rig = Rig::new(&config);
        rig.send(
            "a",
            T0,
            EventKind::LeadCreated {
                source: None,
                area: None,
                utc_offset_min: None,
            },
        );
        rig.send("a", T0 + HOUR, email());
        rig.send("a", T0 + 2 * HOUR, EventKind::EmailOpened);
        // The snapshot under test: the lead answered within the horizon before it.
        rig.send("a", T0 + 3 * DAY, email());
        rig.send("a", T0 + last_open, EventKind::EmailOpened);
        rig.send("a", T0 + last_open + DAY, email());
        rig.send("a", T0 + last_open + 2 * DAY, email());
        let deadline = T0 + 3 * DAY + horizon;
        let labels = leads(rig.watermark(deadline));
        assert!(
            labels.contains(&(churned, deadline)),
            "last answer at day {}: {labels:?}",
            last_open / DAY
        );
        assert!(!labels.contains(&(!churned, deadline)), "{labels:?}");
    }
}

#[test]
fn unprompted_contact_and_unanswered_touches_steer_the_channel_choice() {
    // Untrained models: every channel's prior is Beta(0.5, 0.5), so with no evidence each
    // channel wins a quarter of the draws.
    let config = DecideConfig::default();
    let mut rig = Rig::new(&config);
    let created = || EventKind::LeadCreated {
        source: None,
        area: None,
        utc_offset_min: None,
    };
    rig.send("a", T0, created());
    let none = rig.channel_share("a", T0 + HOUR, Channel::Sms, 4000);
    // A lead that texts without being texted: its SMS arm gets 6 successes (1 before this
    // round, when SMS won 43% of the draws; 66% expected now).
    rig.send("a", T0 + HOUR, EventKind::SmsReplied);
    let after = rig.channel_share("a", T0 + 2 * HOUR, Channel::Sms, 4000);
    println!("SMS share: no evidence {none:.3}, after unprompted SMS {after:.3}");
    assert!((none - 0.25).abs() < 0.04, "{none}");
    assert!(after > 0.58, "{after}");

    // An email unanswered for 30 hours counts as a failure of email before its label (at 48 h):
    // email wins about 7% of the draws instead of 25%.
    rig.send("b", T0, created());
    rig.send("b", T0 + HOUR, email());
    let fresh = rig.channel_share("b", T0 + 2 * HOUR, Channel::Email, 4000);
    rig.watermark(T0 + 31 * HOUR);
    let stale = rig.channel_share("b", T0 + 31 * HOUR, Channel::Email, 4000);
    println!("email share: 1 h after the touch {fresh:.3}, 30 h after {stale:.3}");
    assert!((fresh - 0.25).abs() < 0.04, "{fresh}");
    assert!(stale < 0.13, "{stale}");

    // An email reply to a video message is an answer, not unprompted contact on email: email
    // gets no successes (it got 6 when only email touches counted as prompting an email).
    rig.send("c", T0, created());
    rig.send(
        "c",
        T0 + HOUR,
        EventKind::VideoSent(Outbound {
            variant: Some(MessageVariant::Professional),
            campaign_id: None,
        }),
    );
    rig.send(
        "c",
        T0 + 2 * HOUR,
        EventKind::VideoViewed {
            watch_pct: 80.0,
            replays: 0,
        },
    );
    rig.send("c", T0 + 3 * HOUR, EventKind::EmailReplied);
    let replied = rig.channel_share("c", T0 + 4 * HOUR, Channel::Email, 4000);
    println!("email share after an email reply to a video message: {replied:.3}");
    assert!(replied < 0.3, "{replied}");
}

#[test]
fn send_times_are_planned_and_learned_in_the_leads_local_week() {
    let mut rig = Rig::new(&DecideConfig::default());
    let created = |utc_offset_min| EventKind::LeadCreated {
        source: None,
        area: None,
        utc_offset_min,
    };
    // Thursday 2026-01-01 14:20 UTC; Thursday 00:00 is hour 72 of the week.
    let ts = T0 + 14 * HOUR + 20 * 60_000;
    for (lead, offset) in [("new_york", Some(-300)), ("nowhere", None)] {
        let d = rig
            .send(lead, ts, created(offset))
            .decision
            .clone()
            .expect("a decision");
        assert_eq!(d.utc_offset_minutes, offset);
        assert!(d.send_at_ms > ts && d.send_at_ms <= ts + DAY && d.send_at_ms % HOUR == 0);
        let local = d.send_at_ms + i64::from(offset.unwrap_or(0)) * 60_000;
        let hour_of_week = (72 + (local - T0).div_euclid(HOUR)).rem_euclid(168);
        assert_eq!(i64::from(d.send_local_hour_of_week), hour_of_week, "{lead}");
        assert_eq!(
            i64::from(d.send_hour_utc),
            (d.send_at_ms - T0).div_euclid(HOUR) % 24
        );
    }
    // A voicemail left at 14:20 UTC is a touch at 09:20 in New York: local hour 72 + 9.
    let out = rig.send(
        "new_york",
        ts + 60_000,
        EventKind::Voicemail { duration_s: None },
    );
    let hours: Vec<u16> = out
        .examples
        .iter()
        .filter_map(|e| match e {
            LabelledExample::Response(r) => Some(r.hour_of_week),
            _ => None,
        })
        .collect();
    assert_eq!(hours, [81]);
    let out = rig.send(
        "nowhere",
        ts + 60_000,
        EventKind::Voicemail { duration_s: None },
    );
    assert!(matches!(
        out.examples.as_slice(),
        [LabelledExample::Response(r)] if r.hour_of_week == 86
    ));
}

#[test]
fn the_send_hour_is_chosen_in_the_leads_local_time() {
    // The population answers at 19:00 local time, every day, and hardly ever otherwise.
    let config = DecideConfig::default();
    let (mut learner, reader) = Learner::new(&config, 1);
    for i in 0..20_000_u32 {
        let hour_of_week = (i % 168) as u16;
        learner.learn(LabelledExample::Response(ResponseExample {
            touch_ts: T0,
            label_ts: T0,
            features: [0.0; N_FEATURES],
            channel: 0,
            variant: None,
            variant_context: [0.0; VARIANT_CONTEXT],
            hour_of_week,
            persona: None,
            responded: hour_of_week % 24 == 19 || i % 50 == 0,
        }));
    }
    learner.publish();
    let mut rig = Rig::new(&config);
    rig.decider = ShardDecider::new(reader, &config, 0, 1);
    let created = |utc_offset_min| EventKind::LeadCreated {
        source: None,
        area: None,
        utc_offset_min,
    };
    // 19:00 in New York (UTC-5) is 00:00 UTC; in Paris (UTC+1) 18:00 UTC; in Kathmandu
    // (UTC+5:45) 13:15 UTC, in the 13:00 UTC hour.
    for (lead, offset, utc_hour, minute) in [
        ("new_york", -300, 0, 0),
        ("paris", 60, 18, 0),
        ("kathmandu", 345, 13, 15),
    ] {
        let d = rig
            .send(lead, T0 + 3 * HOUR, created(Some(offset)))
            .decision
            .clone()
            .expect("a decision");
        assert_eq!(d.send_hour_utc, utc_hour, "{lead}: {d:?}");
        assert_eq!(d.send_local_hour_of_week % 24, 19, "{lead}");
        assert_eq!(d.send_at_ms.rem_euclid(HOUR), minute * 60_000, "{lead}");
    }
}

/// (touch time, responded, label time) of each response example.
fn touch_labels(out: &DecisionOutputs) -> Vec<(i64, bool, i64)> {
    out.examples
        .iter()
        .filter_map(|e| match e {
            LabelledExample::Response(r) => Some((r.touch_ts, r.responded, r.label_ts)),
            _ => None,
        })
        .collect()
}

/// (snapshot time, label time) of each lead example.
fn snapshot_labels(out: &DecisionOutputs) -> Vec<(i64, i64)> {
    out.examples
        .iter()
        .filter_map(|e| match e {
            LabelledExample::Lead(l) => Some((l.snapshot_ts, l.label_ts)),
            _ => None,
        })
        .collect()
}

/// A lead created at `T0` and emailed every hour for eight hours: nine snapshots (one per hour
/// with `snapshot_interval_ms` an hour) and eight open touches.
fn eight_hourly_emails(config: &DecideConfig) -> Rig {
    let mut rig = Rig::new(config);
    rig.send(
        "a",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    for k in 1..=8 {
        rig.send("a", T0 + k * HOUR, email());
    }
    rig
}

#[test]
fn a_lead_keeps_its_newest_four_touches_and_seven_snapshots() {
    let config = DecideConfig {
        snapshot_interval_ms: HOUR,
        ..DecideConfig::default()
    };
    let response_horizon = config.response_horizon_ms;
    let lead_horizon = config.churn_horizon_ms.max(config.journey_horizon_ms);
    let mut rig = eight_hourly_emails(&config);
    let c = rig.decider.counters();
    assert_eq!((c.touches_dropped, c.snapshots_dropped), (4, 2));
    assert_eq!(
        rig.decider.pending(),
        (4, 7, 0),
        "nothing evicted at capacity"
    );

    // The four oldest touches were dropped unlabelled; the newest four are labelled at their
    // horizons.
    assert!(touch_labels(rig.watermark(T0 + 5 * HOUR + response_horizon - 1)).is_empty());
    assert_eq!(
        touch_labels(rig.watermark(T0 + 8 * HOUR + response_horizon)),
        (5..=8)
            .map(|k| (T0 + k * HOUR, false, T0 + k * HOUR + response_horizon))
            .collect::<Vec<_>>()
    );
    // Likewise the snapshots at hours 0 and 1; those at hours 2 to 8 are labelled.
    assert!(snapshot_labels(rig.watermark(T0 + 2 * HOUR + lead_horizon - 1)).is_empty());
    assert_eq!(
        snapshot_labels(rig.watermark(T0 + 8 * HOUR + lead_horizon)),
        (2..=8)
            .map(|k| (T0 + k * HOUR, T0 + k * HOUR + lead_horizon))
            .collect::<Vec<_>>()
    );
    assert_eq!(rig.decider.pending(), (0, 0, 0));
    let c = rig.decider.counters();
    assert_eq!((c.response_examples, c.lead_examples), (4, 7));
}

#[test]
fn a_full_slab_evicts_the_oldest_and_the_memo_skips_its_stale_handles() {
    // Room for two pending touches and two pending snapshots in the whole shard.
    let config = DecideConfig {
        snapshot_interval_ms: HOUR,
        max_pending: 4,
        ..DecideConfig::default()
    };
    let response_horizon = config.response_horizon_ms;
    let lead_horizon = config.churn_horizon_ms.max(config.journey_horizon_ms);
    let mut rig = eight_hourly_emails(&config);
    // Six touches and seven snapshots were evicted at capacity. The lead's memo still names
    // some of them (touches 5 and 6, snapshots 2 to 6); when they fall out of the memo they are
    // not counted again as dropped.
    assert_eq!(rig.decider.pending(), (2, 2, 6 + 7));
    let c = rig.decider.counters();
    assert_eq!((c.touches_dropped, c.snapshots_dropped), (0, 0));

    // An open answers the oldest touch still pending (hour 7), not the memo's older stale ones.
    let opened = rig.send("a", T0 + 9 * HOUR, EventKind::EmailOpened);
    assert_eq!(
        touch_labels(opened),
        vec![(T0 + 7 * HOUR, true, T0 + 9 * HOUR)]
    );
    // Its snapshot (hour 9) evicted the one of hour 7.
    assert_eq!(rig.decider.pending(), (1, 2, 6 + 8));

    assert!(touch_labels(rig.watermark(T0 + 8 * HOUR + response_horizon - 1)).is_empty());
    assert_eq!(
        touch_labels(rig.watermark(T0 + 8 * HOUR + response_horizon)),
        vec![(T0 + 8 * HOUR, false, T0 + 8 * HOUR + response_horizon)]
    );
    assert!(snapshot_labels(rig.watermark(T0 + 8 * HOUR + lead_horizon - 1)).is_empty());
    assert_eq!(
        snapshot_labels(rig.watermark(T0 + 9 * HOUR + lead_horizon)),
        vec![
            (T0 + 8 * HOUR, T0 + 8 * HOUR + lead_horizon),
            (T0 + 9 * HOUR, T0 + 9 * HOUR + lead_horizon)
        ]
    );
    assert_eq!(rig.decider.pending(), (0, 0, 6 + 8));
    let c = rig.decider.counters();
    assert_eq!((c.touches_dropped, c.snapshots_dropped), (0, 0));
}

#[test]
fn a_forgotten_lead_leaves_no_labels_behind() {
    let config = DecideConfig {
        snapshot_interval_ms: HOUR,
        ..DecideConfig::default()
    };
    let lead_horizon = config.churn_horizon_ms.max(config.journey_horizon_ms);
    let mut rig = eight_hourly_emails(&config);
    // A second lead, emailed once, that stays.
    rig.send(
        "b",
        T0,
        EventKind::LeadCreated {
            source: None,
            area: None,
            utc_offset_min: None,
        },
    );
    rig.send("b", T0 + HOUR, email());
    let (touches, snapshots, _) = rig.decider.pending();
    assert_eq!((touches, snapshots), (4 + 1, 7 + 2));

    // Lead "a"'s partition is revoked; "c" was never seen.
    rig.decider.forget_leads(&[("t1", "a"), ("t1", "c")]);
    assert_eq!(rig.decider.counters().leads_forgotten, 1);
    let (touches, snapshots, _) = rig.decider.pending();
    assert_eq!((touches, snapshots), (1, 2), "only lead b's are left");

    // Past every horizon, only lead b's touch and snapshots are labelled.
    let out = rig.watermark(T0 + 9 * HOUR + lead_horizon);
    let snapshot_times: Vec<i64> = snapshot_labels(out).iter().map(|l| l.0).collect();
    assert_eq!(snapshot_times, vec![T0, T0 + HOUR]);
    let touch_times: Vec<i64> = touch_labels(out).iter().map(|l| l.0).collect();
    assert_eq!(touch_times, vec![T0 + HOUR]);
    assert_eq!(rig.decider.pending(), (0, 0, 0));

    // Forgetting again changes nothing; the lead starts afresh if it comes back.
    rig.decider.forget_leads(&[("t1", "a")]);
    assert_eq!(rig.decider.counters().leads_forgotten, 1);
    let out = rig.send("a", T0 + 20 * DAY, email());
    assert!(out.decision.is_some());
}

#[test]
fn a_churn_model_warming_up_rates_leads_by_its_label_rate_and_raises_no_alert() {
    let created = || EventKind::LeadCreated {
        source: None,
        area: None,
        utc_offset_min: None,
    };
    let churn_of = |out: &DecisionOutputs| {
        let d = out.decision.as_ref().expect("a decision");
        (d.churn_probability, d.risk_level, out.alert.is_some())
    };
    // Untrained, default settings: the prior rate, 1 in 20, is low risk; no alert.
    let mut rig = Rig::new(&DecideConfig::default());
    assert_eq!(
        churn_of(rig.send("a", T0, created())),
        (0.05, RiskLevel::Low, false)
    );
    // Even where that rate is critical, a model still warming up raises no alert...
    let tiny = DecideConfig {
        risk_thresholds: [1e-4, 2e-4, 3e-4, 4e-4],
        ..DecideConfig::default()
    };
    let mut rig = Rig::new(&tiny);
    assert_eq!(
        churn_of(rig.send("a", T0, created())),
        (0.05, RiskLevel::Critical, false)
    );
    // ...while without the warm-up the untrained model's own score rates and alerts.
    let mut rig = Rig::new(&DecideConfig {
        churn_warmup_labels: 0,
        ..tiny.clone()
    });
    let (p, level, alerted) = churn_of(rig.send("a", T0, created()));
    assert!((p - 0.5).abs() < 0.05 && p != 0.05, "{p}");
    assert_eq!((level, alerted), (RiskLevel::Critical, true));

    // Labels move the rate during the warm-up; from the warm-up's last label the model rates.
    let config = DecideConfig {
        churn_warmup_labels: 40,
        ..tiny
    };
    let (mut learner, reader) = Learner::new(&config, 1);
    let mut rig = Rig::new(&config);
    rig.decider = ShardDecider::new(reader, &config, 0, 1);
    let example = |i: u32| {
        LabelledExample::Lead(LeadExample {
            snapshot_ts: T0,
            label_ts: T0,
            features: [f64::from(i % 7); N_FEATURES],
            indicators: [0.0; leadstream::decide::Indicator::COUNT],
            churned: i.is_multiple_of(4),
            progressed: false,
        })
    };
    for i in 0..39 {
        learner.learn(example(i));
    }
    learner.publish();
    // 10 churned of 39: (10 + 1) / (39 + 20).
    let (p, _, alerted) = churn_of(rig.send("b", T0 + HOUR, created()));
    assert!((p - 11.0 / 59.0).abs() < 1e-12, "{p}");
    assert!(!alerted);
    learner.learn(example(39));
    learner.publish();
    let (p, _, alerted) = churn_of(rig.send("c", T0 + 2 * HOUR, created()));
    assert!(
        (p - 11.0 / 60.0).abs() > 1e-3,
        "the model's own probability: {p}"
    );
    assert!(alerted, "a warm model's critical rating alerts");
}
