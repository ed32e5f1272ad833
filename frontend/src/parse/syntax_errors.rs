//! Diagnostics family `forge::kdl-syntax`: the KDL parser's own errors, with its message, label
//! and help, and a span of our own where kdl's is known to be off.

use kdl::KdlDiagnostic;

use crate::diagnostic::{Diagnostic, Label, Severity, SourceLoc};
use crate::span::SpanTable;

pub const CODE: &str = "forge::kdl-syntax";

/// One diagnostic per error kdl reported, each span recorded in `spans`.
pub fn syntax_errors(
    path: &str,
    text: &str,
    errors: &[KdlDiagnostic],
    spans: &mut SpanTable,
) -> Vec<Diagnostic> {
    errors
        .iter()
        .map(|e| {
            let (start, len) = repoint(text, e);
            let span = spans.push(start, len);
            let severity = match e.severity {
                miette::Severity::Warning | miette::Severity::Advice => Severity::Warning,
                miette::Severity::Error => Severity::Error,
            };
            Diagnostic {
                severity,
                code: CODE.to_string(),
                message: e.message.clone().unwrap_or_else(|| "invalid KDL".to_string()),
                primary: Some(Label {
                    loc: SourceLoc { file: path.to_string(), span, inner: None },
                    text: e.label.clone().unwrap_or_else(|| "here".to_string()),
                }),
                related: Vec::new(),
                help: Some(e.help.clone().unwrap_or_else(|| {
                    "schema files are KDL 2.0: booleans are #true/#false, strings with spaces are quoted"
                        .to_string()
                })),
            }
        })
        .collect()
}

/// kdl reports a bad property value (`pk=#tru`) with a span from the top of the document to the
/// bad value. Such a span is moved to the token that ends it (`pk=#tru`).
fn repoint(text: &str, e: &KdlDiagnostic) -> (usize, usize) {
    let (start, len) = (e.span.offset().min(text.len()), e.span.len());
    let end = (start + len).min(text.len());
    let spans_lines = text[start..end].contains('\n');
    if start != 0
        || !(spans_lines
            || e.label
                .as_deref()
                .is_some_and(|l| l.contains("property value")))
    {
        return (start, end - start);
    }
    let breaks = |c: char| c.is_whitespace() || matches!(c, ';' | '{' | '}');
    let from = text[..end]
        .rfind(breaks)
        .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let to = text[end..]
        .find(breaks)
        .map(|i| end + i)
        .unwrap_or(text.len());
    (from, to - from)
}

#[cfg(test)]
mod tests {
    use crate::parse_file;

    fn spans_of(text: &str) -> Vec<(String, String)> {
        let (parsed, diags) = parse_file("s.kdl", text);
        diags
            .iter()
            .map(|d| {
                let (s, l) = parsed.spans.get(d.primary.as_ref().unwrap().loc.span);
                (d.message.clone(), text[s..s + l].to_string())
            })
            .collect()
    }

    #[test]
    fn a_bad_property_value_points_at_the_property() {
        let got = spans_of("model Post {\n  id uuid pk=#tru\n}\n");
        assert_eq!(
            got,
            vec![("Expected property value".to_string(), "pk=#tru".to_string())]
        );
    }

    #[test]
    fn several_errors_are_all_reported() {
        let got = spans_of("model Post {\n  id uuid pk=true\n  y 1.\n}\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, "true");
    }

    #[test]
    fn every_syntax_error_has_the_kdl_code_and_a_help() {
        let (_, diags) = parse_file("s.kdl", "a }\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, super::CODE);
        assert!(diags[0].help.is_some());
    }
}
