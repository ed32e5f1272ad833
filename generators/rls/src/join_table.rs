//! A join table's block: row-level security switched on and forced, and policies that follow the
//! model declaring the relation (the side PostgreSQL's `schema.sql` names the table after):
//!
//! - read: the declaring row is readable;
//! - create, delete: the declaring row is readable and may be updated;
//! - update: no policy (denied): a link is deleted and created, never changed.
//!
//! "Readable" is asked of PostgreSQL itself: the policy selects the declaring row from its table,
//! so the declaring table's own read policy applies (as the querying role). "May be updated" is
//! the declaring model's update rule, compiled here over that row. Neither queries the join table
//! again, so there is no recursion; the declaring model's policies reach other tables only
//! through lookups. Between two tenant-scoped models the join row's tenant column gets the tenant
//! guard too.

use forge_schemas::{Action, Ir, JoinTable, Model};

use crate::access::conditions;
use crate::compile::{Compiler, Lookups, Record, tenant_guard};
use crate::policy::{create_policy, enable, policy_name};
use crate::sql::{Prec, Sql, and, ident};
use crate::writer::Writer;

/// The block of `join`.
pub(crate) fn join_block(out: &mut Writer, ir: &Ir, join: &JoinTable, lookups: &mut Lookups) {
    let (declaring, other) = if join.left.relation.is_some() {
        (&join.left, &join.right)
    } else {
        (&join.right, &join.left)
    };
    let model: &Model = ir.model(&declaring.model).unwrap_or_else(|| {
        panic!(
            "model `{}` of join table {} is not in the IR",
            declaring.model, join.name
        )
    });
    let table = &join.name;
    let alias = if table == "d" { "d2" } else { "d" };
    let qualified = |column: &str| format!("{}.{}", ident(table), ident(column));
    let guard: Vec<Sql> = join
        .tenant
        .iter()
        .map(|t| tenant_guard(qualified(&t.column)))
        .collect();
    // The declaring row, selected through its table's policies.
    let row = |extra: Option<Sql>| {
        let mut inner = vec![Sql::new(
            format!(
                "{}.{} = {}",
                ident(alias),
                ident(&declaring.references),
                qualified(&declaring.column)
            ),
            Prec::Cmp,
        )];
        inner.extend(extra);
        Sql::atom(format!(
            "EXISTS (SELECT 1 FROM {} AS {} WHERE {})",
            ident(&declaring.references_table),
            ident(alias),
            and(inner).sql
        ))
    };
    let readable = has_rule(model, Action::Read);
    let update = if readable {
        let mut c = Compiler::policy(
            ir,
            model,
            Record::Qualified(alias.to_string()),
            lookups,
            Action::Update.as_str(),
        );
        conditions(&mut c, model, Action::Update)
    } else {
        None
    };

    out.blank();
    let start = out.next_line();
    out.line(format!(
        "-- join table {} of {}.{} (to {})",
        ident(table),
        model.name,
        declaring.relation.as_deref().unwrap_or_default(),
        other.model
    ));
    out.lines(enable(table));
    for lookup in lookups.take_new() {
        out.lines(lookup.lines);
    }
    if readable {
        let mut using = guard.clone();
        using.push(row(None));
        let policy_start = out.next_line();
        out.lines(create_policy(
            &policy_name(table, Action::Read),
            table,
            Action::Read,
            Some(&using),
            None,
        ));
        out.origin(policy_start, &model.name);
    }
    match update {
        Some(update) => {
            let mut rule = guard.clone();
            rule.push(row(Some(and(update))));
            for action in [Action::Create, Action::Delete] {
                let (using, check) = match action {
                    Action::Create => (None, Some(rule.as_slice())),
                    _ => (Some(rule.as_slice()), None),
                };
                let policy_start = out.next_line();
                out.lines(create_policy(
                    &policy_name(table, action),
                    table,
                    action,
                    using,
                    check,
                ));
                out.origin(policy_start, &model.name);
            }
            out.line("-- update: denied (a link is deleted and created, never changed)");
        }
        None => out.line(format!(
            "-- create, update, delete: denied ({} rows may not be {})",
            model.name,
            if readable { "updated" } else { "read" }
        )),
    }
    out.origin(start, &model.name);
}

/// True when `action` on `model` has a policy or a permission line (or an `all` policy).
fn has_rule(model: &Model, action: Action) -> bool {
    model
        .policies
        .iter()
        .any(|p| p.action == action || p.action == Action::All)
        || model.permissions.iter().any(|p| p.action == action)
}
