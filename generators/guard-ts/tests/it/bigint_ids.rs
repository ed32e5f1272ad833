//! An identity whose `id` and `tenant_id` are bigints (`fixtures::BIGINT_IDS`): the tenant guard
//! and owner rules compare 64-bit values exactly, whichever way they arrive (a number, digits, a
//! JavaScript bigint).

use std::sync::{Mutex, MutexGuard, OnceLock};

use forge_testkit::GuardRunner;
use serde_json::{Value, json};

use crate::fixtures::BIGINT_IDS;
use crate::support::{case, check, ir, shared, update, with};

fn runner() -> MutexGuard<'static, GuardRunner> {
    static RUNNER: OnceLock<Mutex<GuardRunner>> = OnceLock::new();
    shared(&RUNNER, || ir(BIGINT_IDS))
}

const BIG_TENANT: &str = "9223372036854775807";
const BIG_OWNER: &str = "9007199254740993";

fn account(over: Value) -> Value {
    with(
        &json!({"id": 1, "tenant_id": BIG_TENANT, "owner_id": BIG_OWNER, "balance": "10.50"}),
        over,
    )
}

#[test]
fn bigint_identities_compare_exactly() {
    let owner = json!({"id": BIG_OWNER, "tenant_id": BIG_TENANT});
    check(
        &mut runner(),
        &[
            case(
                "digits",
                "Account",
                "read",
                &owner,
                &account(json!({})),
                true,
            ),
            case(
                "a JS bigint",
                "Account",
                "read",
                &json!({"id": {"$bigint": BIG_OWNER}, "tenant_id": {"$bigint": BIG_TENANT}}),
                &account(json!({})),
                true,
            ),
            case(
                "one more",
                "Account",
                "read",
                &with(&owner, json!({"id": "9007199254740994"})),
                &account(json!({})),
                false,
            ),
            case(
                "a number and digits",
                "Account",
                "read",
                &json!({"id": 42, "tenant_id": 7}),
                &account(json!({"owner_id": "42", "tenant_id": 7})),
                true,
            ),
            case(
                "a tenant out of range",
                "Account",
                "read",
                &with(&owner, json!({"tenant_id": "9223372036854775808"})),
                &account(json!({"tenant_id": "9223372036854775808"})),
                false,
            ),
            update(
                "within credit",
                "Account",
                &with(&owner, json!({"credit": 10.5})),
                &account(json!({})),
                &account(json!({"balance": "10.5"})),
                true,
            ),
            update(
                "over credit",
                "Account",
                &with(&owner, json!({"credit": 10.5})),
                &account(json!({})),
                &account(json!({"balance": "10.51"})),
                false,
            ),
            update(
                "credit as text",
                "Account",
                &with(&owner, json!({"credit": "10.5"})),
                &account(json!({})),
                &account(json!({})),
                false,
            ),
        ],
    );
}
