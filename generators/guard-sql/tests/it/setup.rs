//! Test setup: an IR from KDL through the real front end; `schema.sql` of the dialect applied to a
//! real SQLite database (in memory) and to a real MariaDB database; the guards of the dialect;
//! and the protocol of `docs/guards.md` run on each: reads with the read filter, creates and
//! updates checked inside their transaction (rolled back when the check fails), deletes with the
//! delete filter. Every value of the identity is bound as a parameter.
//!
//! SQLite goes through rusqlite (and the crate's own `allows`); MariaDB through its client, with
//! server-side prepared statements (`PREPARE ... FROM`, `EXECUTE ... USING`) and, for writes, a
//! compound statement that commits or rolls back.

use forge_gen_guard_sql::{Condition, Guards, TableGuards, allows, guards};
use forge_gen_sql::{Dialect, datetime_literal, generate};
use forge_schemas::{Action, Ir};
use forge_testkit::{Database, MySqlDb, mysql_database, sqlite_apply};
pub use forge_testkit::{ir, ir_of_folder};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// A readable uuid: `00000000-0000-0000-0000-<n, 12 digits>`.
pub fn uuid(n: u64) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

/// An identity JSON object with an id, a tenant and roles.
pub fn who(id: u64, tenant: u64, roles: &[&str]) -> String {
    let roles: Vec<String> = roles
        .iter()
        .map(|r| serde_json::to_string(r).expect("a string"))
        .collect();
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[{}],\"claims\":[]}}",
        uuid(id),
        uuid(tenant),
        roles.join(",")
    )
}

/// What a write came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Written and committed.
    Done,
    /// The filter let no row through (update, delete): nothing written.
    Denied,
    /// Written, but the check failed: rolled back.
    Rejected,
}

/// One database with the schema, and the guards of its dialect.
pub struct App {
    pub guards: Guards,
    db: Db,
}

enum Db {
    Sqlite(Connection),
    Maria(MySqlDb),
}

/// The schema and guards of `ir` on SQLite and on MariaDB (a database named after `test`).
pub fn apps(test: &str, ir: &Ir) -> [App; 2] {
    [Dialect::Sqlite, Dialect::Mysql].map(|d| app(test, ir, d))
}

/// The schema and guards of `ir` in `dialect`.
pub fn app(test: &str, ir: &Ir, dialect: Dialect) -> App {
    let schema = generate(ir, dialect).content;
    let db = match dialect {
        Dialect::Mysql => {
            let db = mysql_database(&format!("guard_{test}"));
            db.apply(&schema)
                .unwrap_or_else(|e| panic!("schema.sql: {e}\n{schema}"));
            Db::Maria(db)
        }
        _ => Db::Sqlite(
            sqlite_apply(&schema).unwrap_or_else(|e| panic!("schema.sql: {e}\n{schema}")),
        ),
    };
    let file = guards(ir, dialect);
    let guards = Guards::from_json(&file.content).expect("the guards read back");
    App { guards, db }
}

impl App {
    pub fn dialect(&self) -> Dialect {
        self.guards.dialect
    }

    /// `name` quoted for this database.
    pub fn q(&self, name: &str) -> String {
        self.dialect().ident(name)
    }

    /// A datetime literal (canonical UTC text) for a datetime column of this database.
    pub fn datetime(&self, text: &str) -> String {
        datetime_literal(self.dialect(), text)
    }

    /// Runs `sql` without any guard (seeding, changing data behind the guards' back).
    pub fn admin(&self, sql: &str) {
        let result = match &self.db {
            Db::Sqlite(conn) => conn.apply(sql),
            Db::Maria(db) => db.apply(sql),
        };
        result.unwrap_or_else(|e| panic!("{}: {e}", self.dialect()));
    }

    /// The rows of `sql`, without any guard, one line per row.
    pub fn admin_rows(&self, sql: &str) -> Vec<String> {
        let result = match &self.db {
            Db::Sqlite(conn) => conn.query(sql),
            Db::Maria(db) => db.query(sql),
        };
        lines(&result.unwrap_or_else(|e| panic!("{}: {e}", self.dialect())))
    }

    fn table(&self, name: &str) -> &TableGuards {
        self.guards
            .table(name)
            .unwrap_or_else(|| panic!("no guards for `{name}`"))
    }

    /// `column` of the rows of `name` that `identity` reads, sorted.
    pub fn rows(&self, name: &str, column: &str, identity: &str) -> Vec<String> {
        self.rows_bound(name, column, Some(identity))
    }

    /// Like [`App::rows`], binding `identity` as given: `None` binds NULL.
    pub fn rows_bound(&self, name: &str, column: &str, identity: Option<&str>) -> Vec<String> {
        let table = self.table(name);
        let filter = table.read.filter.as_ref().expect("read has a filter");
        let sql = format!(
            "SELECT {c} FROM {} AS {} WHERE {} ORDER BY {c}",
            self.q(&table.table),
            self.q(&self.guards.alias),
            filter.sql,
            c = self.column(column),
        );
        let params = vec![identity; filter.params as usize];
        self.select(&sql, &[], &params)
    }

    /// `"record".<column>`.
    fn column(&self, column: &str) -> String {
        format!("{}.{}", self.q(&self.guards.alias), self.q(column))
    }

    /// True when the row of `name` with primary key `key` passes `action`'s condition on a stored
    /// row for `identity` (create: its check), the way a service checks before it writes.
    pub fn allows(&self, name: &str, action: Action, identity: &str, key: &[&str]) -> bool {
        match &self.db {
            Db::Sqlite(conn) => {
                let key: Vec<Value> = key.iter().map(|k| Value::Text(k.to_string())).collect();
                allows(conn, &self.guards, name, action, identity, &key)
                    .unwrap_or_else(|e| panic!("allows({name}, {action:?}): {e}"))
            }
            Db::Maria(_) => {
                let table = self.table(name);
                let condition = match action {
                    Action::Read => &table.read,
                    Action::Create => &table.create,
                    Action::Update => &table.update,
                    _ => &table.delete,
                }
                .stored();
                let sql = format!(
                    "SELECT EXISTS ({})",
                    self.guards.row_check(table, condition)
                );
                let params = vec![Some(identity); condition.params as usize];
                self.select(&sql, key, &params) == ["1"]
            }
        }
    }

    /// The rows of `sql` with `key` then `identities` bound.
    fn select(&self, sql: &str, key: &[&str], identities: &[Option<&str>]) -> Vec<String> {
        match &self.db {
            Db::Sqlite(conn) => {
                let params: Vec<Value> = key
                    .iter()
                    .map(|k| Value::Text(k.to_string()))
                    .chain(identities.iter().map(|i| match i {
                        Some(i) => Value::Text(i.to_string()),
                        None => Value::Null,
                    }))
                    .collect();
                let mut statement = conn
                    .prepare(sql)
                    .unwrap_or_else(|e| panic!("SQLite: {e}\n{sql}"));
                let rows = statement
                    .query_map(params_from_iter(params), |row| {
                        let value: Value = row.get(0)?;
                        Ok(match value {
                            Value::Null => String::new(),
                            Value::Integer(n) => n.to_string(),
                            Value::Real(x) => x.to_string(),
                            Value::Text(t) => t,
                            Value::Blob(b) => format!("{b:?}"),
                        })
                    })
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
                rows.unwrap_or_else(|e| panic!("SQLite: {e}\n{sql}"))
            }
            Db::Maria(db) => {
                let script = format!(
                    "{}PREPARE s FROM {};\nEXECUTE s{};",
                    variables(key, identities.first().copied().flatten()),
                    Dialect::Mysql.string(sql),
                    using(key.len(), identities.len())
                );
                lines(
                    &db.query(&script)
                        .unwrap_or_else(|e| panic!("MariaDB: {e}\n{sql}")),
                )
            }
        }
    }

    /// Creates a row of `name` with `insert` (an INSERT statement) for `identity`, then checks
    /// the row with primary key `key`; rolls back when the check fails.
    pub fn create(&self, name: &str, identity: &str, insert: &str, key: &[&str]) -> Outcome {
        let table = self.table(name);
        let check = table.create.check.as_ref().expect("create has a check");
        self.write(insert, &[], 0, table, check, identity, key)
    }

    /// Updates the row of `name` with primary key `key` (`set`: the SET list) for `identity`: the
    /// update filter in the UPDATE's WHERE, then the check on the row with primary key `new_key`;
    /// rolls back when the check fails.
    pub fn update(
        &self,
        name: &str,
        identity: &str,
        set: &str,
        key: &[&str],
        new_key: &[&str],
    ) -> Outcome {
        let table = self.table(name);
        let filter = table.update.filter.as_ref().expect("update has a filter");
        let check = table.update.check.as_ref().expect("update has a check");
        let sql = format!(
            "UPDATE {} AS {} SET {set} WHERE {} AND ({})",
            self.q(&table.table),
            self.q(&self.guards.alias),
            table.row,
            filter.sql
        );
        self.write(&sql, key, filter.params, table, check, identity, new_key)
    }

    /// Deletes the row of `name` with primary key `key` for `identity`: the delete filter in the
    /// DELETE's WHERE, or (MySQL, when the filter reads the table itself) checked first.
    pub fn delete(&self, name: &str, identity: &str, key: &[&str]) -> Outcome {
        let table = self.table(name);
        let filter = table.delete.filter.as_ref().expect("delete has a filter");
        let (table_sql, alias) = (self.q(&table.table), self.q(&self.guards.alias));
        let done = match &self.db {
            Db::Sqlite(conn) => {
                let sql = format!(
                    "DELETE FROM {table_sql} AS {alias} WHERE {} AND ({})",
                    table.row, filter.sql
                );
                let params = bound(key, &vec![Some(identity); filter.params as usize]);
                conn.execute(&sql, params_from_iter(params))
                    .unwrap_or_else(|e| panic!("SQLite: {e}\n{sql}"))
                    == 1
            }
            Db::Maria(db) => {
                let identities = vec![Some(identity); filter.params as usize];
                let script = if filter.reads.contains(&table.table) {
                    // MySQL refuses a subquery on the table a DELETE deletes from: check the row
                    // first (in the transaction), then delete it by its key.
                    let check = format!(
                        "SELECT EXISTS ({}) INTO @ok",
                        self.guards.row_check(table, filter)
                    );
                    let keys: Vec<String> = table
                        .primary_key
                        .iter()
                        .map(|c| format!("{} = ?", self.q(c)))
                        .collect();
                    let delete = format!("DELETE FROM {table_sql} WHERE {}", keys.join(" AND "));
                    format!(
                        "{}DELIMITER ;;\nBEGIN NOT ATOMIC\n  SET @ok = 0;\n  START TRANSACTION;\n  PREPARE c FROM {};\n  EXECUTE c{};\n  IF @ok = 1 THEN\n    PREPARE w FROM {};\n    EXECUTE w{};\n    SET @ok = ROW_COUNT();\n  END IF;\n  COMMIT;\n  SELECT @ok;\nEND;;\nDELIMITER ;\n",
                        variables(key, Some(identity)),
                        Dialect::Mysql.string(&check),
                        using(key.len(), identities.len()),
                        Dialect::Mysql.string(&delete),
                        using(key.len(), 0),
                    )
                } else {
                    format!(
                        "{}PREPARE w FROM {};\nEXECUTE w{};\nSELECT ROW_COUNT();",
                        variables(key, Some(identity)),
                        Dialect::Mysql.string(&format!(
                            "DELETE {alias} FROM {table_sql} AS {alias} WHERE {} AND ({})",
                            table.row, filter.sql
                        )),
                        using(key.len(), identities.len()),
                    )
                };
                let out = db
                    .query(&script)
                    .unwrap_or_else(|e| panic!("MariaDB: {e}\n{script}"));
                lines(&out).last().map(String::as_str) == Some("1")
            }
        };
        if done { Outcome::Done } else { Outcome::Denied }
    }

    /// Runs `write` (with `key` and `params` identities bound) in a transaction, then `check` on
    /// the row with primary key `checked`; commits when one row was written and it passes.
    #[allow(clippy::too_many_arguments)]
    fn write(
        &self,
        write: &str,
        key: &[&str],
        params: u32,
        table: &TableGuards,
        check: &Condition,
        identity: &str,
        checked: &[&str],
    ) -> Outcome {
        let identities = vec![Some(identity); params as usize];
        let checking = format!("SELECT EXISTS ({})", self.guards.row_check(table, check));
        let check_identities = vec![Some(identity); check.params as usize];
        match &self.db {
            Db::Sqlite(conn) => {
                conn.execute_batch("BEGIN").expect("a transaction");
                let written = conn
                    .execute(write, params_from_iter(bound(key, &identities)))
                    .unwrap_or_else(|e| panic!("SQLite: {e}\n{write}"));
                let outcome = if written != 1 {
                    Outcome::Denied
                } else {
                    let ok: bool = conn
                        .query_row(
                            &checking,
                            params_from_iter(bound(checked, &check_identities)),
                            |row| row.get(0),
                        )
                        .unwrap_or_else(|e| panic!("SQLite: {e}\n{checking}"));
                    if ok { Outcome::Done } else { Outcome::Rejected }
                };
                let end = if outcome == Outcome::Done {
                    "COMMIT"
                } else {
                    "ROLLBACK"
                };
                conn.execute_batch(end).expect("the end of the transaction");
                outcome
            }
            Db::Maria(db) => {
                // The checked key gets its own variables (@n1, ...), after the written key's.
                let new_key: Vec<String> = checked
                    .iter()
                    .enumerate()
                    .map(|(i, k)| format!("SET @n{} = {};\n", i + 1, Dialect::Mysql.string(k)))
                    .collect();
                let check_using: Vec<String> = (1..=checked.len())
                    .map(|i| format!("@n{i}"))
                    .chain(check_identities.iter().map(|_| "@i".to_string()))
                    .collect();
                let script = format!(
                    "{}{}DELIMITER ;;\nBEGIN NOT ATOMIC\n  DECLARE written INT DEFAULT 0;\n  SET @ok = 0;\n  START TRANSACTION;\n  PREPARE w FROM {};\n  EXECUTE w{};\n  SET written = ROW_COUNT();\n  IF written = 1 THEN\n    PREPARE c FROM {};\n    EXECUTE c USING {};\n  END IF;\n  IF written = 1 AND @ok = 1 THEN COMMIT; ELSE ROLLBACK; END IF;\n  SELECT written, @ok;\nEND;;\nDELIMITER ;\n",
                    variables(key, Some(identity)),
                    new_key.concat(),
                    Dialect::Mysql.string(write),
                    using(key.len(), identities.len()),
                    Dialect::Mysql.string(&format!("{checking} INTO @ok")),
                    check_using.join(", ")
                );
                let out = db
                    .query(&script)
                    .unwrap_or_else(|e| panic!("MariaDB: {e}\n{script}"));
                match lines(&out).last().map(String::as_str) {
                    Some("1|1") => Outcome::Done,
                    Some("1|0") => Outcome::Rejected,
                    _ => Outcome::Denied,
                }
            }
        }
    }
}

/// Parameters: the key's values, then the identities (NULL for `None`).
fn bound(key: &[&str], identities: &[Option<&str>]) -> Vec<Value> {
    key.iter()
        .map(|k| Value::Text(k.to_string()))
        .chain(identities.iter().map(|i| match i {
            Some(i) => Value::Text(i.to_string()),
            None => Value::Null,
        }))
        .collect()
}

/// MariaDB: `SET @k1 = ...;` for the key and `SET @i = ...;` for the identity (NULL for `None`).
fn variables(key: &[&str], identity: Option<&str>) -> String {
    let mut out: String = key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("SET @k{} = {};\n", i + 1, Dialect::Mysql.string(k)))
        .collect();
    let identity = identity.map_or("NULL".to_string(), |i| Dialect::Mysql.string(i));
    out.push_str(&format!("SET @i = {identity};\n"));
    out
}

/// MariaDB: ` USING @k1, ..., @i, @i` (nothing when there is nothing to bind).
fn using(keys: usize, identities: usize) -> String {
    let names: Vec<String> = (1..=keys)
        .map(|i| format!("@k{i}"))
        .chain((0..identities).map(|_| "@i".to_string()))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" USING {}", names.join(", "))
    }
}

/// Lines of a client's output as a list (none for empty output).
pub fn lines(out: &str) -> Vec<String> {
    if out.is_empty() {
        Vec::new()
    } else {
        out.lines().map(str::to_string).collect()
    }
}
