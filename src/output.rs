//! Printing: diagnostics (rendered with their source lines), the progress bar on a terminal, and
//! diagnostics as JSON.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use forge_engine::{BuildOutcome, Progress, Status};
use forge_frontend::{Diagnostic, Sources, SpanTable};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

struct SourceMap<'a>(&'a BTreeMap<String, (String, SpanTable)>);

impl Sources for SourceMap<'_> {
    fn source(&self, file: &str) -> Option<(&str, &SpanTable)> {
        self.0.get(file).map(|(text, spans)| (text.as_str(), spans))
    }
}

/// Prints the outcome's diagnostics and node failures on standard error.
pub fn print_problems(outcome: &BuildOutcome) {
    if !outcome.diagnostics.is_empty() {
        let color = std::io::stderr().is_terminal();
        eprint!(
            "{}",
            forge_frontend::render(&outcome.diagnostics, &SourceMap(&outcome.sources), color)
        );
    }
    for (node, message) in &outcome.failures {
        eprintln!("error: node {node} failed\n{}", indent(message));
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// The outcome's diagnostics as JSON values with file, line and column.
pub fn diagnostics_json(outcome: &BuildOutcome) -> Vec<serde_json::Value> {
    outcome
        .diagnostics
        .iter()
        .map(|d| diagnostic_json(d, &outcome.sources))
        .collect()
}

fn diagnostic_json(
    d: &Diagnostic,
    sources: &BTreeMap<String, (String, SpanTable)>,
) -> serde_json::Value {
    let (file, line, column) = match &d.primary {
        Some(label) => {
            let loc = &label.loc;
            match sources.get(&loc.file) {
                Some((text, spans)) => {
                    let (start, _) = spans.get(loc.span);
                    let start =
                        (start + loc.inner.map(|(s, _)| s as usize).unwrap_or(0)).min(text.len());
                    let before = &text[..start];
                    let line = before.matches('\n').count() + 1;
                    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
                    (
                        Some(loc.file.clone()),
                        Some(line),
                        Some(text[line_start..start].chars().count() + 1),
                    )
                }
                None => (Some(loc.file.clone()), None, None),
            }
        }
        None => (None, None, None),
    };
    json!({
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "file": file,
        "line": line,
        "column": column,
        "help": d.help,
    })
}

/// A progress bar on standard error when it is a terminal; nothing otherwise.
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg}")
                    .expect("template is valid")
                    .progress_chars("=> "),
            );
            bar
        });
        Bar {
            bar: Mutex::new(bar),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = self.bar.lock().unwrap().take() {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn waiting_for_lock(&self) {
        eprintln!("waiting for another forge build of this project to finish...");
    }

    fn planned(&self, total: usize) {
        if let Some(bar) = &*self.bar.lock().unwrap() {
            bar.set_length(total as u64);
        }
    }

    fn node_done(&self, id: &str, status: Status) {
        if let Some(bar) = &*self.bar.lock().unwrap() {
            bar.inc(1);
            if status == Status::Executed {
                bar.set_message(id.to_string());
            }
        }
    }
}
