//! The access rule of one action of one model, as the conditions a filter ANDs: the tenant guard,
//! the `all` policy, the action's policy, and the OR of the action's permission lines (each "the
//! user holds one of its roles, and its `if` holds"). No policy and no permission line: denied.

use forge_schemas::{Action, Model};

use crate::compile::Compiler;
use crate::sql::{Sql, and, or};

/// Why an action without a rule is denied.
pub(crate) const NO_RULE: &str = "no policy, no permission";

/// True when `action` on `model` has a policy (its own or `all`) or a permission line.
pub(crate) fn has_rule(model: &Model, action: Action) -> bool {
    model
        .policies
        .iter()
        .any(|p| p.action == action || p.action == Action::All)
        || model.permissions.iter().any(|p| p.action == action)
}

/// The conditions of `action` on `record` (a row of `model`, as `c` compiles it), or `None` when
/// the action is denied.
pub(crate) fn conditions(c: &mut Compiler<'_>, model: &Model, action: Action) -> Option<Vec<Sql>> {
    if !has_rule(model, action) {
        return None;
    }
    let mut parts: Vec<Sql> = c.tenant_guard().into_iter().collect();
    let policies = [Action::All, action]
        .into_iter()
        .filter_map(|a| model.policies.iter().find(|p| p.action == a));
    for policy in policies {
        parts.push(c.cond(&policy.condition.expr));
    }
    let lines: Vec<Sql> = model
        .permissions
        .iter()
        .filter(|p| p.action == action)
        .map(|line| {
            let mut both = vec![c.holds_role(&line.roles)];
            if let Some(condition) = &line.condition {
                both.push(c.cond(&condition.expr));
            }
            and(both)
        })
        .collect();
    if !lines.is_empty() {
        parts.push(or(lines));
    }
    Some(parts)
}

/// The schema element an action's rule comes from, for `forge explain`: the action's own policy,
/// else the `all` policy, else its first permission line (named as the front end's provenance
/// names them: `policy:<action>`, `permission:<action>:<n>`).
pub(crate) fn source_element(model: &Model, action: Action) -> Option<String> {
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
