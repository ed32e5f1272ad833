//! Test support: IRs built with the real front end, the examples, and tables of cases run through
//! one [`GuardRunner`] per test file.

use std::sync::{Mutex, MutexGuard, OnceLock};

use forge_schemas::Ir;
use forge_testkit::GuardRunner;
pub use forge_testkit::{example_ir as example, ir};
use serde_json::Value;

/// The runner of a test file, started on first use from the guards of `ir()`, shared by the
/// file's tests (one Node process per file).
pub fn shared(
    cell: &'static OnceLock<Mutex<GuardRunner>>,
    ir: impl FnOnce() -> Ir,
) -> MutexGuard<'static, GuardRunner> {
    cell.get_or_init(|| {
        Mutex::new(GuardRunner::new(
            &forge_gen_guard_ts::guards_ts(&ir()).content,
        ))
    })
    .lock()
    .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A question and its expected answer. Identities and records are JSON text.
pub struct Case {
    pub name: &'static str,
    /// `guards` (a model) or `joinGuards` (a join table).
    join: bool,
    target: &'static str,
    action: &'static str,
    user: String,
    record: String,
    after: Option<String>,
    expect: bool,
}

impl Case {
    /// The same question asked by the identity written as the JSON text `user` (for JSON that
    /// `serde_json` does not write, such as a lone surrogate or `1e400`).
    pub fn user_text(mut self, user: &str) -> Case {
        self.user = user.to_string();
        self
    }
}

/// `action` (read, create or delete) of `user` on `record` of `model` is `expect`.
pub fn case(
    name: &'static str,
    model: &'static str,
    action: &'static str,
    user: &Value,
    record: &Value,
    expect: bool,
) -> Case {
    Case {
        name,
        join: false,
        target: model,
        action,
        user: user.to_string(),
        record: record.to_string(),
        after: None,
        expect,
    }
}

/// An update of `model` from `before` to `after` by `user` is `expect`.
pub fn update(
    name: &'static str,
    model: &'static str,
    user: &Value,
    before: &Value,
    after: &Value,
    expect: bool,
) -> Case {
    Case {
        after: Some(after.to_string()),
        ..case(name, model, "update", user, before, expect)
    }
}

/// `action` of `user` on the link `row` of join table `table` is `expect`.
pub fn join(
    name: &'static str,
    table: &'static str,
    action: &'static str,
    user: &Value,
    row: &Value,
    expect: bool,
) -> Case {
    Case {
        join: true,
        ..case(name, table, action, user, row, expect)
    }
}

/// Asks every case; panics listing every one answered otherwise than expected.
pub fn check(runner: &mut GuardRunner, cases: &[Case]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter(|c| {
            let answer = if c.join {
                runner.check_join(c.target, c.action, &c.user, &c.record)
            } else {
                runner.check(c.target, c.action, &c.user, &c.record, c.after.as_deref())
            };
            answer != c.expect
        })
        .map(|c| {
            format!(
                "{}: {}.{} should be {} for user {} on {}",
                c.name, c.target, c.action, c.expect, c.user, c.record
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// `base` with the keys of `over` replaced (a record or identity with a few values changed).
pub fn with(base: &Value, over: Value) -> Value {
    let mut out = base.clone();
    let (Some(out_map), Value::Object(over)) = (out.as_object_mut(), over) else {
        panic!("`with` takes two objects");
    };
    out_map.extend(over);
    out
}

/// A uuid made of `n`: `00000000-0000-0000-0000-<n, 12 digits>`.
pub fn uuid(n: u64) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}
