//! SQLite: a database in memory per batch with `schema.sql` and the rows, and the SQL guards
//! (`forge-gen-guard-sql`) run on it with the crate's own helpers: `allows` on a stored row, and
//! `passes_check` on a written one inside a transaction that is then rolled back (foreign keys
//! deferred meanwhile, so an update may move a row whose links stay behind, as PostgreSQL lets
//! row-level security decide before it checks keys).

use forge_gen_guard_sql::{Guards, allows, guards, passes_check};
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

    /// Does the written row of `table` with primary key `key` pass `action`'s check?
    pub fn passes_check(
        &self,
        table: &str,
        action: Action,
        identity: &str,
        key: &[String],
    ) -> bool {
        passes_check(
            &self.conn,
            &self.guards,
            table,
            action,
            identity,
            &values(key),
        )
        .unwrap_or_else(|e| panic!("SQLite passes_check({table}, {action:?}): {e}"))
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
