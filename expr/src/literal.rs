//! String literals that stand for a uuid, a date or a datetime: what they must look like, and
//! their canonical text.
//!
//! The same rules hold in expressions (a string literal compared with a uuid, date or datetime)
//! and in column defaults, so the front end uses these functions too.
//!
//! Canonical texts sort like the values they stand for: a date is `YYYY-MM-DD`, a datetime is
//! UTC with exactly three fraction digits, `YYYY-MM-DDTHH:MM:SS.sssZ`, the text SQLite's
//! `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')` produces, so comparing texts compares times.
//!
//! ```
//! use forge_expr::literal::{canonical_datetime, is_date};
//!
//! assert!(!is_date("2024-02-31"));
//! assert_eq!(
//!     canonical_datetime("2024-03-01 01:30:00.5+02:00").as_deref(),
//!     Some("2024-02-29T23:30:00.500Z")
//! );
//! ```

/// `123e4567-e89b-12d3-a456-426614174000`, in either case.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// The canonical text of a uuid: lower-case. `None` when `s` is not a uuid.
pub fn canonical_uuid(s: &str) -> Option<String> {
    is_uuid(s).then(|| s.to_ascii_lowercase())
}

/// An ISO date, `YYYY-MM-DD`, that exists in the calendar.
pub fn is_date(s: &str) -> bool {
    date(s).is_some()
}

/// The canonical text of a date, `YYYY-MM-DD` (a valid date is already written so). `None` when
/// `s` is not a date.
pub fn canonical_date(s: &str) -> Option<String> {
    date(s).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

/// An RFC 3339 datetime: `2024-01-31T12:00:00Z`, with optional fraction and a `Z` or `±HH:MM`
/// offset (`t`, `z` and a space for `T` are accepted, as RFC 3339 allows), whose UTC time falls
/// in the years 0000 to 9999.
pub fn is_datetime(s: &str) -> bool {
    canonical_datetime(s).is_some()
}

/// The canonical text of a datetime: the same instant in UTC, `YYYY-MM-DDTHH:MM:SS.sssZ`, with
/// the fraction cut or padded to three digits (milliseconds) and an offset applied with proper
/// date arithmetic (`2024-01-01T01:00:00+02:00` is `2023-12-31T23:00:00.000Z`). `None` when `s` is
/// not a datetime (see [`is_datetime`]).
pub fn canonical_datetime(s: &str) -> Option<String> {
    let dt = datetime(s)?;
    // Seconds since 0000-01-01T00:00:00 in local time, then moved to UTC.
    let days = days_from_civil(dt.year, dt.month, dt.day);
    let local = days * 86_400 + i64::from(dt.hour * 3600 + dt.minute * 60 + dt.second);
    let utc = local - dt.offset_minutes * 60;
    let (days, secs) = (utc.div_euclid(86_400), utc.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        dt.millis
    ))
}

/// A parsed datetime, as written (local time and its offset).
struct Datetime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
    /// East of UTC, in minutes.
    offset_minutes: i64,
}

/// (year, month, day) of a valid `YYYY-MM-DD`.
fn date(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if !s.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(&s[0..4])?, digits(&s[5..7])?, digits(&s[8..10])?);
    let year = i64::from(year);
    (1..=days_in_month(year, month)?)
        .contains(&day)
        .then_some((year, month, day))
}

fn datetime(s: &str) -> Option<Datetime> {
    if !s.is_ascii() || s.len() < 19 || !matches!(s.as_bytes()[10], b'T' | b't' | b' ') {
        return None;
    }
    let (year, month, day) = date(&s[..10])?;
    let (hour, minute, second) = clock(&s[11..19])?;
    let mut zone = &s[19..];
    let mut millis = 0;
    if let Some(fraction) = zone.strip_prefix('.') {
        let len = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if len == 0 {
            return None;
        }
        // The first three digits, padded with zeros; later ones are cut.
        millis = fraction[..len]
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0, |n, b| n * 10 + u32::from(b - b'0'));
        zone = &fraction[len..];
    }
    let offset_minutes = match zone.as_bytes().first()? {
        b'Z' | b'z' if zone.len() == 1 => 0,
        sign @ (b'+' | b'-') if zone.len() == 6 && zone.as_bytes()[3] == b':' => {
            let (h, m) = hours_minutes(&zone[1..3], &zone[4..6])?;
            let minutes = i64::from(h * 60 + m);
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    Some(Datetime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        millis,
        offset_minutes,
    })
}

/// `HH:MM:SS` (ASCII, eight bytes).
fn clock(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m) = hours_minutes(&s[0..2], &s[3..5])?;
    let sec = digits(&s[6..8]).filter(|sec| *sec <= 59)?;
    Some((h, m, sec))
}

fn hours_minutes(hours: &str, minutes: &str) -> Option<(u32, u32)> {
    Some((
        digits(hours).filter(|h| *h <= 23)?,
        digits(minutes).filter(|m| *m <= 59)?,
    ))
}

/// The value of a run of ASCII digits.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> Option<u32> {
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => return None,
    })
}

/// Days from 0000-03-01 (proleptic Gregorian) to the date; any fixed origin would do, since only
/// differences and the inverse [`civil_from_days`] are used (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(is_uuid("123E4567-E89B-12D3-A456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
        assert!(!is_uuid("123e4567-e89b-12d3-a456-42661417400g"));
        assert!(!is_uuid("ééé"));
        assert_eq!(
            canonical_uuid("123E4567-E89B-12D3-A456-426614174000").as_deref(),
            Some("123e4567-e89b-12d3-a456-426614174000")
        );
    }

    #[test]
    fn dates() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-02-31"));
        assert!(!is_date("2024-04-31"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-00-01"));
        assert!(!is_date("2024-1-01"));
        assert!(!is_date("2024-01-00"));
        assert!(!is_date("2024-01-32"));
        assert!(!is_date("+024-01-01"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("1900-02-29"));
        assert_eq!(canonical_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(canonical_date("2024-02-30"), None);
    }

    #[test]
    fn datetimes() {
        assert!(is_datetime("2024-01-31T12:00:00Z"));
        assert!(is_datetime("2024-01-31t12:00:00.123456z"));
        assert!(is_datetime("2024-01-31 23:59:59+05:30"));
        assert!(!is_datetime("2024-01-31"));
        assert!(!is_datetime("2024-01-31T12:00:00"));
        assert!(!is_datetime("2024-01-31T24:00:00Z"));
        assert!(!is_datetime("2024-01-31T25:00:00Z"));
        assert!(!is_datetime("2024-01-31T12:60:00Z"));
        assert!(!is_datetime("2024-01-31T12:00:60Z"));
        assert!(!is_datetime("2024-02-31T12:00:00Z"));
        assert!(!is_datetime("2024-13-01T12:00:00Z"));
        assert!(!is_datetime("2024-01-31T12:00:00.Z"));
        assert!(!is_datetime("2024-01-31T12:00:00+0530"));
        assert!(!is_datetime("2024-01-31T12:00:00+24:00"));
        assert!(!is_datetime("2024-01-31T12:00:00Zx"));
        assert!(!is_datetime("2024-01-31Té2:00:00Z"));
        assert!(!is_datetime("2024-01-31T1:00:00Z"));
    }

    fn canon(s: &str) -> String {
        canonical_datetime(s).unwrap_or_else(|| panic!("{s} is not a datetime"))
    }

    #[test]
    fn canonical_datetimes_are_utc_with_milliseconds() {
        assert_eq!(canon("2024-01-31T12:00:00Z"), "2024-01-31T12:00:00.000Z");
        assert_eq!(canon("2024-01-31t12:00:00z"), "2024-01-31T12:00:00.000Z");
        assert_eq!(
            canon("2024-01-31 12:00:00+00:00"),
            "2024-01-31T12:00:00.000Z"
        );
        assert_eq!(
            canon("2024-01-31T12:00:00-00:00"),
            "2024-01-31T12:00:00.000Z"
        );
        assert_eq!(
            canon("2024-01-31T12:00:00+02:00"),
            "2024-01-31T10:00:00.000Z"
        );
        assert_eq!(
            canon("2024-01-31T12:00:00-05:30"),
            "2024-01-31T17:30:00.000Z"
        );
    }

    #[test]
    fn fractions_are_padded_or_cut_to_three_digits() {
        assert_eq!(canon("2024-01-31T12:00:00.5Z"), "2024-01-31T12:00:00.500Z");
        assert_eq!(canon("2024-01-31T12:00:00.05Z"), "2024-01-31T12:00:00.050Z");
        assert_eq!(
            canon("2024-01-31T12:00:00.123Z"),
            "2024-01-31T12:00:00.123Z"
        );
        // Cut, not rounded: rounding could carry into the seconds.
        assert_eq!(
            canon("2024-01-31T12:00:59.999999Z"),
            "2024-01-31T12:00:59.999Z"
        );
        assert_eq!(
            canon("2024-01-31T12:00:00.000000001Z"),
            "2024-01-31T12:00:00.000Z"
        );
    }

    #[test]
    fn offsets_roll_over_days_months_and_years() {
        // Back over midnight, the first of a month, and New Year.
        assert_eq!(
            canon("2024-01-31T01:00:00+02:00"),
            "2024-01-30T23:00:00.000Z"
        );
        assert_eq!(
            canon("2024-05-01T00:30:00+01:00"),
            "2024-04-30T23:30:00.000Z"
        );
        assert_eq!(
            canon("2024-01-01T00:00:00+00:01"),
            "2023-12-31T23:59:00.000Z"
        );
        // Forward over midnight, a month end and New Year's Eve.
        assert_eq!(
            canon("2024-04-30T23:00:00-02:00"),
            "2024-05-01T01:00:00.000Z"
        );
        assert_eq!(
            canon("2023-12-31T23:59:59.999-00:01"),
            "2024-01-01T00:00:59.999Z"
        );
        assert_eq!(
            canon("2024-12-31T20:00:00-05:00"),
            "2025-01-01T01:00:00.000Z"
        );
    }

    #[test]
    fn offsets_respect_leap_years() {
        assert_eq!(
            canon("2024-03-01T01:00:00+02:00"),
            "2024-02-29T23:00:00.000Z"
        );
        assert_eq!(
            canon("2023-03-01T01:00:00+02:00"),
            "2023-02-28T23:00:00.000Z"
        );
        assert_eq!(
            canon("2000-03-01T00:00:00+00:30"),
            "2000-02-29T23:30:00.000Z"
        );
        assert_eq!(
            canon("1900-03-01T00:00:00+00:30"),
            "1900-02-28T23:30:00.000Z"
        );
        assert_eq!(
            canon("2024-02-28T23:00:00-02:00"),
            "2024-02-29T01:00:00.000Z"
        );
        assert_eq!(
            canon("2023-02-28T23:00:00-02:00"),
            "2023-03-01T01:00:00.000Z"
        );
    }

    #[test]
    fn instants_outside_years_0000_to_9999_are_not_datetimes() {
        assert_eq!(canon("0000-01-01T00:00:00Z"), "0000-01-01T00:00:00.000Z");
        assert_eq!(canon("9999-12-31T23:59:59Z"), "9999-12-31T23:59:59.000Z");
        assert!(!is_datetime("0000-01-01T00:00:00+01:00"));
        assert!(!is_datetime("9999-12-31T23:00:00-01:00"));
    }

    #[test]
    fn canonical_text_order_is_time_order() {
        let written = [
            "2024-01-01T00:30:00+01:00",
            "2023-12-31T23:00:00Z",
            "2023-12-31T23:15:00.5Z",
            "2023-12-31 18:20:00-05:00",
        ];
        let mut canonical: Vec<String> = written.iter().map(|s| canon(s)).collect();
        canonical.sort();
        assert_eq!(
            canonical,
            [
                "2023-12-31T23:00:00.000Z",
                "2023-12-31T23:15:00.500Z",
                "2023-12-31T23:20:00.000Z",
                "2023-12-31T23:30:00.000Z"
            ]
        );
        // Round trip through the days arithmetic, over four centuries.
        for days in (0..146_097 * 2).step_by(37) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(is_date(&format!("{y:04}-{m:02}-{d:02}")));
        }
    }
}
