//! Nothing from the schema or the identity is spliced into SQL unquoted: role names, claims,
//! enum members, table and column names and string literals with quotes, semicolons,
//! backslashes and comments are data, never code; identity values are only ever bound.

use crate::setup::{apps, ir, uuid};

const EVIL_ROLE: &str = "a'b\"c;-- x') OR 1=1; DROP TABLE victim; --";
const EVIL_CLAIM: &str = "c\\'; DROP TABLE victim; --";

const SCHEMA: &str = r##"
roles "a'b\"c;-- x') OR 1=1; DROP TABLE victim; --" "a`b\\` OR 1=1 --"
claims "c\\'; DROP TABLE victim; --"

enum Kind "it's" "plain" "back\\slash"

model Victim {
  id uuid pk=#true
  policy read "true"
}

model Secret table="se\"cr`et'; DROP TABLE victim; --" {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  label string
  kind Kind
  policy read #"user.claims.includes('c\\\'; DROP TABLE victim; --') || record.label == "it's \"quoted\"; DROP TABLE victim; --" || record.label == 'back\\slash' || record.kind == "it's" || record.kind > "plain""#
}

permissions {
  Secret {
    read "a'b\"c;-- x') OR 1=1; DROP TABLE victim; --" "a`b\\` OR 1=1 --"
  }
}
"##;

const T: u64 = 9001;

fn identity(roles: &str, claims: &str) -> String {
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":{roles},\"claims\":{claims}}}",
        uuid(11),
        uuid(T)
    )
}

fn json(text: &str) -> String {
    serde_json::to_string(text).expect("a JSON string")
}

#[test]
fn quotes_in_names_literals_and_identity_values_are_data() {
    let schema = ir(SCHEMA);
    for app in apps("injection", &schema) {
        let d = app.dialect();
        let table = app.q("se\"cr`et'; DROP TABLE victim; --");
        // Backslashes are ordinary characters in SQLite's literals, escapes in MySQL's.
        let backslash = if d == forge_gen_sql::Dialect::Mysql {
            "\\\\"
        } else {
            "\\"
        };
        app.admin(&format!(
            "INSERT INTO victim (id) VALUES ('{}');
             INSERT INTO {table} (id, tenant_id, label, kind) VALUES
               ('{}', '{t}', 'it''s \"quoted\"; DROP TABLE victim; --', 'plain'),
               ('{}', '{t}', 'back{backslash}slash', 'plain'),
               ('{}', '{t}', 'plain', 'it''s'),
               ('{}', '{t}', 'after', 'back{backslash}slash'),
               ('{}', '{t}', 'hidden', 'plain');",
            uuid(99),
            uuid(1),
            uuid(2),
            uuid(3),
            uuid(4),
            uuid(5),
            t = uuid(T)
        ));
        let labels = |identity: &str| app.rows("Secret", "label", identity);
        let visible = [
            "after",
            "back\\slash",
            "it's \"quoted\"; DROP TABLE victim; --",
            "plain",
        ];
        // Reading needs one of the roles (the permission line) and the policy: the literals
        // match exactly the rows that hold them, `back\slash` is after `plain` in declaration,
        // and the hidden row needs the claim.
        assert!(labels(&identity("[]", "[]")).is_empty(), "{d}");
        for role in [EVIL_ROLE, "a`b\\` OR 1=1 --"] {
            let roles = format!("[{}]", json(role));
            assert_eq!(labels(&identity(&roles, "[]")), visible, "{d}: {roles}");
            let claims = format!("[{}]", json(EVIL_CLAIM));
            assert_eq!(labels(&identity(&roles, &claims)).len(), 5, "{d}: {roles}");
        }
        // Near misses are not roles: a prefix, the same text without its quotes.
        for roles in [
            "[\"a'b\"]",
            "[\"a\\\"b\\\"c;-- x') OR 1=1\"]",
            "[\"abc\"]",
            "[\"a`b\\\\`\"]",
        ] {
            assert!(labels(&identity(roles, "[]")).is_empty(), "{d}: {roles}");
        }
        // Identity values with quotes are values: a tenant id that is SQL is not a uuid.
        for tenant in ["' OR '1'='1", "\\' OR 1=1 -- ", "\" OR \"\"=\"", "?"] {
            let identity = format!(
                "{{\"tenant_id\":{},\"roles\":[{}]}}",
                json(tenant),
                json(EVIL_ROLE)
            );
            assert!(labels(&identity).is_empty(), "{d}: {tenant}");
        }
        assert_eq!(app.admin_rows("SELECT count(*) FROM victim"), ["1"], "{d}");
    }
}
