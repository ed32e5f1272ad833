//! A model's block: the functions of its rules, and its exported guards.
//!
//! | guard | allowed when |
//! | --- | --- |
//! | `can<Model>Read(user, record)` | read |
//! | `can<Model>Create(user, record)` | create, on the new row |
//! | `can<Model>Update(user, before, after)` | read on `before`, update on `before` and on `after` |
//! | `can<Model>Delete(user, record)` | read and delete |
//!
//! As in PostgreSQL (where forge's policies for UPDATE and DELETE include the read rule), a row
//! that cannot be read can be neither updated nor deleted. An action without a rule is denied.

use forge_schemas::{Action, Expr, Ir, Model};

use crate::assemble::Block;
use crate::js;
use crate::paths::Followed;
use crate::rules::{has_rule, rule_exprs, rule_function, rule_name};
use crate::types::record_type_name;

/// `can<Model><Action>`.
pub(crate) fn guard_name(model: &Model, action: Action) -> String {
    let action = action.as_str();
    format!(
        "can{}{}{}",
        js::ident_part(&model.name),
        action[..1].to_ascii_uppercase(),
        &action[1..]
    )
}

/// The rules `action`'s guard checks (read first), or why it is denied.
pub(crate) fn guard_rules(model: &Model, action: Action) -> Result<Vec<Action>, &'static str> {
    let readable = has_rule(model, Action::Read);
    let own = has_rule(model, action);
    match action {
        Action::Read | Action::Create if own => Ok(vec![action]),
        Action::Update | Action::Delete if readable && own => Ok(vec![Action::Read, action]),
        Action::Update | Action::Delete if !readable => {
            Err("a row that cannot be read cannot be updated or deleted")
        }
        _ => Err("no policy, no permission"),
    }
}

/// The block of `model`.
pub(crate) fn model_block(ir: &Ir, model: &Model) -> Block {
    let mut b = Block::new();
    b.line(format!(
        "// {} (table {})",
        model.name,
        js::string(&model.table)
    ));
    for action in Action::CONCRETE {
        let needed = Action::CONCRETE
            .iter()
            .any(|a| guard_rules(model, *a).is_ok_and(|rules| rules.contains(&action)));
        if needed {
            b.line("");
            b.append(rule_function(ir, model, action));
        }
    }
    for action in Action::CONCRETE {
        b.line("");
        b.lines(guard(ir, model, action));
    }
    b.origin(0, &model.name, None, None);
    b
}

/// The exported guard of `action`.
fn guard(ir: &Ir, model: &Model, action: Action) -> Vec<String> {
    let record = record_type_name(model);
    let params = |used: bool| {
        let p = if used { "" } else { "_" };
        match action {
            Action::Update => {
                format!("{p}user: Maybe<Identity>, {p}before: {record}, {p}after: {record}")
            }
            _ => format!("{p}user: Maybe<Identity>, {p}record: {record}"),
        }
    };
    let name = &model.name;
    let question: Vec<String> = match action {
        Action::Read => vec![format!("May the user read this {name} row?")],
        Action::Create => vec![format!(
            "May the user create this {name} row (the new row, with its defaults)?"
        )],
        Action::Update => vec![
            format!(
                "May the user update this {name} row from `before` to `after`? `before` must be"
            ),
            "readable, and the update rule (with the tenant guard) must hold before and after."
                .into(),
        ],
        Action::Delete => vec![format!(
            "May the user delete this {name} row? It must be readable too."
        )],
        Action::All => unreachable!("not a concrete action"),
    };
    let mut lines = vec!["/**".to_string()];
    lines.extend(question.iter().map(|q| format!(" * {q}")));
    let signature = |used: bool| {
        format!(
            "export function {}({}): boolean {{",
            guard_name(model, action),
            params(used)
        )
    };
    let rules = match guard_rules(model, action) {
        Ok(rules) => rules,
        Err(why) => {
            lines.extend([
                format!(" * Never: {why}."),
                " */".into(),
                signature(false),
                "  return false;".into(),
                "}".into(),
            ]);
            return lines;
        }
    };
    let exprs: Vec<&Expr> = rules.iter().flat_map(|a| rule_exprs(model, *a)).collect();
    let loads = Followed::of(ir, exprs).loads();
    if !loads.is_empty() {
        let loads: Vec<String> = loads.iter().map(|l| format!("`{l}`")).collect();
        lines.push(format!(
            " * Reads these relations, which must be loaded: {}.",
            loads.join(", ")
        ));
    }
    lines.push(" */".into());
    lines.push(signature(true));
    let call = |action: Action, row: &str| format!("{}(u, {row})", rule_name(model, action));
    let test = match action {
        Action::Update => {
            vec![
                call(Action::Read, "before"),
                call(Action::Update, "before"),
                call(Action::Update, "after"),
            ]
        }
        _ => rules.iter().map(|a| call(*a, "record")).collect(),
    };
    lines.push("  const u = who(user);".into());
    lines.push(format!("  return {};", test.join(" && ")));
    lines.push("}".into());
    lines
}
