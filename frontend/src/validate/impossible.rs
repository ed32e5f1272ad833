//! Warnings family "impossible": an action of a model that rules exist for, yet nobody can perform
//! (`forge::action-impossible`), found by folding the rules under the missing-value rules
//! ([`fold`](crate::validate::fold)):
//!
//! - a policy that is never true (`policy update "false"`), which takes its action down (and for
//!   `read`, update and delete, which need a readable row; for `all`, every action);
//! - a permission line that never holds (its `if` is never true, or contradicts its roles); when
//!   every line of an action is such, the action is impossible;
//! - rules that are never true together: the `all` policy, the action's policy, its lines, and
//!   for update and delete the read rules (`policy read "record.a == 'x'"` with
//!   `policy update "record.a == 'y'"`);
//! - update or delete rules on a model that nothing lets read: a row must be readable to change.
//!
//! The actions without any rule are `forge::action-denied` (family "access").

use forge_schemas::{Action, Model};

use crate::validate::fold::{Truth, fold};
use crate::validate::report::{Cx, Report, and_list};
use crate::validate::rules::{Part, Rule, all_of, parts};

pub const ACTION_IMPOSSIBLE: &str = "forge::action-impossible";

const NEVER: &str = "false for every user and row";

/// Warns about the actions of `model` that its rules make impossible, once per cause.
pub fn impossible(cx: &mut Cx, model: &Model, rules: &[Rule]) {
    let has_rules = |action: Action| !parts(rules, action).is_empty();
    // The actions that fall with `action`: a row must be readable to be updated or deleted.
    let falling = |action: Action| -> Vec<Action> {
        let with: &[Action] = match action {
            Action::All => &Action::CONCRETE,
            Action::Read => &[Action::Read, Action::Update, Action::Delete],
            _ => &[],
        };
        Action::CONCRETE
            .into_iter()
            .filter(|a| (*a == action || with.contains(a)) && has_rules(*a))
            .collect()
    };
    let mut settled: Vec<Action> = Vec::new();

    for rule in rules.iter().filter(|r| r.roles.is_none()) {
        if fold(&rule.condition) != Truth::False {
            continue;
        }
        let lost = falling(rule.action);
        cx.emit(
            Report::warning(
                ACTION_IMPOSSIBLE,
                format!(
                    "nobody can {} `{}` rows: its {} is never true",
                    verbs(&lost),
                    model.name,
                    rule.describe()
                ),
            )
            .at(rule.at, NEVER)
            .help(format!("{}{DENY}", readable_too(rule.action))),
        );
        settled.extend(lost);
    }

    for action in Action::CONCRETE {
        let lines: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.action == action && r.roles.is_some())
            .collect();
        let dead: Vec<&Rule> = lines
            .iter()
            .copied()
            .filter(|r| fold(&r.condition) == Truth::False)
            .collect();
        let Some(first) = dead.first() else {
            continue;
        };
        if dead.len() == lines.len() && !settled.contains(&action) {
            let lost = falling(action);
            let what = match dead.len() {
                1 => format!("its {} never holds", first.describe()),
                _ => format!(
                    "none of its `{}` permission lines can hold",
                    action.as_str()
                ),
            };
            let mut report = Report::warning(
                ACTION_IMPOSSIBLE,
                format!("nobody can {} `{}` rows: {what}", verbs(&lost), model.name),
            )
            .at(first.at, NEVER);
            for other in &dead[1..] {
                report = report.related(other.at, NEVER);
            }
            cx.emit(report.help(format!("{}{LINE}", readable_too(action))));
            settled.extend(lost);
        } else {
            for line in dead {
                cx.emit(
                    Report::warning(
                        ACTION_IMPOSSIBLE,
                        format!(
                            "the {} of `{}` never holds: it allows nothing",
                            line.describe(),
                            model.name
                        ),
                    )
                    .at(line.at, NEVER)
                    .help(LINE),
                );
            }
        }
    }

    for action in Action::CONCRETE {
        if settled.contains(&action) || !has_rules(action) {
            continue;
        }
        let mut deciding = parts(rules, action);
        let changes = matches!(action, Action::Update | Action::Delete);
        if changes && !has_rules(Action::Read) {
            let verb = action.as_str();
            cx.emit(
                Report::warning(
                    ACTION_IMPOSSIBLE,
                    format!(
                        "nobody can {verb} `{}` rows: a row must be readable to be {verb}d, and no rule allows read",
                        model.name
                    ),
                )
                .at(deciding[0].rules[0].at, format!("no row can be {verb}d"))
                .help(format!(
                    "add a `read` policy (or `policy all`) to the model, or a line `read <role>` under `{}` in a permissions block",
                    model.name
                )),
            );
            settled.push(action);
            continue;
        }
        if changes {
            // The read rules too; the `all` policy is already there.
            deciding.extend(
                parts(rules, Action::Read)
                    .into_iter()
                    .filter(|p| p.rules[0].action == Action::Read),
            );
        }
        let mut core: Vec<&Part> = deciding.iter().collect();
        if fold(&all_of(&core)) != Truth::False {
            continue;
        }
        // Leave out the parts the contradiction does not need (the action's own first part stays).
        for i in (1..core.len()).rev() {
            let mut without = core.clone();
            without.remove(i);
            if fold(&all_of(&without)) == Truth::False {
                core = without;
            }
        }
        let lost = falling(action);
        let verb = action.as_str();
        let mut report = Report::warning(
            ACTION_IMPOSSIBLE,
            format!(
                "nobody can {} `{}` rows: its rules for {verb} are never true together",
                verbs(&lost),
                model.name,
            ),
        )
        .at(
            core[0].rules[0].at,
            "never true together with the other marked rules",
        );
        for rule in core.iter().flat_map(|p| &p.rules).skip(1) {
            report = report.related(rule.at, format!("also decides {verb}"));
        }
        let described: Vec<String> = core.iter().map(|p| p.describe()).collect();
        let readable = if core.iter().any(|p| p.rules[0].action == Action::Read) {
            format!(" (a row must be readable to be {verb}d)")
        } else {
            String::new()
        };
        cx.emit(report.help(format!(
            "to {verb} a row, {} must hold on it together{readable}; change a condition so that they can",
            and_list(&described)
        )));
        settled.extend(lost);
    }
}

const DENY: &str = "fix the condition; to deny on purpose, leave the action without any rule: it is then denied (and `forge::action-denied` says so)";

const LINE: &str = "a line holds for a user with one of its roles whose `if` is true: fix the `if` (or the roles), or remove the line";

/// What the help adds when `action` takes update and delete down with it.
fn readable_too(action: Action) -> &'static str {
    match action {
        Action::Read => "a row nobody can read cannot be updated or deleted either; ",
        _ => "",
    }
}

/// `read, update or delete`.
fn verbs(actions: &[Action]) -> String {
    let words: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
    match words.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::{codes_with_warnings, warnings};

    fn post(body: &str, permissions: &str) -> Vec<String> {
        warnings(&format!(
            "roles editor admin\nmodel Post {{\n id uuid pk=#true\n status string\n note string optional=#true\n{body}\n}}\npermissions {{\n Post {{\n{permissions}\n }}\n}}\n"
        ))
        .into_iter()
        .filter(|w| w.starts_with("nobody can") || w.starts_with("the permission line"))
        .collect()
    }

    #[test]
    fn a_policy_never_true_makes_its_actions_impossible() {
        assert_eq!(
            post(" policy all \"true\"\n policy update \"false\"", ""),
            ["nobody can update `Post` rows: its `update` policy is never true"]
        );
        assert_eq!(
            post(
                " policy all \"record.status == 'a' && record.status == 'b'\"",
                ""
            ),
            [
                "nobody can read, create, update or delete `Post` rows: its `all` policy is never true"
            ]
        );
        assert_eq!(
            post(
                " policy read \"record.note == null && record.note != null\"\n policy delete \"true\"",
                ""
            ),
            ["nobody can read or delete `Post` rows: its `read` policy is never true"]
        );
    }

    #[test]
    fn permission_lines_that_never_hold_are_reported() {
        assert_eq!(
            post(" policy all \"true\"", "  update editor if=\"false\""),
            ["nobody can update `Post` rows: its permission line `update editor` never holds"]
        );
        assert_eq!(
            post(
                " policy all \"true\"",
                "  update admin\n  update editor if=\"!user.roles.includes('editor')\""
            ),
            ["the permission line `update editor` of `Post` never holds: it allows nothing"]
        );
        assert_eq!(
            post(
                " policy all \"true\"",
                "  delete editor if=\"false\"\n  delete admin if=\"record.status == 'x' && record.status == 'y'\""
            ),
            ["nobody can delete `Post` rows: none of its `delete` permission lines can hold"]
        );
        // A line with several roles is only impossible when its `if` excludes every one of them.
        assert!(
            post(
                " policy all \"true\"",
                "  update editor admin if=\"!user.roles.includes('editor')\""
            )
            .is_empty()
        );
    }

    #[test]
    fn rules_never_true_together_make_the_action_impossible() {
        assert_eq!(
            post(
                " policy all \"record.status == 'draft'\"\n policy update \"record.status == 'published'\"",
                ""
            ),
            ["nobody can update `Post` rows: its rules for update are never true together"]
        );
        assert_eq!(
            post(
                " policy read \"record.status == 'published'\"\n policy delete \"record.status == 'draft'\"",
                ""
            ),
            ["nobody can delete `Post` rows: its rules for delete are never true together"]
        );
        assert_eq!(
            post(
                " policy all \"true\"\n policy update \"!user.roles.includes('editor')\"",
                "  update editor"
            ),
            ["nobody can update `Post` rows: its rules for update are never true together"]
        );
        // A create is not a read: it does not need the read rule.
        assert!(
            post(
                " policy read \"record.status == 'published'\"\n policy create \"record.status == 'draft'\"",
                ""
            )
            .is_empty()
        );
    }

    #[test]
    fn an_update_without_any_read_rule_is_impossible() {
        assert_eq!(
            post(" policy update \"true\"", ""),
            [
                "nobody can update `Post` rows: a row must be readable to be updated, and no rule allows read"
            ]
        );
        assert!(post(" policy read \"true\"\n policy update \"true\"", "").is_empty());
    }

    #[test]
    fn rules_that_can_hold_are_not_reported() {
        for rule in [
            "!(record.note == null)",
            "record.note != 'x' || record.note == 'x'",
            "record.status == 'a' || record.status == 'b'",
            "user.roles.includes('admin') && user.roles.includes('editor')",
        ] {
            assert!(
                post(&format!(" policy all \"{rule}\""), "").is_empty(),
                "{rule}"
            );
        }
    }

    #[test]
    fn nothing_is_folded_while_the_schema_has_errors() {
        let text = "model Post {\n id uuid pk=#true\n title strng\n policy all \"false\"\n}\n";
        assert_eq!(codes_with_warnings(text), ["forge::unknown-type"]);
    }
}
