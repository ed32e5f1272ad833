//! PostgreSQL, lock-safe by default.
//!
//! Statements go in five phases, in this order, each keeping the operations' order:
//!
//! 1. alone: `SET lock_timeout`, `ALTER TYPE ... ADD VALUE`, `DROP INDEX CONCURRENTLY`;
//! 2. one transaction: everything else, with checks and NOT NULL checks added `NOT VALID`;
//! 3. alone: `CREATE [UNIQUE] INDEX CONCURRENTLY` on tables that existed before;
//! 4. one transaction: unique and primary keys `USING INDEX`, foreign keys (`NOT VALID` on tables
//!    that existed before);
//! 5. one transaction: `VALIDATE CONSTRAINT`, then `SET NOT NULL` and the NOT NULL check dropped.
//!
//! A constraint validated in its own transaction scans the table under a lock that lets reads and
//! writes go on; a table created by the migration is empty and gets plain statements.

use std::collections::BTreeSet;

use forge_gen_sql::Dialect;
use forge_schemas::{CheckKind, DefaultValue, FieldType, Literal, constraint_name};

use crate::deprecate::fit;
use crate::operation::{ConstraintKind, Operation};
use crate::snapshot::DbColumn;
use crate::sql::ddl::TableDdl;
use crate::sql::script::{Block, Statement};
use crate::sql::{Context, reads_column};

const PG: Dialect = Dialect::Postgres;

/// How long a statement waits for a lock before the migration fails instead of queueing every
/// query behind it.
pub(crate) const LOCK_TIMEOUT: &str = "5s";

#[derive(Clone, Copy)]
enum Phase {
    Before = 0,
    Main = 1,
    Concurrent = 2,
    Keys = 3,
    Validate = 4,
}

struct Writer<'c, 'a> {
    cx: &'c Context<'a>,
    phases: [Vec<Statement>; 5],
    /// Tables created by this migration (under their current names).
    created: BTreeSet<String>,
    op: usize,
}

pub(crate) fn render(cx: &Context<'_>) -> Vec<Block> {
    let mut w = Writer {
        cx,
        phases: Default::default(),
        created: BTreeSet::new(),
        op: 0,
    };
    for (i, op) in cx.ops.iter().enumerate() {
        w.op = i;
        w.operation(op);
    }
    let mut blocks = Vec::new();
    if w.phases.iter().any(|p| !p.is_empty()) {
        blocks.push(Block {
            transaction: false,
            statements: vec![Statement::new(
                format!("SET lock_timeout = '{LOCK_TIMEOUT}';"),
                None,
            )],
        });
    }
    let [before, main, concurrent, keys, validate] = w.phases;
    for s in before {
        blocks.push(Block {
            transaction: false,
            statements: vec![s],
        });
    }
    if !main.is_empty() {
        blocks.push(Block {
            transaction: true,
            statements: main,
        });
    }
    for s in concurrent {
        blocks.push(Block {
            transaction: false,
            statements: vec![s],
        });
    }
    for phase in [keys, validate] {
        if !phase.is_empty() {
            blocks.push(Block {
                transaction: true,
                statements: phase,
            });
        }
    }
    blocks
}

impl Writer<'_, '_> {
    fn push(&mut self, phase: Phase, sql: String) {
        self.phases[phase as usize].push(Statement::new(sql, Some(self.op)));
    }

    fn push_commented(&mut self, phase: Phase, comments: Vec<String>, sql: String) {
        self.phases[phase as usize].push(Statement {
            sql,
            comments,
            operation: Some(self.op),
        });
    }

    fn alter(&mut self, phase: Phase, table: &str, rest: &str) {
        self.push(phase, format!("ALTER TABLE {} {rest};", PG.ident(table)));
    }

    fn operation(&mut self, op: &Operation) {
        let q = |n: &str| PG.ident(n);
        match op {
            Operation::CreateEnum { def, .. } => {
                let values: Vec<String> = def.values.iter().map(|v| PG.string(v)).collect();
                let sql = format!(
                    "CREATE TYPE {} AS ENUM ({});",
                    q(&def.sql_name),
                    values.join(", ")
                );
                self.push(Phase::Main, sql);
            }
            Operation::DropEnum { def, .. } => {
                self.push(Phase::Main, format!("DROP TYPE {};", q(&def.sql_name)));
            }
            Operation::AddEnumValues { name, from, to } => self.add_enum_values(name, from, to),
            Operation::ReplaceEnumValues { name, to, .. } => self.replace_enum(name, to),
            Operation::KeepEnumValues { .. } => {}
            Operation::CreateTable { table, .. } => self.create_table(table),
            Operation::DropTable { table, .. } => {
                self.push(Phase::Main, format!("DROP TABLE {};", q(table)));
            }
            Operation::RenameTable { from, to }
            | Operation::DeprecateTable {
                table: from, to, ..
            }
            | Operation::RestoreTable {
                table: from, to, ..
            } => {
                if self.created.remove(from) {
                    self.created.insert(to.clone());
                }
                self.alter(Phase::Main, from, &format!("RENAME TO {}", q(to)));
            }
            Operation::AddColumn { table, column } => {
                let ddl = self.cx.ddl(PG, table);
                let line = ddl.column_line(&column.name).to_string();
                self.alter(Phase::Main, table, &format!("ADD COLUMN {line}"));
            }
            Operation::DropColumn { table, column } => {
                self.alter(
                    Phase::Main,
                    table,
                    &format!("DROP COLUMN {}", q(&column.name)),
                );
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
            } => {
                let rest = format!("RENAME COLUMN {} TO {}", q(from), q(to));
                self.alter(Phase::Main, table, &rest);
            }
            Operation::AlterColumnType {
                table,
                column,
                from,
                to,
            } => self.alter_type(table, column, from, to),
            Operation::SetNotNull { table, column } => self.set_not_null(table, column),
            Operation::DropNotNull { table, column } => {
                let rest = format!("ALTER COLUMN {} DROP NOT NULL", q(column));
                self.alter(Phase::Main, table, &rest);
            }
            Operation::SetDefault { table, column, .. } => {
                let default = self
                    .cx
                    .ddl(PG, table)
                    .default_sql(column)
                    .expect("a column whose default is set has one after the migration");
                let rest = format!("ALTER COLUMN {} SET DEFAULT {default}", q(column));
                self.alter(Phase::Main, table, &rest);
            }
            Operation::DropDefault { table, column, .. } => {
                let rest = format!("ALTER COLUMN {} DROP DEFAULT", q(column));
                self.alter(Phase::Main, table, &rest);
            }
            Operation::AddPrimaryKey { table, key } => {
                self.add_key(table, &key.name, &key.columns, "PRIMARY KEY")
            }
            Operation::AddUnique { table, key } => {
                self.add_key(table, &key.name, &key.columns, "UNIQUE")
            }
            Operation::DropPrimaryKey { table, key } | Operation::DropUnique { table, key } => {
                self.alter(
                    Phase::Main,
                    table,
                    &format!("DROP CONSTRAINT {}", q(&key.name)),
                );
            }
            Operation::AddIndex { table, index } => {
                let lines = self.cx.ddl(PG, table).index_lines(index);
                let concurrent = !self.created.contains(table);
                self.index(lines, concurrent);
            }
            Operation::DropIndex { index, .. } => {
                let sql = format!("DROP INDEX CONCURRENTLY {};", q(&index.name));
                self.push(Phase::Before, sql);
            }
            Operation::AddForeignKey { table, foreign_key } => {
                let clauses = self
                    .cx
                    .ddl(PG, table)
                    .foreign_key(&foreign_key.name)
                    .clauses
                    .clone();
                let existing = !self.created.contains(table);
                for clause in clauses {
                    let valid = if existing { " NOT VALID" } else { "" };
                    self.alter(Phase::Keys, table, &format!("ADD {clause}{valid}"));
                }
                if existing {
                    let rest = format!("VALIDATE CONSTRAINT {}", q(&foreign_key.name));
                    self.alter(Phase::Validate, table, &rest);
                }
            }
            Operation::DropForeignKey { table, foreign_key } => {
                let rest = format!("DROP CONSTRAINT {}", q(&foreign_key.name));
                self.alter(Phase::Main, table, &rest);
            }
            Operation::AddCheck { table, check } => {
                let ddl = self.cx.ddl(PG, table);
                let line = ddl
                    .constraint_line(&check.name)
                    .expect("PostgreSQL declares every check")
                    .to_string();
                if self.created.contains(table) {
                    self.alter(Phase::Main, table, &format!("ADD {line}"));
                } else {
                    self.alter(Phase::Main, table, &format!("ADD {line} NOT VALID"));
                    let rest = format!("VALIDATE CONSTRAINT {}", q(&check.name));
                    self.alter(Phase::Validate, table, &rest);
                }
            }
            Operation::DropCheck { table, check } => {
                self.alter(
                    Phase::Main,
                    table,
                    &format!("DROP CONSTRAINT {}", q(&check.name)),
                );
            }
            Operation::RenameConstraint {
                table,
                kind,
                from,
                to,
            } => {
                if *kind == ConstraintKind::Index {
                    let sql = format!("ALTER INDEX {} RENAME TO {};", q(from), q(to));
                    self.push(Phase::Main, sql);
                } else {
                    let rest = format!("RENAME CONSTRAINT {} TO {}", q(from), q(to));
                    self.alter(Phase::Main, table, &rest);
                }
            }
        }
    }

    /// `ALTER TYPE ... ADD VALUE` for each new value, placed after the one before it (or before
    /// the first).
    fn add_enum_values(&mut self, name: &str, from: &[String], to: &[String]) {
        let sql_name = &self.cx.to.enums[name].sql_name;
        let mut present: Vec<&String> = from.iter().collect();
        for (i, value) in to.iter().enumerate() {
            if present.contains(&value) {
                continue;
            }
            let place = match i.checked_sub(1).map(|p| &to[p]) {
                Some(previous) => format!("AFTER {}", PG.string(previous)),
                None => {
                    let next = to[i + 1..]
                        .iter()
                        .find(|v| present.contains(v))
                        .expect("an enum that gains values had one");
                    format!("BEFORE {}", PG.string(next))
                }
            };
            let sql = format!(
                "ALTER TYPE {} ADD VALUE {} {place};",
                PG.ident(sql_name),
                PG.string(value)
            );
            self.push(Phase::Before, sql);
            present.push(value);
        }
    }

    /// Rebuilds the enum type with `values`, before any table or column changes (so that they see
    /// the new values): the old type is renamed, the new one created, every column of the enum
    /// converted through text, the old type dropped. Checks and partial indexes that read such a
    /// column compare it with the old type's values, so they are dropped first and added back
    /// after. A default that is no longer a value stays dropped (a later operation sets the new
    /// one).
    fn replace_enum(&mut self, name: &str, values: &[String]) {
        let cx = self.cx;
        let sql_name = &cx.from.enums[name].sql_name;
        let old_type = fit(format!("_forge_old_{sql_name}"));
        let from_enums = cx.from.ir_enums();
        // What earlier stages of this migration dropped is gone already.
        let mut gone_tables = BTreeSet::new();
        let mut gone_columns = BTreeSet::new();
        let mut gone_names = BTreeSet::new();
        for op in cx.ops {
            match op {
                Operation::DropTable { table, .. } => {
                    gone_tables.insert(table.as_str());
                }
                Operation::DropColumn { table, column } => {
                    gone_columns.insert((table.as_str(), column.name.as_str()));
                }
                Operation::DropCheck { check, .. } => {
                    gone_names.insert(check.name.as_str());
                }
                Operation::DropIndex { index, .. } => {
                    gone_names.insert(index.name.as_str());
                }
                _ => {}
            }
        }
        let columns: Vec<(&str, &DbColumn)> = cx
            .from
            .tables
            .iter()
            .filter(|(t, _)| !gone_tables.contains(t.as_str()))
            .flat_map(|(t, table)| table.columns.iter().map(move |c| (t.as_str(), c)))
            .filter(|(t, c)| {
                matches!(&c.ty, FieldType::Enum { name: e } if e == name)
                    && !gone_columns.contains(&(*t, c.name.as_str()))
            })
            .collect();
        let mut readers = Vec::new();
        for (table, column) in &columns {
            let t = &cx.from.tables[*table];
            for check in &t.checks {
                let reads = match &check.kind {
                    CheckKind::Expr { condition } => reads_column(&condition.expr, &column.name),
                    CheckKind::Bounds { .. } => false,
                };
                if reads && !gone_names.contains(check.name.as_str()) {
                    readers.push((*table, ConstraintKind::Check, check.name.as_str()));
                }
            }
            for index in &t.indexes {
                let reads = index
                    .r#where
                    .as_ref()
                    .is_some_and(|w| reads_column(&w.expr, &column.name));
                if reads && !gone_names.contains(index.name.as_str()) {
                    readers.push((*table, ConstraintKind::Index, index.name.as_str()));
                }
            }
        }
        readers.sort_unstable();
        readers.dedup();
        for &(table, kind, name) in &readers {
            match kind {
                ConstraintKind::Index => {
                    self.push(Phase::Main, format!("DROP INDEX {};", PG.ident(name)));
                }
                _ => self.alter(
                    Phase::Main,
                    table,
                    &format!("DROP CONSTRAINT {}", PG.ident(name)),
                ),
            }
        }
        let rest = format!("RENAME TO {}", PG.ident(&old_type));
        self.push(
            Phase::Main,
            format!("ALTER TYPE {} {rest};", PG.ident(sql_name)),
        );
        let list: Vec<String> = values.iter().map(|v| PG.string(v)).collect();
        let sql = format!(
            "CREATE TYPE {} AS ENUM ({});",
            PG.ident(sql_name),
            list.join(", ")
        );
        self.push(Phase::Main, sql);
        for (table, column) in &columns {
            let c = PG.ident(&column.name);
            if column.default.is_some() {
                self.alter(
                    Phase::Main,
                    table,
                    &format!("ALTER COLUMN {c} DROP DEFAULT"),
                );
            }
            let ty = PG.ident(sql_name);
            let rest = format!("ALTER COLUMN {c} TYPE {ty} USING {c}::text::{ty}");
            self.alter(Phase::Main, table, &rest);
            let still_a_value = matches!(
                &column.default,
                Some(DefaultValue::Value { value: Literal::String(v) }) if values.contains(v)
            );
            if still_a_value {
                let ddl = TableDdl::new(PG, table, &cx.from.tables[*table], &from_enums);
                if let Some(default) = ddl.default_sql(&column.name) {
                    let rest = format!("ALTER COLUMN {c} SET DEFAULT {default}");
                    self.alter(Phase::Main, table, &rest);
                }
            }
        }
        self.push(Phase::Main, format!("DROP TYPE {};", PG.ident(&old_type)));
        for &(table, kind, name) in &readers {
            let ddl = TableDdl::new(PG, table, &cx.from.tables[table], &from_enums);
            match kind {
                ConstraintKind::Index => {
                    let index = ddl
                        .table
                        .indexes
                        .iter()
                        .find(|i| i.name == name)
                        .expect("the index was found above");
                    let lines = ddl.index_lines(index);
                    self.index(lines, false);
                }
                _ => {
                    let line = ddl.constraint_line(name).expect("a check of the table");
                    self.alter(Phase::Main, table, &format!("ADD {line}"));
                }
            }
        }
    }

    fn create_table(&mut self, table: &str) {
        let cx = self.cx;
        let ddl = cx.ddl(PG, table);
        self.push(Phase::Main, ddl.create_table(table, false));
        for (comments, sql) in ddl.after_statements() {
            self.push_commented(Phase::Main, comments, sql);
        }
        for fk in &ddl.ddl.foreign_keys {
            for clause in &fk.clauses {
                self.alter(Phase::Keys, table, &format!("ADD {clause}"));
            }
        }
        self.created.insert(table.to_string());
    }

    /// A type change; the default is dropped first and set again after (PostgreSQL cannot always
    /// convert it).
    fn alter_type(&mut self, table: &str, column: &str, from: &FieldType, to: &FieldType) {
        let ddl = self.cx.ddl(PG, table);
        let c = PG.ident(column);
        let ty = ddl.column_type(column);
        let default = ddl.default_sql(column);
        let text = matches!(to, FieldType::String { .. } | FieldType::Text);
        let using = match (from, to) {
            (FieldType::Enum { .. }, _) | (_, FieldType::Enum { .. }) => {
                format!(" USING {c}::text::{ty}")
            }
            _ if text || (from.is_numeric() && to.is_numeric()) => String::new(),
            _ => format!(" USING {c}::{ty}"),
        };
        self.alter(
            Phase::Main,
            table,
            &format!("ALTER COLUMN {c} DROP DEFAULT"),
        );
        self.alter(
            Phase::Main,
            table,
            &format!("ALTER COLUMN {c} TYPE {ty}{using}"),
        );
        if let Some(default) = default {
            self.alter(
                Phase::Main,
                table,
                &format!("ALTER COLUMN {c} SET DEFAULT {default}"),
            );
        }
    }

    /// NOT NULL on a table that existed: a `CHECK (c IS NOT NULL) NOT VALID`, validated without
    /// blocking writes, lets `SET NOT NULL` skip its scan; the check then goes.
    fn set_not_null(&mut self, table: &str, column: &str) {
        let c = PG.ident(column);
        if self.created.contains(table) {
            self.alter(
                Phase::Main,
                table,
                &format!("ALTER COLUMN {c} SET NOT NULL"),
            );
            return;
        }
        let check = PG.ident(&constraint_name(table, &[column], "not_null"));
        let rest = format!("ADD CONSTRAINT {check} CHECK ({c} IS NOT NULL) NOT VALID");
        self.alter(Phase::Main, table, &rest);
        self.alter(
            Phase::Validate,
            table,
            &format!("VALIDATE CONSTRAINT {check}"),
        );
        self.alter(
            Phase::Validate,
            table,
            &format!("ALTER COLUMN {c} SET NOT NULL"),
        );
        self.alter(Phase::Validate, table, &format!("DROP CONSTRAINT {check}"));
    }

    /// A unique or primary key: inline on a new table; on an existing one, its index built
    /// concurrently, then the constraint on that index.
    fn add_key(&mut self, table: &str, name: &str, columns: &[String], kind: &str) {
        let q = |n: &str| PG.ident(n);
        if self.created.contains(table) {
            let rest = format!(
                "ADD CONSTRAINT {} {kind} ({})",
                q(name),
                PG.ident_list(columns)
            );
            self.alter(Phase::Main, table, &rest);
            return;
        }
        let sql = format!(
            "CREATE UNIQUE INDEX CONCURRENTLY {} ON {} ({});",
            q(name),
            q(table),
            PG.ident_list(columns)
        );
        self.push(Phase::Concurrent, sql);
        let rest = format!("ADD CONSTRAINT {} {kind} USING INDEX {}", q(name), q(name));
        self.alter(Phase::Keys, table, &rest);
    }

    /// An index's lines from the generator; built concurrently on a table that existed.
    fn index(&mut self, lines: Vec<String>, concurrent: bool) {
        let (comments, statements): (Vec<String>, Vec<String>) =
            lines.into_iter().partition(|l| l.starts_with("--"));
        for sql in statements {
            let (phase, sql) = match sql.strip_prefix("CREATE INDEX ") {
                Some(rest) if concurrent => (
                    Phase::Concurrent,
                    format!("CREATE INDEX CONCURRENTLY {rest}"),
                ),
                _ => (Phase::Main, sql),
            };
            self.push_commented(phase, comments.clone(), sql);
        }
    }
}
