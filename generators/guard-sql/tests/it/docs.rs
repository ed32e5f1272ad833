//! `docs/guards.md` (section "SQL filters") shows `sqlite.json` for its example schema: the text
//! there is what the generator writes today.

use std::path::Path;

use forge_gen_guard_sql::guards;
use forge_gen_sql::Dialect;

use crate::setup::ir;

/// The body of the first fenced block of `lang` after the line `marker`.
fn block<'a>(doc: &'a str, marker: &str, lang: &str) -> &'a str {
    let after = &doc[doc.find(marker).unwrap_or_else(|| panic!("no `{marker}`"))..];
    let fence = format!("```{lang}\n");
    let start = after.find(&fence).expect("a fenced block") + fence.len();
    let len = after[start..].find("\n```").expect("the end of the block");
    &after[start..start + len + 1]
}

#[test]
fn the_example_in_the_docs_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/guards.md");
    let doc = std::fs::read_to_string(&path).expect("docs/guards.md");
    let schema = block(&doc, "<!-- guard-sql example schema -->", "kdl");
    let generated = guards(&ir(schema), Dialect::Sqlite).content;
    if std::env::var_os("FORGE_PRINT_GUARD_SQL_EXAMPLE").is_some() {
        print!("{generated}");
    }
    let shown = block(&doc, "<!-- guard-sql example output -->", "json");
    assert!(
        shown == generated,
        "docs/guards.md shows an outdated sqlite.json; run with FORGE_PRINT_GUARD_SQL_EXAMPLE=1 to print the current one"
    );
}
