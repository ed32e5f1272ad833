//! Random rows and identities: the pools values come from (shared with the rules' literals, so
//! that comparisons hit), and proptest strategies for a batch's rows and identities.
//!
//! Rows hold what each store accepts: decimals with at most 15 significant digits (SQLite keeps
//! a double), datetimes with milliseconds (SQLite keeps canonical text with milliseconds),
//! strings without U+0000 (PostgreSQL refuses it), JSON columns without a JSON `null` (the
//! guards cannot tell it from a missing value). Identities go further: malformed values of every
//! kind, non-objects, and the inputs PostgreSQL's `jsonb` reads in its own way (whole numbers
//! with exponents, subnormal floats, microseconds, U+0000 and lone surrogates, keys given twice).

use forge_differential::domain::{CLAIMS, LEVELS, PLANS, ROLES};
use forge_differential::identity::{Entry, Identity};
use forge_differential::value::{
    Case, DateForm, NumberForm, Value, cased, days_from_civil, written,
};
use forge_differential::world::{
    CopyDraw, Kind, PICKS, RowDraw, TENANTS, WorldDraw, id, own_columns,
};
use forge_schemas::{FieldType, Ir};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use serde_json::{Value as Json, json};

/// Strings: ASCII and not, astral (a surrogate pair in JavaScript), combining marks, quotes and
/// backslashes, role names.
pub const STRINGS: [&str; 24] = [
    "",
    "a",
    "A",
    "b",
    "ab",
    "a b",
    " a",
    "Z",
    "z",
    "é",
    "e\u{301}",
    "ß",
    "😀",
    "😀a",
    "\u{ff5e}",
    "\u{e000}",
    "it's",
    "say \"hi\"",
    "back\\slash",
    "line\nbreak",
    "admin",
    "editor",
    "o'brien",
    "tasks.read",
];

/// Number literals of rules: integers of every size, fractions with at most 15 significant
/// digits, signs, a zero fraction.
pub const NUMBER_LITERALS: [&str; 22] = [
    "0",
    "1",
    "-1",
    "2",
    "3",
    "7",
    "42",
    "2.5",
    "-0.5",
    "0.1",
    "12.3456",
    "1234567890.1234",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9007199254740993",
    "-9223372036854775808",
    "9223372036854775807",
    "100000000000000000000",
    "+2",
    "-0",
    "3.0",
];

const INTEGERS: [i64; 9] = [0, 1, -1, 2, 3, 7, 42, -2_147_483_648, 2_147_483_647];

const BIGINTS: [i64; 10] = [
    0,
    1,
    -1,
    42,
    2_147_483_648,
    9_007_199_254_740_992,
    9_007_199_254_740_993,
    -9_007_199_254_740_993,
    i64::MAX,
    i64::MIN,
];

const DECIMALS: [&str; 12] = [
    "0",
    "0.1",
    "0.5",
    "1",
    "-1.25",
    "2.5",
    "12.3456",
    "12.34",
    "-0.0001",
    "99999.9999",
    "1234567890.1234",
    "42",
];

/// Floats: signed zeros, fractions, 2^31 - 1, 2^53 (next to bigints such as 2^53 + 1, which
/// compare with it as doubles), 10^20.
const FLOATS: [f64; 12] = [
    0.0,
    -0.0,
    0.1,
    -2.5,
    1.0,
    3.0,
    1e20,
    -0.001,
    0.300_000_000_000_000_04,
    2_147_483_647.0,
    9_007_199_254_740_992.0,
    12.3456,
];

pub const DATES: [&str; 7] = [
    "2024-01-31",
    "2024-02-29",
    "2023-12-31",
    "2024-03-01",
    "0001-01-01",
    "9999-12-31",
    "1970-01-01",
];

/// Datetime literals of rules: offsets, a space, lower-case `t` and `z`, a fraction finer than
/// milliseconds (which the IR cuts).
pub const DATETIME_LITERALS: [&str; 9] = [
    "2024-01-31T09:30:00Z",
    "2024-01-31 10:30:00+01:00",
    "2024-01-31T09:30:00.001Z",
    "2024-01-31t09:29:59.999z",
    "1970-01-01T00:00:00Z",
    "2024-01-31T09:30:00.000999Z",
    "2000-02-29T12:00:00-05:00",
    "0001-01-02T00:00:00Z",
    "9999-12-30T00:00:00+23:59",
];

/// Offsets datetimes of rows are written with, in minutes (PostgreSQL reads up to 15:59).
const OFFSETS: [i32; 7] = [0, 60, -600, 330, 959, -959, -30];

/// Offsets of identity datetimes: the language's whole range, hours 00 to 23 (beyond what
/// PostgreSQL's and SQLite's own date input read).
const IDENTITY_OFFSETS: [i32; 10] = [0, 60, -600, 330, 899, -899, 959, -959, 1439, -1439];

/// Instants of the rows (milliseconds since 1970), around those of the literals.
fn instants() -> Vec<i64> {
    let at = |y, mo, d, h: i64, mi: i64, ms: i64| {
        days_from_civil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + ms
    };
    vec![
        at(2024, 1, 31, 9, 30, 0),
        at(2024, 1, 31, 9, 30, 1),
        at(2024, 1, 31, 9, 30, -1),
        at(2024, 1, 31, 10, 30, 0),
        at(1970, 1, 1, 0, 0, 0),
        at(1970, 1, 1, 0, 0, -1),
        at(2000, 2, 29, 17, 0, 0),
        at(1, 1, 2, 0, 0, 0),
        at(9999, 12, 30, 0, 0, 0),
    ]
}

/// The members of enum `name`.
pub fn members(name: &str) -> &'static [&'static str] {
    match name {
        "Level" => &LEVELS,
        "Plan" => &PLANS,
        other => panic!("no enum `{other}` in the domain"),
    }
}

/// Uuids rules and rows use: ids of rows of every table (each in some case), and two others.
pub fn uuid_pool() -> Vec<(String, Case)> {
    let cases = [Case::Lower, Case::Upper, Case::Mixed];
    let mut ids = vec![
        "00000000-0000-0000-0000-000000000000".to_string(),
        "ffffffff-ffff-ffff-ffff-fffffffffffe".to_string(),
    ];
    for (kind, count) in [
        (Kind::Tenant, TENANTS),
        (Kind::Org, 2),
        (Kind::User, 9),
        (Kind::Team, 2),
        (Kind::Project, 3),
        (Kind::Tag, 2),
        (Kind::Task, 8),
        (Kind::Note, 2),
        (Kind::Created, 1),
    ] {
        ids.extend((0..count).map(|n| id(kind, n)));
    }
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| (id, cases[i % cases.len()]))
        .collect()
}

fn case() -> impl Strategy<Value = Case> {
    select(vec![Case::Lower, Case::Upper, Case::Mixed])
}

/// How an exact number reaches the guards: a JSON number only when the double is exact.
fn number_form(exact_as_double: bool, integral: bool) -> BoxedStrategy<NumberForm> {
    let mut forms = vec![NumberForm::Text];
    if exact_as_double {
        forms.push(NumberForm::Number);
    }
    if integral {
        forms.push(NumberForm::BigInt);
    }
    select(forms).boxed()
}

/// A value for a column of type `ty`.
fn column_value(ty: &FieldType) -> BoxedStrategy<Value> {
    match ty {
        FieldType::Uuid => (select(uuid_pool()), case())
            .prop_map(|((id, _), case)| Value::Uuid(id, case))
            .boxed(),
        FieldType::String { .. } | FieldType::Text => select(STRINGS.to_vec())
            .prop_map(|s| Value::Text(s.into()))
            .boxed(),
        FieldType::Integer => select(INTEGERS.to_vec()).prop_map(Value::Integer).boxed(),
        FieldType::Bigint => select(BIGINTS.to_vec())
            .prop_flat_map(|n| {
                number_form(n.unsigned_abs() <= 1 << 53, true)
                    .prop_map(move |f| Value::Bigint(n, f))
            })
            .boxed(),
        FieldType::Decimal { scale, .. } => {
            let fits: Vec<&str> = DECIMALS
                .iter()
                .filter(|d| {
                    d.split_once('.')
                        .is_none_or(|(_, f)| f.len() <= *scale as usize)
                })
                .copied()
                .collect();
            select(fits)
                .prop_flat_map(|d| {
                    number_form(true, !d.contains('.'))
                        .prop_map(move |f| Value::Decimal(d.to_string(), f))
                })
                .boxed()
        }
        FieldType::Float => select(FLOATS.to_vec()).prop_map(Value::Float).boxed(),
        FieldType::Boolean => any::<bool>().prop_map(Value::Boolean).boxed(),
        FieldType::Date => select(DATES.to_vec())
            .prop_map(|d| Value::Date(d.into()))
            .boxed(),
        FieldType::Datetime => (
            select(instants()),
            select(OFFSETS.to_vec()),
            select(vec![DateForm::Text, DateForm::Spaced, DateForm::Date]),
        )
            .prop_map(|(at, offset, form)| Value::Datetime(at, offset, form))
            .boxed(),
        FieldType::Enum { name } => select(members(name).to_vec())
            .prop_map(|m| Value::Enum(m.into()))
            .boxed(),
        FieldType::Json => select(vec![
            json!({"a": 1}),
            json!([1, 2]),
            json!("x"),
            json!(0),
            json!(false),
            json!({}),
        ])
        .prop_map(Value::Json)
        .boxed(),
        FieldType::Bytes => select(vec![vec![], vec![0], vec![1, 2, 255]])
            .prop_map(Value::Bytes)
            .boxed(),
    }
}

/// A row of `model` (by name in `ir`): values for its own columns (missing one time in five when
/// optional), and picks.
fn row(ir: &Ir, model: &str) -> BoxedStrategy<RowDraw> {
    let model = ir
        .model(model)
        .unwrap_or_else(|| panic!("no model `{model}`"));
    let values: Vec<BoxedStrategy<Value>> = own_columns(model)
        .into_iter()
        .map(|f| {
            let value = column_value(&f.ty);
            if f.optional {
                prop_oneof![1 => Just(Value::Null), 4 => value].boxed()
            } else {
                value
            }
        })
        .collect();
    (values, proptest::collection::vec(any::<u32>(), PICKS))
        .prop_map(|(values, picks)| RowDraw { values, picks })
        .boxed()
}

/// The rows of a batch of `copies` task models; `ir` is any IR of the domain whose task and
/// note models are `Task0` and `Note0`.
pub fn world(ir: &Ir, copies: usize) -> BoxedStrategy<WorldDraw> {
    let rows = |model: &str, n: usize| proptest::collection::vec(row(ir, model), n);
    let copy = (
        proptest::collection::vec(row(ir, "Task0"), 5..=8),
        proptest::collection::vec(row(ir, "Note0"), 0..=8),
        proptest::collection::vec(row(ir, "Task0"), 8),
    )
        .prop_map(|(tasks, notes, changes)| CopyDraw {
            tasks,
            notes,
            changes,
        });
    (
        rows("Org", 2),
        rows("User", 3 * TENANTS),
        rows("Team", 2 * TENANTS),
        rows("Project", 2 * TENANTS),
        rows("Tag", 2 * TENANTS),
        proptest::collection::vec(copy, copies),
    )
        .prop_map(|(orgs, users, teams, projects, tags, copies)| WorldDraw {
            orgs,
            users,
            teams,
            projects,
            tags,
            copies,
        })
        .boxed()
}

/// `value` as JSON text.
fn text(value: Json) -> String {
    value.to_string()
}

/// An identity entry's value, as JSON text: valid for `ty` (in any form JSON offers: `7.0` and
/// `1e2` are whole numbers), malformed, `null`, or at the edges of how PostgreSQL reads it.
fn identity_value(ty: &FieldType) -> BoxedStrategy<String> {
    let s = |s: &str| text(json!(s));
    let raw = |s: &str| s.to_string();
    let (valid, malformed): (BoxedStrategy<String>, Vec<String>) = match ty {
        FieldType::Uuid => (
            (select(uuid_pool()), case())
                .prop_map(|((id, _), case)| text(json!(cased(&id, case))))
                .boxed(),
            vec![
                s("not-a-uuid"),
                s("cccccccc-0000-4000-8000-00000000001"),
                s("{cccccccc-0000-4000-8000-000000000001}"),
                s("cccccccc000040008000000000000001"),
                s(" cccccccc-0000-4000-8000-000000000001"),
                raw("5"),
            ],
        ),
        FieldType::String { .. } | FieldType::Text => (
            select(STRINGS.to_vec())
                .prop_map(|v| text(json!(v)))
                .boxed(),
            vec![raw("5"), raw("[\"a\"]"), raw("true")],
        ),
        FieldType::Integer => (
            select(INTEGERS.to_vec())
                .prop_map(|n| n.to_string())
                .boxed(),
            vec![s("7"), raw("2.5"), raw("2147483648"), raw("7.0"), raw("-0")],
        ),
        FieldType::Bigint => (
            prop_oneof![
                select(BIGINTS.to_vec())
                    .prop_filter("exact as a double", |n| n.unsigned_abs() <= 1 << 53)
                    .prop_map(|n| n.to_string()),
                select(BIGINTS.to_vec()).prop_map(|n| text(json!(n.to_string()))),
            ]
            .boxed(),
            vec![
                s("+5"),
                s("12345678901234567890"),
                s("9223372036854775808"),
                s(" 5"),
                raw("1.5"),
                raw("42.0"),
            ],
        ),
        FieldType::Decimal { .. } => (
            select(DECIMALS.to_vec()).prop_map(str::to_string).boxed(),
            vec![s("1.5"), raw("true"), raw("1E2"), raw("-0.0")],
        ),
        FieldType::Float => (
            select(FLOATS.to_vec()).prop_map(|x| text(json!(x))).boxed(),
            vec![s("0.1"), raw("1e400"), raw("-1e400")],
        ),
        FieldType::Boolean => (
            any::<bool>().prop_map(|b| b.to_string()).boxed(),
            vec![s("true"), raw("1"), raw("0")],
        ),
        FieldType::Date => (
            select(DATES.to_vec()).prop_map(|d| text(json!(d))).boxed(),
            vec![
                s("2023-02-29"),
                s("2024-1-5"),
                s("0000-01-01"),
                s("2024-01-31T00:00:00Z"),
                raw("20240131"),
            ],
        ),
        FieldType::Datetime => (
            (
                select(instants()),
                select(IDENTITY_OFFSETS.to_vec()),
                any::<bool>(),
                any::<bool>(),
            )
                .prop_map(|(at, offset, spaced, numeric)| {
                    text(json!(written(
                        at,
                        offset,
                        if spaced { ' ' } else { 'T' },
                        numeric
                    )))
                })
                .boxed(),
            vec![
                s("2024-02-30T00:00:00Z"),
                s("2024-01-31T24:00:00Z"),
                s("2024-01-31"),
                s("2024-01-31T09:30:00"),
                s("2024-01-31T09:30:00+24:00"),
                s("yesterday"),
                raw("5"),
            ],
        ),
        FieldType::Enum { name } => (
            select(members(name).to_vec())
                .prop_map(|m| text(json!(m)))
                .boxed(),
            vec![s("LOW"), s("Free"), raw("0")],
        ),
        FieldType::Json | FieldType::Bytes => (Just(s("x")).boxed(), vec![raw("[]")]),
    };
    let mut options = vec![
        (6, valid),
        (2, select(malformed).boxed()),
        (1, Just("null".to_string()).boxed()),
    ];
    let edges = edges(ty);
    if !edges.is_empty() {
        options.push((1, select(edges).boxed()));
    }
    Union::new_weighted(options).boxed()
}

/// Values of type `ty` that PostgreSQL reads in its own way (`forge.json_*`): whole numbers with
/// an exponent or a fraction of zeros (exact for bigints), floats at the edges of the normal
/// range (subnormals are missing), datetimes with microseconds (rounded half to even, so some
/// fall on a row's millisecond). Only values JSON.parse leaves exact, so that the TypeScript
/// guards can agree (`1e-400` would parse as 0).
fn edges(ty: &FieldType) -> Vec<String> {
    let s = |s: &str| text(json!(s));
    let raw = |values: &[&str]| values.iter().map(|v| v.to_string()).collect();
    match ty {
        FieldType::Integer => raw(&[
            "1e2",
            "7e0",
            "4.2E+1",
            "420e-1",
            "-1.0e0",
            "2.147483647e9",
            "-2.147483648E9",
            "2.147483648e9",
            "7.5e0",
            "1e-1",
            "-0.0e3",
        ]),
        FieldType::Bigint => raw(&[
            "1e3",
            "4.2e1",
            "9.007199254740992e15",
            "90071992547409920e-1",
            "-9007199254740992E0",
            "9.2e18",
            "1e19",
            "0.5e1",
            "0.5e0",
        ]),
        FieldType::Float => raw(&[
            "5e-324",
            "-4.9e-324",
            "2.2e-308",
            "2.2250738585072014e-308",
            "1.7976931348623157e308",
            "-0.0e5",
            "1E0",
            "0.3e1",
        ]),
        FieldType::Datetime => [
            "2024-01-31T09:30:00.0005Z",
            "2024-01-31T09:29:59.9995Z",
            "2024-01-31T09:30:00.0000005Z",
            "2024-01-31T09:29:59.9999995Z",
            "2024-01-31T09:30:00.000001Z",
            "2024-01-31T10:30:00.0009995+01:00",
            "2024-01-31T09:30:00.0009994999Z",
            "1970-01-01T00:00:00.0000015Z",
        ]
        .map(s)
        .to_vec(),
        _ => Vec::new(),
    }
}

/// `user.roles` or `user.claims`: a list of declared names, others, items that are not strings;
/// sometimes not a list; sometimes a string `jsonb` refuses (U+0000, a lone surrogate: the whole
/// identity is then anonymous) or one that only looks like it (an escaped backslash before
/// `u0000`, a surrogate pair).
fn names(declared: &'static [&'static str]) -> BoxedStrategy<Entry> {
    let mut items: Vec<String> = declared.iter().map(|n| text(json!(n))).collect();
    items.extend(
        ["\"ADMIN\"", "\"root\"", "1", "null", "[\"admin\"]"]
            .iter()
            .map(|t| t.to_string()),
    );
    // Refused (U+0000, lone surrogates) and not (an escaped backslash, a pair), as written.
    let escaped = [
        r#""\u0000""#,
        r#""a\ud800""#,
        r#""\udc00a""#,
        r#""\uD800\\uDC00""#,
        r#""\\u0000""#,
        r#""\ud83d\ude00""#,
    ]
    .map(str::to_string)
    .to_vec();
    let mut options = vec![
        (
            16,
            proptest::sample::subsequence(items.clone(), 0..=3)
                .prop_map(Entry::List)
                .boxed(),
        ),
        (1, Just(Entry::Json(text(json!(declared[0])))).boxed()),
        (
            1,
            Just(Entry::Json(text(json!({ declared[0]: true })))).boxed(),
        ),
    ];
    let with_escape = (select(items), select(escaped)).prop_map(|(a, b)| Entry::List(vec![a, b]));
    options.push((1, with_escape.boxed()));
    Union::new_weighted(options).boxed()
}

/// An identity, as services set `forge.user`: mostly an object with an id and a tenant
/// (valid or not), roles, claims and attributes, each maybe missing; sometimes not an object.
/// Sometimes a key is given twice (PostgreSQL's `jsonb` and JSON parsers keep the last), or a
/// key holds U+0000 (the whole identity is then anonymous) or only looks like it does.
pub fn identity(ir: &Ir) -> BoxedStrategy<Identity> {
    let users: Vec<String> = (0..9).map(|n| id(Kind::User, n)).collect();
    let tenants: Vec<String> = (0..TENANTS).map(|n| id(Kind::Tenant, n)).collect();
    let ours =
        |ids: Vec<String>| (select(ids), case()).prop_map(|(id, c)| text(json!(cased(&id, c))));
    let json = |value: BoxedStrategy<String>| value.prop_map(Entry::Json).boxed();
    let mut entries: Vec<BoxedStrategy<Option<(String, Entry)>>> = vec![
        entry(
            "id",
            json(prop_oneof![6 => ours(users), 3 => identity_value(&FieldType::Uuid)].boxed()),
            0.85,
        ),
        entry(
            "tenant_id",
            json(prop_oneof![6 => ours(tenants), 2 => identity_value(&FieldType::Uuid)].boxed()),
            0.9,
        ),
        entry("roles", names(&ROLES), 0.85),
        entry("claims", names(&CLAIMS), 0.6),
    ];
    for attribute in &ir.identity.attributes {
        entries.push(entry(
            &attribute.name,
            json(identity_value(&attribute.ty)),
            0.6,
        ));
    }
    entries.push(entry(
        "\u{0}",
        Just(Entry::Json("1".to_string())).boxed(),
        0.02,
    ));
    entries.push(entry(
        "\\u0000",
        Just(Entry::Json("1".to_string())).boxed(),
        0.02,
    ));
    let duplicate = proptest::option::weighted(0.05, select(vec!["id", "tenant_id", "roles"]));
    let object = (entries, duplicate).prop_map(|(entries, duplicate)| {
        let mut entries: Vec<(String, Entry)> = entries.into_iter().flatten().collect();
        if let Some(key) = duplicate
            && entries.iter().any(|(k, _)| k == key)
        {
            let first = match key {
                "roles" => Entry::List(vec![text(json!(ROLES[0]))]),
                _ => Entry::Json(text(json!(id(Kind::User, 2)))),
            };
            entries.insert(0, (key.to_string(), first));
        }
        Identity::Object(entries)
    });
    let others = vec![
        "null",
        "[]",
        "\"admin\"",
        "5",
        "true",
        "[{\"id\": \"cccccccc-0000-4000-8000-000000000000\"}]",
    ];
    prop_oneof![
        14 => object,
        1 => select(others).prop_map(|t| Identity::Other(t.to_string())),
    ]
    .boxed()
}

/// `Some((key, value))` with probability `present`.
fn entry(
    key: &str,
    value: BoxedStrategy<Entry>,
    present: f64,
) -> BoxedStrategy<Option<(String, Entry)>> {
    let key = key.to_string();
    proptest::option::weighted(present, value)
        .prop_map(move |v| v.map(|v| (key.clone(), v)))
        .boxed()
}
