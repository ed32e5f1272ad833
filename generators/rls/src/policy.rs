//! A model's table: row-level security switched on and forced, the lookups its policies call, one
//! permissive policy per allowed action.
//!
//! | action | command | USING (existing row) | WITH CHECK (new row) |
//! | --- | --- | --- | --- |
//! | read | SELECT | read | |
//! | create | INSERT | | create |
//! | update | UPDATE | read AND update | update |
//! | delete | DELETE | read AND delete | |
//!
//! Update and delete include the read rule themselves: PostgreSQL applies SELECT policies to an
//! UPDATE or DELETE only when it reads the row (a WHERE clause, RETURNING), and forge's rule is
//! that a row that cannot be read cannot be changed, whatever the statement looks like. When
//! reading is denied, so are update and delete, and they get no policy.

use forge_schemas::{Action, Ir, Model, constraint_name};

use crate::access::{both, conditions};
use crate::compile::{Compiler, Lookups, Record};
use crate::sql::{Prec, Sql, ident};
use crate::writer::Writer;

/// The SQL command of an action.
pub(crate) fn command(action: Action) -> &'static str {
    match action {
        Action::Read => "SELECT",
        Action::Create => "INSERT",
        Action::Update => "UPDATE",
        Action::Delete => "DELETE",
        Action::All => unreachable!("`all` is not a command"),
    }
}

/// `<table>_<action>`, cut to 63 bytes like constraint names.
pub(crate) fn policy_name(table: &str, action: Action) -> String {
    constraint_name(table, &[], action.as_str())
}

/// `ALTER TABLE ... ENABLE` and `FORCE ROW LEVEL SECURITY`.
pub(crate) fn enable(table: &str) -> [String; 2] {
    [
        format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", ident(table)),
        format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY;", ident(table)),
    ]
}

/// One `CREATE POLICY`, each condition on its own line.
pub(crate) fn create_policy(
    name: &str,
    table: &str,
    action: Action,
    using: Option<&[Sql]>,
    check: Option<&[Sql]>,
) -> Vec<String> {
    let mut lines = vec![format!(
        "CREATE POLICY {} ON {} AS PERMISSIVE FOR {}",
        ident(name),
        ident(table),
        command(action)
    )];
    let clauses: Vec<(&str, &[Sql])> = [("USING", using), ("WITH CHECK", check)]
        .into_iter()
        .filter_map(|(word, parts)| parts.map(|p| (word, p)))
        .collect();
    for (i, (word, parts)) in clauses.iter().enumerate() {
        lines.push(format!("  {word} ("));
        // `policy read "true"` adds nothing to the other conditions.
        let parts: Vec<&Sql> = parts.iter().filter(|p| p.sql != "TRUE").collect();
        for (k, part) in parts.iter().enumerate() {
            let and = if k == 0 { "" } else { "AND " };
            lines.push(format!("    {and}{}", part.within(Prec::And)));
        }
        if parts.is_empty() {
            lines.push("    TRUE".into());
        }
        let end = if i + 1 == clauses.len() { ");" } else { ")" };
        lines.push(format!("  {end}"));
    }
    lines
}

/// The block of `model`'s table.
pub(crate) fn model_block(out: &mut Writer, ir: &Ir, model: &Model, lookups: &mut Lookups) {
    let table = &model.table;
    // What each action allows: its conditions, or why it is denied.
    let mut rules: Vec<(Action, Result<Vec<Sql>, &str>)> = Vec::new();
    let mut readable = true;
    for action in Action::CONCRETE {
        let rule = if !readable && matches!(action, Action::Update | Action::Delete) {
            Err("a row that cannot be read cannot be updated or deleted")
        } else {
            let mut c = Compiler::policy(ir, model, Record::Bare, lookups, action.as_str());
            conditions(&mut c, model, action).ok_or("no policy, no permission")
        };
        readable &= action != Action::Read || rule.is_ok();
        rules.push((action, rule));
    }
    let read: Vec<Sql> = match &rules[0] {
        (Action::Read, Ok(read)) => read.clone(),
        _ => Vec::new(),
    };

    out.blank();
    let start = out.next_line();
    out.line(format!("-- {} ({})", model.name, ident(table)));
    out.lines(enable(table));
    for lookup in lookups.take_new() {
        out.lines(lookup.lines);
    }
    let mut denied: Vec<(&str, Vec<&str>)> = Vec::new();
    for (action, rule) in rules {
        let own = match rule {
            Ok(own) => own,
            Err(why) => {
                match denied.iter_mut().find(|(w, _)| *w == why) {
                    Some((_, actions)) => actions.push(action.as_str()),
                    None => denied.push((why, vec![action.as_str()])),
                }
                continue;
            }
        };
        let (using, check) = match action {
            Action::Read => (Some(own), None),
            Action::Create => (None, Some(own)),
            Action::Update => (Some(both(&read, &own)), Some(own)),
            Action::Delete => (Some(both(&read, &own)), None),
            Action::All => unreachable!("not a concrete action"),
        };
        let name = policy_name(table, action);
        let policy_start = out.next_line();
        out.lines(create_policy(
            &name,
            table,
            action,
            using.as_deref(),
            check.as_deref(),
        ));
        out.origin_of(policy_start, &model.name, source_element(model, action));
    }
    for (why, actions) in denied {
        out.line(format!(
            "-- denied to everyone ({why}): {}",
            actions.join(", ")
        ));
    }
    out.origin(start, &model.name);
}

/// The schema element an action's policy comes from, for `forge explain`: the action's own policy,
/// else the `all` policy, else its first permission line (as the front end's provenance names
/// them: `policy:<action>`, `permission:<action>:<n>`).
fn source_element(model: &forge_schemas::Model, action: Action) -> Option<String> {
    let policy = |a: Action| model.policies.iter().any(|p| p.action == a);
    if policy(action) {
        return Some(format!("policy:{}", action.as_str()));
    }
    if policy(Action::All) {
        return Some("policy:all".into());
    }
    let n = model.permissions.iter().position(|p| p.action == action)?;
    Some(format!("permission:{}:{n}", action.as_str()))
}
