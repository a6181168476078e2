//! What a lead does when it responds: the concrete events (open, click, reply with text, watch,
//! call metrics, visits) and their delays.
//!
//! What it is for: turning "the lead responded to this touch" into realistic, varied events whose
//! details (reply emotion, watch share, call length) carry the lead's intent and mood.
//! What it is not: the decision *whether* the lead responds (see `response`) or the bookkeeping
//! of the loop (see `stream`).

use rand::Rng;

use crate::event::{CallMetrics, JourneyStage, MessageVariant};

use super::channel::{ContactChannel, HOUR_MS};
use super::engagement::{response_factor, LEAVING};
use super::lead_run::LeadRun;
use super::persona::Persona;
use super::policy::Touch;
use super::sim_event::SimKind;
use super::templates::{leaving_sentence, pick_emotion, sentence, ReplyMood};
use super::traits::LeadTraits;

const MINUTE_MS: i64 = 60_000;

/// The events of one response, in time order, and the time of the last one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reply {
    pub(crate) events: [Option<(i64, SimKind)>; 4],
    pub(crate) last_ts: i64,
}

fn mood(traits: &LeadTraits, run: &LeadRun, misfit: f64, intent: f64) -> ReplyMood {
    ReplyMood {
        fit: 1.0 - misfit,
        intent,
        annoyance: run.annoyance,
        churn_propensity: traits.churn_propensity,
        doubt: traits.persona.profile().doubt,
        hurried: traits.persona == Persona::Relocator || run.stage >= JourneyStage::Negotiating,
        engagement: run.engagement,
        setback: run.setback,
    }
}

pub(crate) fn reply_text<R: Rng + ?Sized>(
    rng: &mut R,
    traits: &LeadTraits,
    run: &mut LeadRun,
    misfit: f64,
    intent: f64,
) -> (&'static str, crate::text::EmotionalState) {
    let m = mood(traits, run, misfit, intent);
    run.setback = false;
    // A lead whose interest is nearly gone often says so before it leaves.
    let leaving = run.engagement < LEAVING && rng.random::<f64>() < 0.5;
    if leaving {
        let (emotion, text) = leaving_sentence(rng.random());
        return (text, emotion);
    }
    let emotion = pick_emotion(&m, rng.random(), rng.random());
    (sentence(emotion, rng.random()), emotion)
}

/// A delay between `lo` and `hi` ms, skewed towards `lo` (most people answer soon).
fn delay<R: Rng + ?Sized>(rng: &mut R, lo: i64, hi: i64) -> i64 {
    let u: f64 = rng.random();
    lo + ((hi - lo) as f64 * u * u) as i64
}

/// A reply delay: as [`delay`], stretched up to threefold as engagement falls (keen leads
/// answer fast, fading ones when they get round to it).
fn reply_delay<R: Rng + ?Sized>(rng: &mut R, lo: i64, hi: i64, engagement: f64) -> i64 {
    let stretch = 3.0 - 2.0 * engagement.clamp(0.0, 1.0);
    // hi is at most 12 hours, so the product fits an i64.
    delay(rng, lo, lo + ((hi - lo) as f64 * stretch) as i64)
}

/// A touch the lead responds to, with how well it fit and the lead's effective intent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stimulus {
    pub(crate) now: i64,
    pub(crate) touch: Touch,
    pub(crate) misfit: f64,
    pub(crate) intent: f64,
}

/// The events of a response to a touch (not the touch itself).
pub(crate) fn respond<R: Rng + ?Sized>(
    rng: &mut R,
    traits: &LeadTraits,
    run: &mut LeadRun,
    stimulus: &Stimulus,
    listings: u32,
) -> Reply {
    let Stimulus {
        now,
        touch,
        misfit,
        intent,
    } = *stimulus;
    let mut events = [None; 4];
    let mut last_ts = now;
    let doubt = traits.persona.profile().doubt;
    let e = run.engagement;
    let keen = response_factor(e).min(1.0);
    match touch.channel {
        ContactChannel::Email => {
            let opened = now + reply_delay(rng, 2 * MINUTE_MS, 8 * HOUR_MS, e);
            events[0] = Some((opened, SimKind::EmailOpened));
            last_ts = opened;
            if rng.random::<f64>() < (0.2 + 0.5 * intent) * keen {
                let clicked = opened + delay(rng, 20_000, 10 * MINUTE_MS);
                let listing = rng.random_range(0..listings.max(1));
                events[1] = Some((clicked, SimKind::EmailClicked { listing }));
                let dwell_s = (20.0 + 280.0 * intent * rng.random::<f64>()).round();
                let page = SimKind::WebVisit {
                    page: "listing",
                    listing: Some(listing),
                    dwell_s,
                };
                events[2] = Some((clicked + 5_000, page));
                last_ts = clicked + 5_000;
            }
            if rng.random::<f64>() < (0.25 + 0.3 * doubt + 0.2 * intent) * keen {
                let at = opened + reply_delay(rng, 5 * MINUTE_MS, 4 * HOUR_MS, e);
                let (text, emotion) = reply_text(rng, traits, run, misfit, intent);
                let channel = ContactChannel::Email;
                events[3] = Some((
                    at,
                    SimKind::Replied {
                        channel,
                        text,
                        emotion,
                    },
                ));
                last_ts = last_ts.max(at);
            }
        }
        ContactChannel::Sms => {
            let at = now + reply_delay(rng, MINUTE_MS, 3 * HOUR_MS, e);
            let (text, emotion) = reply_text(rng, traits, run, misfit, intent);
            let channel = ContactChannel::Sms;
            events[0] = Some((
                at,
                SimKind::Replied {
                    channel,
                    text,
                    emotion,
                },
            ));
            last_ts = at;
        }
        ContactChannel::Call => {}
        ContactChannel::Video => {
            let viewed = now + reply_delay(rng, 5 * MINUTE_MS, 12 * HOUR_MS, e);
            let interest =
                (intent * (1.0 - 0.5 * misfit) * keen + 0.3 * rng.random::<f64>()).min(1.0);
            let watch_pct = (20.0 + 80.0 * interest).round();
            let replays = u32::from(interest > 0.7) + u32::from(interest > 0.9);
            events[0] = Some((viewed, SimKind::VideoViewed { watch_pct, replays }));
            last_ts = viewed;
            if rng.random::<f64>() < (0.2 + 0.3 * intent) * keen {
                let at = viewed + reply_delay(rng, 5 * MINUTE_MS, 2 * HOUR_MS, e);
                let (text, emotion) = reply_text(rng, traits, run, misfit, intent);
                let channel = ContactChannel::Email;
                events[1] = Some((
                    at,
                    SimKind::Replied {
                        channel,
                        text,
                        emotion,
                    },
                ));
                last_ts = at;
            }
        }
    }
    Reply { events, last_ts }
}

/// A picked-up call: metrics shaped by intent, fit and tone, and what the lead said.
pub(crate) fn call<R: Rng + ?Sized>(
    rng: &mut R,
    traits: &LeadTraits,
    run: &mut LeadRun,
    misfit: f64,
    intent: f64,
    variant: MessageVariant,
) -> SimKind {
    let keen = response_factor(run.engagement).min(1.0);
    let duration_s =
        (60.0 + 840.0 * intent * (1.0 - 0.5 * misfit) * keen * rng.random::<f64>()).round();
    let words = duration_s * 2.4;
    // Pushy agents talk more and interrupt more.
    let agent_share = match variant {
        MessageVariant::Conservative => 0.40,
        MessageVariant::Professional => 0.50,
        MessageVariant::Aggressive => 0.68,
    } + 0.1 * (rng.random::<f64>() - 0.5);
    let agent_words = (words * agent_share).round() as u32;
    let lead_words = (words * (1.0 - agent_share)).round() as u32;
    let talk_ratio = f64::from(agent_words) / f64::from((agent_words + lead_words).max(1));
    let interruptions = (duration_s / 120.0 * (agent_share + run.annoyance)).round() as u32;
    let (text, emotion) = reply_text(rng, traits, run, misfit, intent);
    SimKind::CallCompleted {
        metrics: CallMetrics {
            duration_s,
            agent_words,
            lead_words,
            talk_ratio: (talk_ratio * 1000.0).round() / 1000.0,
            interruptions,
        },
        text,
        emotion,
    }
}

/// What a lead whose interest is gone may send back to a touch it otherwise ignores: a reply
/// asking to stop (on SMS for an SMS, else by email), soon after the touch.
pub(crate) fn leaving_reply<R: Rng + ?Sized>(
    rng: &mut R,
    now: i64,
    channel: ContactChannel,
) -> (i64, SimKind) {
    let (emotion, text) = leaving_sentence(rng.random());
    let channel = if channel == ContactChannel::Sms {
        ContactChannel::Sms
    } else {
        ContactChannel::Email
    };
    let at = now + delay(rng, 10 * MINUTE_MS, 6 * HOUR_MS);
    (
        at,
        SimKind::Replied {
            channel,
            text,
            emotion,
        },
    )
}

/// A spontaneous visit to the agent's site.
pub(crate) fn visit<R: Rng + ?Sized>(rng: &mut R, listings: u32) -> SimKind {
    let u: f64 = rng.random();
    let dwell_s = (10.0 + 240.0 * rng.random::<f64>()).round();
    if u < 0.6 {
        SimKind::WebVisit {
            page: "listing",
            listing: Some(rng.random_range(0..listings.max(1))),
            dwell_s,
        }
    } else if u < 0.85 {
        SimKind::WebVisit {
            page: "search",
            listing: None,
            dwell_s,
        }
    } else {
        SimKind::WebVisit {
            page: "mortgage_calculator",
            listing: None,
            dwell_s,
        }
    }
}
