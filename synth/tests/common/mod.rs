//! Runs schema files through the real front end for the synth tests, failing on any diagnostic.

use forge_frontend::{Diagnostic, ParsedFile, Provenance, Sources, SpanTable, parse_file, render};
use forge_schemas::Ir;

/// Files' text and span tables, for rendering diagnostics.
struct Texts(Vec<(String, String, SpanTable)>);

impl Sources for Texts {
    fn source(&self, file: &str) -> Option<(&str, &SpanTable)> {
        let (_, text, spans) = self.0.iter().find(|(path, _, _)| path == file)?;
        Some((text, spans))
    }
}

/// Parses and validates `(path, text)` schema files with the real front end: the IR and where
/// each element was declared. Panics with every diagnostic rendered, if there is any (errors and
/// warnings alike).
pub fn validate(files: &[(String, String)]) -> (Ir, Provenance) {
    let (parsed, diags): (Vec<ParsedFile>, Vec<Vec<Diagnostic>>) = files
        .iter()
        .map(|(path, text)| parse_file(path, text))
        .unzip();
    let mut diags: Vec<Diagnostic> = diags.into_iter().flatten().collect();
    let validated = forge_frontend::validate(&parsed.iter().collect::<Vec<_>>());
    diags.extend(validated.diagnostics);
    let texts: Vec<_> = parsed
        .into_iter()
        .zip(files)
        .map(|(p, (_, text))| (p.path, text.clone(), p.spans))
        .collect();
    assert!(
        diags.is_empty(),
        "{} diagnostic(s):\n{}",
        diags.len(),
        render(&diags, &Texts(texts), false)
    );
    (
        validated.ir.expect("no diagnostic, so an IR"),
        validated.provenance,
    )
}

/// Parses a forge.kdl with the real front end. Panics with every diagnostic rendered, if any.
pub fn config(text: &str) -> forge_frontend::config::ProjectConfig {
    let (config, spans, diags) = forge_frontend::config::parse_config("forge.kdl", text);
    let texts = Texts(vec![("forge.kdl".into(), text.to_string(), spans)]);
    assert!(
        diags.is_empty(),
        "{} diagnostic(s):\n{}",
        diags.len(),
        render(&diags, &texts, false)
    );
    config.expect("no diagnostic, so a config")
}
