//! The four channels an agent can contact a lead on, and event-time calendar helpers.
//!
//! What it is for: the arms a channel-choosing policy picks among (email, SMS, call, video), and
//! the hour-of-week arithmetic the response model and the policies share.
//! What it is not: the event contract's [`Channel`] (which also has `web`, a lead-initiated
//! channel nobody can be contacted on).

use serde::{Deserialize, Serialize};

use crate::event::Channel;

/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 3_600_000;
/// Milliseconds in a day.
pub const DAY_MS: i64 = 24 * HOUR_MS;
/// Hours in a week.
pub const HOURS_PER_WEEK: u16 = 168;

/// A channel the agent can contact a lead on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// Email.
    Email,
    /// SMS.
    Sms,
    /// Phone call (a voicemail when the lead does not pick up).
    Call,
    /// Video message.
    Video,
}

impl ContactChannel {
    /// Every contact channel, in index order.
    pub const ALL: [ContactChannel; 4] = [
        ContactChannel::Email,
        ContactChannel::Sms,
        ContactChannel::Call,
        ContactChannel::Video,
    ];

    /// The channel's position in [`ContactChannel::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The channel of the event contract.
    pub const fn to_channel(self) -> Channel {
        match self {
            ContactChannel::Email => Channel::Email,
            ContactChannel::Sms => Channel::Sms,
            ContactChannel::Call => Channel::Call,
            ContactChannel::Video => Channel::Video,
        }
    }

    /// The wire name (the same as the event contract's).
    pub const fn as_str(self) -> &'static str {
        self.to_channel().as_str()
    }

    /// The next channel in index order, wrapping around (used by the `pref-shift` drift).
    pub const fn rotated(self, steps: usize) -> ContactChannel {
        Self::ALL[(self.index() + steps) % 4]
    }
}

/// The UTC hour of the week of an event time: 0 is Monday 00:00-01:00 UTC, 167 is Sunday 23:00.
///
/// # Examples
/// ```
/// use leadstream::sim::hour_of_week;
/// // 1970-01-01 was a Thursday: hour 0 of the epoch is Thursday 00:00, hour 72 of the week.
/// assert_eq!(hour_of_week(0), 72);
/// // 2026-01-05T09:30:00Z, a Monday.
/// assert_eq!(hour_of_week(1_767_605_400_000), 9);
/// ```
pub fn hour_of_week(ts_ms: i64) -> u16 {
    let hours = ts_ms.div_euclid(HOUR_MS) + 72;
    // rem_euclid keeps the value in 0..168, so the cast cannot truncate.
    hours.rem_euclid(i64::from(HOURS_PER_WEEK)) as u16
}

/// The local hour of the week for a UTC hour of the week and an offset in hours from UTC.
pub fn local_hour_of_week(utc_hour_of_week: u16, tz_offset_hours: i8) -> u16 {
    let week = i32::from(HOURS_PER_WEEK);
    (i32::from(utc_hour_of_week) + i32::from(tz_offset_hours)).rem_euclid(week) as u16
}
