//! Foreign keys, including the tenant-scoped key whose `on-delete=set-null` may null only the
//! relation's own column, never the tenant column.
//!
//! PostgreSQL 15 says that directly: `ON DELETE SET NULL ("author_id")`. SQLite and MySQL cannot
//! name the columns, so there the relation gets two keys, both tested on the real databases:
//! the IR's key over (tenant, author) with `ON DELETE NO ACTION`, which keeps a row from pointing
//! into another tenant, and a key over the author column alone with `ON DELETE SET NULL`, which
//! nulls only that column when the parent goes. The (tenant, NULL) row that results passes the
//! first key, since a key with a null column is not checked (MATCH SIMPLE).

use forge_schemas::{ForeignKey, OnDelete, constraint_name};
use serde::{Deserialize, Serialize};

use crate::Dialect;

/// A foreign key of a table, kept apart from the table's other lines so that `assemble` can
/// declare it inline or, when it points at a table created later, add it after every table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKeyDdl {
    /// The constraint's name in the IR.
    pub name: String,
    /// The relation the key implements.
    pub relation: String,
    /// The referenced table.
    pub target_table: String,
    /// True when the key's columns may be null: only such keys may close a cycle of tables.
    pub optional: bool,
    /// The table constraints, `CONSTRAINT "x" FOREIGN KEY (...) REFERENCES ...`: one, or two for
    /// a tenant-scoped set-null key outside PostgreSQL.
    pub clauses: Vec<String>,
}

/// The DDL of `fk`, a key of `table`. `optional` says whether its columns may be null.
pub(crate) fn foreign_key_ddl(
    dialect: Dialect,
    table: &str,
    fk: &ForeignKey,
    optional: bool,
) -> ForeignKeyDdl {
    let partial_set_null = fk.on_delete == OnDelete::SetNull
        && !fk.set_null_columns.is_empty()
        && fk.set_null_columns.len() < fk.columns.len();
    let clauses = if !partial_set_null {
        vec![clause(
            dialect,
            &fk.name,
            &fk.columns,
            &fk.target_table,
            &fk.target_columns,
            action(fk.on_delete),
        )]
    } else if dialect == Dialect::Postgres {
        let action = format!("SET NULL ({})", dialect.ident_list(&fk.set_null_columns));
        vec![clause(
            dialect,
            &fk.name,
            &fk.columns,
            &fk.target_table,
            &fk.target_columns,
            &action,
        )]
    } else {
        let targets: Vec<String> = fk
            .set_null_columns
            .iter()
            .map(|c| {
                let i = fk.columns.iter().position(|k| k == c).unwrap_or_else(|| {
                    panic!(
                        "set-null column `{c}` is not a column of foreign key {}",
                        fk.name
                    )
                });
                fk.target_columns[i].clone()
            })
            .collect();
        let parts: Vec<&str> = fk.set_null_columns.iter().map(String::as_str).collect();
        let nulling = constraint_name(table, &parts, "fkey");
        vec![
            clause(
                dialect,
                &fk.name,
                &fk.columns,
                &fk.target_table,
                &fk.target_columns,
                "NO ACTION",
            ),
            clause(
                dialect,
                &nulling,
                &fk.set_null_columns,
                &fk.target_table,
                &targets,
                "SET NULL",
            ),
        ]
    };
    ForeignKeyDdl {
        name: fk.name.clone(),
        relation: fk.relation.clone(),
        target_table: fk.target_table.clone(),
        optional,
        clauses,
    }
}

fn action(on_delete: OnDelete) -> &'static str {
    match on_delete {
        OnDelete::Restrict => "RESTRICT",
        OnDelete::Cascade => "CASCADE",
        OnDelete::SetNull => "SET NULL",
    }
}

fn clause(
    dialect: Dialect,
    name: &str,
    columns: &[String],
    target_table: &str,
    target_columns: &[String],
    on_delete: &str,
) -> String {
    format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {on_delete}",
        dialect.ident(name),
        dialect.ident_list(columns),
        dialect.ident(target_table),
        dialect.ident_list(target_columns),
    )
}
