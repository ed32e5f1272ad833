//! Warnings family "access": an action of a model that no policy (its own or `all`) and no
//! permission line allows is denied (`forge::action-denied`, one warning per model); a policy that
//! holds for the anonymous identity on a model without a tenant column
//! (`forge::anonymous-access`).

use forge_schemas::{Action, CmpOp, Expr, Literal, UserAttr};

use crate::validate::decls::{Decls, Spot};
use crate::validate::draft::Drafts;
use crate::validate::policies::action;
use crate::validate::report::{Cx, Report};

pub const ACTION_DENIED: &str = "forge::action-denied";
pub const ANONYMOUS_ACCESS: &str = "forge::anonymous-access";

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
}
