//! `docs/migrations.md` lists every rule with its code, name, class and reason, as the code has
//! them.

use forge_migrate::Rule;

#[test]
fn the_rules_table_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/migrations.md");
    let doc = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let documented: Vec<String> = doc
        .lines()
        .filter(|l| l.starts_with("| `M"))
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = Rule::ALL
        .iter()
        .map(|r| {
            format!(
                "| `{}` | `{}` | {} | {} |",
                r.code(),
                r.name(),
                r.class(),
                r.reason()
            )
        })
        .collect();
    assert_eq!(
        documented, expected,
        "update the rules table of docs/migrations.md"
    );
}
