//! Call (voice) and video-view signals: bands, hints, edge cases and rejected input.

use leadstream::text::video::{engagement, VideoView};
use leadstream::text::voice::{analyze_call, CallMetadata};
use leadstream::text::TextError;

fn call(duration_secs: f64, agent_words: u32, lead_words: u32, interruptions: u32) -> CallMetadata {
    CallMetadata {
        duration_secs,
        agent_words,
        lead_words,
        interruptions,
        ..CallMetadata::default()
    }
}

#[test]
fn balanced_call_raises_no_hint() {
    // 10 minutes, 1400 words in all (140 wpm), agent 45% of them, 5 interruptions.
    let v = analyze_call(&call(600.0, 630, 770, 5)).expect("valid call");
    assert!((v.agent_wpm - 140.0).abs() < 1e-9);
    assert!((v.agent_talk_share - 0.45).abs() < 1e-9);
    assert!((v.interruptions_per_minute - 0.5).abs() < 1e-9);
    assert!(!v.hints.any(), "{:?}", v.hints);
    assert_eq!(v.hints.messages().count(), 0);
}

#[test]
fn fast_monologue_gets_slow_down_and_listen_more() {
    // 5 minutes, agent 900 words, lead 60: 192 wpm overall, agent 94% of words.
    let v = analyze_call(&call(300.0, 900, 60, 0)).expect("valid call");
    assert!(v.hints.slow_down && v.hints.listen_more);
    assert!(!v.hints.speed_up && !v.hints.lead_the_call && !v.hints.interrupt_less);
    assert!((v.talk_to_listen - 15.0).abs() < 1e-9);
    assert_eq!(v.hints.messages().count(), 2);
}

#[test]
fn reported_talk_times_give_per_side_pace() {
    let meta = CallMetadata {
        agent_talk_secs: Some(120.0),
        lead_talk_secs: Some(240.0),
        ..call(400.0, 200, 600, 20)
    };
    let v = analyze_call(&meta).expect("valid call");
    assert!((v.agent_wpm - 100.0).abs() < 1e-9);
    assert!((v.lead_wpm - 150.0).abs() < 1e-9);
    assert!((v.talk_to_listen - 0.5).abs() < 1e-9);
    assert!(v.hints.speed_up && v.hints.lead_the_call && v.hints.interrupt_less);
}

#[test]
fn silent_sides_stay_finite() {
    let nobody = analyze_call(&call(60.0, 0, 0, 0)).expect("valid call");
    assert_eq!(
        (
            nobody.agent_wpm,
            nobody.talk_to_listen,
            nobody.agent_talk_share
        ),
        (0.0, 0.0, 0.5)
    );
    assert!(!nobody.hints.any());
    let silent_lead = analyze_call(&call(60.0, 140, 0, 0)).expect("valid call");
    assert_eq!(silent_lead.talk_to_listen, 100.0);
    assert!(silent_lead.hints.listen_more);
}

#[test]
fn bad_call_metadata_is_rejected() {
    assert_eq!(
        analyze_call(&call(0.0, 10, 10, 0)),
        Err(TextError::ZeroDuration(0.0))
    );
    assert!(matches!(
        analyze_call(&call(f64::NAN, 10, 10, 0)),
        Err(TextError::NotFiniteNonNegative {
            field: "duration_secs",
            ..
        })
    ));
    let negative_talk = CallMetadata {
        agent_talk_secs: Some(-1.0),
        lead_talk_secs: Some(3.0),
        ..call(60.0, 1, 1, 0)
    };
    assert!(analyze_call(&negative_talk).is_err());
}

#[test]
fn video_engagement_bounds_and_order() {
    let best = engagement(&VideoView {
        watch_percent: 150.0,
        replays: 50,
        time_to_view_secs: 0.0,
    })
    .expect("valid");
    assert!((best.score - 1.0).abs() < 1e-12);
    let worst = engagement(&VideoView {
        watch_percent: 0.0,
        replays: 0,
        time_to_view_secs: 1e12,
    })
    .expect("valid");
    assert!(worst.score >= 0.0 && worst.score < 1e-6);
    let watched_half_next_day = engagement(&VideoView {
        watch_percent: 50.0,
        replays: 0,
        time_to_view_secs: 86_400.0,
    })
    .expect("valid");
    assert!((watched_half_next_day.score - (0.6 * 0.5 + 0.2 * 0.5)).abs() < 1e-12);
    assert!(engagement(&VideoView {
        watch_percent: -5.0,
        ..VideoView::default()
    })
    .is_err());
    assert!(engagement(&VideoView {
        time_to_view_secs: f64::INFINITY,
        ..VideoView::default()
    })
    .is_err());
}
