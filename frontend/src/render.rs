//! Diagnostics to text, in miette's graphical style: a `error[code]: message` header, then the
//! source line(s) with every label underlined under a `file:line:col` banner, then `help: ...`.
//! Without color the output is plain and deterministic (snapshot tests rely on it).

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::diagnostic::{Diagnostic, Label, Severity, SourceLoc};
use crate::span::SpanTable;

/// Where the renderer finds a file's text and span table.
pub trait Sources {
    /// The text and span table of `file` (a path as in [`SourceLoc::file`]).
    fn source(&self, file: &str) -> Option<(&str, &SpanTable)>;
}

/// Every diagnostic, errors first then warnings, each group in file and position order, separated
/// by blank lines.
pub fn render(diags: &[Diagnostic], sources: &dyn Sources, color: bool) -> String {
    let mut order: Vec<&Diagnostic> = diags.iter().collect();
    order.sort_by_cached_key(|d| {
        let place = d
            .primary
            .as_ref()
            .and_then(|l| locate(&l.loc, sources).map(|(s, _)| (l.loc.file.clone(), s)));
        (d.severity, place.is_none(), place)
    });
    order
        .iter()
        .map(|d| render_one(d, sources, color))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One diagnostic.
pub fn render_one(diag: &Diagnostic, sources: &dyn Sources, color: bool) -> String {
    let mut out = header(diag, color);
    let mut labels: Vec<(&Label, bool)> = Vec::new();
    if let Some(primary) = &diag.primary {
        labels.push((primary, true));
    }
    labels.extend(diag.related.iter().map(|l| (l, false)));
    let mut files: Vec<&str> = Vec::new();
    for (label, _) in &labels {
        if !files.contains(&label.loc.file.as_str()) {
            files.push(&label.loc.file);
        }
    }
    // The help goes under the last snippet, or alone when no file can be shown.
    let help_at = files.iter().rposition(|f| sources.source(f).is_some());
    for (i, file) in files.into_iter().enumerate() {
        let in_file: Vec<(&Label, bool)> = labels
            .iter()
            .copied()
            .filter(|(l, _)| l.loc.file == file)
            .collect();
        let Some((text, _)) = sources.source(file) else {
            for (label, _) in in_file {
                out.push_str(&format!("   ╭─[{file}]\n   · {}\n   ╰────\n", label.text));
            }
            continue;
        };
        let spans = in_file
            .iter()
            .filter_map(|&(l, primary)| {
                let (start, len) = locate(&l.loc, sources)?;
                let text = Some(l.text.clone()).filter(|t| !t.is_empty());
                Some(if primary {
                    LabeledSpan::new_primary_with_span(text, (start, len))
                } else {
                    LabeledSpan::new_with_span(text, (start, len))
                })
            })
            .collect();
        let help = if help_at == Some(i) {
            diag.help.clone()
        } else {
            None
        };
        let snippet = Snippet {
            source: NamedSource::new(file, text.to_string()),
            labels: spans,
            help,
        };
        out.push_str(&snippet.render(color));
    }
    if help_at.is_none()
        && let Some(help) = &diag.help
    {
        out.push_str(&format!("  help: {help}\n"));
    }
    out
}

fn header(diag: &Diagnostic, color: bool) -> String {
    let (word, ansi) = match diag.severity {
        Severity::Error => ("error", "\u{1b}[1;31m"),
        Severity::Warning => ("warning", "\u{1b}[1;33m"),
    };
    if color {
        format!(
            "{ansi}{word}[{}]\u{1b}[0m\u{1b}[1m: {}\u{1b}[0m\n",
            diag.code, diag.message
        )
    } else {
        format!("{word}[{}]: {}\n", diag.code, diag.message)
    }
}

/// The byte range of `loc` in its file, clamped to the text and to character boundaries.
fn locate(loc: &SourceLoc, sources: &dyn Sources) -> Option<(usize, usize)> {
    let (text, spans) = sources.source(&loc.file)?;
    let (mut start, mut len) = spans.get(loc.span);
    if let Some((inner_start, inner_len)) = loc.inner {
        start += inner_start as usize;
        len = inner_len as usize;
    }
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Some((start, end - start))
}

/// The source part of a diagnostic, handed to miette's graphical handler.
struct Snippet {
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl Snippet {
    /// miette's rendering minus its first line (the `× message` line: our header says it).
    fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(120)
            .with_links(false);
        let mut text = String::new();
        handler
            .render_report(&mut text, self)
            .expect("rendering into a String cannot fail");
        match text.split_once('\n') {
            Some((_, rest)) => rest.to_string(),
            None => String::new(),
        }
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snippet")
            .field("file", &self.source.name())
            .finish()
    }
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("-")
    }
}

impl std::error::Error for Snippet {}

impl miette::Diagnostic for Snippet {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::SpanId;

    struct One(&'static str, SpanTable);

    impl Sources for One {
        fn source(&self, file: &str) -> Option<(&str, &SpanTable)> {
            (file == "a.kdl").then_some((self.0, &self.1))
        }
    }

    fn diag(severity: Severity, code: &str, span: u32) -> Diagnostic {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: format!("{code} message"),
            primary: Some(Label {
                loc: SourceLoc {
                    file: "a.kdl".to_string(),
                    span: SpanId(span),
                    inner: None,
                },
                text: "here".to_string(),
            }),
            related: Vec::new(),
            help: Some("do this".to_string()),
        }
    }

    fn sources() -> One {
        let mut spans = SpanTable::default();
        spans.push(0, 3);
        spans.push(4, 3);
        One("one two\n", spans)
    }

    #[test]
    fn plain_rendering_has_header_location_underline_label_and_help() {
        let text = render_one(&diag(Severity::Error, "forge::x", 1), &sources(), false);
        assert!(
            text.starts_with("error[forge::x]: forge::x message\n"),
            "{text}"
        );
        assert!(text.contains("[a.kdl:1:5]"), "{text}");
        assert!(text.contains("╰── here"), "{text}");
        assert!(text.contains("help: do this"), "{text}");
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn errors_come_first_then_position_order() {
        let diags = vec![
            diag(Severity::Warning, "forge::w", 0),
            diag(Severity::Error, "forge::late", 1),
            diag(Severity::Error, "forge::early", 0),
        ];
        let text = render(&diags, &sources(), false);
        let at = |code: &str| text.find(&format!("[{code}]")).unwrap();
        assert!(at("forge::early") < at("forge::late"));
        assert!(at("forge::late") < at("forge::w"));
    }

    #[test]
    fn color_output_uses_ansi_escapes() {
        assert!(
            render_one(&diag(Severity::Error, "forge::x", 0), &sources(), true).contains('\u{1b}')
        );
    }
}
