//! Who may do what: for each action, everything that must hold (the tenant guard, the `all`
//! policy, the action's policy, and one of its permission lines), in words, with each rule's
//! lines tagged with its origin (`policy:<action>`, `permission:<action>:<n>`).

use forge_plugin::schemas::{Action, Expr, Literal, Permission, Policy};
use forge_plugin::{Lines, Model};

use crate::markdown::{code, list};
use crate::prose::words;

pub fn write(page: &mut Lines, model: &Model, expressions: bool) {
    page.line("");
    page.line("## Access");
    page.line("");
    page.line(
        "An action is allowed when everything listed under it holds. A create is checked on the \
         new row, an update on the row before and after the change, and updating or deleting a \
         row also needs it to be readable.",
    );
    for action in Action::CONCRETE {
        page.line("");
        page.line(format!("### {}", title(action)));
        page.line("");
        let all = policy(model, Action::All);
        let own = policy(model, action);
        let permissions: Vec<(usize, &Permission)> = model
            .permissions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.action == action)
            .collect();
        if all.is_none() && own.is_none() && permissions.is_empty() {
            page.line("- denied to everyone: no policy or permission allows it")
                .model(&model.name);
            continue;
        }
        if let Some(tenant) = &model.tenant {
            page.line(format!("- the row's {} is the user's tenant", code(tenant)))
                .model(&model.name)
                .field(tenant);
        }
        for policy in all.into_iter().chain(own) {
            let start = page.mark();
            let name = policy.action.as_str();
            page.line(format!(
                "- policy {}: {}",
                code(name),
                words(&policy.condition.expr)
            ));
            if expressions {
                page.line(format!(
                    "  - as written: {}",
                    code(&policy.condition.source)
                ));
            }
            page.since(start)
                .model(&model.name)
                .element(format!("policy:{name}"));
        }
        match permissions.as_slice() {
            [] => {}
            [(n, one)] => permission(page, model, "- permission: ", *n, one, expressions),
            many => {
                page.line("- one of these permissions:");
                for (n, p) in many {
                    permission(page, model, "  - ", *n, p, expressions);
                }
            }
        }
    }
}

/// One permission line: its roles, and its condition when it has one.
fn permission(
    page: &mut Lines,
    model: &Model,
    prefix: &str,
    n: usize,
    permission: &Permission,
    expressions: bool,
) {
    let start = page.mark();
    let roles: Vec<String> = permission.roles.iter().map(|r| code(r)).collect();
    let mut text = format!("{prefix}role {}", list(&roles, "or"));
    if let Some(condition) = &permission.condition {
        text.push_str(&format!(", when {}", words(&condition.expr)));
    }
    page.line(text);
    if let (Some(condition), true) = (&permission.condition, expressions) {
        let indent = " ".repeat(prefix.len());
        page.line(format!("{indent}- as written: {}", code(&condition.source)));
    }
    let element = format!("permission:{}:{n}", permission.action.as_str());
    page.since(start).model(&model.name).element(element);
}

/// True when reading the model's rows needs nothing but (for a tenant-scoped model) being in the
/// row's tenant: its read rules are all `true`, and no permission line narrows them.
pub fn open_reads(model: &Model) -> bool {
    let rules: Vec<&Policy> = [policy(model, Action::All), policy(model, Action::Read)]
        .into_iter()
        .flatten()
        .collect();
    let always = |p: &&Policy| {
        matches!(
            p.condition.expr,
            Expr::Literal {
                value: Literal::Bool(true)
            }
        )
    };
    !rules.is_empty()
        && rules.iter().all(always)
        && !model.permissions.iter().any(|p| p.action == Action::Read)
}

fn policy(model: &Model, action: Action) -> Option<&Policy> {
    model.policies.iter().find(|p| p.action == action)
}

fn title(action: Action) -> &'static str {
    match action {
        Action::Read => "Read",
        Action::Create => "Create",
        Action::Update => "Update",
        Action::Delete => "Delete",
        Action::All => "All",
    }
}
