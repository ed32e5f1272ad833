//! Diagnostics family "policies": `policy <action> "<expr>"` with a known action (`read`,
//! `create`, `update`, `delete`, `all`), at most one per action, and an expression that
//! type-checks in the policy context.

use forge_expr::Context;
use forge_schemas::{Action, Ir, Policy};

use crate::validate::decls::{Spanned, Spot};
use crate::validate::draft::Draft;
use crate::validate::expressions::condition;
use crate::validate::report::{Cx, Report, close_names, did_you_mean};

pub const UNKNOWN_ACTION: &str = "forge::unknown-action";
pub const DUPLICATE_POLICY: &str = "forge::duplicate-policy";

/// The action called `name`.
pub fn action(name: &str) -> Option<Action> {
    Action::CONCRETE
        .into_iter()
        .chain([Action::All])
        .find(|a| a.as_str() == name)
}

/// The action of a policy or permission line; an unknown one is reported.
pub fn parse_action(
    cx: &mut Cx,
    name: &Spanned<String>,
    allowed: &[&str],
    what: &str,
) -> Option<Action> {
    let found = action(&name.value).filter(|a| allowed.contains(&a.as_str()));
    if found.is_none() {
        cx.emit(
            Report::error(
                UNKNOWN_ACTION,
                format!("unknown action `{}` in {what}", name.value),
            )
            .at(name.at, "not an action")
            .help(format!(
                "{}the actions are {}",
                did_you_mean(&close_names(&name.value, allowed.iter().copied())),
                allowed.join(", ")
            )),
        );
    }
    found
}

/// The model's policies, type-checked against `ir`, each action once.
pub fn policies(cx: &mut Cx, ir: &Ir, draft: &Draft) -> Vec<(Policy, Spot)> {
    let mut seen: Vec<(Action, Spot)> = Vec::new();
    let mut out = Vec::new();
    for decl in &draft.decl.policies {
        let Some(action) = parse_action(
            cx,
            &decl.action,
            &["read", "create", "update", "delete", "all"],
            "a policy",
        ) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(a, _)| *a == action) {
            cx.emit(
                Report::error(DUPLICATE_POLICY, format!("model `{}` has a second `{}` policy", draft.name, action.as_str()))
                    .at(decl.node, "second policy")
                    .related(*first, "first policy")
                    .help(format!("a model has at most one policy per action: combine the two with `||` or `&&` in one `policy {}`", action.as_str())),
            );
            continue;
        }
        seen.push((action, decl.node));
        if let Some(condition) = condition(cx, ir, &draft.name, decl.expr, Context::Policy) {
            cx.provenance(
                || format!("{}#policy:{}", draft.name, action.as_str()),
                decl.node,
            );
            out.push((Policy { action, condition }, decl.node));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes;

    fn model(body: &str) -> Vec<String> {
        codes(&format!("model Post {{\n id uuid pk=#true\n{body}\n}}\n"))
    }

    #[test]
    fn one_policy_per_known_action() {
        assert_eq!(
            model(" policy all \"true\"\n policy all \"false\""),
            vec!["forge::duplicate-policy"]
        );
        assert_eq!(
            model(" policy all \"true\"\n policy raed \"true\""),
            vec!["forge::unknown-action"]
        );
    }
}
