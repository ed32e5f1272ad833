//! What a generate function answers: files (paths relative to the generator's out folder) and
//! diagnostics about the user's project.
//!
//! ```
//! use forge_plugin::{Lines, Output};
//!
//! let mut output = Output::new();
//! output.file("README.txt", "plain text\n");
//! let mut page = Lines::new();
//! page.line("title: string").model("Post").field("title");
//! output.file("post.txt", page);
//! output.warning("`title` has no maximum length").model("Post").field("title");
//! let response = output.into_response();
//! assert_eq!(response.files.len(), 2);
//! assert_eq!(response.files[1].origins[0].field.as_deref(), Some("title"));
//! assert_eq!(response.diagnostics[0].model.as_deref(), Some("Post"));
//! ```

use forge_schemas::{DiagnosticSeverity, Origin, OutputFile, PluginDiagnostic, Response};

use crate::lines::Lines;

/// The files and diagnostics of one request's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    files: Vec<OutputFile>,
    diagnostics: Vec<PluginDiagnostic>,
}

/// A file's content: text, with the origins of its lines when it was written with [`Lines`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Content {
    pub text: String,
    pub origins: Vec<Origin>,
}

impl From<String> for Content {
    fn from(text: String) -> Self {
        Content {
            text,
            origins: Vec::new(),
        }
    }
}

impl From<&str> for Content {
    fn from(text: &str) -> Self {
        Content::from(text.to_string())
    }
}

impl From<Lines> for Content {
    fn from(lines: Lines) -> Self {
        let (text, origins) = lines.into_parts();
        Content { text, origins }
    }
}

impl Output {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the file at `path` (relative, `/`-separated, inside the out folder: no `..`, no `.`,
    /// no empty part). Adding a path again replaces the earlier file, in its place.
    pub fn file(&mut self, path: impl Into<String>, content: impl Into<Content>) -> &mut Self {
        let path = path.into();
        let Content { text, origins } = content.into();
        let file = OutputFile {
            path,
            content: text,
            origins,
        };
        match self.files.iter_mut().find(|f| f.path == file.path) {
            Some(existing) => *existing = file,
            None => self.files.push(file),
        }
        self
    }

    /// Reports a warning; the build goes on and the files are written.
    pub fn warning(&mut self, message: impl Into<String>) -> DiagnosticMut<'_> {
        self.diagnostic(DiagnosticSeverity::Warning, message.into())
    }

    /// Reports an error: the build fails, and none of this request's files are written.
    pub fn error(&mut self, message: impl Into<String>) -> DiagnosticMut<'_> {
        self.diagnostic(DiagnosticSeverity::Error, message.into())
    }

    fn diagnostic(&mut self, severity: DiagnosticSeverity, message: String) -> DiagnosticMut<'_> {
        self.diagnostics.push(PluginDiagnostic {
            severity,
            message,
            model: None,
            field: None,
        });
        DiagnosticMut(self.diagnostics.last_mut().expect("just pushed"))
    }

    /// The files added so far.
    pub fn files(&self) -> &[OutputFile] {
        &self.files
    }

    /// The diagnostics reported so far.
    pub fn diagnostics(&self) -> &[PluginDiagnostic] {
        &self.diagnostics
    }

    /// The protocol's response.
    pub fn into_response(self) -> Response {
        Response {
            files: self.files,
            diagnostics: self.diagnostics,
        }
    }
}

/// A diagnostic just reported, to say what it is about: forge points at the model's (or field's)
/// declaration.
pub struct DiagnosticMut<'a>(&'a mut PluginDiagnostic);

impl DiagnosticMut<'_> {
    pub fn model(self, name: impl Into<String>) -> Self {
        self.0.model = Some(name.into());
        self
    }

    /// A field (or relation) of the model.
    pub fn field(self, name: impl Into<String>) -> Self {
        self.0.field = Some(name.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_added_again_replaces_the_file_in_its_place() {
        let mut output = Output::new();
        output.file("a.txt", "1").file("b.txt", "2");
        output.file("a.txt", String::from("3"));
        let paths: Vec<(&str, &str)> = output
            .files()
            .iter()
            .map(|f| (f.path.as_str(), f.content.as_str()))
            .collect();
        assert_eq!(paths, [("a.txt", "3"), ("b.txt", "2")]);
    }

    #[test]
    fn diagnostics_keep_their_order_severity_and_subject() {
        let mut output = Output::new();
        output.warning("w");
        output.error("e").model("Post").field("title");
        let found = output.diagnostics();
        assert_eq!(found[0].severity, DiagnosticSeverity::Warning);
        assert_eq!(
            (found[0].model.as_ref(), found[0].field.as_ref()),
            (None, None)
        );
        assert_eq!(found[1].severity, DiagnosticSeverity::Error);
        assert_eq!(found[1].model.as_deref(), Some("Post"));
        assert_eq!(found[1].field.as_deref(), Some("title"));
        assert_eq!(output.into_response().diagnostics.len(), 2);
    }
}
