//! Warnings family "access": an action of a model that no policy (its own or `all`) and no
//! permission line allows is denied (`forge::action-denied`, one warning per model); a policy that
//! holds for the anonymous identity on a model without a tenant column
//! (`forge::anonymous-access`); in a project with tenants, a model without a tenant column whose
//! rules never look at the user, so that every tenant shares its rows (`forge::tenantless-rules`).

use forge_schemas::{Action, CmpOp, Expr, Ir, Literal, UserAttr};

use crate::validate::decls::{Decls, Spot};
use crate::validate::draft::Drafts;
use crate::validate::policies::action;
use crate::validate::report::{Cx, Report};

pub const ACTION_DENIED: &str = "forge::action-denied";
pub const ANONYMOUS_ACCESS: &str = "forge::anonymous-access";
pub const TENANTLESS_RULES: &str = "forge::tenantless-rules";

/// Warns, per model, about the actions nothing allows. Rules count as written (even when their
/// expression has an error), so one mistake does not also deny an action.
pub fn denied(cx: &mut Cx, drafts: &Drafts, decls: &Decls) {
    for draft in &drafts.list {
        let policies: Vec<Action> = draft
            .decl
            .policies
            .iter()
            .filter_map(|p| action(&p.action.value))
            .collect();
        let granted: Vec<Action> = decls
            .permissions
            .iter()
            .filter(|b| b.model.value == draft.name)
            .flat_map(|b| b.lines.iter().filter_map(|l| action(&l.action.value)))
            .collect();
        if policies.contains(&Action::All) {
            continue;
        }
        let denied: Vec<&str> = Action::CONCRETE
            .into_iter()
            .filter(|a| !policies.contains(a) && !granted.contains(a))
            .map(Action::as_str)
            .collect();
        let Some(&first) = denied.first() else {
            continue;
        };
        cx.emit(
            Report::warning(ACTION_DENIED, format!("model `{}` denies {} to everyone: no policy or permission allows it", draft.name, denied.join(", ")))
                .at(draft.decl.name.at, "no rule for these actions")
                .help(format!(
                    "if that is intended, nothing to do; otherwise add `policy {first} \"<expression>\"` (or `policy all`) to the model, or a line `{first} <role>` under `{}` in a permissions block",
                    draft.name
                )),
        );
    }
}

/// Warns about a policy that lets the anonymous identity in, on a model without a tenant column.
pub fn anonymous(
    cx: &mut Cx,
    model: &str,
    has_tenant: bool,
    policy: &Expr,
    action: Action,
    at: Spot,
) {
    if has_tenant || truth(policy) != Some(true) {
        return;
    }
    cx.emit(
        Report::warning(ANONYMOUS_ACCESS, format!("the `{}` policy of `{model}` holds for anonymous requests", action.as_str()))
            .at(at, "true without a signed-in user")
            .help("if the data is public, nothing to do; otherwise require a user, e.g. `user.id != null && ...`"),
    );
}

/// Warns, when some model of `ir` has a tenant column, about each model without one whose
/// policies never read `user.*` and that has no permission line (a line reads the user's roles).
/// A model without any rule shares nothing: it is denied to everyone.
pub fn tenantless(cx: &mut Cx, ir: &Ir, drafts: &Drafts) {
    let Some(tenant) = ir.models.iter().find_map(|m| m.tenant.as_ref()) else {
        return;
    };
    for (model, draft) in ir.models.iter().zip(&drafts.list) {
        if model.tenant.is_some()
            || !model.permissions.is_empty()
            || model.policies.is_empty()
            || model.policies.iter().any(|p| reads_user(&p.condition.expr))
        {
            continue;
        }
        cx.emit(
            Report::warning(TENANTLESS_RULES, format!("every tenant shares the rows of `{}`: it has no tenant column, and no rule of it looks at the user", model.name))
                .at(draft.decl.name.at, "not tenant-scoped")
                .help(format!(
                    "to keep each tenant's rows apart, add `{tenant} {} tenant=#true`; if every tenant is meant to see the same rows, say who may, e.g. `policy read \"user.tenant_id != null\"` (any user of a tenant)",
                    ir.identity.tenant_id.schema_name()
                )),
        );
    }
}

/// Whether `expr` reads `user.*` anywhere.
fn reads_user(expr: &Expr) -> bool {
    match expr {
        Expr::User { .. } => true,
        Expr::Literal { .. } | Expr::Field { .. } => false,
        Expr::Not { expr } => reads_user(expr),
        Expr::And { exprs } | Expr::Or { exprs } => exprs.iter().any(reads_user),
        Expr::Compare { left, right, .. } => reads_user(left) || reads_user(right),
        Expr::In { value, list } => reads_user(value) || list.iter().any(reads_user),
        Expr::ListIncludes { list, value } => reads_user(list) || reads_user(value),
        Expr::RelationIncludes { value, .. } => reads_user(value),
        Expr::Quantified { body, .. } => reads_user(body),
    }
}

/// A value as the anonymous identity sees it.
#[derive(PartialEq)]
enum Seen<'e> {
    /// The literal `null`.
    Null,
    /// A missing value (`user.id` of nobody).
    Missing,
    /// An empty list (`user.roles` of nobody).
    Empty,
    Literal(&'e Literal),
    /// Depends on the record.
    Unknown,
}

fn seen(expr: &Expr) -> Seen<'_> {
    match expr {
        Expr::Literal {
            value: Literal::Null,
        } => Seen::Null,
        Expr::Literal { value } => Seen::Literal(value),
        Expr::User {
            attr: UserAttr::Roles | UserAttr::Claims,
            ..
        } => Seen::Empty,
        Expr::User { .. } => Seen::Missing,
        _ => Seen::Unknown,
    }
}

/// Whether `expr` is true (`Some(true)`), false, or depends on the record (`None`) for the
/// anonymous identity, under the language's rules for missing values.
fn truth(expr: &Expr) -> Option<bool> {
    match expr {
        Expr::Literal {
            value: Literal::Bool(b),
        } => Some(*b),
        Expr::Literal { .. } | Expr::User { .. } => Some(false),
        Expr::Field { .. } | Expr::Quantified { .. } => None,
        Expr::Not { expr } => truth(expr).map(|t| !t),
        Expr::And { exprs } => {
            let all: Vec<Option<bool>> = exprs.iter().map(truth).collect();
            if all.contains(&Some(false)) {
                Some(false)
            } else if all.iter().all(|t| *t == Some(true)) {
                Some(true)
            } else {
                None
            }
        }
        Expr::Or { exprs } => {
            let all: Vec<Option<bool>> = exprs.iter().map(truth).collect();
            if all.contains(&Some(true)) {
                Some(true)
            } else if all.iter().all(|t| *t == Some(false)) {
                Some(false)
            } else {
                None
            }
        }
        Expr::Compare { cmp, left, right } => compare(*cmp, seen(left), seen(right)),
        Expr::In { value, .. } | Expr::RelationIncludes { value, .. } => match seen(value) {
            Seen::Missing | Seen::Null => Some(false),
            _ => None,
        },
        Expr::ListIncludes { list, .. } => match seen(list) {
            Seen::Empty | Seen::Missing => Some(false),
            _ => None,
        },
    }
}

fn compare(cmp: CmpOp, left: Seen, right: Seen) -> Option<bool> {
    let present = |s: &Seen| match s {
        Seen::Null | Seen::Missing => Some(false),
        Seen::Literal(_) | Seen::Empty => Some(true),
        Seen::Unknown => None,
    };
    match cmp {
        CmpOp::Eq | CmpOp::Ne => {
            let eq = if left == Seen::Null {
                present(&right).map(|p| !p)
            } else if right == Seen::Null {
                present(&left).map(|p| !p)
            } else if left == Seen::Missing || right == Seen::Missing {
                return Some(false);
            } else {
                match (&left, &right) {
                    (Seen::Literal(a), Seen::Literal(b)) => Some(a == b),
                    _ => None,
                }
            };
            if cmp == CmpOp::Eq { eq } else { eq.map(|e| !e) }
        }
        _ if matches!(left, Seen::Null | Seen::Missing)
            || matches!(right, Seen::Null | Seen::Missing) =>
        {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::{codes_with_warnings, warnings};

    #[test]
    fn an_action_nothing_allows_is_denied_with_a_warning() {
        let text = "model Post {\n id uuid pk=#true\n policy read \"record.id != null\"\n}\n";
        assert_eq!(
            warnings(text),
            vec![
                "model `Post` denies create, update, delete to everyone: no policy or permission allows it"
            ]
        );
        let granted = "roles admin\nmodel Post {\n id uuid pk=#true\n policy read \"record.id != null\"\n}\npermissions {\n Post {\n  create admin\n  update admin\n  delete admin\n }\n}\n";
        assert!(warnings(granted).is_empty());
    }

    #[test]
    fn a_policy_true_for_anonymous_users_is_a_warning() {
        let model = |policy: &str, tenant: &str| {
            codes_with_warnings(&format!(
                "roles x\nmodel Doc {{\n id uuid pk=#true\n owner_id uuid\n{tenant}\n policy all \"{policy}\"\n}}\n"
            ))
        };
        assert_eq!(
            model("!(record.owner_id == user.id)", ""),
            vec!["forge::anonymous-access"]
        );
        assert_eq!(model("true", ""), vec!["forge::anonymous-access"]);
        assert!(model("record.owner_id == user.id", "").is_empty());
        assert!(model("record.owner_id != user.id", "").is_empty());
        assert!(model("user.roles.includes('x') || record.owner_id == user.id", "").is_empty());
        assert!(model("!(record.owner_id == user.id)", " t uuid tenant=#true").is_empty());
    }

    #[test]
    fn rules_that_ignore_the_user_share_rows_across_tenants() {
        let project = |catalog: &str| {
            codes_with_warnings(&format!(
                "roles admin\nmodel Shop {{\n id uuid pk=#true\n t uuid tenant=#true\n policy all \"true\"\n}}\nmodel Catalog {{\n id uuid pk=#true\n public boolean\n{catalog}\n}}\n"
            ))
            .into_iter()
            .filter(|c| c == "forge::tenantless-rules")
            .count()
        };
        assert_eq!(project(" policy all \"record.public\""), 1);
        assert_eq!(
            project(" policy read \"record.public\"\n policy update \"false\""),
            1
        );
        assert_eq!(project(" policy all \"user.tenant_id != null\""), 0);
        assert_eq!(
            project(" policy all \"record.public || user.roles.includes('admin')\""),
            0
        );
        assert_eq!(project(" t uuid tenant=#true\n policy all \"true\""), 0);
        // No rule: denied to everyone, nothing shared.
        assert_eq!(project(""), 0);
        let without_tenants = codes_with_warnings(
            "model Catalog {\n id uuid pk=#true\n public boolean\n policy all \"record.public\"\n}\n",
        );
        assert!(without_tenants.is_empty(), "{without_tenants:?}");
    }

    #[test]
    fn a_permission_line_looks_at_the_user() {
        let text = "roles admin\nmodel Shop {\n id uuid pk=#true\n t uuid tenant=#true\n policy all \"true\"\n}\nmodel Catalog {\n id uuid pk=#true\n policy read \"true\"\n}\npermissions {\n Catalog {\n  update admin\n }\n}\n";
        assert!(!codes_with_warnings(text).contains(&"forge::tenantless-rules".to_string()));
    }
}
