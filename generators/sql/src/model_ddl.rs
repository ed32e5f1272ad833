//! One table's DDL, computed apart from the others: the per-model unit of work that the build
//! engine caches, and that `assemble` puts in order.

use forge_schemas::{Check, CheckKind, Expr, Ir, Key, Model, OnDelete};
use serde::{Deserialize, Serialize};

use crate::Dialect;
use crate::check::check_constraint;
use crate::column::column_line;
use crate::foreign_key::{ForeignKeyDdl, foreign_key_ddl};
use crate::index::index_lines;

/// The DDL of one table (a model's or a join table's), in pieces: `assemble` decides where each
/// foreign key goes and numbers the lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelDdl {
    pub dialect: Dialect,
    /// The model the table comes from (for a join table, the model that declares the relation).
    pub model: String,
    pub table: String,
    /// Inside `CREATE TABLE`, before the foreign keys: columns, primary key, unique keys.
    pub lines: Vec<DdlLine>,
    /// The foreign keys, declared inline or added after every table.
    pub foreign_keys: Vec<ForeignKeyDdl>,
    /// Inside `CREATE TABLE`, after the foreign keys: check constraints.
    pub checks: Vec<DdlLine>,
    /// Between the closing parenthesis and the `;` (MySQL's engine and character set).
    pub options: String,
    /// After the table: indexes, and comments on what the dialect cannot build.
    pub after: Vec<DdlLine>,
}

/// One line of DDL, without indentation or trailing comma, and the field it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DdlLine {
    pub sql: String,
    /// The field (or relation) of the model that the line comes from, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl DdlLine {
    pub(crate) fn new(sql: String, field: Option<&str>) -> DdlLine {
        DdlLine {
            sql,
            field: field.map(str::to_string),
        }
    }
}

/// The DDL of `model`'s table, from a slice of the IR that holds the model in full and every enum.
/// Other models in the slice may be stubs: only the model itself and `slice.enums` are read.
///
/// # Panics
/// When `model` is not in the slice, or the slice breaks the IR's invariants (an enum missing, a
/// check using more than its own columns): the front end never produces such an IR.
pub fn model_ddl(slice: &Ir, model: &str, dialect: Dialect) -> ModelDdl {
    let m = slice
        .model(model)
        .filter(|m| !m.stub)
        .unwrap_or_else(|| panic!("model `{model}` is not in the IR slice in full"));
    let enums = &slice.enums;
    let mut lines: Vec<DdlLine> = m
        .fields
        .iter()
        .map(|f| DdlLine::new(column_line(dialect, m, enums, f), Some(&f.name)))
        .collect();
    lines.push(key_line(dialect, "PRIMARY KEY", &m.primary_key));
    lines.extend(m.uniques.iter().map(|k| key_line(dialect, "UNIQUE", k)));
    let foreign_keys = m
        .foreign_keys
        .iter()
        .map(|fk| {
            let optional = fk
                .columns
                .iter()
                .any(|c| m.field(c).is_some_and(|f| f.optional));
            foreign_key_ddl(dialect, &m.table, fk, optional)
        })
        .collect();
    // MySQL and MariaDB refuse a CHECK on a column that a foreign key with a referential action
    // (CASCADE, SET NULL) writes to; such a check is left to the application there, and said so.
    let (kept, refused): (Vec<&Check>, Vec<&Check>) = m
        .checks
        .iter()
        .partition(|c| dialect != Dialect::Mysql || !touches_action_column(m, c));
    let checks = kept
        .into_iter()
        .map(|c| {
            let field = match &c.kind {
                CheckKind::Bounds { field, .. } => Some(field.as_str()),
                CheckKind::Expr { .. } => None,
            };
            DdlLine::new(check_constraint(dialect, m, enums, c), field)
        })
        .collect();
    let columns: Vec<(&str, &_)> = m.fields.iter().map(|f| (f.name.as_str(), &f.ty)).collect();
    let after: Vec<DdlLine> = m
        .indexes
        .iter()
        .flat_map(|index| {
            let field = single_column(&index.columns);
            index_lines(dialect, &m.table, &columns, enums, index)
                .into_iter()
                .map(move |sql| DdlLine::new(sql, field))
        })
        .collect();
    let after: Vec<DdlLine> = refused
        .into_iter()
        .map(|c| {
            DdlLine::new(
                format!(
                    "-- check {} is not declared: MySQL refuses a CHECK on a column that a foreign key's ON DELETE action writes",
                    dialect.ident(&c.name)
                ),
                None,
            )
        })
        .chain(after)
        .collect();
    ModelDdl {
        dialect,
        model: m.name.clone(),
        table: m.table.clone(),
        lines,
        foreign_keys,
        checks,
        options: table_options(dialect).to_string(),
        after,
    }
}

/// True when `check` reads a column that a foreign key with an ON DELETE action (cascade or set
/// null) writes to.
fn touches_action_column(model: &Model, check: &Check) -> bool {
    let mut columns = Vec::new();
    match &check.kind {
        CheckKind::Bounds { field, .. } => columns.push(field.as_str()),
        CheckKind::Expr { condition } => expr_columns(&condition.expr, &mut columns),
    }
    model
        .foreign_keys
        .iter()
        .filter(|fk| fk.on_delete != OnDelete::Restrict)
        .any(|fk| {
            let written: &[String] = if fk.set_null_columns.is_empty() {
                &fk.columns
            } else {
                &fk.set_null_columns
            };
            written.iter().any(|c| columns.contains(&c.as_str()))
        })
}

/// The record's columns an expression reads.
fn expr_columns<'a>(expr: &'a Expr, out: &mut Vec<&'a str>) {
    match expr {
        Expr::Field { field } => out.push(&field.field),
        Expr::Literal { .. } | Expr::User { .. } => {}
        Expr::Not { expr } => expr_columns(expr, out),
        Expr::And { exprs } | Expr::Or { exprs } => exprs.iter().for_each(|e| expr_columns(e, out)),
        Expr::Compare { left, right, .. }
        | Expr::ListIncludes {
            list: left,
            value: right,
        } => {
            expr_columns(left, out);
            expr_columns(right, out);
        }
        Expr::In { value, list } => {
            expr_columns(value, out);
            list.iter().for_each(|e| expr_columns(e, out));
        }
        Expr::RelationIncludes { value, .. } => expr_columns(value, out),
        Expr::Quantified { body, .. } => expr_columns(body, out),
    }
}

/// `CONSTRAINT "name" PRIMARY KEY (...)` or `... UNIQUE (...)`.
pub(crate) fn key_line(dialect: Dialect, kind: &str, key: &Key) -> DdlLine {
    let sql = format!(
        "CONSTRAINT {} {kind} ({})",
        dialect.ident(&key.name),
        dialect.ident_list(&key.columns)
    );
    DdlLine::new(sql, single_column(&key.columns))
}

/// The one column of a single-column key or index.
fn single_column(columns: &[String]) -> Option<&str> {
    match columns {
        [one] => Some(one),
        _ => None,
    }
}

/// MySQL tables are InnoDB (foreign keys, transactions) in utf8mb4 with the binary collation:
/// every character, case-sensitive equality and code-point order, as in the other dialects.
pub(crate) fn table_options(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Mysql => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
        Dialect::Postgres | Dialect::Sqlite => "",
    }
}

/// The model a fragment is for must be this one; used by `assemble` to trust a fragment.
pub(crate) fn fits(fragment: &ModelDdl, model: &Model, dialect: Dialect) -> bool {
    fragment.dialect == dialect && fragment.model == model.name && fragment.table == model.table
}
