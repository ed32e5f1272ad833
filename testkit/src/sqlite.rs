//! SQLite in memory, with foreign keys enforced.

use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::types::ValueRef;
use rusqlite::{Batch, Connection};

use crate::database::Database;

/// A new in-memory database with `PRAGMA foreign_keys = ON`, after running `sql` on it. The
/// error names the failing statement.
pub fn sqlite_apply(sql: &str) -> Result<Connection, String> {
    let conn =
        Connection::open_in_memory().map_err(|e| format!("cannot open SQLite in memory: {e}"))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(|e| format!("cannot enable foreign keys: {e}"))?;
    conn.apply(sql)?;
    Ok(conn)
}

impl Database for Connection {
    fn apply(&self, sql: &str) -> Result<(), String> {
        let mut batch = Batch::new(self, sql);
        // Where the statement being prepared starts, to name it when it fails.
        let mut at = 0;
        loop {
            let mut statement = match batch.next() {
                Ok(Some(statement)) => statement,
                Ok(None) => return Ok(()),
                Err(e) => {
                    return Err(format!(
                        "SQLite: {e}\nin the statement:\n{}",
                        statement_at(sql, at)
                    ));
                }
            };
            let text = statement.expanded_sql().unwrap_or_default();
            if let Some(i) = sql[at..].find(&text) {
                at += i;
            }
            let mut rows = statement.raw_query();
            // Step through the statement; any rows it returns are not wanted.
            loop {
                match rows.next() {
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(e) => return Err(format!("SQLite: {e}\nin the statement:\n{text}")),
                }
            }
            at += text.len();
        }
    }

    fn query(&self, sql: &str) -> Result<String, String> {
        let mut statement = self
            .prepare(sql)
            .map_err(|e| format!("SQLite: {e}\nin the statement:\n{sql}"))?;
        let width = statement.column_count();
        let mut rows = statement.raw_query();
        let mut lines = Vec::new();
        while let Some(row) = rows
            .next()
            .map_err(|e| format!("SQLite: {e}\nin the statement:\n{sql}"))?
        {
            let cells: Vec<String> = (0..width)
                .map(|i| match row.get_ref(i) {
                    Ok(ValueRef::Null) | Err(_) => String::new(),
                    Ok(ValueRef::Integer(n)) => n.to_string(),
                    Ok(ValueRef::Real(x)) => x.to_string(),
                    Ok(ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
                    Ok(ValueRef::Blob(b)) => b.iter().map(|byte| format!("{byte:02x}")).collect(),
                })
                .collect();
            lines.push(cells.join("|"));
        }
        Ok(lines.join("\n"))
    }
}

/// The statement that starts at byte `at` of `sql` (up to its first `;`), trimmed.
fn statement_at(sql: &str, at: usize) -> &str {
    let rest = sql.get(at..).unwrap_or_default();
    let end = rest.find(';').map_or(rest.len(), |i| i + 1);
    rest[..end].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_keys_are_enforced() {
        let db = sqlite_apply("CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (a INTEGER REFERENCES a (id));")
            .unwrap();
        assert!(db.apply("INSERT INTO b VALUES (7);").is_err());
    }

    #[test]
    fn errors_name_the_failing_statement() {
        let err = sqlite_apply(
            "CREATE TABLE a (x);\nCREATE TABLE b (y REFERENCES);\nCREATE TABLE c (z);",
        )
        .unwrap_err();
        assert!(err.contains("CREATE TABLE b (y REFERENCES);"), "{err}");
        let db = sqlite_apply("CREATE TABLE a (x NOT NULL);").unwrap();
        let err = db
            .apply("INSERT INTO a VALUES (1);\nINSERT INTO a VALUES (NULL);")
            .unwrap_err();
        assert!(err.contains("INSERT INTO a VALUES (NULL)"), "{err}");
    }

    #[test]
    fn rows_print_like_psql() {
        let db = sqlite_apply("").unwrap();
        assert_eq!(
            db.query("SELECT 1, NULL, 'x' UNION ALL SELECT 2, 'y', ''")
                .unwrap(),
            "1||x\n2|y|"
        );
    }
}
