//! Running the conditions on SQLite (feature `sqlite`): does one row, as the table holds it now
//! (or as a write is about to make it), pass an action's condition for an identity? For tests,
//! and for differential testing against PostgreSQL's row-level security and the TypeScript
//! guards.

use forge_schemas::Action;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use crate::format::{Condition, Guards};

/// True when the row of `table` (a model's or a join table's name) whose primary key is `key`
/// passes the condition of `action` on a stored row, for `identity` (the identity JSON; any text,
/// anonymous when it is not a JSON object): read, update and delete their `filter` (update's is
/// the check before the write), create its `check` (the row as inserted). False when no such row
/// exists.
///
/// # Panics
/// When `guards` has no table called `table`, or they are not SQLite's.
pub fn allows(
    conn: &Connection,
    guards: &Guards,
    table: &str,
    action: Action,
    identity: &str,
    key: &[Value],
) -> rusqlite::Result<bool> {
    let entry = action_of(guards, table, action);
    passes(conn, guards, table, entry.stored(), identity, key)
}

/// True when the written row of `table` whose primary key is `key` passes `action`'s `check`
/// (create: the inserted row; update: the row after the update), for `identity`. Run it inside
/// the transaction that wrote the row, and roll back when it is false.
///
/// # Panics
/// When `guards` has no table called `table`, they are not SQLite's, or `action` has no check
/// (read, delete).
pub fn passes_check(
    conn: &Connection,
    guards: &Guards,
    table: &str,
    action: Action,
    identity: &str,
    key: &[Value],
) -> rusqlite::Result<bool> {
    let entry = action_of(guards, table, action);
    let check = entry
        .check
        .as_ref()
        .unwrap_or_else(|| panic!("{} has no check", action.as_str()));
    passes(conn, guards, table, check, identity, key)
}

/// True when the row `values` (column, value as the table will hold it) that a write is about to
/// make in `table` passes what `action` asks of a written row: create's and update's `check`, or
/// read's `filter` (a row a service returns must be readable). Run it before the write, in the
/// transaction that will make it: what the condition reaches through relations is read as the
/// database holds it then, as PostgreSQL's `WITH CHECK` sees it.
///
/// # Panics
/// When `guards` has no table called `table`, they are not SQLite's, or `action` is delete.
pub fn passes_as_written(
    conn: &Connection,
    guards: &Guards,
    table: &str,
    action: Action,
    identity: &str,
    values: &[(String, Value)],
) -> rusqlite::Result<bool> {
    let entry = action_of(guards, table, action);
    let condition = match action {
        Action::Read => entry.filter.as_ref(),
        _ => entry.check.as_ref(),
    }
    .unwrap_or_else(|| panic!("{} asks nothing of a written row", action.as_str()));
    let columns: Vec<String> = values.iter().map(|(c, _)| c.clone()).collect();
    let sql = format!(
        "SELECT EXISTS ({})",
        guards.values_check(&columns, condition)
    );
    let identity =
        std::iter::repeat_n(Value::Text(identity.to_string()), condition.params as usize);
    let params: Vec<Value> = values
        .iter()
        .map(|(_, v)| v.clone())
        .chain(identity)
        .collect();
    conn.query_row(&sql, params_from_iter(params), |row| row.get(0))
}

fn action_of<'g>(guards: &'g Guards, table: &str, action: Action) -> &'g crate::ActionGuard {
    assert_eq!(
        guards.dialect,
        forge_gen_sql::Dialect::Sqlite,
        "these guards are for {}",
        guards.dialect
    );
    let entry = guards
        .table(table)
        .unwrap_or_else(|| panic!("no table called `{table}` in the guards"));
    match action {
        Action::Read => &entry.read,
        Action::Create => &entry.create,
        Action::Update => &entry.update,
        Action::Delete => &entry.delete,
        Action::All => panic!("`all` is not an action a row is checked for"),
    }
}

/// Runs [`Guards::row_check`] with the key, then the identity once per placeholder.
fn passes(
    conn: &Connection,
    guards: &Guards,
    table: &str,
    condition: &Condition,
    identity: &str,
    key: &[Value],
) -> rusqlite::Result<bool> {
    let entry = guards.table(table).expect("checked by action_of");
    let sql = format!("SELECT EXISTS ({})", guards.row_check(entry, condition));
    let identity =
        std::iter::repeat_n(Value::Text(identity.to_string()), condition.params as usize);
    let params: Vec<Value> = key.iter().cloned().chain(identity).collect();
    conn.query_row(&sql, params_from_iter(params), |row| row.get(0))
}
