//! The language's meaning, rule kind by rule kind, on `fixtures::SEMANTICS`: orders (code points,
//! enums, exact numbers, instants, uuids), the missing-value rule, relations (chains, `some`,
//! `every`, `includes`, rows of other tenants), identity values of every type, malformed ones
//! included. Each case holds one role, so one permission line decides (with the tenant guard).

use std::sync::{Mutex, MutexGuard, OnceLock};

use forge_testkit::GuardRunner;
use serde_json::{Value, json};

use crate::fixtures::SEMANTICS;
use crate::support::{Case, case, check, ir, shared, update, uuid, with};

fn runner() -> MutexGuard<'static, GuardRunner> {
    static RUNNER: OnceLock<Mutex<GuardRunner>> = OnceLock::new();
    shared(&RUNNER, || ir(SEMANTICS))
}

const T: u64 = 9001;
const OTHER: u64 = 9002;

/// A user of tenant T holding `role`, with identity attributes `extra`.
fn user(role: &str, extra: Value) -> Value {
    with(
        &json!({"id": uuid(11), "tenant_id": uuid(T), "roles": [role], "claims": []}),
        extra,
    )
}

/// An item of tenant T whose values satisfy no condition, with `over` changed.
fn item(over: Value) -> Value {
    with(
        &json!({
            "id": uuid(1), "tenant_id": uuid(T), "name": "n", "code": "m", "level": "low",
            "big": "0", "amount": "0", "ratio": 0.0, "count": 0, "at": "2030-01-01T00:00:00Z",
            "day": "2020-01-01", "ref": uuid(5)
        }),
        over,
    )
}

/// May a user holding `role` (and `extra`) read the item with `over`?
fn read(name: &'static str, role: &str, extra: Value, over: Value, expect: bool) -> Case {
    case(
        name,
        "Item",
        "read",
        &user(role, extra),
        &item(over),
        expect,
    )
}

#[test]
fn strings_order_by_code_point() {
    let none = || json!({});
    check(
        &mut runner(),
        &[
            read(
                "upper before lower",
                "code",
                none(),
                json!({"code": "B"}),
                true,
            ),
            read("equal", "code", none(), json!({"code": "b"}), false),
            read(
                "accented after ascii",
                "code",
                none(),
                json!({"code": "é"}),
                false,
            ),
            read("empty first", "code", none(), json!({"code": ""}), true),
            // JavaScript's `<` puts U+1F600 (a surrogate pair) before U+FF5E; code points do not.
            read(
                "astral after U+FF5E",
                "astral",
                none(),
                json!({"code": "😀"}),
                true,
            ),
            read(
                "U+FF5D before",
                "astral",
                none(),
                json!({"code": "\u{ff5d}"}),
                false,
            ),
            read("same text", "astral", none(), json!({"code": "～"}), false),
            read(
                "longer after",
                "astral",
                none(),
                json!({"code": "～a"}),
                true,
            ),
            read("not a string", "code", none(), json!({"code": 1}), false),
        ],
    );
}

#[test]
fn enums_order_by_declaration() {
    let none = || json!({});
    check(
        &mut runner(),
        &[
            read("mid", "level", none(), json!({"level": "mid"}), true),
            read("high", "level", none(), json!({"level": "high"}), true),
            read("low", "level", none(), json!({"level": "low"}), false),
            read(
                "not a member",
                "level",
                none(),
                json!({"level": "HIGH"}),
                false,
            ),
            read("a position", "level", none(), json!({"level": 2}), false),
        ],
    );
}

#[test]
fn numbers_compare_exactly_and_floats_as_doubles() {
    let none = || json!({});
    check(
        &mut runner(),
        &[
            read(
                "2^53 + 1 as text",
                "big",
                none(),
                json!({"big": "9007199254740993"}),
                true,
            ),
            read(
                "2^53",
                "big",
                none(),
                json!({"big": 9_007_199_254_740_992_u64}),
                false,
            ),
            read(
                "a JS bigint",
                "big",
                none(),
                json!({"big": {"$bigint": "9007199254740993"}}),
                true,
            ),
            read(
                "int8 max",
                "big",
                none(),
                json!({"big": "9223372036854775807"}),
                true,
            ),
            read(
                "over int8",
                "big",
                none(),
                json!({"big": "9223372036854775808"}),
                false,
            ),
            read("not digits", "big", none(), json!({"big": "12a"}), false),
            read("not whole", "big", none(), json!({"big": 1.5}), false),
            read(
                "decimal above",
                "amount",
                none(),
                json!({"amount": "12345678901234567890.51"}),
                true,
            ),
            read(
                "decimal equal",
                "amount",
                none(),
                json!({"amount": "12345678901234567890.50"}),
                false,
            ),
            read(
                "decimal far digits",
                "amount",
                none(),
                json!({"amount": "12345678901234567890.5000000001"}),
                true,
            ),
            read(
                "a large number",
                "amount",
                none(),
                json!({"amount": 1e30}),
                true,
            ),
            read(
                "exponent text",
                "amount",
                none(),
                json!({"amount": "1.23456789012345678905001e19"}),
                true,
            ),
            read(
                "not a number",
                "amount",
                none(),
                json!({"amount": "abc"}),
                false,
            ),
            read(
                "in: the literal",
                "mixed",
                none(),
                json!({"count": 7}),
                true,
            ),
            read(
                "in: the float",
                "mixed",
                none(),
                json!({"count": 2, "ratio": 2.0}),
                true,
            ),
            read(
                "in: neither",
                "mixed",
                none(),
                json!({"count": 3, "ratio": 2.5}),
                false,
            ),
            read(
                "float above integer",
                "ratio",
                none(),
                json!({"ratio": 1.5, "count": 1}),
                true,
            ),
            read(
                "float equal",
                "ratio",
                none(),
                json!({"ratio": 1.0, "count": 1}),
                false,
            ),
            read(
                "integer out of range",
                "ratio",
                none(),
                json!({"ratio": 1e10, "count": 2_147_483_648_u64}),
                false,
            ),
            read(
                "limit reached",
                "count",
                json!({"limit": 3}),
                json!({"count": 3}),
                true,
            ),
            read(
                "limit as text",
                "count",
                json!({"limit": "3"}),
                json!({"count": 3}),
                false,
            ),
            read(
                "limit not whole",
                "count",
                json!({"limit": 2.5}),
                json!({"count": 3}),
                false,
            ),
            read("no limit", "count", json!({}), json!({"count": 3}), false),
            read(
                "limit out of range",
                "count",
                json!({"limit": 2_147_483_648_u64}),
                json!({"count": 3}),
                false,
            ),
        ],
    );
}

#[test]
fn datetimes_order_by_instant_and_dates_by_day() {
    let none = || json!({});
    let at = |name, text: Value, expect| read(name, "at", json!({}), json!({"at": text}), expect);
    check(
        &mut runner(),
        &[
            at("a second before", json!("2023-12-31T23:29:59Z"), true),
            at(
                "the same second elsewhere",
                json!("2024-01-01T00:29:59+01:00"),
                true,
            ),
            at(
                "the instant itself",
                json!("2024-01-01T00:30:00+01:00"),
                false,
            ),
            at("west of UTC", json!("2023-12-31T18:29:59-05:00"), true),
            at(
                "a space, micros",
                json!("2023-12-31 23:29:59.9999994z"),
                true,
            ),
            at(
                "rounded up to the instant",
                json!("2023-12-31T23:29:59.9999996Z"),
                false,
            ),
            at("a Date", json!({"$date": "2023-12-31T23:29:59.999Z"}), true),
            at("no zone", json!("2023-12-31T23:29:59"), false),
            at("not a day", json!("2023-02-29T00:00:00Z"), false),
            at("hour 24", json!("2023-12-31T24:00:00Z"), false),
            at("a number", json!(1_700_000_000), false),
            read(
                "leap day",
                "day",
                none(),
                json!({"day": "2024-02-29"}),
                true,
            ),
            read("after", "day", none(), json!({"day": "2024-03-01"}), true),
            read("before", "day", none(), json!({"day": "2024-02-28"}), false),
            read(
                "no such day",
                "day",
                none(),
                json!({"day": "2025-02-29"}),
                false,
            ),
            read(
                "short month",
                "day",
                none(),
                json!({"day": "2025-3-01"}),
                false,
            ),
        ],
    );
}

#[test]
fn uuids_compare_as_lower_case_text() {
    let org = |o: &str| json!({"org": o});
    let upper = "ABCDEF00-0000-0000-0000-000000000001";
    check(
        &mut runner(),
        &[
            read(
                "upper-case before the literal",
                "ref",
                json!({}),
                json!({"ref": "9FFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"}),
                true,
            ),
            read(
                "equal in another case",
                "ref",
                json!({}),
                json!({"ref": "A0000000-0000-0000-0000-000000000000"}),
                false,
            ),
            read("not a uuid", "ref", json!({}), json!({"ref": "zz"}), false),
            read(
                "same uuid, other case",
                "same",
                org(&upper.to_lowercase()),
                json!({"ref": upper}),
                true,
            ),
            read(
                "another uuid",
                "same",
                org("abcdef00-0000-0000-0000-000000000002"),
                json!({"ref": upper}),
                false,
            ),
            read(
                "malformed identity uuid",
                "same",
                org("abcdef00"),
                json!({"ref": upper}),
                false,
            ),
        ],
    );
}

#[test]
fn missing_values_follow_the_language() {
    let team = |t: Value| json!({"team": t});
    check(
        &mut runner(),
        &[
            read(
                "negated equal: differ",
                "notteam",
                team(json!("y")),
                json!({"note": "x"}),
                true,
            ),
            read(
                "negated equal: same",
                "notteam",
                team(json!("x")),
                json!({"note": "x"}),
                false,
            ),
            read(
                "negated equal: no note",
                "notteam",
                team(json!("x")),
                json!({}),
                true,
            ),
            read(
                "negated equal: no team",
                "notteam",
                json!({}),
                json!({"note": "x"}),
                true,
            ),
            read(
                "negated equal: team of the wrong type",
                "notteam",
                team(json!(7)),
                json!({"note": "x"}),
                true,
            ),
            read(
                "not equal: differ",
                "neteam",
                team(json!("y")),
                json!({"note": "x"}),
                true,
            ),
            read(
                "not equal: no note",
                "neteam",
                team(json!("y")),
                json!({"note": null}),
                false,
            ),
            read(
                "not equal: no team",
                "neteam",
                json!({}),
                json!({"note": "x"}),
                false,
            ),
            read(
                "boolean true",
                "flag",
                json!({}),
                json!({"flag": true}),
                true,
            ),
            read(
                "boolean false",
                "flag",
                json!({}),
                json!({"flag": false}),
                false,
            ),
            read("missing boolean", "flag", json!({}), json!({}), false),
            read(
                "boolean as text",
                "flag",
                json!({}),
                json!({"flag": "true"}),
                false,
            ),
            read(
                "negated missing boolean",
                "notflag",
                json!({}),
                json!({}),
                true,
            ),
            read(
                "negated true",
                "notflag",
                json!({}),
                json!({"flag": true}),
                false,
            ),
            read(
                "json present",
                "presence",
                json!({}),
                json!({"data": {"a": 1}}),
                true,
            ),
            read(
                "json false is present",
                "presence",
                json!({}),
                json!({"data": false}),
                true,
            ),
            read(
                "json null is missing",
                "presence",
                json!({}),
                json!({"data": null}),
                false,
            ),
            read(
                "bytes present",
                "presence",
                json!({}),
                json!({"data": 1, "blob": "x"}),
                false,
            ),
            read(
                "in: a literal",
                "inlist",
                json!({}),
                json!({"name": "a"}),
                true,
            ),
            read(
                "in: the identity's",
                "inlist",
                team(json!("c")),
                json!({"name": "c"}),
                true,
            ),
            read(
                "in: a missing member",
                "inlist",
                json!({}),
                json!({"name": "c"}),
                false,
            ),
            read(
                "in: a missing value",
                "inlist",
                team(json!("c")),
                json!({"name": null}),
                false,
            ),
            read("literals and null", "lits", json!({}), json!({}), true),
        ],
    );
}

#[test]
fn relations_reach_loaded_rows_of_the_callers_tenant() {
    let t = uuid(T);
    let other = uuid(OTHER);
    let lead = |tenant: &str, name: &str| json!({"team": {"id": uuid(2), "tenant_id": t, "lead": {"id": uuid(3), "tenant_id": tenant, "name": name}}});
    let parts = |rows: Value| json!({"parts": rows});
    let part = |tenant: &str, weight: i64| json!({"id": uuid(4), "tenant_id": tenant, "item_id": uuid(1), "weight": weight});
    let label =
        |tenant: &str, id: &str, name: &str| json!({"id": id, "tenant_id": tenant, "name": name});
    let aa = "00000000-0000-0000-0000-0000000000AA";
    check(
        &mut runner(),
        &[
            read("a chain", "chain", json!({}), lead(&t, "boss"), true),
            read(
                "a chain into another tenant",
                "chain",
                json!({}),
                lead(&other, "boss"),
                false,
            ),
            read("another name", "chain", json!({}), lead(&t, "clerk"), false),
            read(
                "not loaded",
                "chain",
                json!({}),
                json!({"team": {"id": uuid(2), "tenant_id": t}}),
                false,
            ),
            read(
                "an array is not a row",
                "chain",
                json!({}),
                json!({"team": [lead(&t, "boss")]}),
                false,
            ),
            read(
                "a model without tenant",
                "org",
                json!({}),
                json!({"team": {"tenant_id": t, "org": {"id": uuid(6), "public": true}}}),
                true,
            ),
            read(
                "not public",
                "org",
                json!({}),
                json!({"team": {"tenant_id": t, "org": {"id": uuid(6), "public": false}}}),
                false,
            ),
            read(
                "some",
                "parts",
                json!({}),
                parts(json!([part(&t, 5), part(&t, 11)])),
                true,
            ),
            read(
                "some in another tenant",
                "parts",
                json!({}),
                parts(json!([part(&other, 11)])),
                false,
            ),
            read(
                "some over none",
                "parts",
                json!({}),
                parts(json!([])),
                false,
            ),
            read("some, not loaded", "parts", json!({}), json!({}), false),
            read(
                "junk rows are skipped",
                "parts",
                json!({}),
                parts(json!([null, "x", 3, part(&t, 11)])),
                true,
            ),
            read(
                "every over none",
                "allparts",
                json!({}),
                parts(json!([])),
                true,
            ),
            read("every, not loaded", "allparts", json!({}), json!({}), true),
            read(
                "every fails",
                "allparts",
                json!({}),
                parts(json!([part(&t, 11), part(&t, 5)])),
                false,
            ),
            read(
                "every ignores other tenants",
                "allparts",
                json!({}),
                parts(json!([part(&t, 11), part(&other, 5)])),
                true,
            ),
            read(
                "includes, any case",
                "labels",
                json!({}),
                json!({"labels": [label(&t, aa, "x")]}),
                true,
            ),
            read(
                "includes another tenant's",
                "labels",
                json!({}),
                json!({"labels": [label(&other, aa, "x")]}),
                false,
            ),
            read(
                "includes another",
                "labels",
                json!({}),
                json!({"labels": [label(&t, &uuid(0xab), "x")]}),
                false,
            ),
            read(
                "some over many-to-many",
                "labelsome",
                json!({}),
                json!({"labels": [label(&t, aa, "blue"), label(&t, &uuid(7), "red")]}),
                true,
            ),
        ],
    );
}

/// A member of tenant T.
fn team_member() -> Value {
    json!({"id": uuid(3), "tenant_id": uuid(T), "name": "m"})
}

#[test]
fn a_model_without_tenant_reaches_only_the_callers_tenant_and_constant_policies() {
    let org = |public: bool, tenant: &str| json!({"id": uuid(6), "name": "o", "public": public, "teams": [{"id": uuid(2), "tenant_id": tenant, "name": "core"}]});
    let member = user("none", json!({}));
    check(
        &mut runner(),
        &[
            case(
                "public",
                "Org",
                "read",
                &json!(null),
                &org(true, &uuid(OTHER)),
                true,
            ),
            case(
                "a core team here",
                "Org",
                "read",
                &member,
                &org(false, &uuid(T)),
                true,
            ),
            case(
                "a core team elsewhere",
                "Org",
                "read",
                &member,
                &org(false, &uuid(OTHER)),
                false,
            ),
            case(
                "anonymous sees no team",
                "Org",
                "read",
                &json!({}),
                &org(false, &uuid(T)),
                false,
            ),
            case(
                "never created",
                "Org",
                "create",
                &member,
                &org(true, &uuid(T)),
                false,
            ),
            case(
                "a readable member",
                "Member",
                "read",
                &member,
                &team_member(),
                true,
            ),
            update(
                "a policy that is false",
                "Member",
                &member,
                &team_member(),
                &team_member(),
                false,
            ),
        ],
    );
}

#[test]
fn identity_values_are_read_as_their_types() {
    let some = json!({"code": "B"});
    let t = uuid(T);
    check(
        &mut runner(),
        &[
            read(
                "claims",
                "claim",
                json!({"claims": ["docs.publish"]}),
                json!({}),
                true,
            ),
            read(
                "claims not a list",
                "claim",
                json!({"claims": "docs.publish"}),
                json!({}),
                false,
            ),
            read(
                "other items skipped",
                "claim",
                json!({"claims": [1, "docs.publish"]}),
                json!({}),
                true,
            ),
            read(
                "tenant in upper case",
                "code",
                json!({"tenant_id": t.to_uppercase()}),
                some.clone(),
                true,
            ),
            read(
                "tenant not a uuid",
                "code",
                json!({"tenant_id": "tenant-1"}),
                some.clone(),
                false,
            ),
            read(
                "no tenant",
                "code",
                json!({"tenant_id": null}),
                some.clone(),
                false,
            ),
            read(
                "a row of another tenant",
                "code",
                json!({}),
                json!({"code": "B", "tenant_id": uuid(OTHER)}),
                false,
            ),
            read(
                "roles not a list",
                "code",
                json!({"roles": "code"}),
                some.clone(),
                false,
            ),
            read(
                "roles with junk",
                "code",
                json!({"roles": [7, null, "code"]}),
                some.clone(),
                true,
            ),
            case(
                "null identity",
                "Item",
                "read",
                &json!(null),
                &item(json!({})),
                false,
            ),
            case(
                "array identity",
                "Item",
                "read",
                &json!(["lits"]),
                &item(json!({})),
                false,
            ),
            case(
                "text identity",
                "Item",
                "read",
                &json!("lits"),
                &item(json!({})),
                false,
            ),
            // PostgreSQL's jsonb holds neither U+0000 nor a lone surrogate: such an identity is
            // anonymous there (the setting does not parse), so here too, wherever the text is.
            read(
                "a well-formed identity",
                "lits",
                json!({"note": "a\u{1}b"}),
                json!({}),
                true,
            ),
            read(
                "U+0000 anywhere",
                "lits",
                json!({"note": ["a\u{0}b"]}),
                json!({}),
                false,
            ),
            read("a lone surrogate", "lits", json!({}), json!({}), false).user_text(&format!(
                "{{\"id\":\"{}\",\"tenant_id\":\"{t}\",\"roles\":[\"lits\"],\"x\":\"\\ud800\"}}",
                uuid(11)
            )),
            read("an enum", "lvl", json!({"level": "mid"}), json!({}), true),
            read(
                "the first member",
                "lvl",
                json!({"level": "low"}),
                json!({}),
                false,
            ),
            read(
                "not a member",
                "lvl",
                json!({"level": "MID"}),
                json!({}),
                false,
            ),
            read(
                "a bigint as text",
                "quota",
                json!({"quota": "9007199254740993"}),
                json!({}),
                true,
            ),
            read(
                "a JS bigint",
                "quota",
                json!({"quota": {"$bigint": "9007199254740993"}}),
                json!({}),
                true,
            ),
            read(
                "a bigint out of range",
                "quota",
                json!({"quota": "99999999999999999999"}),
                json!({}),
                false,
            ),
            read(
                "a decimal",
                "budget",
                json!({"budget": 0.1}),
                json!({}),
                true,
            ),
            read(
                "just below",
                "budget",
                json!({"budget": 0.099_999_999_999_999_99}),
                json!({}),
                false,
            ),
            read(
                "a decimal as text",
                "budget",
                json!({"budget": "0.1"}),
                json!({}),
                false,
            ),
            read("a float", "uratio", json!({"ratio": 0.5}), json!({}), true),
            read(
                "a subnormal float",
                "uratio",
                json!({"ratio": 1e-310}),
                json!({}),
                false,
            ),
            read(
                "a float out of range",
                "uratio",
                json!({}),
                json!({}),
                false,
            )
            .user_text(&format!(
                "{{\"tenant_id\":\"{t}\",\"roles\":[\"uratio\"],\"ratio\":-1e400}}"
            )),
            read(
                "a date",
                "born",
                json!({"born": "1999-12-31"}),
                json!({}),
                true,
            ),
            read(
                "no such date",
                "born",
                json!({"born": "1999-02-30"}),
                json!({}),
                false,
            ),
            read(
                "a datetime with an offset",
                "seen",
                json!({"seen": "2019-12-31T19:00:01-05:00"}),
                json!({}),
                true,
            ),
            read(
                "the same instant",
                "seen",
                json!({"seen": "2020-01-01T01:00:00+01:00"}),
                json!({}),
                false,
            ),
            read(
                "a microsecond after",
                "seen",
                json!({"seen": "2020-01-01T00:00:00.000001Z"}),
                json!({}),
                true,
            ),
            read(
                "a boolean",
                "active",
                json!({"active": true}),
                json!({}),
                true,
            ),
            read(
                "a boolean as text",
                "active",
                json!({"active": "yes"}),
                json!({}),
                false,
            ),
            read("json", "extra", json!({"extra": {}}), json!({}), true),
            read(
                "json false",
                "extra",
                json!({"extra": false}),
                json!({}),
                true,
            ),
            read(
                "json null",
                "extra",
                json!({"extra": null}),
                json!({}),
                false,
            ),
        ],
    );
}
