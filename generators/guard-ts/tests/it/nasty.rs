//! Names and strings that must not break the file (`fixtures::NASTY`): JavaScript and SQL
//! reserved words as field names, a field named `constructor` (which plain objects inherit),
//! names of any script, models named `Record` and `Café`, and role and claim names holding
//! quotes, backslashes, line and paragraph separators, comment delimiters and a bidirectional
//! override, and a join table named `__proto__`. The file compiles, and the guards compare those
//! strings as they are.

use std::sync::{Mutex, MutexGuard, OnceLock};

use forge_testkit::GuardRunner;
use serde_json::{Value, json};

use crate::fixtures::NASTY;
use crate::support::{case, check, ir, join, shared, update, uuid, with};

fn runner() -> MutexGuard<'static, GuardRunner> {
    static RUNNER: OnceLock<Mutex<GuardRunner>> = OnceLock::new();
    shared(&RUNNER, || ir(NASTY))
}

const T: u64 = 9001;
const QUOTES: &str = "a'b\"c\u{2028}d";

fn user(roles: &[&str], claims: &[&str]) -> Value {
    json!({"id": uuid(11), "tenant_id": uuid(T), "roles": roles, "claims": claims})
}

/// A `Record` row of tenant T (readable by nobody in particular), with `over` changed.
fn record(over: Value) -> Value {
    with(
        &json!({"id": uuid(1), "tenant_id": uuid(T), "class": "y", "default": "default", "prénom": "p"}),
        over,
    )
}

fn cafe(over: Value) -> Value {
    with(
        &json!({"id": uuid(2), "tenant_id": uuid(T), "prénom": "p"}),
        over,
    )
}

#[test]
fn strings_are_kept_exactly_and_never_break_out() {
    let content = forge_gen_guard_ts::guards_ts(&ir(NASTY)).content;
    for raw in ['\u{2028}', '\u{2029}', '\u{202e}'] {
        assert!(!content.contains(raw), "{:?} written as is", raw);
    }
    assert!(
        content.contains(r#"holds(u.roles, "a'b\"c\u2028d")"#),
        "{content}"
    );
    assert!(content.contains(r#"// policy delete "record.function.prénom == '*/' || user.claims.includes('line\nbreak')""#));
    check(
        &mut runner(),
        &[
            case(
                "the role with quotes",
                "Record",
                "read",
                &user(&[QUOTES], &[]),
                &record(json!({})),
                true,
            ),
            case(
                "almost that role",
                "Record",
                "read",
                &user(&["a'b\"c"], &[]),
                &record(json!({})),
                false,
            ),
            case(
                "a reserved word",
                "Record",
                "read",
                &user(&[], &[]),
                &record(json!({"class": "x"})),
                true,
            ),
            case(
                "a name in another script",
                "Record",
                "read",
                &user(&[], &[]),
                &record(json!({"名前": "名"})),
                true,
            ),
            case(
                "an inherited constructor",
                "Record",
                "read",
                &user(&[], &[]),
                &record(json!({})),
                false,
            ),
            case(
                "an own constructor",
                "Record",
                "read",
                &user(&[], &[]),
                &record(json!({"constructor": {"a": 1}})),
                true,
            ),
            update(
                "an enum member named class",
                "Record",
                &user(&[QUOTES], &[]),
                &record(json!({"default": "class"})),
                &record(json!({"default": "class", "delete": false})),
                true,
            ),
            update(
                "a field named delete",
                "Record",
                &user(&[QUOTES], &[]),
                &record(json!({"default": "class"})),
                &record(json!({"default": "class", "delete": true})),
                false,
            ),
            case(
                "a comment delimiter in a literal",
                "Record",
                "delete",
                &user(&[QUOTES], &[]),
                &record(json!({"function": cafe(json!({"prénom": "*/"}))})),
                true,
            ),
            case(
                "a claim with a line break",
                "Record",
                "delete",
                &user(&[QUOTES], &["line\nbreak"]),
                &record(json!({})),
                true,
            ),
            case(
                "no such claim",
                "Record",
                "delete",
                &user(&[QUOTES], &["line break"]),
                &record(json!({})),
                false,
            ),
            case(
                "a script tag in a literal",
                "Café",
                "read",
                &user(&[], &[]),
                &cafe(json!({"records": [record(json!({"class": "</script>"}))]})),
                true,
            ),
            update(
                "a role with comment delimiters",
                "Café",
                &user(&["*/ x /*"], &[]),
                &cafe(json!({"records": [record(json!({"class": "</script>"}))]})),
                &cafe(json!({})),
                true,
            ),
            join(
                "a join table named __proto__",
                "__proto__",
                "create",
                &user(&["*/ x /*"], &[]),
                &json!({"café_id": uuid(2), "record_id": uuid(1), "tenant_id": uuid(T), "Café": cafe(json!({"records": [record(json!({"class": "</script>"}))]}))}),
                true,
            ),
        ],
    );
}
