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
//! A group that applied once applies again: the caller memoizes each group's result (what its
//! database then holds, introspected) under the digest of its statements (see
//! `Steps::sandbox_sqlite`), so an edit to one model re-applies only the group that holds its
//! table; the node also records each group's tables, so that an unchanged group costs neither a
//! lookup nor a read. Failures are never memoized, so their messages always carry this build's
//! line numbers. The groups' introspections together are the declared schema as SQLite holds it,
//! which the migration history's replay is compared with (reading every group's result back).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use forge_migrate::{LiveSchema, SourceStatement, introspect_sqlite, split_statements};
use forge_schemas::Ir;
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// Tables per database. Small groups keep an edit cheap (one group is applied again) and the
/// cold build linear; the groups' results are decoded only when the history is compared.
const GROUP_TABLES: usize = 16;

/// How the caller runs one group: `memo(digest of the group's statements, apply)` returns the
/// tables the group's database then holds, calling `apply` when it has no stored result (whose
/// [`table_names`] it then gives).
pub type Memo<'m> = dyn Fn(&str, &dyn Fn() -> Result<LiveSchema, String>) -> Result<Vec<String>, String>
    + Sync
    + 'm;

/// The tables of a group's stored result (a [`LiveSchema`] as JSON).
pub fn table_names(result: &[u8]) -> Result<Vec<String>, String> {
    /// Only the table names of a [`LiveSchema`].
    #[derive(Deserialize)]
    struct TableNames {
        tables: BTreeMap<String, IgnoredAny>,
    }
    let names: TableNames = serde_json::from_slice(result)
        .map_err(|e| format!("a stored sandbox result does not decode: {e}"))?;
    Ok(names.tables.into_keys().collect())
}

/// The schema the groups' databases hold together, from their stored results.
pub fn declared(results: &[Arc<Vec<u8>>]) -> Result<LiveSchema, String> {
    let mut declared = LiveSchema::default();
    for result in results {
        let part: LiveSchema = serde_json::from_slice(result)
            .map_err(|e| format!("a stored sandbox result does not decode: {e}"))?;
        declared.tables.extend(part.tables);
        declared.others.extend(part.others);
    }
    Ok(declared)
}

/// Applies `sql` with foreign keys on, [`GROUP_TABLES`] tables per database, each group through
/// `memo`, and checks that every table the IR declares exists. Returns `"N statements applied, M
/// tables"`. On failure, the message names the statement (with its first line number in `file`)
/// and the database's error.
pub fn apply_sqlite(file: &str, sql: &str, ir: &Ir, memo: &Memo<'_>) -> Result<String, String> {
    let statements = split_statements(sql);
    let groups = group(&statements);
    let results: Vec<Result<Vec<String>, String>> = groups
        .par_iter()
        .map(|g| memo(&group_digest(g), &|| apply_group(file, g)))
        .collect();
    let mut tables = BTreeSet::new();
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

fn apply_group(file: &str, statements: &[&SourceStatement<'_>]) -> Result<LiveSchema, String> {
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
    introspect_sqlite(&conn).map_err(|e| format!("cannot read back the schema: {e}"))
}

/// The digest of a group's statements (not of their line numbers).
fn group_digest(statements: &[&SourceStatement<'_>]) -> String {
    let mut hasher = blake3::Hasher::new();
    for statement in statements {
        hasher.update(statement.text.as_bytes());
        hasher.update(b"\0");
    }
    hasher.finalize().to_hex().to_string()
}

/// Groups of statements, a new group starting at a `CREATE TABLE` once the current one holds
/// [`GROUP_TABLES`] tables.
fn group<'s, 'a>(statements: &'s [SourceStatement<'a>]) -> Vec<Vec<&'s SourceStatement<'a>>> {
    let mut groups: Vec<Vec<&SourceStatement<'_>>> = vec![Vec::new()];
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

#[cfg(test)]
mod tests {
    use super::*;

    fn no_memo(
        _: &str,
        apply: &dyn Fn() -> Result<LiveSchema, String>,
    ) -> Result<Vec<String>, String> {
        table_names(&serde_json::to_vec(&apply()?).unwrap())
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
    fn a_large_schema_is_applied_in_groups_with_each_tables_indexes() {
        let sql: String = (0..200)
            .map(|i| format!("CREATE TABLE \"t{i}\" (\"a\" INTEGER);\nCREATE INDEX \"t{i}_a_idx\" ON \"t{i}\" (\"a\");\n"))
            .collect();
        let results = std::sync::Mutex::new(Vec::new());
        let memo = |_: &str, apply: &dyn Fn() -> Result<LiveSchema, String>| {
            let bytes = Arc::new(serde_json::to_vec(&apply()?).unwrap());
            results.lock().unwrap().push(bytes.clone());
            table_names(&bytes)
        };
        let report = apply_sqlite("schema.sql", &sql, &Ir::empty(), &memo).unwrap();
        assert_eq!(report, "400 statements applied, 200 tables");
        let results = results.into_inner().unwrap();
        assert_eq!(results.len(), 200 / GROUP_TABLES + 1);
        let declared = declared(&results).unwrap();
        // What the groups hold, together: every table with its index.
        assert_eq!(declared.tables.len(), 200);
        assert_eq!(declared.tables["t199"].indexes.len(), 1);
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
