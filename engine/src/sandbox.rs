//! `sandbox:sqlite`: every build applies the generated SQLite schema to empty in-memory databases,
//! statement by statement, and fails naming the statement, its line and SQLite's error when one
//! does not apply. It then checks that every table the IR declares exists.
//!
//! SQLite re-reads its schema table after every DDL statement, so applying n tables to one
//! database costs O(n²). The schema is therefore split at table boundaries into groups of
//! [`GROUP_TABLES`] tables (each table with the statements that follow it, such as its indexes),
//! each group applied to its own database, in parallel: linear in the size of the schema. SQLite
//! does not resolve foreign-key targets when a table is created, so the groups are independent.
//!
//! A group that applied once applies again: the caller memoizes each group's result under the
//! digest of its statements (see `Steps::sandbox_sqlite`), so an edit to one model re-applies
//! only the group that holds its table. Failures are never memoized, so their messages always
//! carry this build's line numbers.

use forge_schemas::Ir;
use rayon::prelude::*;

/// Tables per database.
const GROUP_TABLES: usize = 64;

/// One statement of the script and the line it starts on.
struct Statement<'a> {
    line: usize,
    text: &'a str,
}

/// How the caller runs one group: `memo(digest of the group's statements, apply)` returns the
/// tables the group creates, calling `apply` when it has no stored result.
pub type Memo<'m> = dyn Fn(&str, &dyn Fn() -> Result<Vec<String>, String>) -> Result<Vec<String>, String>
    + Sync
    + 'm;

/// Applies `sql` with foreign keys on, [`GROUP_TABLES`] tables per database, each group through
/// `memo`. On failure, the message names the statement (with its first line number in `file`)
/// and the database's error.
pub fn apply_sqlite(file: &str, sql: &str, ir: &Ir, memo: &Memo<'_>) -> Result<String, String> {
    let statements = split(sql);
    let groups = group(&statements);
    let results: Vec<Result<Vec<String>, String>> = groups
        .par_iter()
        .map(|g| memo(&group_digest(g), &|| apply_group(file, g)))
        .collect();
    let mut tables = Vec::new();
    for result in results {
        tables.extend(result?);
    }
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
        "{} statements applied, {} tables",
        statements.len(),
        tables.len()
    ))
}

fn apply_group(file: &str, statements: &[&Statement<'_>]) -> Result<Vec<String>, String> {
    let conn =
        rusqlite::Connection::open_in_memory().map_err(|e| format!("cannot open SQLite: {e}"))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| e.to_string())?;
    for statement in statements {
        conn.execute_batch(statement.text).map_err(|e| {
            format!(
                "{file}:{}: SQLite rejected the statement:\n{}\nerror: {e}",
                statement.line,
                statement.text.trim()
            )
        })?;
    }
    conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| e.to_string())
}

/// The digest of a group's statements (not of their line numbers).
fn group_digest(statements: &[&Statement<'_>]) -> String {
    let mut hasher = blake3::Hasher::new();
    for statement in statements {
        hasher.update(statement.text.as_bytes());
        hasher.update(b"\0");
    }
    hasher.finalize().to_hex().to_string()
}

/// Groups of statements, a new group starting at a `CREATE TABLE` once the current one holds
/// [`GROUP_TABLES`] tables.
fn group<'s, 'a>(statements: &'s [Statement<'a>]) -> Vec<Vec<&'s Statement<'a>>> {
    let mut groups: Vec<Vec<&Statement<'_>>> = vec![Vec::new()];
    let mut tables = 0;
    for statement in statements {
        if is_create_table(statement.text) {
            if tables == GROUP_TABLES {
                groups.push(Vec::new());
                tables = 0;
            }
            tables += 1;
        }
        groups
            .last_mut()
            .expect("there is always a group")
            .push(statement);
    }
    groups
}

fn is_create_table(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .take(2)
        .map(str::to_ascii_uppercase)
        .collect();
    words == ["CREATE", "TABLE"]
}

/// Splits a script into statements at `;` outside strings, quoted identifiers and comments.
/// Comments and blank text between statements are dropped.
fn split(sql: &str) -> Vec<Statement<'_>> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut line = 1;
    let mut start_line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => line += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    line += usize::from(bytes[i] == b'\n');
                    i += 1;
                }
                i += 2;
                continue;
            }
            _ if b.is_ascii_whitespace() => {}
            _ => {
                if start.is_none() {
                    start = Some(i);
                    start_line = line;
                }
                match b {
                    b'\'' | b'"' | b'`' | b'[' => {
                        let close = if b == b'[' { b']' } else { b };
                        i += 1;
                        while i < bytes.len() {
                            if bytes[i] == close {
                                // A doubled quote is an escaped quote.
                                if close != b']' && bytes.get(i + 1) == Some(&close) {
                                    i += 2;
                                    continue;
                                }
                                break;
                            }
                            line += usize::from(bytes[i] == b'\n');
                            i += 1;
                        }
                    }
                    b';' => {
                        let s = start.take().expect("a statement has started");
                        out.push(Statement {
                            line: start_line,
                            text: &sql[s..=i],
                        });
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push(Statement {
            line: start_line,
            text: &sql[s..],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_memo(
        _: &str,
        apply: &dyn Fn() -> Result<Vec<String>, String>,
    ) -> Result<Vec<String>, String> {
        apply()
    }

    #[test]
    fn a_bad_statement_is_named_with_its_line() {
        let sql = "CREATE TABLE \"a\" (\"x\" INTEGER);\n\nCREATE TABLE \"b\" (\"y\" INTEGR REFERENCES nope(\"z\")) STRICT;\n";
        let err = apply_sqlite("schema.sql", sql, &Ir::empty(), &no_memo).unwrap_err();
        assert!(
            err.starts_with("schema.sql:3: SQLite rejected the statement"),
            "{err}"
        );
        assert!(err.contains("INTEGR"), "{err}");
    }

    #[test]
    fn statements_split_outside_strings_identifiers_and_comments() {
        let sql = "-- a; comment\nCREATE TABLE \"a;b\" (\"x\" TEXT DEFAULT 'it''s; fine');\n/* ; */ CREATE INDEX \"i\" ON \"a;b\" (\"x\");";
        let parts: Vec<(usize, &str)> = split(sql).iter().map(|s| (s.line, s.text)).collect();
        assert_eq!(
            parts,
            [
                (
                    2,
                    "CREATE TABLE \"a;b\" (\"x\" TEXT DEFAULT 'it''s; fine');"
                ),
                (3, "CREATE INDEX \"i\" ON \"a;b\" (\"x\");")
            ]
        );
    }

    #[test]
    fn a_large_schema_is_applied_in_groups_with_each_tables_indexes() {
        let sql: String = (0..200)
            .map(|i| format!("CREATE TABLE \"t{i}\" (\"a\" INTEGER);\nCREATE INDEX \"t{i}_a_idx\" ON \"t{i}\" (\"a\");\n"))
            .collect();
        assert_eq!(
            apply_sqlite("schema.sql", &sql, &Ir::empty(), &no_memo).unwrap(),
            "400 statements applied, 200 tables"
        );
    }

    #[test]
    fn a_table_the_ir_declares_must_exist() {
        let ok = apply_sqlite(
            "schema.sql",
            "CREATE TABLE \"a\" (\"x\" INTEGER);",
            &Ir::empty(),
            &no_memo,
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
        let err = apply_sqlite(
            "schema.sql",
            "CREATE TABLE \"a\" (\"x\" INTEGER);",
            &ir,
            &no_memo,
        )
        .unwrap_err();
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
