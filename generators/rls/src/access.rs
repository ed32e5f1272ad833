//! The access rule of one action of one model, as the conditions a policy ANDs: the tenant guard,
//! the `all` policy, the action's policy, and the OR of the action's permission lines (each "the
//! user holds one of its roles, and its `if` holds"). No policy and no permission line: denied.

use forge_schemas::{Action, Model};

use crate::compile::{Compiler, holds_role, tenant_guard};
use crate::sql::{Sql, and, or};

/// The conditions of `action` on `model`'s rows (`c` compiles for that model), or `None` when
/// the action is denied.
pub(crate) fn conditions(
    c: &mut Compiler<'_, '_>,
    model: &Model,
    action: Action,
) -> Option<Vec<Sql>> {
    let all = model.policies.iter().find(|p| p.action == Action::All);
    let own = model.policies.iter().find(|p| p.action == action);
    let lines: Vec<_> = model
        .permissions
        .iter()
        .filter(|p| p.action == action)
        .collect();
    if all.is_none() && own.is_none() && lines.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(tenant) = &model.tenant {
        parts.push(tenant_guard(c.record_column(tenant)));
    }
    for policy in all.into_iter().chain(own) {
        parts.push(c.cond(&policy.condition.expr));
    }
    if !lines.is_empty() {
        let alternatives = lines
            .iter()
            .map(|line| {
                let mut both = vec![holds_role(&line.roles)];
                if let Some(condition) = &line.condition {
                    both.push(c.cond(&condition.expr));
                }
                and(both)
            })
            .collect();
        parts.push(or(alternatives));
    }
    Some(parts)
}

/// `a` then the conditions of `b` that `a` does not already have.
pub(crate) fn both(a: &[Sql], b: &[Sql]) -> Vec<Sql> {
    let mut out = a.to_vec();
    for part in b {
        if !out.contains(part) {
            out.push(part.clone());
        }
    }
    out
}
