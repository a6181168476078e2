//! Video: how engaged a lead was with a video message, as a score in `[0, 1]`.
//!
//! What it is for: one number from a video view's watch percent, replays and time-to-view, for
//! features and decisions.
//! What it is not: a learned model. The weights are a stated prior: how much was watched
//! matters most ([`WATCH_WEIGHT`]), then replays and promptness. Learners weigh it afterwards.

use serde::Serialize;

use super::error::{non_negative, TextError};

/// Weight of the watched fraction.
pub const WATCH_WEIGHT: f64 = 0.6;
/// Weight of replays (each replay halves the remaining gap to 1).
pub const REPLAY_WEIGHT: f64 = 0.2;
/// Weight of promptness (halves every [`PROMPTNESS_HALF_LIFE_SECS`] of delay).
pub const PROMPTNESS_WEIGHT: f64 = 0.2;
/// Delay after which promptness counts half: one day.
pub const PROMPTNESS_HALF_LIFE_SECS: f64 = 86_400.0;

/// One lead's view of a video message.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct VideoView {
    /// Percent of the video watched, 0 to 100 (values above 100, which some players report
    /// after replays, count as 100).
    pub watch_percent: f64,
    /// Times the lead replayed it.
    pub replays: u32,
    /// Seconds between sending and the first view.
    pub time_to_view_secs: f64,
}

/// The engagement score and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VideoEngagement {
    /// `WATCH_WEIGHT * watched + REPLAY_WEIGHT * replay + PROMPTNESS_WEIGHT * promptness`,
    /// in `[0, 1]`.
    pub score: f64,
    /// Watched fraction in `[0, 1]`.
    pub watched: f64,
    /// `1 - 0.5^replays`.
    pub replay: f64,
    /// `0.5^(time_to_view / half-life)`.
    pub promptness: f64,
}

/// Scores one video view.
///
/// # Errors
/// [`TextError::NotFiniteNonNegative`] when the watch percent or time-to-view is NaN, infinite
/// or negative.
///
/// # Examples
/// ```
/// use leadstream::text::video::{engagement, VideoView};
///
/// let e = engagement(&VideoView { watch_percent: 100.0, replays: 1, time_to_view_secs: 0.0 }).unwrap();
/// assert!((e.score - 0.9).abs() < 1e-12);
/// ```
pub fn engagement(view: &VideoView) -> Result<VideoEngagement, TextError> {
    let watched = (non_negative("watch_percent", view.watch_percent)? / 100.0).min(1.0);
    let delay = non_negative("time_to_view_secs", view.time_to_view_secs)?;
    let replay = 1.0 - 0.5_f64.powi(i32::try_from(view.replays).unwrap_or(i32::MAX));
    let promptness = 0.5_f64.powf(delay / PROMPTNESS_HALF_LIFE_SECS);
    let score = (WATCH_WEIGHT * watched + REPLAY_WEIGHT * replay + PROMPTNESS_WEIGHT * promptness)
        .clamp(0.0, 1.0);
    Ok(VideoEngagement {
        score,
        watched,
        replay,
        promptness,
    })
}

#[cfg(test)]
mod tests {
    use super::{engagement, VideoView};

    #[test]
    fn more_watching_replays_and_promptness_score_higher() {
        let base = VideoView {
            watch_percent: 50.0,
            replays: 0,
            time_to_view_secs: 3600.0,
        };
        let s = |v: VideoView| engagement(&v).map(|e| e.score).unwrap_or(f64::NAN);
        assert!(
            s(VideoView {
                watch_percent: 90.0,
                ..base
            }) > s(base)
        );
        assert!(s(VideoView { replays: 2, ..base }) > s(base));
        assert!(
            s(VideoView {
                time_to_view_secs: 60.0,
                ..base
            }) > s(base)
        );
    }

    #[test]
    fn never_watched_scores_low_and_bad_input_is_rejected() {
        let e = engagement(&VideoView {
            watch_percent: 0.0,
            replays: 0,
            time_to_view_secs: 1e9,
        });
        assert!(e.map(|e| e.score < 0.01).unwrap_or(false));
        assert!(engagement(&VideoView {
            watch_percent: f64::NAN,
            ..VideoView::default()
        })
        .is_err());
        assert!(engagement(&VideoView {
            time_to_view_secs: -1.0,
            ..VideoView::default()
        })
        .is_err());
    }
}
