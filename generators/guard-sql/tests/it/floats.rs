//! A float against another number compares as doubles, as in PostgreSQL (and the TypeScript
//! guards): 2^53 + 1 as a double is 2^53, so a float of 2^53 is not less than it. Found by the
//! differential test (`differential/`), where SQLite compared exactly.

use crate::setup::{apps, ir, uuid};

const SCHEMA: &str = r#"
roles less same

model Reading {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  ratio float
  points bigint
}

permissions {
  Reading {
    read less if="record.ratio < record.points"
    read same if="record.ratio == record.points"
  }
}
"#;

const T: u64 = 4242;

#[test]
fn a_float_and_a_bigint_compare_as_doubles() {
    for app in apps("floats_as_doubles", &ir(SCHEMA)) {
        let d = app.dialect();
        app.admin(&format!(
            "INSERT INTO reading (id, tenant_id, name, ratio, points) VALUES \
             ('{}', '{}', 'beyond', 9007199254740992, 9007199254740993), \
             ('{}', '{}', 'small', 1.5, 2);",
            uuid(1),
            uuid(T),
            uuid(2),
            uuid(T)
        ));
        let seen = |role: &str| {
            let identity = format!(
                "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[\"{role}\"]}}",
                uuid(11),
                uuid(T)
            );
            app.rows("Reading", "name", &identity)
        };
        assert_eq!(seen("less"), ["small"], "{d}");
        assert_eq!(seen("same"), ["beyond"], "{d}");
    }
}
