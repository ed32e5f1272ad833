//! [`ExprError`]: one diagnostic about an expression, with a stable code, a span, a label and a
//! help line.

use std::fmt;

use crate::syntax::Span;

/// A problem found while parsing or checking an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// A stable code, one of [`crate::codes`] (`forge::unknown-field`).
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// `(start, len)` in bytes, relative to the expression's source text.
    pub span: Span,
    /// A short text to print under the span.
    pub label: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ExprError {
    /// An error without a help line.
    pub(crate) fn new(
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        ExprError {
            code,
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    /// The same error with a help line.
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ExprError {}
