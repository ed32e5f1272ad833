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
//! [`render`] turns diagnostics into text (miette's graphical style) given the files' text.
//!
//! ```
//! use forge_frontend::{parse_file, validate};
//!
//! let text = "model Post {\n  id uuid pk=#true\n  title string\n  policy all \"user.id != null\"\n}\n";
//! let (parsed, syntax_errors) = parse_file("schema/post.kdl", text);
//! assert!(syntax_errors.is_empty());
//! let validated = validate(&[&parsed]);
//! let ir = validated.ir.expect("a valid schema");
//! assert_eq!(ir.models[0].table, "post");
//! assert!(validated.provenance.entries.contains_key("Post.title"));
//! ```

pub mod ast;
pub mod config;
mod diagnostic;
mod nesting;
mod parse;
mod render;
mod span;
mod validate;

pub use diagnostic::{Diagnostic, Label, Severity, SourceLoc};
pub use parse::{DecodeError, PARSE_FORMAT, ParsedFile, parse_file};
pub use render::{Sources, render, render_one};
pub use span::{SpanId, SpanTable};
pub use validate::{Provenance, Validated, validate, validate_ir};
