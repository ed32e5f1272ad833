//! Shared helpers of the integration tests: parse and validate fixture files, render with the
//! files as sources.

use std::collections::BTreeMap;

use forge_frontend::{
    Diagnostic, ParsedFile, Sources, SpanTable, Validated, parse_file, render, validate,
};

/// Files parsed together, with their text.
pub struct Project {
    pub files: BTreeMap<String, (String, ParsedFile)>,
    pub parse_diagnostics: Vec<Diagnostic>,
}

impl Project {
    /// Parses `(path, text)` pairs.
    pub fn new(files: &[(&str, &str)]) -> Self {
        let mut project = Project {
            files: BTreeMap::new(),
            parse_diagnostics: Vec::new(),
        };
        for (path, text) in files {
            let (parsed, diags) = parse_file(path, text);
            project.parse_diagnostics.extend(diags);
            project
                .files
                .insert(path.to_string(), (text.to_string(), parsed));
        }
        project
    }

    pub fn validate(&self) -> Validated {
        let parsed: Vec<&ParsedFile> = self.files.values().map(|(_, p)| p).collect();
        validate(&parsed)
    }

    /// Every diagnostic (parse and validate) rendered without color.
    pub fn render_all(&self) -> String {
        let mut diags = self.parse_diagnostics.clone();
        diags.extend(self.validate().diagnostics);
        render(&diags, self, false)
    }
}

impl Sources for Project {
    fn source(&self, file: &str) -> Option<(&str, &SpanTable)> {
        self.files
            .get(file)
            .map(|(text, parsed)| (text.as_str(), &parsed.spans))
    }
}

/// The text of a fixture under tests/fixtures.
pub fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}
