//! The conditions of one table: a model's, or a join table's (which follow the model that
//! declares the relation).
//!
//! | action | filter (stored row) | check (written row) |
//! | --- | --- | --- |
//! | read | read | |
//! | create | | create |
//! | update | read AND update | update |
//! | delete | read AND delete | |
//!
//! A row that cannot be read cannot be updated or deleted, whatever the statement looks like. A
//! join table's row may be read when the declaring row is readable, and created or deleted when
//! the declaring row is readable and may be updated; a link is never updated.

use forge_gen_sql::Dialect;
use forge_schemas::{Action, Ir, JoinTable, Model};

use crate::access::{NO_RULE, conditions, has_rule};
use crate::compile::{Compiler, Row};
use crate::format::{ALIAS, ActionGuard, Condition, TableGuards};
use crate::sql::{Prec, Sql, and, column, placeholders};

/// Why update and delete are denied when reading is.
const UNREADABLE: &str = "a row that cannot be read cannot be updated or deleted";

/// The entry of `model`.
pub(crate) fn model_guards(d: Dialect, ir: &Ir, model: &Model) -> TableGuards {
    // The conditions of `actions` ANDed (update and delete include read), or `None` when one of
    // them is denied.
    let compile = |actions: &[Action]| -> Option<Condition> {
        let mut c = Compiler::new(d, ir, ALIAS, model);
        let mut parts = Vec::new();
        for action in actions {
            parts.extend(conditions(&mut c, model, *action)?);
        }
        Some(condition(d, and(parts), c.reads()))
    };
    let readable = has_rule(model, Action::Read);
    let guard = |action: Action, filter: Option<&[Action]>, check: Option<&[Action]>| {
        let reason = if !has_rule(model, action) {
            Some(NO_RULE)
        } else if matches!(action, Action::Update | Action::Delete) && !readable {
            Some(UNREADABLE)
        } else {
            None
        };
        match reason {
            Some(reason) => denied(reason, filter.is_some(), check.is_some()),
            None => ActionGuard {
                deny: false,
                reason: None,
                filter: filter.map(|a| compile(a).expect("the action has a rule")),
                check: check.map(|a| compile(a).expect("the action has a rule")),
            },
        }
    };
    TableGuards {
        name: model.name.clone(),
        table: model.table.clone(),
        model: model.name.clone(),
        relation: None,
        primary_key: model.primary_key.columns.clone(),
        row: row(d, &model.primary_key.columns),
        read: guard(Action::Read, Some(&[Action::Read]), None),
        create: guard(Action::Create, None, Some(&[Action::Create])),
        update: guard(
            Action::Update,
            Some(&[Action::Read, Action::Update]),
            Some(&[Action::Update]),
        ),
        delete: guard(Action::Delete, Some(&[Action::Read, Action::Delete]), None),
    }
}

/// The entry of `join`: its rows follow the model that declares the relation.
pub(crate) fn join_guards(d: Dialect, ir: &Ir, join: &JoinTable) -> TableGuards {
    let (declaring, _) = if join.left.relation.is_some() {
        (&join.left, &join.right)
    } else {
        (&join.right, &join.left)
    };
    let model = ir.model(&declaring.model).unwrap_or_else(|| {
        panic!(
            "model `{}` of join table {} is not in the IR",
            declaring.model, join.name
        )
    });
    // The join row's tenant guard, then the declaring row, passing the rules of `actions`.
    let compile = |actions: &[Action]| -> Condition {
        let mut c = Compiler::new(d, ir, ALIAS, model);
        let mut parts: Vec<Sql> = join
            .tenant
            .iter()
            .map(|t| c.tenant_equals(column(d, ALIAS, &t.column), &t.ty))
            .collect();
        let owner = c.subquery(|c| {
            let alias = c.alias(&model.table);
            let link = Sql::new(
                format!(
                    "{} = {}",
                    column(d, &alias, &declaring.references),
                    column(d, ALIAS, &declaring.column)
                ),
                Prec::Cmp,
            );
            let row = Row {
                alias: alias.clone(),
                model,
            };
            let mut inner = vec![link];
            c.with_record(row, |c| {
                for action in actions {
                    inner.extend(conditions(c, model, *action).expect("the action has a rule"));
                }
            });
            Sql::atom(format!(
                "EXISTS (SELECT 1 FROM {} AS {} WHERE {})",
                d.ident(&model.table),
                d.ident(&alias),
                and(inner).text
            ))
        });
        parts.push(owner);
        condition(d, and(parts), c.reads())
    };
    let readable = has_rule(model, Action::Read);
    let updatable = readable && has_rule(model, Action::Update);
    let unreadable = format!("{} rows may not be read", model.name);
    let frozen = format!("{} rows may not be updated", model.name);
    let change = |filter: bool| {
        if !readable {
            denied(&unreadable, filter, !filter)
        } else if !updatable {
            denied(&frozen, filter, !filter)
        } else {
            let rule = compile(&[Action::Read, Action::Update]);
            ActionGuard {
                deny: false,
                reason: None,
                filter: filter.then(|| rule.clone()),
                check: (!filter).then_some(rule),
            }
        }
    };
    let columns: Vec<String> = join.primary_key.columns.clone();
    TableGuards {
        name: join.name.clone(),
        table: join.name.clone(),
        model: model.name.clone(),
        relation: declaring.relation.clone(),
        row: row(d, &columns),
        primary_key: columns,
        read: if readable {
            ActionGuard {
                deny: false,
                reason: None,
                filter: Some(compile(&[Action::Read])),
                check: None,
            }
        } else {
            denied(&unreadable, true, false)
        },
        create: change(false),
        update: denied("a link is deleted and created, never changed", true, true),
        delete: change(true),
    }
}

/// A finished condition: its SQL, its placeholders, the tables it reads.
fn condition(d: Dialect, sql: Sql, reads: Vec<String>) -> Condition {
    Condition {
        params: placeholders(d, &sql.text),
        sql: sql.text,
        reads,
    }
}

/// A denied action: `FALSE` as its filter and/or check.
fn denied(reason: &str, filter: bool, check: bool) -> ActionGuard {
    let never = || Condition {
        sql: Sql::bool(false).text,
        params: 0,
        reads: Vec::new(),
    };
    ActionGuard {
        deny: true,
        reason: Some(reason.to_string()),
        filter: filter.then(never),
        check: check.then(never),
    }
}

/// `"record"."a" = ? AND "record"."b" = ?`.
fn row(d: Dialect, columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("{} = ?", column(d, ALIAS, c)))
        .collect::<Vec<_>>()
        .join(" AND ")
}
