//! Diagnostics family "hooks": `hook <event> "<file>#<export>"` with a known event, a target of
//! the form `file#export`, and one hook per event.

use forge_schemas::{Hook, HookEvent};

use crate::validate::decls::Spot;
use crate::validate::draft::Draft;
use crate::validate::report::{Cx, Report, close_names, did_you_mean};

pub const UNKNOWN_HOOK_EVENT: &str = "forge::unknown-hook-event";
pub const INVALID_HOOK_TARGET: &str = "forge::invalid-hook-target";
pub const DUPLICATE_HOOK: &str = "forge::duplicate-hook";

const EVENTS: [(&str, HookEvent); 6] = [
    ("before-create", HookEvent::BeforeCreate),
    ("after-create", HookEvent::AfterCreate),
    ("before-update", HookEvent::BeforeUpdate),
    ("after-update", HookEvent::AfterUpdate),
    ("before-delete", HookEvent::BeforeDelete),
    ("after-delete", HookEvent::AfterDelete),
];

/// The model's hooks, in declaration order.
pub fn hooks(cx: &mut Cx, draft: &Draft) -> Vec<Hook> {
    let mut seen: Vec<(HookEvent, Spot)> = Vec::new();
    let mut out = Vec::new();
    for decl in &draft.decl.hooks {
        let name = decl.event.value.as_str();
        let Some(&(_, event)) = EVENTS.iter().find(|(n, _)| *n == name) else {
            let names = EVENTS.map(|(n, _)| n);
            cx.emit(
                Report::error(UNKNOWN_HOOK_EVENT, format!("unknown hook event `{name}`"))
                    .at(decl.event.at, "not a hook event")
                    .help(format!(
                        "{}the events are {}",
                        did_you_mean(&close_names(name, names)),
                        names.join(", ")
                    )),
            );
            continue;
        };
        let target = split_target(&decl.target.value);
        let Some((file, export)) = target else {
            cx.emit(
                Report::error(INVALID_HOOK_TARGET, format!("hook target `{}` is not `file#export`", decl.target.value))
                    .at(decl.target.at, "expected `file#export`")
                    .help("name the file (relative to forge.kdl) and the exported function: \"hooks/post.ts#slugify\""),
            );
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(e, _)| *e == event) {
            cx.emit(
                Report::error(
                    DUPLICATE_HOOK,
                    format!("model `{}` has a second `{name}` hook", draft.name),
                )
                .at(decl.node, "second hook")
                .related(*first, "first hook")
                .help("a model has one hook per event: call both functions from one"),
            );
            continue;
        }
        seen.push((event, decl.node));
        cx.provenance(|| format!("{}#hook:{name}", draft.name), decl.node);
        out.push(Hook {
            event,
            file: file.to_string(),
            export: export.to_string(),
        });
    }
    out
}

/// `file#export` with a non-empty file and an identifier export.
fn split_target(target: &str) -> Option<(&str, &str)> {
    let (file, export) = target.split_once('#')?;
    let mut chars = export.chars();
    let export_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    (!file.trim().is_empty() && export_ok).then_some((file, export))
}

#[cfg(test)]
mod tests {
    use super::split_target;
    use crate::validate::tests::codes;

    fn with(hooks: &str) -> Vec<String> {
        codes(&format!(
            "model Post {{\n id uuid pk=#true\n policy all \"true\"\n{hooks}\n}}\n"
        ))
    }

    #[test]
    fn hooks_are_checked() {
        assert!(with(" hook before-create \"hooks/post.ts#slugify\"").is_empty());
        assert_eq!(
            with(" hook before-craete \"a.ts#b\""),
            vec!["forge::unknown-hook-event"]
        );
        assert_eq!(
            with(" hook after-create \"a.ts\""),
            vec!["forge::invalid-hook-target"]
        );
        assert_eq!(
            with(" hook after-create \"a.ts#x\"\n hook after-create \"b.ts#y\""),
            vec!["forge::duplicate-hook"]
        );
        assert_eq!(split_target("a.ts#b#c"), None);
    }
}
