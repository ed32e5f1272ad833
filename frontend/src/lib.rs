//! forge's front end: schema files (KDL 2.0) to the IR.
//!
//! Two steps, each a node of the build graph:
//! - [`parse_file`]: one file's text to its AST. The AST refers to source positions only through
//!   [`SpanId`]s, numbered in a fixed traversal order; the positions themselves live in the file's
//!   [`SpanTable`]. So a comment-only edit gives a byte-identical AST (and digest), while the span
//!   table still tells where everything is now.
//! - [`validate`]: every file's AST to the IR, with [`Provenance`] (IR element -> source location)
//!   beside it, never inside it.
//!
//! Both return their result together with every diagnostic they found; neither stops at the first.

pub mod ast;
pub mod config;
mod diagnostic;
mod parse;
mod render;
mod span;
mod validate;

pub use diagnostic::{Diagnostic, Label, Severity, SourceLoc};
pub use parse::{parse_file, ParsedFile};
pub use render::{render, render_one, Sources};
pub use span::{SpanId, SpanTable};
pub use validate::{validate, Provenance, Validated};
