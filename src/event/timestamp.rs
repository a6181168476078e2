//! Event timestamps: RFC 3339 text to epoch milliseconds.
//!
//! What it is for: the `ts` field accepts either epoch milliseconds or RFC 3339 text; this turns
//! the text form into epoch milliseconds without a date-time dependency.
//! What it is not: a calendar library; no time zones beyond numeric offsets, no formatting.

use super::types::MAX_TS_MS;

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads exactly `n` ASCII digits at `pos`.
fn digits(b: &[u8], pos: usize, n: usize) -> Option<i64> {
    let slice = b.get(pos..pos + n)?;
    let mut v = 0_i64;
    for &c in slice {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn expect(b: &[u8], pos: usize, want: &[u8]) -> Option<()> {
    b.get(pos).filter(|c| want.contains(c)).map(|_| ())
}

/// Parses an RFC 3339 date-time (`2026-11-24T13:55:27.123Z`, `...+01:00`; `t`, `z` and a space
/// separator are accepted as RFC 3339 allows) into epoch milliseconds. Fractions beyond
/// milliseconds are truncated; a leap second (`:60`) counts as the next second.
///
/// # Errors
/// A short description of what is wrong, for the decoder's `BadTimestamp` error.
pub fn parse_rfc3339_ms(s: &str) -> Result<i64, &'static str> {
    let b = s.as_bytes();
    let bad = "not RFC 3339 (expected YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM))";
    let year = digits(b, 0, 4).ok_or(bad)?;
    expect(b, 4, b"-").ok_or(bad)?;
    let month = digits(b, 5, 2).ok_or(bad)?;
    expect(b, 7, b"-").ok_or(bad)?;
    let day = digits(b, 8, 2).ok_or(bad)?;
    expect(b, 10, b"Tt ").ok_or(bad)?;
    let hour = digits(b, 11, 2).ok_or(bad)?;
    expect(b, 13, b":").ok_or(bad)?;
    let minute = digits(b, 14, 2).ok_or(bad)?;
    expect(b, 16, b":").ok_or(bad)?;
    let second = digits(b, 17, 2).ok_or(bad)?;
    let mut pos = 19;
    let mut millis = 0_i64;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            if pos - start < 3 {
                millis = millis * 10 + i64::from(b[pos] - b'0');
            }
            pos += 1;
        }
        let n = pos - start;
        if n == 0 {
            return Err(bad);
        }
        for _ in n..3 {
            millis *= 10;
        }
    }
    let offset_min = match b.get(pos) {
        Some(b'Z' | b'z') => {
            pos += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, pos + 1, 2).ok_or(bad)?;
            expect(b, pos + 3, b":").ok_or(bad)?;
            let om = digits(b, pos + 4, 2).ok_or(bad)?;
            if oh > 23 || om > 59 {
                return Err("offset out of range");
            }
            pos += 6;
            let off = oh * 60 + om;
            if sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return Err("missing time zone offset (Z or +HH:MM)"),
    };
    if pos != b.len() {
        return Err(bad);
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err("date out of range");
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err("time of day out of range");
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_min * 60;
    let ms = secs * 1_000 + millis;
    if !(0..=MAX_TS_MS).contains(&ms) {
        return Err("before 1970 or after 9999");
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Ok(0));
        // `date -d 2026-11-24T13:55:27Z +%s` = 1795528527
        assert_eq!(
            parse_rfc3339_ms("2026-11-24T13:55:27.123Z"),
            Ok(1_795_528_527_123)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-11-24T14:55:27.1+01:00"),
            Ok(1_795_528_527_100)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-11-24 08:55:27.123456-05:00"),
            Ok(1_795_528_527_123)
        );
        assert_eq!(
            parse_rfc3339_ms("2024-02-29t00:00:00z"),
            Ok(1_709_164_800_000)
        );
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "2026-11-24",
            "2026-11-24T13:55:27",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-11-24T24:00:00Z",
            "2026-11-24T13:55:27.Z",
            "2026-11-24T13:55:27Zjunk",
            "1969-12-31T23:59:59Z",
            "2026-11-24T13:55:27+1:00",
            "２０２６-11-24T13:55:27Z",
        ] {
            assert!(parse_rfc3339_ms(s).is_err(), "{s:?} should be rejected");
        }
    }
}
