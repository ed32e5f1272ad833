//! SQLite. Its ALTER TABLE renames tables and columns and adds simple columns; anything else on a
//! table (a constraint, a type, nullability, a default, a dropped column) is done by rebuilding
//! the table once, after every other change, with its final definition:
//!
//! ```sql
//! CREATE TABLE "_forge_new_t" (...);                    -- the final definition
//! INSERT INTO "_forge_new_t" (...) SELECT ... FROM "t";  -- the rows, every column both have
//! DROP TABLE "t";
//! ALTER TABLE "_forge_new_t" RENAME TO "t";
//! CREATE INDEX ...;
//! ```
//!
//! The whole migration runs in one transaction with foreign keys off (SQLite ignores
//! `PRAGMA foreign_keys` inside a transaction, so it is set before and after), and ends with a
//! statement that fails when `PRAGMA foreign_key_check` finds a row pointing nowhere.

use std::collections::{BTreeMap, BTreeSet};

use forge_gen_sql::Dialect;
use forge_schemas::DefaultValue;

use crate::operation::{ConstraintKind, Operation};
use crate::snapshot::DbColumn;
use crate::sql::Context;
use crate::sql::script::{Block, Statement};

const LITE: Dialect = Dialect::Sqlite;

/// Prefix of the table a rebuild fills before it takes the old table's name.
const NEW_TABLE_PREFIX: &str = "_forge_new_";

pub(crate) fn render(cx: &Context<'_>) -> Vec<Block> {
    let final_names = final_names(cx.ops);
    let created: BTreeSet<&str> = cx
        .ops
        .iter()
        .zip(&final_names)
        .filter(|(op, _)| matches!(op, Operation::CreateTable { .. }))
        .map(|(_, name)| name.as_str())
        .collect();
    let mut rebuilt: BTreeSet<&str> = BTreeSet::new();
    for (op, name) in cx.ops.iter().zip(&final_names) {
        let tables: Vec<&str> = match op {
            Operation::AddEnumValues { name, .. } | Operation::ReplaceEnumValues { name, .. } => {
                cx.enum_columns(name).into_iter().map(|(t, _)| t).collect()
            }
            _ if needs_rebuild(op) => vec![name.as_str()],
            _ => Vec::new(),
        };
        rebuilt.extend(
            tables
                .into_iter()
                .filter(|t| cx.to.tables.contains_key(*t) && !created.contains(t)),
        );
    }

    let mut statements = Vec::new();
    for (i, (op, name)) in cx.ops.iter().zip(&final_names).enumerate() {
        if rebuilt.contains(name.as_str()) && folds(op) {
            continue;
        }
        statements.extend(operation(cx, op, i));
    }
    for table in &rebuilt {
        statements.extend(rebuild(cx, table));
    }
    if statements.is_empty() {
        return Vec::new();
    }
    statements.extend(foreign_key_check());
    let alone = |sql: &str| Block {
        transaction: false,
        statements: vec![Statement::new(sql.to_string(), None)],
    };
    vec![
        alone("PRAGMA foreign_keys = OFF;"),
        Block {
            transaction: true,
            statements,
        },
        alone("PRAGMA foreign_keys = ON;"),
    ]
}

/// True when SQLite's ALTER TABLE cannot do `op`: the table is rebuilt instead.
fn needs_rebuild(op: &Operation) -> bool {
    match op {
        Operation::AddColumn { column, .. } => !simple_column(column),
        Operation::DropColumn { .. }
        | Operation::AlterColumnType { .. }
        | Operation::SetNotNull { .. }
        | Operation::DropNotNull { .. }
        | Operation::SetDefault { .. }
        | Operation::DropDefault { .. }
        | Operation::AddPrimaryKey { .. }
        | Operation::DropPrimaryKey { .. }
        | Operation::AddUnique { .. }
        | Operation::DropUnique { .. }
        | Operation::AddForeignKey { .. }
        | Operation::DropForeignKey { .. }
        | Operation::AddCheck { .. }
        | Operation::DropCheck { .. } => true,
        _ => false,
    }
}

/// True when a rebuild of the operation's table does its work: everything but renames (which
/// other tables' foreign keys must follow) and what involves other tables.
fn folds(op: &Operation) -> bool {
    needs_rebuild(op)
        || matches!(
            op,
            Operation::AddColumn { .. }
                | Operation::AddIndex { .. }
                | Operation::DropIndex { .. }
                | Operation::RenameConstraint { .. }
        )
}

/// `ALTER TABLE ADD COLUMN` takes a column that is nullable without a default, or has a constant
/// default; not one that is required without a default or whose default is computed.
fn simple_column(column: &DbColumn) -> bool {
    match &column.default {
        None => column.nullable,
        Some(DefaultValue::Value { .. }) => true,
        Some(DefaultValue::Now | DefaultValue::Uuid) => false,
    }
}

/// The name each operation's table has at the end of the migration.
fn final_names(ops: &[Operation]) -> Vec<String> {
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut out = vec![String::new(); ops.len()];
    for (i, op) in ops.iter().enumerate().rev() {
        if let Some((from, to)) = table_rename(op) {
            let last = renamed.get(to).cloned().unwrap_or_else(|| to.to_string());
            renamed.insert(from.to_string(), last);
        }
        let table = op.table().unwrap_or_default();
        out[i] = renamed
            .get(table)
            .cloned()
            .unwrap_or_else(|| table.to_string());
    }
    out
}

fn table_rename(op: &Operation) -> Option<(&str, &str)> {
    match op {
        Operation::RenameTable { from, to }
        | Operation::DeprecateTable { table: from, to }
        | Operation::RestoreTable { table: from, to } => Some((from, to)),
        _ => None,
    }
}

fn operation(cx: &Context<'_>, op: &Operation, i: usize) -> Vec<Statement> {
    let q = |n: &str| LITE.ident(n);
    let one = |sql: String| vec![Statement::new(sql, Some(i))];
    match op {
        Operation::CreateTable { table, .. } => {
            let ddl = cx.ddl(LITE, table);
            let mut out = one(ddl.create_table(table, true));
            out.extend(commented(ddl.after_statements(), i));
            out
        }
        Operation::DropTable { table, .. } => one(format!("DROP TABLE {};", q(table))),
        Operation::RenameTable { from, to }
        | Operation::DeprecateTable { table: from, to }
        | Operation::RestoreTable { table: from, to } => {
            one(format!("ALTER TABLE {} RENAME TO {};", q(from), q(to)))
        }
        Operation::RenameColumn { table, from, to }
        | Operation::DeprecateColumn {
            table,
            column: from,
            to,
        }
        | Operation::RestoreColumn {
            table,
            column: from,
            to,
        } => one(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {};",
            q(table),
            q(from),
            q(to)
        )),
        Operation::AddColumn { table, column } => {
            let ddl = cx.ddl(LITE, table);
            let line = ddl.column_line(&column.name);
            one(format!("ALTER TABLE {} ADD COLUMN {line};", q(table)))
        }
        Operation::AddIndex { table, index } => {
            let lines = cx.ddl(LITE, table).index_lines(index);
            index_statements(lines, i)
        }
        Operation::DropIndex { index, .. } => one(format!("DROP INDEX {};", q(&index.name))),
        Operation::RenameConstraint {
            table,
            kind: ConstraintKind::Index,
            from,
            to,
        } => {
            // Through a temporary name when two indexes swap theirs: the index is built once it
            // has its final name.
            let ddl = cx.ddl(LITE, table);
            let mut out = one(format!("DROP INDEX IF EXISTS {};", q(from)));
            if let Some(index) = ddl.table.indexes.iter().find(|x| &x.name == to) {
                out.extend(index_statements(ddl.index_lines(index), i));
            }
            out
        }
        // Constraint names live in the table's text; enums in column checks, rebuilt above.
        _ => Vec::new(),
    }
}

/// Rebuilds `table` with its final definition, keeping every row.
fn rebuild(cx: &Context<'_>, table: &str) -> Vec<Statement> {
    let q = |n: &str| LITE.ident(n);
    let live = live_columns(cx, table);
    let ddl = cx.ddl(LITE, table);
    let temporary = crate::deprecate::fit(format!("{NEW_TABLE_PREFIX}{table}"));
    let copied: Vec<String> = ddl
        .table
        .columns
        .iter()
        .filter(|c| live.contains(&c.name))
        .map(|c| q(&c.name))
        .collect();
    let copied = copied.join(", ");
    let mut out = vec![
        Statement {
            sql: ddl.create_table(&temporary, true),
            comments: vec![format!(
                "-- rebuild of {}: SQLite's ALTER TABLE cannot make these changes",
                q(table)
            )],
            operation: None,
        },
        Statement::new(
            format!(
                "INSERT INTO {} ({copied}) SELECT {copied} FROM {};",
                q(&temporary),
                q(table)
            ),
            None,
        ),
        Statement::new(format!("DROP TABLE {};", q(table)), None),
        Statement::new(
            format!("ALTER TABLE {} RENAME TO {};", q(&temporary), q(table)),
            None,
        ),
    ];
    for (comments, sql) in ddl.after_statements() {
        out.push(Statement {
            sql,
            comments,
            operation: None,
        });
    }
    out
}

/// The columns `table` (by its final name) has when its rebuild starts: its columns before the
/// migration, after the renames that ran.
fn live_columns(cx: &Context<'_>, table: &str) -> BTreeSet<String> {
    let mut name = table.to_string();
    for op in cx.ops.iter().rev() {
        if let Some((from, to)) = table_rename(op)
            && to == name
        {
            name = from.to_string();
        }
    }
    let mut columns: BTreeSet<String> = cx
        .from
        .tables
        .get(&name)
        .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    for op in cx.ops {
        if let Some((from, to)) = table_rename(op)
            && from == name
        {
            name = to.to_string();
        }
        match op {
            Operation::RenameColumn { table, from, to }
            | Operation::DeprecateColumn {
                table,
                column: from,
                to,
            }
            | Operation::RestoreColumn {
                table,
                column: from,
                to,
            } if *table == name => {
                columns.remove(from);
                columns.insert(to.clone());
            }
            _ => {}
        }
    }
    columns
}

fn commented(statements: Vec<(Vec<String>, String)>, i: usize) -> Vec<Statement> {
    statements
        .into_iter()
        .map(|(comments, sql)| Statement {
            sql,
            comments,
            operation: Some(i),
        })
        .collect()
}

fn index_statements(lines: Vec<String>, i: usize) -> Vec<Statement> {
    let (comments, statements): (Vec<String>, Vec<String>) =
        lines.into_iter().partition(|l| l.starts_with("--"));
    statements
        .into_iter()
        .map(|sql| Statement {
            sql,
            comments: comments.clone(),
            operation: Some(i),
        })
        .collect()
}

/// Fails the transaction when a row points at no row: the count of `foreign_key_check`'s rows must
/// be 0 to pass a check constraint.
fn foreign_key_check() -> Vec<Statement> {
    let table = LITE.ident("_forge_foreign_key_check");
    [
        format!(
            "CREATE TEMP TABLE {table} (violations INTEGER NOT NULL CONSTRAINT {} CHECK (violations = 0));",
            LITE.ident("every foreign key holds")
        ),
        format!("INSERT INTO {table} SELECT count(*) FROM pragma_foreign_key_check;"),
        format!("DROP TABLE {table};"),
    ]
    .into_iter()
    .map(|sql| Statement::new(sql, None))
    .collect()
}
