//! The SQL of a list of operations, per dialect.
//!
//! Every writer reads operations in order with the snapshots before (`from`) and after (`to`)
//! them; an operation of a stage after renames finds its table in `to`. Column, key, check,
//! foreign-key and index SQL is forge-gen-sql's own, through [`ddl::TableDdl`].

mod ddl;
mod mysql;
mod postgres;
mod script;
mod sqlite;

use forge_gen_sql::Dialect;
use forge_schemas::{Enum, Expr, FieldType};

pub use script::{Block, Script, Statement};

use crate::operation::Operation;
use crate::snapshot::{DbColumn, DbSchema, DbTable};
use ddl::TableDdl;

/// The SQL of `operations`, which lead from `from` to `to`, in `dialect`.
pub fn render(
    dialect: Dialect,
    operations: &[Operation],
    from: &DbSchema,
    to: &DbSchema,
) -> Script {
    let cx = Context {
        ops: operations,
        from,
        to,
        enums: to.ir_enums(),
    };
    let blocks = match dialect {
        Dialect::Postgres => postgres::render(&cx),
        Dialect::Sqlite => sqlite::render(&cx),
        Dialect::Mysql => mysql::render(&cx),
    };
    Script { dialect, blocks }
}

/// What every writer reads.
pub(crate) struct Context<'a> {
    pub ops: &'a [Operation],
    pub from: &'a DbSchema,
    pub to: &'a DbSchema,
    /// `to`'s enums, as the SQL generator takes them.
    pub enums: Vec<Enum>,
}

impl<'a> Context<'a> {
    /// Table `name` after the migration.
    pub fn table(&self, name: &str) -> &'a DbTable {
        self.to
            .tables
            .get(name)
            .unwrap_or_else(|| panic!("table {name} is not in the snapshot after the migration"))
    }

    /// The DDL of table `name` after the migration.
    pub fn ddl(&'a self, dialect: Dialect, name: &'a str) -> TableDdl<'a> {
        TableDdl::new(dialect, name, self.table(name), &self.enums)
    }

    /// Every (table, column) of `to` whose type is the enum `name`.
    pub fn enum_columns(&self, name: &str) -> Vec<(&'a str, &'a DbColumn)> {
        self.to
            .tables
            .iter()
            .flat_map(|(t, table)| {
                table
                    .columns
                    .iter()
                    .filter(|c| matches!(&c.ty, FieldType::Enum { name: e } if e == name))
                    .map(move |c| (t.as_str(), c))
            })
            .collect()
    }

    /// True when operation `i` is followed by another change to the same column.
    pub fn same_column_next(&self, i: usize) -> bool {
        let key = |op: &Operation| column_change(op).map(|(t, c)| (t.to_string(), c.to_string()));
        match (
            self.ops.get(i).and_then(key),
            self.ops.get(i + 1).and_then(key),
        ) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// The (table, column) of an operation that changes a column in place.
fn column_change(op: &Operation) -> Option<(&str, &str)> {
    match op {
        Operation::AlterColumnType { table, column, .. }
        | Operation::SetNotNull { table, column }
        | Operation::DropNotNull { table, column }
        | Operation::SetDefault { table, column, .. }
        | Operation::DropDefault { table, column, .. } => Some((table, column)),
        _ => None,
    }
}

/// True when `expr` reads the record's column `column`.
pub(crate) fn reads_column(expr: &Expr, column: &str) -> bool {
    match expr {
        Expr::Field { field } => field.hops.is_empty() && field.field == column,
        Expr::Literal { .. } | Expr::User { .. } => false,
        Expr::Not { expr } => reads_column(expr, column),
        Expr::And { exprs } | Expr::Or { exprs } => exprs.iter().any(|e| reads_column(e, column)),
        Expr::Compare { left, right, .. }
        | Expr::ListIncludes {
            list: left,
            value: right,
        } => reads_column(left, column) || reads_column(right, column),
        Expr::In { value, list } => {
            reads_column(value, column) || list.iter().any(|e| reads_column(e, column))
        }
        Expr::RelationIncludes { value, .. } => reads_column(value, column),
        Expr::Quantified { body, .. } => reads_column(body, column),
    }
}
