//! One schema file's text to its [`ParsedFile`]: the AST, the span table, and the KDL syntax
//! errors.

mod binary;
mod lower;
mod string_map;
mod syntax_errors;

pub use binary::{DecodeError, PARSE_FORMAT};

use kdl::KdlDocument;
use serde::{Deserialize, Serialize};

use crate::ast::SchemaFile;
use crate::diagnostic::Diagnostic;
use crate::span::SpanTable;

/// A parsed schema file. Only `ast` goes into [`ParsedFile::digest`]; `spans` is provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParsedFile {
    /// Path relative to forge.kdl, `/`-separated.
    pub path: String,
    pub ast: SchemaFile,
    pub spans: SpanTable,
}

impl ParsedFile {
    /// blake3 (hex) of the AST's canonical JSON. Spans are not included, so a comment-only or
    /// layout-only edit keeps the digest.
    pub fn digest(&self) -> String {
        blake3::hash(&forge_schemas::canonical_json(&self.ast))
            .to_hex()
            .to_string()
    }
}

/// Parses one file. On a KDL syntax error the AST is empty (kdl gives no partial document) and
/// the diagnostics, code `forge::kdl-syntax`, carry every error kdl found; their spans are in the
/// returned span table.
pub fn parse_file(path: &str, text: &str) -> (ParsedFile, Vec<Diagnostic>) {
    let mut spans = SpanTable::default();
    if let Some(diag) = crate::nesting::check_nesting(path, text, &mut spans) {
        let file = ParsedFile {
            path: path.to_string(),
            ast: SchemaFile::default(),
            spans,
        };
        return (file, vec![diag]);
    }
    let (ast, diagnostics) = match KdlDocument::parse_v2(text) {
        Ok(doc) => (lower::lower(&doc, text, &mut spans), Vec::new()),
        Err(err) => (
            SchemaFile::default(),
            syntax_errors::syntax_errors(path, text, &err.diagnostics, &mut spans),
        ),
    };
    (
        ParsedFile {
            path: path.to_string(),
            ast,
            spans,
        },
        diagnostics,
    )
}

#[cfg(test)]
mod tests {
    use super::parse_file;
    use crate::ast::Value;

    const SCHEMA: &str =
        "model Post {\n  id uuid pk=#true\n  policy read \"record.id == user.id\"\n}\n";

    #[test]
    fn comment_and_layout_edits_keep_the_ast_and_digest() {
        let edited = "// posts\nmodel Post {   /* the key */\n\n  id   uuid pk=#true // pk\n  policy read \"record.id == user.id\"\n}\n";
        let (a, da) = parse_file("post.kdl", SCHEMA);
        let (b, db) = parse_file("post.kdl", edited);
        assert!(da.is_empty() && db.is_empty());
        assert_eq!(a.ast, b.ast);
        assert_eq!(a.digest(), b.digest());
        assert_ne!(a.spans, b.spans);
    }

    #[test]
    fn a_content_edit_changes_the_digest() {
        let (a, _) = parse_file("post.kdl", SCHEMA);
        let (b, _) = parse_file("post.kdl", &SCHEMA.replace("user.id", "user.tenant_id"));
        assert_ne!(a.digest(), b.digest());
    }

    #[test]
    fn string_content_spans_exclude_the_quotes() {
        let text = "policy read #\"record.x == \"a\"\"#\n";
        let (p, _) = parse_file("p.kdl", text);
        let arg = &p.ast.nodes[0].args[1];
        assert_eq!(arg.value, Value::String("record.x == \"a\"".to_string()));
        let (s, l) = p.spans.get(arg.content);
        assert_eq!(&text[s..s + l], "record.x == \"a\"");
    }

    #[test]
    fn property_values_have_their_own_span() {
        let text = "id uuid pk=\"yes\"\n";
        let (p, _) = parse_file("p.kdl", text);
        let prop = &p.ast.nodes[0].props[0];
        let (s, l) = p.spans.get(prop.value.span);
        assert_eq!(&text[s..s + l], "\"yes\"");
        let (s, l) = p.spans.get(prop.span);
        assert_eq!(&text[s..s + l], "pk=\"yes\"");
    }
}
