//! Schema text in JavaScript: string literals and identifiers. Nothing from the schema reaches the
//! file any other way: names and literals are string literals (also as object keys), and only
//! model names take part in identifiers, mangled to ASCII.

use std::fmt::Write;

/// `s` as a double-quoted string literal that is also valid JSON. Besides `"` and `\`, every
/// control character, the line terminators U+2028 and U+2029 (so a `//` comment holding the
/// literal ends where it should), the byte order mark and the bidirectional controls (so the
/// text reads as it runs) are written as `\uXXXX`.
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if escaped(c) => {
                write!(out, "\\u{:04x}", u32::from(c)).expect("writing to a String");
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `name` as the key of a property in an object literal: its string literal, computed
/// (`["__proto__"]`) for `__proto__`, which as a plain key would set the object's prototype
/// instead (a join table may be named so).
pub(crate) fn key(name: &str) -> String {
    if name == "__proto__" {
        format!("[{}]", string(name))
    } else {
        string(name)
    }
}

/// Characters a literal writes as `\uXXXX` (all of them are in the Basic Multilingual Plane).
fn escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// A model name as part of an identifier: ASCII letters and digits stay, any other character
/// becomes `_<hex code point>_` (`Café` -> `Caf_e9_`). Model names hold no `_`, so two models never
/// get the same part, and the result is a valid identifier part in every JavaScript engine.
pub(crate) fn ident_part(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            write!(out, "_{:x}_", u32::from(c)).expect("writing to a String");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_json_and_keep_comments_on_one_line() {
        let nasty = "a'b\"c\\d\u{2028}e\u{2029}f\ng\u{0}h\u{202e}i";
        let literal = string(nasty);
        assert_eq!(
            literal,
            "\"a'b\\\"c\\\\d\\u2028e\\u2029f\\ng\\u0000h\\u202ei\""
        );
        assert!(!literal.contains(['\n', '\r', '\u{2028}', '\u{2029}']));
        // Astral characters and other letters stay as they are.
        assert_eq!(string("名前😀"), "\"名前😀\"");
    }

    #[test]
    fn only_proto_is_a_computed_key() {
        assert_eq!(key("__proto__"), "[\"__proto__\"]");
        assert_eq!(key("post_tags"), "\"post_tags\"");
    }

    #[test]
    fn model_names_become_distinct_ascii_identifier_parts() {
        assert_eq!(ident_part("BlogPost"), "BlogPost");
        assert_eq!(ident_part("Café"), "Caf_e9_");
        assert_eq!(ident_part("Ⓐ"), "_24b6_");
        assert_ne!(ident_part("Cafe9"), ident_part("Café"));
    }
}
