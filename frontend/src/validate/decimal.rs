//! Exact decimal numbers, as the schema writes them (`-12.50`, `3`): comparison, and whether a
//! value fits a `decimal(precision, scale)` column. Bounds and defaults are compared with these,
//! never through floating point.

use std::cmp::Ordering;

/// A decimal number: sign, integer digits without leading zeros, fraction digits without
/// trailing zeros (zero is positive, with no digits at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// `[-+]digits[.digits]`; `None` for anything else (exponents, `inf`, empty parts).
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, unsigned) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        if unsigned.contains('.') && frac.is_empty() {
            return None;
        }
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let zero = int.is_empty() && frac.is_empty();
        Some(Decimal {
            negative: negative && !zero,
            int,
            frac,
        })
    }

    /// Digits before the point (none for `0.5`).
    pub fn int_digits(&self) -> u32 {
        self.int.len() as u32
    }

    /// Digits after the point, trailing zeros not counted (none for `12.0`).
    pub fn frac_digits(&self) -> u32 {
        self.frac.len() as u32
    }

    /// Whether a `decimal(precision, scale)` column holds this value exactly.
    pub fn fits(&self, precision: u32, scale: u32) -> bool {
        self.int_digits() <= precision.saturating_sub(scale) && self.frac_digits() <= scale
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let magnitude = || {
            self.int
                .len()
                .cmp(&other.int.len())
                .then_with(|| self.int.cmp(&other.int))
                // Without trailing zeros, fraction digits compare as text.
                .then_with(|| self.frac.cmp(&other.frac))
        };
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude(),
            (true, true) => magnitude().reverse(),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Orders two decimal texts; a text that is not a decimal counts as zero (bounds and defaults are
/// read as decimal text, so this does not happen).
pub fn compare(a: &str, b: &str) -> Ordering {
    let zero = || Decimal::parse("0").expect("0 is a decimal");
    let parse = |s: &str| Decimal::parse(s).unwrap_or_else(zero);
    parse(a).cmp(&parse(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn parses_and_normalizes() {
        assert_eq!(d("-0012.3400"), d("-12.34"));
        assert_eq!(d("-0.0"), d("0"));
        assert_eq!(d("+5"), d("5"));
        for bad in ["", "-", "1.", ".5", "1e5", "inf", "1.2.3", "--1", " 1"] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn compares_exactly() {
        let sorted = [
            "-100",
            "-99.99",
            "-0.5",
            "0",
            "0.0000001",
            "0.5",
            "0.51",
            "0.6",
            "1",
            "9.999",
            "10",
            "100000000000000000000000000001",
        ];
        for pair in sorted.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(compare(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
        assert_eq!(compare("1.50", "1.5"), Ordering::Equal);
        // Beyond f64's precision.
        assert_eq!(
            compare("9007199254740993", "9007199254740992"),
            Ordering::Greater
        );
    }

    #[test]
    fn fits_precision_and_scale() {
        assert!(d("12.3").fits(3, 1));
        assert!(d("-99.9").fits(3, 1));
        assert!(d("12.30").fits(3, 1));
        assert!(!d("12345.678").fits(3, 1));
        assert!(!d("100").fits(3, 1));
        assert!(!d("1.25").fits(3, 1));
        assert!(d("0.001").fits(3, 3));
        assert!(!d("1").fits(3, 3));
        assert!(d("0").fits(1, 1));
    }
}
