//! Origins: which model (and field) each range of `schema.sql`'s lines comes from.

use forge_gen_sql::{Dialect, generate};
use forge_schemas::Origin;

use crate::blog::blog;

/// The origins that cover 1-based line `n`, narrowest last.
fn origins_of(origins: &[Origin], n: u32) -> Vec<&Origin> {
    origins
        .iter()
        .filter(|o| o.lines[0] <= n && n <= o.lines[1])
        .collect()
}

#[test]
fn lines_map_to_models_and_fields() {
    for dialect in Dialect::ALL {
        let file = generate(&blog(), dialect);
        let lines: Vec<&str> = file.content.lines().collect();
        let find = |needle: &str| {
            let i = lines
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("{dialect}: no line has {needle}"));
            u32::try_from(i + 1).unwrap()
        };
        let column = find(&dialect.ident("prénom"));
        let at = origins_of(&file.origins, column);
        assert_eq!(
            at.len(),
            2,
            "{dialect}: the table's block and the column line: {at:?}"
        );
        assert_eq!(at[0].model.as_deref(), Some("Café"));
        assert_eq!(at[0].field, None);
        assert_eq!(at[1].field.as_deref(), Some("prénom"));

        // The block runs from CREATE TABLE to the table's last index.
        let block = at[0].lines;
        assert!(lines[block[0] as usize - 1].starts_with("CREATE TABLE"));
        assert!(lines[block[1] as usize - 1].starts_with("CREATE INDEX"));

        // A foreign key's line comes from its relation; a join table from the declaring relation.
        let fk = find(
            "CONSTRAINT \"post_tenant_id_author_id_fkey\""
                .replace('"', if dialect == Dialect::Mysql { "`" } else { "\"" })
                .as_str(),
        );
        assert_eq!(
            origins_of(&file.origins, fk)
                .last()
                .and_then(|o| o.field.as_deref()),
            Some("author")
        );
        let join = find(&format!("CREATE TABLE {}", dialect.ident("post_tags")));
        let join_origin = origins_of(&file.origins, join);
        assert_eq!(join_origin[0].model.as_deref(), Some("Post"));

        // The header has no origin; origins are sorted by first line.
        assert!(origins_of(&file.origins, 1).is_empty());
        assert!(
            file.origins
                .windows(2)
                .all(|w| w[0].lines[0] <= w[1].lines[0])
        );
    }
}
