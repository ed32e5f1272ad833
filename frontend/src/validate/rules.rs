//! A model's rules as the access warnings see them: each policy and permission line of the IR with
//! where it was written and the condition it stands for. A permission line stands for "the user
//! holds one of its roles, and its `if` holds": `(user.roles.includes('a') || ...) && <if>`.

use forge_schemas::{Action, Expr, Literal, Model, UserAttr, ValueType};

use crate::validate::decls::Spot;

/// One policy or permission line.
pub struct Rule {
    pub action: Action,
    /// The roles of a permission line; `None` for a policy.
    pub roles: Option<Vec<String>>,
    pub at: Spot,
    pub condition: Expr,
}

impl Rule {
    /// `` `update` policy `` or `` permission line `update editor admin` ``.
    pub fn describe(&self) -> String {
        match &self.roles {
            None => format!("`{}` policy", self.action.as_str()),
            Some(roles) => format!(
                "permission line `{} {}`",
                self.action.as_str(),
                roles.join(" ")
            ),
        }
    }
}

/// The rules of `model`: its policies, then its permission lines, with `policy_spots` and
/// `permission_spots` (in the same order as the model's) saying where each was written.
pub fn rules(model: &Model, policy_spots: &[Spot], permission_spots: &[Spot]) -> Vec<Rule> {
    let policies = model.policies.iter().zip(policy_spots).map(|(p, at)| Rule {
        action: p.action,
        roles: None,
        at: *at,
        condition: p.condition.expr.clone(),
    });
    let lines = model
        .permissions
        .iter()
        .zip(permission_spots)
        .map(|(p, at)| {
            let mut held: Vec<Expr> = p.roles.iter().map(|r| holds_role(r)).collect();
            let held = match held.len() {
                1 => held.remove(0),
                _ => Expr::Or { exprs: held },
            };
            let condition = match &p.condition {
                Some(c) => Expr::And {
                    exprs: vec![held, c.expr.clone()],
                },
                None => held,
            };
            Rule {
                action: p.action,
                roles: Some(p.roles.clone()),
                at: *at,
                condition,
            }
        });
    policies.chain(lines).collect()
}

/// `user.roles.includes('<role>')`, as the expression checker types it.
fn holds_role(role: &str) -> Expr {
    Expr::ListIncludes {
        list: Box::new(Expr::User {
            attr: UserAttr::Roles,
            ty: ValueType::StringList,
        }),
        value: Box::new(Expr::Literal {
            value: Literal::String(role.to_string()),
        }),
    }
}

/// One part of the check of an action: a policy, or the permission lines of one action (ORed).
pub struct Part<'r> {
    pub rules: Vec<&'r Rule>,
}

impl Part<'_> {
    /// The policy's condition, or the OR of the lines'.
    pub fn condition(&self) -> Expr {
        match &self.rules[..] {
            [one] => one.condition.clone(),
            lines => Expr::Or {
                exprs: lines.iter().map(|r| r.condition.clone()).collect(),
            },
        }
    }

    /// `` the `all` policy `` or `` one of the `read` permission lines ``.
    pub fn describe(&self) -> String {
        match &self.rules[..] {
            [one] => format!("the {}", one.describe()),
            lines => format!("one of the `{}` permission lines", lines[0].action.as_str()),
        }
    }
}

/// The parts whose AND decides `action`: its policy, its permission lines, the `all` policy (the
/// ones there are, in this order). None: the action is denied.
pub fn parts(rules: &[Rule], action: Action) -> Vec<Part<'_>> {
    let policy = |action: Action| {
        rules
            .iter()
            .filter(move |r| r.action == action && r.roles.is_none())
            .map(|r| Part { rules: vec![r] })
    };
    let lines: Vec<&Rule> = rules
        .iter()
        .filter(|r| r.action == action && r.roles.is_some())
        .collect();
    let lines = (!lines.is_empty()).then_some(Part { rules: lines });
    policy(action)
        .chain(lines)
        .chain(policy(Action::All))
        .collect()
}

/// The AND of `parts`' conditions.
pub fn all_of(parts: &[&Part]) -> Expr {
    match parts {
        [one] => one.condition(),
        _ => Expr::And {
            exprs: parts.iter().map(|p| p.condition()).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use forge_schemas::Action;

    use super::{all_of, parts, rules};
    use crate::validate::decls::Spot;
    use crate::validate::tests::ir_of;

    #[test]
    fn an_action_is_decided_by_its_policy_its_lines_and_the_all_policy() {
        let ir = ir_of(
            "roles a b\nmodel M {\n id uuid pk=#true\n x string\n policy all \"record.x != 'z'\"\n}\npermissions {\n M {\n  read a b if=\"record.x == 'y'\"\n  read b\n }\n}\n",
        );
        let model = ir.model("M").unwrap();
        let spot = Spot {
            file: 0,
            span: crate::span::SpanId(0),
        };
        let rules = rules(model, &[spot], &[spot, spot]);
        let read = parts(&rules, Action::Read);
        let described: Vec<String> = read.iter().map(|p| p.describe()).collect();
        assert_eq!(
            described,
            ["one of the `read` permission lines", "the `all` policy"]
        );
        assert_eq!(
            rules[1].describe(),
            "permission line `read a b`",
            "a line names its roles"
        );
        let json = serde_json::to_string(&all_of(&read.iter().collect::<Vec<_>>())).unwrap();
        assert!(
            json.starts_with("{\"op\":\"and\",\"exprs\":[{\"op\":\"or\""),
            "{json}"
        );
        assert_eq!(json.matches("\"op\":\"list_includes\"").count(), 3);
        assert_eq!(parts(&rules, Action::Create).len(), 1);
    }
}
