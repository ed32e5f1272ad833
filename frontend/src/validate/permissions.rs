//! Diagnostics family "permissions": `permissions { Model { action role... if="<expr>" } }`
//! naming a known model, a concrete action (`all` is for policies only), at least one role, only
//! declared roles, and an `if` that type-checks in the policy context.

use forge_expr::Context;
use forge_schemas::{Ir, Permission};

use crate::validate::decls::{Decls, Spot};
use crate::validate::expressions::condition;
use crate::validate::policies::parse_action;
use crate::validate::report::{Cx, Report, close_names, did_you_mean, list};

pub const UNKNOWN_MODEL: &str = "forge::unknown-model";
pub const ALL_IN_PERMISSIONS: &str = "forge::all-in-permissions";
pub const UNDECLARED_ROLE: &str = forge_expr::codes::UNDECLARED_ROLE;
pub const PERMISSION_WITHOUT_ROLE: &str = "forge::permission-without-role";

/// Every permission line that holds up, with the model it is for, in file and line order.
pub fn permissions(cx: &mut Cx, ir: &Ir, decls: &Decls) -> Vec<(String, Permission, Spot)> {
    let mut out = Vec::new();
    for block in &decls.permissions {
        let model = &block.model;
        if ir.model(&model.value).is_none() {
            let names: Vec<&str> = ir.models.iter().map(|m| m.name.as_str()).collect();
            cx.emit(
                Report::error(
                    UNKNOWN_MODEL,
                    format!("permissions for unknown model `{}`", model.value),
                )
                .at(model.at, "no such model")
                .help(format!(
                    "{}permissions are grouped under model names; the models are {}",
                    did_you_mean(&close_names(&model.value, names.iter().copied())),
                    list(&names)
                )),
            );
            continue;
        }
        for line in &block.lines {
            if line.action.value == "all" {
                cx.emit(
                    Report::error(ALL_IN_PERMISSIONS, "`all` is not allowed in permissions")
                        .at(line.action.at, "policies only")
                        .help("write one line per action (read, create, update, delete), or use `policy all \"...\"` in the model"),
                );
                continue;
            }
            let action = parse_action(
                cx,
                &line.action,
                &["read", "create", "update", "delete"],
                "permissions",
            );
            let mut roles_ok = true;
            for role in &line.roles {
                if !ir.roles.contains(&role.value) {
                    roles_ok = false;
                    let help = if ir.roles.is_empty() {
                        format!("declare it at the top level: `roles {}`", role.value)
                    } else {
                        format!(
                            "{}declared roles are {}; add it to a `roles` node",
                            did_you_mean(&close_names(
                                &role.value,
                                ir.roles.iter().map(String::as_str)
                            )),
                            list(&ir.roles)
                        )
                    };
                    cx.emit(
                        Report::error(
                            UNDECLARED_ROLE,
                            format!("role `{}` is not declared", role.value),
                        )
                        .at(role.at, "undeclared role")
                        .help(help),
                    );
                }
            }
            if line.roles.is_empty() {
                roles_ok = false;
                cx.emit(
                    Report::error(PERMISSION_WITHOUT_ROLE, format!("permission line `{}` names no role", line.action.value))
                        .at(line.node, "no role")
                        .help("list the roles the line grants, e.g. `create editor admin`; for a rule without roles use a policy"),
                );
            }
            let condition = match line.condition {
                Some(c) => match condition(cx, ir, &model.value, c, Context::Policy) {
                    Some(typed) => Some(typed),
                    None => continue,
                },
                None => None,
            };
            let (Some(action), true) = (action, roles_ok) else {
                continue;
            };
            let permission = Permission {
                action,
                roles: line.roles.iter().map(|r| r.value.clone()).collect(),
                condition,
            };
            out.push((model.value.clone(), permission, line.node));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes;

    fn with(block: &str) -> Vec<String> {
        codes(&format!(
            "roles editor admin\nmodel Post {{\n id uuid pk=#true\n policy all \"true\"\n}}\npermissions {{\n{block}\n}}\n"
        ))
    }

    #[test]
    fn lines_name_known_models_actions_and_roles() {
        assert!(with(" Post {\n  create editor admin\n  delete admin\n }").is_empty());
        assert_eq!(
            with(" Pots {\n  create editor\n }"),
            vec!["forge::unknown-model"]
        );
        assert_eq!(
            with(" Post {\n  all admin\n }"),
            vec!["forge::all-in-permissions"]
        );
        assert_eq!(
            with(" Post {\n  publish admin\n }"),
            vec!["forge::unknown-action"]
        );
        assert_eq!(
            with(" Post {\n  create editr\n }"),
            vec!["forge::undeclared-role"]
        );
        assert_eq!(
            with(" Post {\n  create\n }"),
            vec!["forge::permission-without-role"]
        );
    }
}
