//! `sandbox:sqlite`: every build applies the generated SQLite schema to an empty in-memory
//! database, statement by statement, and fails naming the statement and SQLite's error when one
//! does not apply. It then checks that every table the IR declares exists.

use forge_schemas::Ir;
use rusqlite::fallible_iterator::FallibleIterator;

/// Applies `sql` to a fresh in-memory database with foreign keys on. On failure, the message
/// names the statement (its first line number in `file`) and the database's error.
pub fn apply_sqlite(file: &str, sql: &str, ir: &Ir) -> Result<String, String> {
    let conn =
        rusqlite::Connection::open_in_memory().map_err(|e| format!("cannot open SQLite: {e}"))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| e.to_string())?;
    let mut batch = rusqlite::Batch::new(&conn, sql);
    let mut statements = 0usize;
    // Where the previous statement was found; statements appear in order.
    let mut cursor = 0usize;
    loop {
        match batch.next() {
            Ok(Some(mut stmt)) => {
                let text = stmt.expanded_sql().unwrap_or_default();
                let head = text.trim().lines().next().unwrap_or("");
                let at = sql[cursor..]
                    .find(head)
                    .filter(|_| !head.is_empty())
                    .map(|p| cursor + p)
                    .unwrap_or(cursor);
                cursor = at + head.len();
                if let Err(e) = stmt.raw_execute() {
                    let line = sql[..at].lines().count() + 1;
                    return Err(format!(
                        "{file}:{line}: SQLite rejected the statement:\n{}\nerror: {e}",
                        text.trim()
                    ));
                }
                statements += 1;
            }
            Ok(None) => break,
            Err(e) => {
                // SQLite rejected the next statement while preparing it: show that statement.
                let rest = &sql[cursor..];
                let skip = rest.len() - rest.trim_start_matches([';', ' ', '\n', '\r', '\t']).len();
                let at = cursor + skip;
                let text: String = sql[at..]
                    .split_inclusive('\n')
                    .scan(false, |done, line| {
                        if *done {
                            return None;
                        }
                        *done = line.trim_end().ends_with(';');
                        Some(line)
                    })
                    .collect();
                let line = sql[..at].lines().count() + 1;
                return Err(format!(
                    "{file}:{line}: SQLite rejected the statement:\n{}\nerror: {e}",
                    text.trim()
                ));
            }
        }
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| e.to_string())?;
    let expected = ir
        .models
        .iter()
        .map(|m| &m.table)
        .chain(ir.join_tables.iter().map(|j| &j.name));
    for table in expected {
        if !tables.contains(table) {
            return Err(format!(
                "{file}: the schema applied but table `{table}` does not exist"
            ));
        }
    }
    Ok(format!(
        "{statements} statements applied, {} tables",
        tables.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_statement_is_named_with_its_line() {
        let sql = "CREATE TABLE \"a\" (\"x\" INTEGER);\n\nCREATE TABLE \"b\" (\"y\" INTEGR REFERENCES nope(\"z\")) STRICT;\n";
        let err = apply_sqlite("schema.sql", sql, &Ir::empty()).unwrap_err();
        assert!(
            err.starts_with("schema.sql:3: SQLite rejected the statement"),
            "{err}"
        );
        assert!(err.contains("INTEGR"), "{err}");
    }

    #[test]
    fn a_table_the_ir_declares_must_exist() {
        let ok = apply_sqlite(
            "schema.sql",
            "CREATE TABLE \"a\" (\"x\" INTEGER);",
            &Ir::empty(),
        )
        .unwrap();
        assert_eq!(ok, "1 statements applied, 1 tables");
        let mut ir = Ir::empty();
        ir.join_tables.push(forge_schemas::JoinTable {
            name: "post_tags".into(),
            left: side("Post"),
            right: side("Tag"),
            primary_key: forge_schemas::Key {
                name: "post_tags_pkey".into(),
                columns: vec![],
            },
            tenant: None,
            foreign_keys: vec![],
            indexes: vec![],
        });
        let err =
            apply_sqlite("schema.sql", "CREATE TABLE \"a\" (\"x\" INTEGER);", &ir).unwrap_err();
        assert_eq!(
            err,
            "schema.sql: the schema applied but table `post_tags` does not exist"
        );
    }

    fn side(model: &str) -> forge_schemas::JoinSide {
        forge_schemas::JoinSide {
            model: model.into(),
            relation: None,
            column: "x_id".into(),
            ty: forge_schemas::FieldType::Uuid,
            references_table: "x".into(),
            references: "id".into(),
        }
    }
}
