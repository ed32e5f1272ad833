//! The validation context: the files being validated, the diagnostics found so far, and the
//! provenance being recorded; plus [`Report`], a diagnostic under construction.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Label, Severity, SourceLoc};
use crate::parse::ParsedFile;
use crate::validate::decls::{ExprSource, Spot};

/// Shared state of one validation run.
pub struct Cx<'a> {
    pub files: &'a [&'a ParsedFile],
    pub diagnostics: Vec<Diagnostic>,
    pub provenance: BTreeMap<String, SourceLoc>,
    /// Whether [`Cx::provenance`] records (a build does not need it; `explain` does).
    recording: bool,
}

impl<'a> Cx<'a> {
    pub fn new(files: &'a [&'a ParsedFile], recording: bool) -> Self {
        Cx {
            files,
            diagnostics: Vec::new(),
            provenance: BTreeMap::new(),
            recording,
        }
    }

    /// Whether provenance is recorded (a context for parallel work, [merged](Cx::merge) back
    /// later, is made with the same setting).
    pub fn recording(&self) -> bool {
        self.recording
    }

    /// The source location of `spot`.
    pub fn loc(&self, spot: Spot) -> SourceLoc {
        SourceLoc {
            file: self.files[spot.file].path.clone(),
            span: spot.span,
            inner: None,
        }
    }

    /// Records a report.
    pub fn emit(&mut self, report: Report) {
        let to_label = |(spot, inner, text): (Spot, Option<(u32, u32)>, String)| Label {
            loc: SourceLoc {
                inner,
                ..self.loc(spot)
            },
            text,
        };
        let diagnostic = Diagnostic {
            severity: report.severity,
            code: report.code.to_string(),
            message: report.message,
            primary: report.primary.map(to_label),
            related: report.related.into_iter().map(to_label).collect(),
            help: report.help,
        };
        self.diagnostics.push(diagnostic);
    }

    /// Records that IR element `key` comes from `spot` (the first record of a key wins).
    pub fn provenance(&mut self, key: impl FnOnce() -> String, spot: Spot) {
        if self.recording {
            let loc = self.loc(spot);
            self.provenance.entry(key()).or_insert(loc);
        }
    }

    /// Takes in what a context of the same files found (after what this one found).
    pub fn merge(&mut self, other: Cx<'a>) {
        self.diagnostics.extend(other.diagnostics);
        for (key, loc) in other.provenance {
            self.provenance.entry(key).or_insert(loc);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

type Place = (Spot, Option<(u32, u32)>, String);

/// A diagnostic being built: `Report::error(CODE, msg).at(spot, label).help(..)`.
pub struct Report {
    severity: Severity,
    code: &'static str,
    message: String,
    primary: Option<Place>,
    related: Vec<Place>,
    help: Option<String>,
}

impl Report {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Report {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Report {
            severity: Severity::Warning,
            ..Report::error(code, message)
        }
    }

    /// The primary location.
    pub fn at(mut self, spot: Spot, label: impl Into<String>) -> Self {
        self.primary = Some((spot, None, label.into()));
        self
    }

    /// The primary location: bytes `start..start+len` of an expression's decoded text.
    pub fn at_expr(
        mut self,
        expr: ExprSource<'_>,
        (start, len): (u32, u32),
        label: impl Into<String>,
    ) -> Self {
        let from = expr.arg.content_offset(start);
        let to = expr.arg.content_offset(start + len).max(from);
        self.primary = Some((expr.spot(), Some((from, to - from)), label.into()));
        self
    }

    /// A further location.
    pub fn related(mut self, spot: Spot, label: impl Into<String>) -> Self {
        self.related.push((spot, None, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

pub use forge_expr::suggest::close_names;

/// `did you mean `a` or `b`? ` (with a trailing space, to run into what follows), or nothing.
pub fn did_you_mean(close: &[&str]) -> String {
    forge_expr::suggest::did_you_mean(close)
        .map(|s| s + " ")
        .unwrap_or_default()
}

/// `a`, `b`, `c` (backquoted, comma-separated).
pub fn list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `a` or `an` before `word`, by its first letter.
pub fn article(word: &str) -> &'static str {
    if word.starts_with(|c: char| "aeiouAEIOU".contains(c)) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_reads_naturally() {
        assert_eq!(did_you_mean(&[]), "");
        assert_eq!(did_you_mean(&["a"]), "did you mean `a`? ");
        assert_eq!(
            did_you_mean(&["a", "b", "c"]),
            "did you mean `a`, `b` or `c`? "
        );
    }

    #[test]
    fn and_list_reads_naturally() {
        let items = |n: usize| {
            ["a", "b", "c"][..n]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(and_list(&items(1)), "a");
        assert_eq!(and_list(&items(2)), "a and b");
        assert_eq!(and_list(&items(3)), "a, b and c");
    }
}
