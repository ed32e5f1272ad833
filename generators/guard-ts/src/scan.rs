//! The identifiers a piece of generated TypeScript refers to, for leaving out what a file does
//! not use and for naming unused parameters `_x`. Strings, comments and property names (after a
//! `.`) are skipped; regular expressions are not recognised, which is fine for the code this crate
//! writes (the runtime's expressions hold no identifier that names a section).

use std::collections::BTreeSet;

/// Every identifier `code` uses.
pub(crate) fn identifiers(code: &str) -> BTreeSet<&str> {
    let bytes = code.as_bytes();
    let mut out = BTreeSet::new();
    let mut i = 0;
    let mut after_dot = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' | b'\'' => {
                i = string_end(bytes, i);
                after_dot = false;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = code[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = code[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            b'.' => {
                i += 1;
                after_dot = true;
            }
            b'0'..=b'9' => {
                i = word_end(bytes, i);
                after_dot = false;
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => {
                let end = word_end(bytes, i);
                if !after_dot {
                    out.insert(&code[i..end]);
                }
                i = end;
                after_dot = false;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                i += 1;
                after_dot = false;
            }
        }
    }
    out
}

/// True when `code` uses the identifier `name`.
pub(crate) fn mentions(code: &str, name: &str) -> bool {
    identifiers(code).contains(name)
}

/// The index after the string literal starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after the word (identifier or number) starting at `start`.
fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'$')) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_comments_numbers_and_properties_are_not_identifiers() {
        let code = "// eq here\n/* lt */ ne(a.get, \"gt \\\" ge\", 'le', 1000n, x1) /* open";
        let found: Vec<&str> = identifiers(code).into_iter().collect();
        assert_eq!(found, ["a", "ne", "x1"]);
        assert!(mentions("f(r)", "r"));
        assert!(!mentions("f(_r)", "r"));
    }
}
