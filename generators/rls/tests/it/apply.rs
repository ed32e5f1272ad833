//! Who may apply `policies.sql`: a superuser (the other tests) or a role with BYPASSRLS that owns
//! the tables; any other role is refused with a message that says why, before anything changes.

use forge_gen_sql::{Dialect, generate};
use forge_testkit::{Database, pg_database};

use crate::setup::{ir, uuid, who};

const SCHEMA: &str = r#"
model Doctor {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  user_id uuid
  policy read "true"
}

model Patient {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  primary_doctor belongs-to=Doctor optional=#true
  visits has-many=Visit
  policy read "record.visits.some(v => v.doctor.user_id == user.id) || record.primary_doctor.user_id == user.id"
}

model Visit {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  patient belongs-to=Patient
  doctor belongs-to=Doctor
  policy read "record.patient.primary_doctor.user_id == user.id || record.doctor.user_id == user.id"
}
"#;

/// Creates the role `name` with `options` unless it exists (roles are shared by the databases of
/// a server, and outlive a test's database).
fn role(name: &str, options: &str) -> String {
    format!(
        "DO $$ BEGIN CREATE ROLE \"{name}\" NOLOGIN {options}; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
    )
}

#[test]
fn a_role_without_bypassrls_is_refused() {
    let schema = ir(SCHEMA);
    let db = pg_database("rls_apply_refused");
    let owner = format!("{}_plain_owner", db.name());
    db.apply(&format!(
        "{}
         GRANT CREATE ON DATABASE \"{db}\" TO \"{owner}\";
         GRANT CREATE, USAGE ON SCHEMA public TO \"{owner}\";",
        role(&owner, "NOBYPASSRLS"),
        db = db.name()
    ))
    .unwrap();
    let script = format!(
        "SET ROLE \"{owner}\";\n{}\n{}",
        generate(&schema, Dialect::Postgres).content,
        forge_gen_rls::policies_sql(&schema).content
    );
    let error = db.apply(&script).unwrap_err();
    assert!(
        error.contains("policies.sql must be applied by a superuser or a role with BYPASSRLS"),
        "{error}"
    );
    // One transaction: nothing was created.
    assert_eq!(
        db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            .unwrap(),
        "0"
    );
}

#[test]
fn a_bypassrls_owner_may_apply_it() {
    let schema = ir(SCHEMA);
    let db = pg_database("rls_apply_owner");
    let owner = format!("{}_owner", db.name());
    let app = format!("{}_app", db.name());
    db.apply(&format!(
        "{}
         {}
         GRANT CREATE ON DATABASE \"{db}\" TO \"{owner}\";
         GRANT CREATE, USAGE ON SCHEMA public TO \"{owner}\";",
        role(&owner, "BYPASSRLS"),
        role(&app, ""),
        db = db.name()
    ))
    .unwrap();
    db.apply(&format!(
        "SET ROLE \"{owner}\";\n{}\n{}\nRESET ROLE;",
        generate(&schema, Dialect::Postgres).content,
        forge_gen_rls::policies_sql(&schema).content
    ))
    .unwrap();
    let t = uuid(9001);
    db.apply(&format!(
        "SET ROLE \"{owner}\";
         GRANT USAGE ON SCHEMA public, forge TO \"{app}\";
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{app}\";
         GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA forge TO \"{app}\";
         INSERT INTO doctor VALUES ('{d1}', '{t}', '{alice}'), ('{d2}', '{t}', '{bob}');
         INSERT INTO patient VALUES ('{p}', '{t}', 'Ann', '{d1}');
         INSERT INTO visit VALUES ('{v}', '{t}', '{p}', '{d2}');",
        d1 = uuid(1),
        d2 = uuid(2),
        p = uuid(3),
        v = uuid(4),
        alice = uuid(101),
        bob = uuid(102),
    ))
    .unwrap();
    let owned = db
        .query("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        .unwrap();
    assert_eq!(owned, owner);
    let as_user = |user: u64, sql: &str| {
        db.query(&format!(
            "BEGIN; SET LOCAL ROLE \"{app}\";
             SELECT set_config('forge.user', '{}', true) IS NOT NULL;
             {sql} COMMIT;",
            who(&uuid(user), &t, &[])
        ))
        .unwrap()
    };
    // Mutual lookups run as the owner, which bypasses the policies (FORCE notwithstanding).
    assert_eq!(
        as_user(101, "SELECT name FROM patient; SELECT count(*) FROM visit;"),
        "t\nAnn\n1"
    );
    assert_eq!(
        as_user(102, "SELECT name FROM patient; SELECT count(*) FROM visit;"),
        "t\nAnn\n1"
    );
    assert_eq!(
        as_user(
            103,
            "SELECT count(*) FROM patient; SELECT count(*) FROM visit;"
        ),
        "t\n0\n0"
    );
}
