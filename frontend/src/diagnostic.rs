//! Diagnostics: an error or warning with a code, a message, labelled source locations and a help
//! line. Locations are [`SourceLoc`]s (file + [`SpanId`]), resolved to lines only when rendered, so a
//! cached diagnostic still points at the right line after a comment-only edit.

use serde::{Deserialize, Serialize};

use crate::span::SpanId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: the span `span` of `file`, or the part `inner` (byte offsets relative
/// to the start of that span) of it, e.g. one token inside a policy expression string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceLoc {
    /// Path relative to forge.kdl, with `/` separators.
    pub file: String,
    pub span: SpanId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inner: Option<(u32, u32)>,
}

/// A labelled location.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    pub loc: SourceLoc,
    pub text: String,
}

/// One problem found in the user's input.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code, e.g. `forge::unknown-type`.
    pub code: String,
    pub message: String,
    /// The primary location; `None` only for problems that have no place in a file.
    pub primary: Option<Label>,
    /// Further locations (e.g. the first declaration of a duplicate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Label>,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
