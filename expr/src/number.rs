//! Canonical decimal text for number literals: what the IR's `Literal::Number` holds.

/// The canonical text of a number written as `digits` (`007`, `1.50`), negated when `negative`:
/// no leading zeros, no trailing fraction zeros, no `.` without a fraction, no `-0`.
pub(crate) fn canonical(negative: bool, digits: &str) -> String {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let magnitude = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    if negative && magnitude != "0" {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_text() {
        assert_eq!(canonical(false, "10"), "10");
        assert_eq!(canonical(false, "10.0"), "10");
        assert_eq!(canonical(false, "007"), "7");
        assert_eq!(canonical(false, "0.50"), "0.5");
        assert_eq!(canonical(false, "000.0"), "0");
        assert_eq!(canonical(true, "12"), "-12");
        assert_eq!(canonical(true, "0.0"), "0");
        assert_eq!(canonical(true, "00.25"), "-0.25");
        assert_eq!(
            canonical(false, "123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
    }
}
