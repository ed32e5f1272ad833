//! Order, as the language defines it: strings by code point (whatever the column's collation),
//! enum members by declaration, bigints and decimals exactly, datetimes in time order, uuids as
//! lower-case text.

use crate::setup::{app_with, ir, uuid, who};

const SCHEMA: &str = r#"
roles code level big at ref amount

enum Level low mid high

model Item {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  code string
  level Level
  big bigint
  at datetime
  ref uuid
  amount decimal precision=30 scale=2
}

permissions {
  Item {
    read code if="record.code < 'a'"
    read level if="record.level >= 'mid'"
    read big if="record.big > 9007199254740992"
    read at if="record.at < '2024-01-01T00:30:00+01:00'"
    read ref if="record.ref < 'A0000000-0000-0000-0000-000000000000'"
    read amount if="record.amount > 12345678901234567890.5"
  }
}
"#;

#[test]
fn comparisons_order_as_the_language_says() {
    // A collation that puts `a` before `B`: the policy must still compare by code point.
    let app = app_with(
        "ordering",
        &ir(SCHEMA),
        "ALTER TABLE item ALTER COLUMN code TYPE varchar(255) COLLATE \"und-x-icu\";",
    );
    let t = uuid(9001);
    app.admin(&format!(
        "INSERT INTO item VALUES
           ('{}', '{t}', 'r1', 'B', 'low', 9007199254740993, '2023-12-31T23:29:59Z', '9fffffff-ffff-ffff-ffff-ffffffffffff', 12345678901234567890.51),
           ('{}', '{t}', 'r2', 'b', 'mid', 9007199254740992, '2023-12-31T23:30:00Z', 'a0000000-0000-0000-0000-000000000000', 12345678901234567890.50),
           ('{}', '{t}', 'r3', 'Z', 'high', -1, '2023-12-31T23:00:00Z', 'a0000000-0000-0000-0000-000000000001', 0),
           ('{}', '{t}', 'r4', 'é', 'low', 0, '2024-06-01T00:00:00Z', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 0);",
        uuid(1),
        uuid(2),
        uuid(3),
        uuid(4)
    ));
    assert_eq!(
        app.admin_rows("SELECT string_agg(name, ',' ORDER BY code) FROM item"),
        "r2,r1,r4,r3",
        "the column's own collation orders b before B"
    );
    let names = "SELECT name FROM item ORDER BY name;";
    let seen = |role: &str| app.rows(&who(&uuid(11), &t, &[role]), names);
    assert_eq!(seen("code"), ["r1", "r3"]);
    assert_eq!(seen("level"), ["r2", "r3"]);
    assert_eq!(seen("big"), ["r1"]);
    assert_eq!(seen("at"), ["r1", "r3"]);
    assert_eq!(seen("ref"), ["r1"]);
    assert_eq!(seen("amount"), ["r1"]);
}
