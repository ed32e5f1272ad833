//! `docs/rls.md` shows `policies.sql` for its example schema: the text there is what the generator
//! writes today.

use std::path::Path;

use crate::setup::ir;

/// The body of the first fenced block of `lang` after the line `marker`.
fn block<'a>(doc: &'a str, marker: &str, lang: &str) -> &'a str {
    let after = &doc[doc.find(marker).unwrap_or_else(|| panic!("no `{marker}`"))..];
    let fence = format!("```{lang}\n");
    let start = after.find(&fence).unwrap() + fence.len();
    let len = after[start..].find("\n```").unwrap();
    &after[start..start + len + 1]
}

#[test]
fn the_example_in_the_docs_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rls.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let schema = block(&doc, "<!-- example schema -->", "kdl");
    let generated = forge_gen_rls::policies_sql(&ir(schema)).content;
    if std::env::var_os("FORGE_PRINT_RLS_EXAMPLE").is_some() {
        print!("{generated}");
    }
    let shown = block(&doc, "<!-- example output -->", "sql");
    assert!(
        shown == generated,
        "docs/rls.md shows an outdated policies.sql; run with FORGE_PRINT_RLS_EXAMPLE=1 to print the current one"
    );
}
