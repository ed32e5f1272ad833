//! SQLite: a database in memory per batch with `schema.sql` and the rows, and the SQL guards
//! (`forge-gen-guard-sql`) run on it with the crate's own helpers: `allows` on a stored row, and
//! `passes_as_written` on the row a write is about to make, before it, as services do. That row
//! is the one the write stores (defaults and affinities applied): the write is made once in a
//! transaction that reads it back and is rolled back (foreign keys deferred meanwhile, so an
//! update may move a row whose links stay behind, as PostgreSQL lets row-level security decide
//! before it checks keys).

use forge_gen_guard_sql::{Guards, allows, guards, passes_as_written};
use forge_gen_sql::{Dialect, generate};
use forge_schemas::{Action, Ir};
use forge_testkit::{Database, sqlite_apply};
use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use crate::world::World;

/// The batch's SQLite database and guards.
pub struct Sqlite {
    conn: Connection,
    guards: Guards,
}

impl Sqlite {
    /// The schema and rows of a batch, and its guards.
    pub fn new(ir: &Ir, world: &World) -> Sqlite {
        let schema = generate(ir, Dialect::Sqlite).content;
        let conn = sqlite_apply(&schema).unwrap_or_else(|e| panic!("SQLite schema.sql: {e}"));
        conn.apply(&world.inserts(crate::value::Value::sqlite))
            .unwrap_or_else(|e| panic!("SQLite rows: {e}"));
        let file = guards(ir, Dialect::Sqlite);
        let guards = Guards::from_json(&file.content).expect("the SQLite guards read back");
        Sqlite { conn, guards }
    }

    /// Does the stored row of `table` (a model's or a join table's name) with primary key `key`
    /// pass `action`'s filter for `identity`?
    pub fn allows(&self, table: &str, action: Action, identity: &str, key: &[String]) -> bool {
        allows(
            &self.conn,
            &self.guards,
            table,
            action,
            identity,
            &values(key),
        )
        .unwrap_or_else(|e| panic!("SQLite allows({table}, {action:?}): {e}"))
    }

    /// Does the row `values` that a write is about to make in `table` pass what `action` asks
    /// of a written row (create's and update's check, read's filter)?
    pub fn passes_as_written(
        &self,
        table: &str,
        action: Action,
        identity: &str,
        values: &[(String, Sql)],
    ) -> bool {
        passes_as_written(&self.conn, &self.guards, table, action, identity, values)
            .unwrap_or_else(|e| panic!("SQLite passes_as_written({table}, {action:?}): {e}"))
    }

    /// The row of `table` whose `key_columns` are `key` as `write` stores it (every column, in
    /// the table's order), the database left as it was.
    pub fn written_row(
        &self,
        write: &str,
        table: &str,
        key_columns: &[String],
        key: &[String],
    ) -> Vec<(String, Sql)> {
        self.after(write, |db| {
            let by_key: Vec<String> = key_columns.iter().map(|c| format!("\"{c}\" = ?")).collect();
            let sql = format!("SELECT * FROM \"{table}\" WHERE {}", by_key.join(" AND "));
            let mut statement = db.conn.prepare(&sql).expect("a query by key");
            let columns: Vec<String> = statement
                .column_names()
                .into_iter()
                .map(str::to_string)
                .collect();
            statement
                .query_row(rusqlite::params_from_iter(values(key)), |row| {
                    columns
                        .iter()
                        .enumerate()
                        .map(|(i, c)| Ok((c.clone(), row.get::<_, Sql>(i)?)))
                        .collect()
                })
                .unwrap_or_else(|e| panic!("SQLite: the written row of {table}: {e}"))
        })
    }

    /// Runs `write`, then `then` on the database as it leaves it, then rolls back.
    pub fn after<R>(&self, write: &str, then: impl FnOnce(&Sqlite) -> R) -> R {
        self.conn
            .execute_batch("BEGIN; PRAGMA defer_foreign_keys = ON;")
            .expect("a transaction");
        let changed = self
            .conn
            .execute(write, [])
            .unwrap_or_else(|e| panic!("SQLite: {e}\n{write}"));
        assert_eq!(changed, 1, "one row written by {write}");
        let result = then(self);
        self.conn.execute_batch("ROLLBACK").expect("a rollback");
        result
    }
}

/// Key columns as SQLite holds them: lower-case uuid text.
fn values(key: &[String]) -> Vec<Sql> {
    key.iter().map(|k| Sql::Text(k.clone())).collect()
}
