//! A guard in front of the KDL parser: kdl 6 recurses once per `{` with no limit, so a file of a
//! few hundred `{` would overflow the stack. Before parsing, the text is scanned for children
//! blocks nested deeper than [`MAX_DEPTH`] (braces inside strings and comments do not count).

use crate::diagnostic::{Diagnostic, Label, Severity, SourceLoc};
use crate::span::SpanTable;

/// The deepest nesting of children blocks forge reads; schemas nest two or three levels.
pub const MAX_DEPTH: usize = 32;

/// The diagnostic for a file nested deeper than [`MAX_DEPTH`], if it is.
pub fn check_nesting(path: &str, text: &str, spans: &mut SpanTable) -> Option<Diagnostic> {
    let at = too_deep(text)?;
    let span = spans.push(at, 1);
    Some(Diagnostic {
        severity: Severity::Error,
        code: "forge::nesting-too-deep".into(),
        message: format!("children blocks nest more than {MAX_DEPTH} levels deep"),
        primary: Some(Label {
            loc: SourceLoc {
                file: path.into(),
                span,
                inner: None,
            },
            text: "too deep".into(),
        }),
        related: Vec::new(),
        help: Some(
            "a schema nests models in the file and fields in models; check for unbalanced `{`"
                .into(),
        ),
    })
}

/// The byte offset of the first `{` that opens a block deeper than [`MAX_DEPTH`].
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // Block comments nest in KDL.
                let mut level = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        level += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        level -= 1;
                        i += 2;
                        if level == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'#' | b'"' => {
                // A string: `"..."` with escapes, or a raw string `#"..."#` with any number of `#`.
                let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
                if bytes.get(i + hashes) == Some(&b'"') {
                    i += hashes + 1;
                    while i < bytes.len() {
                        if hashes == 0 && bytes[i] == b'\\' {
                            i += 2;
                            continue;
                        }
                        if bytes[i] == b'"'
                            && bytes[i + 1..]
                                .iter()
                                .take(hashes)
                                .filter(|&&b| b == b'#')
                                .count()
                                == hashes
                        {
                            i += hashes;
                            break;
                        }
                        i += 1;
                    }
                } else {
                    i += hashes.max(1) - 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_found_and_braces_in_strings_and_comments_do_not_count() {
        let deep = "a {".repeat(MAX_DEPTH + 1);
        assert_eq!(too_deep(&deep), Some(deep.len() - 1));
        let shallow = format!(
            "model A {{ x \"{}\" }} // {}\n/* {} */ b #\"{}\"#",
            "{".repeat(100),
            "{".repeat(100),
            "{".repeat(100),
            "{".repeat(100)
        );
        assert_eq!(too_deep(&shallow), None);
        assert_eq!(too_deep("model A { id uuid pk=#true }"), None);
    }

    #[test]
    fn a_file_of_braces_is_an_error_not_a_crash() {
        let text = "{".repeat(100_000);
        let mut spans = SpanTable::default();
        let diag = check_nesting("a.kdl", &text, &mut spans).unwrap();
        assert_eq!(diag.code, "forge::nesting-too-deep");
        let (parsed, diags) = crate::parse_file("a.kdl", &text);
        assert_eq!(diags.len(), 1);
        assert!(parsed.ast.nodes.is_empty());
    }
}
