//! MySQL, as MariaDB 10.11 runs it. MySQL commits every DDL statement, so each statement is a
//! block of its own. A column change is one `MODIFY COLUMN` with the column's whole definition
//! (type, NOT NULL, default, and the check that keeps it to its type), a rename one
//! `CHANGE COLUMN` (which renames that check too), an enum change a `MODIFY COLUMN` of every
//! column of the enum. Foreign keys of new tables are added after every table exists.

use forge_gen_sql::Dialect;
use forge_schemas::{CheckKind, ForeignKey, OnDelete, constraint_name};

use crate::operation::{ConstraintKind, Operation};
use crate::sql::script::{Block, Statement};
use crate::sql::{Context, reads_column};

const MY: Dialect = Dialect::Mysql;

pub(crate) fn render(cx: &Context<'_>) -> Vec<Block> {
    let mut statements = Vec::new();
    let mut deferred = Vec::new();
    let mut created: Vec<String> = Vec::new();
    let mut enums: Vec<(usize, &str)> = Vec::new();
    for (i, op) in cx.ops.iter().enumerate() {
        if op.stage().0 >= 10 {
            statements.extend(enum_columns(cx, &mut enums, &created));
        }
        let q = |n: &str| MY.ident(n);
        let one = |sql: String| vec![Statement::new(sql, Some(i))];
        let out = match op {
            Operation::CreateEnum { .. }
            | Operation::DropEnum { .. }
            | Operation::KeepEnumValues { .. } => Vec::new(),
            // Changed after every table and column has its final name (MySQL keeps an enum's
            // values in each of its columns).
            Operation::AddEnumValues { name, .. } | Operation::ReplaceEnumValues { name, .. } => {
                enums.push((i, name.as_str()));
                Vec::new()
            }
            Operation::CreateTable { table, .. } => {
                let ddl = cx.ddl(MY, table);
                let mut out = one(ddl.create_table(table, false));
                out.extend(
                    ddl.after_statements()
                        .into_iter()
                        .map(|(comments, sql)| Statement {
                            sql,
                            comments,
                            operation: Some(i),
                        }),
                );
                for fk in &ddl.ddl.foreign_keys {
                    for clause in &fk.clauses {
                        let sql = format!("ALTER TABLE {} ADD {clause};", q(table));
                        deferred.push(Statement::new(sql, Some(i)));
                    }
                }
                created.push(table.clone());
                out
            }
            Operation::DropTable { table, .. } => one(format!("DROP TABLE {};", q(table))),
            Operation::RenameTable { from, to }
            | Operation::DeprecateTable { table: from, to }
            | Operation::RestoreTable { table: from, to } => {
                one(format!("RENAME TABLE {} TO {};", q(from), q(to)))
            }
            Operation::AddColumn { table, column } => {
                let line = cx.ddl(MY, table).column_line(&column.name).to_string();
                one(format!("ALTER TABLE {} ADD COLUMN {line};", q(table)))
            }
            Operation::DropColumn { table, column } => one(format!(
                "ALTER TABLE {} DROP COLUMN {};",
                q(table),
                q(&column.name)
            )),
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
            } => {
                let line = cx.ddl(MY, table).column_line(to).to_string();
                one(format!(
                    "ALTER TABLE {} CHANGE COLUMN {} {line};",
                    q(table),
                    q(from)
                ))
            }
            Operation::AlterColumnType { table, column, .. }
            | Operation::SetNotNull { table, column }
            | Operation::DropNotNull { table, column }
            | Operation::SetDefault { table, column, .. }
            | Operation::DropDefault { table, column, .. } => {
                // One MODIFY with the final definition does a run of changes to one column.
                if cx.same_column_next(i) {
                    Vec::new()
                } else {
                    let line = cx.ddl(MY, table).column_line(column).to_string();
                    one(format!("ALTER TABLE {} MODIFY COLUMN {line};", q(table)))
                }
            }
            Operation::AddPrimaryKey { table, key } => one(format!(
                "ALTER TABLE {} ADD PRIMARY KEY ({});",
                q(table),
                MY.ident_list(&key.columns)
            )),
            Operation::DropPrimaryKey { table, .. } => {
                one(format!("ALTER TABLE {} DROP PRIMARY KEY;", q(table)))
            }
            Operation::AddUnique { table, key } => {
                let ddl = cx.ddl(MY, table);
                let line = ddl
                    .constraint_line(&key.name)
                    .expect("a unique key of the table");
                one(format!("ALTER TABLE {} ADD {line};", q(table)))
            }
            Operation::DropUnique { table, key } => one(format!(
                "ALTER TABLE {} DROP INDEX {};",
                q(table),
                q(&key.name)
            )),
            Operation::AddIndex { table, index } => {
                let lines = cx.ddl(MY, table).index_lines(index);
                with_comments(lines, i)
            }
            Operation::DropIndex { table, index } => one(format!(
                "DROP INDEX IF EXISTS {} ON {};",
                q(&index.name),
                q(table)
            )),
            Operation::AddForeignKey { table, foreign_key } => {
                add_foreign_key(cx, table, &foreign_key.name, i)
            }
            Operation::DropForeignKey { table, foreign_key } => {
                drop_foreign_key(table, foreign_key, i)
            }
            Operation::AddCheck { table, check } => add_check(cx, table, &check.name, i),
            Operation::DropCheck { table, check } => one(format!(
                "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {};",
                q(table),
                q(&check.name)
            )),
            Operation::RenameConstraint {
                table,
                kind,
                from,
                to,
            } => match kind {
                ConstraintKind::PrimaryKey => Vec::new(),
                ConstraintKind::Unique | ConstraintKind::Index if built(cx, table, to) => {
                    one(format!(
                        "ALTER TABLE {} RENAME INDEX {} TO {};",
                        q(table),
                        q(from),
                        q(to)
                    ))
                }
                ConstraintKind::Unique | ConstraintKind::Index => Vec::new(),
                // Foreign key names are global in MySQL: the keys under their new names (and
                // checks, alike) are added after every old name is gone.
                ConstraintKind::Check => {
                    deferred.extend(add_check(cx, table, to, i));
                    one(format!(
                        "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {};",
                        q(table),
                        q(from)
                    ))
                }
                ConstraintKind::ForeignKey => {
                    let old = ForeignKey {
                        name: from.clone(),
                        ..cx.table(table)
                            .foreign_keys
                            .iter()
                            .find(|f| &f.name == to)
                            .unwrap_or_else(|| panic!("foreign key {to} is not on table {table}"))
                            .clone()
                    };
                    deferred.extend(add_foreign_key(cx, table, to, i));
                    drop_foreign_key(table, &old, i)
                }
            },
        };
        statements.extend(out);
    }
    statements.extend(enum_columns(cx, &mut enums, &created));
    statements.extend(deferred);
    if statements.is_empty() {
        return Vec::new();
    }
    std::iter::once(Statement::new("SET NAMES utf8mb4;".to_string(), None))
        .chain(statements)
        .map(|s| Block {
            transaction: false,
            statements: vec![s],
        })
        .collect()
}

/// `MODIFY COLUMN` of every column of the enums in `pending` (taken), except in tables this
/// migration created with the final values.
fn enum_columns(
    cx: &Context<'_>,
    pending: &mut Vec<(usize, &str)>,
    created: &[String],
) -> Vec<Statement> {
    let mut out = Vec::new();
    for (i, name) in pending.drain(..) {
        let mut readers: Vec<(&str, &str)> = Vec::new();
        for (table, column) in cx.enum_columns(name) {
            if created.iter().any(|c| c == table) {
                continue;
            }
            let line = cx.ddl(MY, table).column_line(&column.name).to_string();
            let sql = format!("ALTER TABLE {} MODIFY COLUMN {line};", MY.ident(table));
            out.push(Statement::new(sql, Some(i)));
            // A check that orders the enum holds its values' ranks: it is written again over
            // the new values (unless this migration adds it anyway, or renames it, which adds it).
            for check in &cx.table(table).checks {
                let reads = match &check.kind {
                    CheckKind::Expr { condition } => reads_column(&condition.expr, &column.name),
                    CheckKind::Bounds { .. } => false,
                };
                let added = cx.ops.iter().any(|op| match op {
                    Operation::AddCheck { table: t, check: c } => {
                        t == table && c.name == check.name
                    }
                    Operation::RenameConstraint {
                        table: t,
                        kind: ConstraintKind::Check,
                        to,
                        ..
                    } => t == table && *to == check.name,
                    _ => false,
                });
                if reads && !added && !readers.contains(&(table, check.name.as_str())) {
                    readers.push((table, check.name.as_str()));
                }
            }
        }
        for (table, check) in readers {
            let sql = format!(
                "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {};",
                MY.ident(table),
                MY.ident(check)
            );
            out.push(Statement::new(sql, Some(i)));
            out.extend(add_check(cx, table, check, i));
        }
    }
    out
}

/// False for an index MySQL does not build (one on a JSON column): it has nothing to rename.
fn built(cx: &Context<'_>, table: &str, index: &str) -> bool {
    let ddl = cx.ddl(MY, table);
    match ddl.table.indexes.iter().find(|x| x.name == index) {
        Some(x) => ddl.index_lines(x).iter().any(|l| !l.starts_with("--")),
        None => true,
    }
}

fn add_foreign_key(cx: &Context<'_>, table: &str, name: &str, i: usize) -> Vec<Statement> {
    let ddl = cx.ddl(MY, table);
    ddl.foreign_key(name)
        .clauses
        .iter()
        .map(|clause| {
            Statement::new(
                format!("ALTER TABLE {} ADD {clause};", MY.ident(table)),
                Some(i),
            )
        })
        .collect()
}

/// Drops the key (both keys of a tenant-scoped set-null relation), and the index MySQL made for
/// it when no other index served.
fn drop_foreign_key(table: &str, fk: &ForeignKey, i: usize) -> Vec<Statement> {
    let mut names = vec![fk.name.clone()];
    let partial_set_null = fk.on_delete == OnDelete::SetNull
        && !fk.set_null_columns.is_empty()
        && fk.set_null_columns.len() < fk.columns.len();
    if partial_set_null {
        let parts: Vec<&str> = fk.set_null_columns.iter().map(String::as_str).collect();
        names.push(constraint_name(table, &parts, "fkey"));
    }
    names
        .iter()
        .map(|n| {
            let sql = format!(
                "ALTER TABLE {} DROP FOREIGN KEY {n}, DROP INDEX IF EXISTS {n};",
                MY.ident(table),
                n = MY.ident(n)
            );
            Statement::new(sql, Some(i))
        })
        .collect()
}

/// A check, or the generator's comment when MySQL refuses it.
fn add_check(cx: &Context<'_>, table: &str, name: &str, i: usize) -> Vec<Statement> {
    let ddl = cx.ddl(MY, table);
    match ddl.constraint_line(name) {
        Some(line) => vec![Statement::new(
            format!("ALTER TABLE {} ADD {line};", MY.ident(table)),
            Some(i),
        )],
        None => {
            let comments = ddl
                .ddl
                .after
                .iter()
                .filter(|l| l.sql.starts_with("--") && l.sql.contains(&MY.ident(name)))
                .map(|l| l.sql.clone())
                .collect();
            vec![Statement {
                sql: String::new(),
                comments,
                operation: Some(i),
            }]
        }
    }
}

fn with_comments(lines: Vec<String>, i: usize) -> Vec<Statement> {
    let (comments, statements): (Vec<String>, Vec<String>) =
        lines.into_iter().partition(|l| l.starts_with("--"));
    if statements.is_empty() {
        return vec![Statement {
            sql: String::new(),
            comments,
            operation: Some(i),
        }];
    }
    statements
        .into_iter()
        .map(|sql| Statement {
            sql,
            comments: comments.clone(),
            operation: Some(i),
        })
        .collect()
}
