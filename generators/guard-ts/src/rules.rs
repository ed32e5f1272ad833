//! The access rule of one action of one model, as a function `rule<Model><Action>(u, r)` of the
//! read identity and the row: the AND of
//!
//! 1. the tenant guard (`record.<tenant> == user.tenant_id`), when the model has a tenant column;
//! 2. the `all` policy;
//! 3. the action's policy;
//! 4. the OR of the action's permission lines, each "the user holds one of its roles, and its
//!    `if` holds".
//!
//! An action with no policy (neither its own nor `all`) and no permission line has no rule: it is
//! denied.

use forge_schemas::{Action, Expr, Ir, Model};

use crate::assemble::Block;
use crate::compile::{Compiler, in_tenant};
use crate::js;
use crate::scan::mentions;

/// True when `action` on `model` has a rule: a policy (its own or `all`) or a permission line.
pub(crate) fn has_rule(model: &Model, action: Action) -> bool {
    model
        .policies
        .iter()
        .any(|p| p.action == action || p.action == Action::All)
        || model.permissions.iter().any(|p| p.action == action)
}

/// `rule<Model><Action>`.
pub(crate) fn rule_name(model: &Model, action: Action) -> String {
    let action = action.as_str();
    format!(
        "rule{}{}{}",
        js::ident_part(&model.name),
        action[..1].to_ascii_uppercase(),
        &action[1..]
    )
}

/// The expressions the rule of `action` evaluates.
pub(crate) fn rule_exprs(model: &Model, action: Action) -> impl Iterator<Item = &Expr> {
    model
        .policies
        .iter()
        .filter(move |p| p.action == action || p.action == Action::All)
        .map(|p| &p.condition.expr)
        .chain(
            model
                .permissions
                .iter()
                .filter(move |p| p.action == action)
                .filter_map(|p| p.condition.as_ref().map(|c| &c.expr)),
        )
}

/// The function of the rule of `action` on `model` (which must have one).
pub(crate) fn rule_function(ir: &Ir, model: &Model, action: Action) -> Block {
    let mut body = Block::new();
    let mut c = Compiler::new(ir, "r");
    let mut open = true;
    if let Some(tenant) = &model.tenant {
        let start = body.next();
        body.line(format!(
            "  if (!{}(u, r)) return false; // the tenant guard",
            in_tenant(model)
        ));
        body.origin(start, &model.name, Some(tenant.clone()), None);
    }
    let all = model.policies.iter().find(|p| p.action == Action::All);
    let own = model.policies.iter().find(|p| p.action == action);
    for policy in all.into_iter().chain(own) {
        if !open {
            break;
        }
        let start = body.next();
        body.line(format!(
            "  // policy {} {}",
            policy.action.as_str(),
            js::string(&policy.condition.source)
        ));
        match c.cond(&policy.condition.expr).as_str() {
            "true" => {}
            "false" => {
                body.line("  return false;");
                open = false;
            }
            cond => body.line(format!("  if (!{cond}) return false;")),
        }
        let element = format!("policy:{}", policy.action.as_str());
        body.origin(start, &model.name, None, Some(element));
    }
    let lines: Vec<(usize, &forge_schemas::Permission)> = model
        .permissions
        .iter()
        .enumerate()
        .filter(|(_, p)| p.action == action)
        .collect();
    if open && lines.is_empty() {
        body.line("  return true;");
    } else if open {
        body.line("  return (");
        for (k, (n, line)) in lines.iter().enumerate() {
            let start = body.next();
            let roles: Vec<String> = line.roles.iter().map(|r| js::string(r)).collect();
            let condition = line.condition.as_ref();
            body.line(format!(
                "    // permission {} {}{}",
                action.as_str(),
                roles.join(" "),
                condition.map_or(String::new(), |cond| format!(
                    " if={}",
                    js::string(&cond.source)
                ))
            ));
            let holds = format!("holdsAny(u.roles, [{}])", roles.join(", "));
            let test = match condition.map(|condition| c.cond(&condition.expr)) {
                None => holds,
                Some(cond) if cond == "true" => holds,
                Some(cond) => format!("({holds} && {cond})"),
            };
            let or = if k + 1 < lines.len() { " ||" } else { "" };
            body.line(format!("    {test}{or}"));
            let element = format!("permission:{}:{n}", action.as_str());
            body.origin(start, &model.name, None, Some(element));
        }
        body.line("  );");
    }

    let text = body.lines.join("\n");
    let param = |name: &str| {
        if mentions(&text, name) {
            name.to_string()
        } else {
            format!("_{name}")
        }
    };
    let mut out = Block::new();
    out.line(format!(
        "/** {}, {}: the tenant guard, the policies and the permissions, ANDed. */",
        model.name,
        action.as_str()
    ));
    out.line(format!(
        "function {}({}: Who, {}: unknown): boolean {{",
        rule_name(model, action),
        param("u"),
        param("r")
    ));
    out.append(body);
    out.line("}");
    out
}
