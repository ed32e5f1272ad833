//! Indexes: `CREATE INDEX` statements, with what each dialect can and cannot build.
//!
//! PostgreSQL builds everything: partial indexes and `using=gin` (on jsonb; a gin index on other
//! columns would need an extension, so it falls back to btree with a comment). SQLite builds
//! partial indexes and uses its own index for gin. MySQL has neither: a partial index covers every
//! row (said in a comment), a JSON column cannot be indexed at all (the index is skipped, with a
//! comment), and a `LONGTEXT` or `LONGBLOB` column is indexed on its first 255 characters.

use forge_schemas::{Enum, FieldType, Index, IndexMethod};

use crate::Dialect;
use crate::condition::condition;
use crate::types::{MYSQL_INDEX_PREFIX, mysql_is_blob};

/// The lines for `index` on `table`, whose columns have the given types: SQL comments and at most
/// one `CREATE INDEX`.
pub fn index_lines(
    dialect: Dialect,
    table: &str,
    columns: &[(&str, &FieldType)],
    enums: &[Enum],
    index: &Index,
) -> Vec<String> {
    let type_of = |name: &str| columns.iter().find(|(c, _)| *c == name).map(|(_, ty)| *ty);
    let name = dialect.ident(&index.name);
    let mut lines = Vec::new();
    let mut method = "";
    let mut keys: Vec<String> = index.columns.iter().map(|c| dialect.ident(c)).collect();
    let mut predicate = None;
    match dialect {
        Dialect::Postgres => {
            if index.using == IndexMethod::Gin {
                if index
                    .columns
                    .iter()
                    .all(|c| type_of(c) == Some(&FieldType::Json))
                {
                    method = " USING gin";
                } else {
                    lines.push(format!(
                        "-- {name}: gin indexes only jsonb columns here; btree instead"
                    ));
                }
            }
            predicate = index.r#where.as_ref();
        }
        Dialect::Sqlite => predicate = index.r#where.as_ref(),
        Dialect::Mysql => {
            if let Some(json) = index
                .columns
                .iter()
                .find(|c| type_of(c) == Some(&FieldType::Json))
            {
                lines.push(format!(
                    "-- index {name} skipped: MySQL cannot index the JSON column {}",
                    dialect.ident(json)
                ));
                return lines;
            }
            if let Some(partial) = &index.r#where {
                lines.push(format!(
                    "-- MySQL has no partial indexes: {name} covers every row, not only where {}",
                    one_line(&partial.source)
                ));
            }
            for (key, column) in keys.iter_mut().zip(&index.columns) {
                if type_of(column).is_some_and(mysql_is_blob) {
                    key.push_str(&format!("({MYSQL_INDEX_PREFIX})"));
                }
            }
        }
    }
    let mut statement = format!(
        "CREATE INDEX {name} ON {}{method} ({})",
        dialect.ident(table),
        keys.join(", ")
    );
    if let Some(partial) = predicate {
        statement.push_str(" WHERE ");
        statement.push_str(&condition(dialect, enums, &partial.expr));
    }
    statement.push(';');
    lines.push(statement);
    lines
}

/// `text` on one line, for a comment.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
