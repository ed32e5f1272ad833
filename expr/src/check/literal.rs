//! String literals that stand for a uuid, a date or a datetime: what they must look like.

/// `123e4567-e89b-12d3-a456-426614174000`, in either case.
pub(crate) fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// An ISO date, `YYYY-MM-DD`, that exists in the calendar.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if !s.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (digits(&s[0..4]), digits(&s[5..7]), digits(&s[8..10]))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// An RFC 3339 datetime: `2024-01-31T12:00:00Z`, with optional fraction and a `Z` or `±HH:MM`
/// offset (`t`, `z` and a space for `T` are accepted, as RFC 3339 allows).
pub(crate) fn is_datetime(s: &str) -> bool {
    if !s.is_ascii()
        || s.len() < 19
        || !is_date(&s[..10])
        || !matches!(s.as_bytes()[10], b'T' | b't' | b' ')
    {
        return false;
    }
    let rest = &s[11..];
    if !is_clock(&rest[..8]) {
        return false;
    }
    let mut zone = &rest[8..];
    if let Some(fraction) = zone.strip_prefix('.') {
        let len = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if len == 0 {
            return false;
        }
        zone = &fraction[len..];
    }
    match zone.as_bytes().first() {
        Some(b'Z' | b'z') => zone.len() == 1,
        Some(b'+' | b'-') => {
            zone.len() == 6 && zone.as_bytes()[3] == b':' && hours_minutes(&zone[1..3], &zone[4..6])
        }
        _ => false,
    }
}

/// `HH:MM:SS` (ASCII, eight bytes).
fn is_clock(s: &str) -> bool {
    let b = s.as_bytes();
    b[2] == b':'
        && b[5] == b':'
        && hours_minutes(&s[0..2], &s[3..5])
        && digits(&s[6..8]).is_some_and(|sec| sec <= 59)
}

fn hours_minutes(hours: &str, minutes: &str) -> bool {
    digits(hours).is_some_and(|h| h <= 23) && digits(minutes).is_some_and(|m| m <= 59)
}

/// The value of a run of ASCII digits.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
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
    }

    #[test]
    fn dates() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-1-01"));
        assert!(!is_date("2024-01-00"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("1900-02-29"));
    }

    #[test]
    fn datetimes() {
        assert!(is_datetime("2024-01-31T12:00:00Z"));
        assert!(is_datetime("2024-01-31t12:00:00.123456z"));
        assert!(is_datetime("2024-01-31 23:59:59+05:30"));
        assert!(!is_datetime("2024-01-31"));
        assert!(!is_datetime("2024-01-31T12:00:00"));
        assert!(!is_datetime("2024-01-31T24:00:00Z"));
        assert!(!is_datetime("2024-01-31T12:00:00.Z"));
        assert!(!is_datetime("2024-01-31T12:00:00+0530"));
        assert!(!is_datetime("2024-01-31Té2:00:00Z"));
    }
}
