//! Policies that look at each other's tables (a patient is readable by the doctor of one of its
//! visits, a visit by its patient's primary doctor) work without "infinite recursion detected in
//! policy", and a lookup never crosses tenants.

use crate::setup::{App, app, ir, uuid, who};

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
  policy update "record.visits.some(v => v.doctor.user_id == user.id)"
}

model Visit {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  patient belongs-to=Patient
  doctor belongs-to=Doctor
  note string
  policy read "record.patient.primary_doctor.user_id == user.id || record.doctor.user_id == user.id"
  policy create "record.doctor.user_id == user.id && record.patient.name != null"
}

// Not tenant-scoped: a bookmark may point at any patient, but a lookup only ever sees the
// caller's tenant.
model Bookmark {
  id uuid pk=#true
  owner_id uuid
  patient belongs-to=Patient
  policy read "record.owner_id == user.id && record.patient.name == 'Ann'"
}
"#;

const T1: u64 = 9001;
const T2: u64 = 9002;
const ALICE: u64 = 101; // doctor 1's user, Ann's primary doctor
const BOB: u64 = 102; // doctor 2's user, sees Ben on a visit

/// Tenant 1: doctors 1 (Alice) and 2 (Bob); patients Ann (primary: Alice) and Ben (no primary);
/// visits: Ann with Bob, Ben with Bob. Tenant 2: doctor 3 (user Alice too), patient Ann (primary
/// doctor 3). Bookmarks of user 500 on both Anns.
fn seeded(test: &str) -> App {
    let app = app(test, &ir(SCHEMA));
    let (t1, t2) = (uuid(T1), uuid(T2));
    app.admin(&format!(
        "INSERT INTO doctor VALUES ('{d1}', '{t1}', '{alice}'), ('{d2}', '{t1}', '{bob}'), ('{d3}', '{t2}', '{alice}');
         INSERT INTO patient VALUES ('{ann}', '{t1}', 'Ann', '{d1}'), ('{ben}', '{t1}', 'Ben', NULL),
           ('{ann2}', '{t2}', 'Ann', '{d3}');
         INSERT INTO visit VALUES ('{v1}', '{t1}', '{ann}', '{d2}', 'Ann with Bob'),
           ('{v2}', '{t1}', '{ben}', '{d2}', 'Ben with Bob');
         INSERT INTO bookmark VALUES ('{b1}', '{u500}', '{ann}'), ('{b2}', '{u500}', '{ann2}');",
        d1 = uuid(1),
        d2 = uuid(2),
        d3 = uuid(3),
        ann = uuid(11),
        ben = uuid(12),
        ann2 = uuid(13),
        v1 = uuid(21),
        v2 = uuid(22),
        b1 = uuid(31),
        b2 = uuid(32),
        u500 = uuid(500),
        alice = uuid(ALICE),
        bob = uuid(BOB),
    ));
    app
}

fn user(n: u64, tenant: u64) -> String {
    who(&uuid(n), &uuid(tenant), &[])
}

#[test]
fn mutual_lookups_do_not_recurse() {
    let app = seeded("mutual_read");
    let patients = "SELECT name FROM patient ORDER BY name;";
    let visits = "SELECT note FROM visit ORDER BY note;";
    // Alice: Ann as primary doctor; Ann's visit through Ann's primary doctor.
    assert_eq!(app.rows(&user(ALICE, T1), patients), ["Ann"]);
    assert_eq!(app.rows(&user(ALICE, T1), visits), ["Ann with Bob"]);
    // Bob: both patients through his visits; both visits as their doctor.
    assert_eq!(app.rows(&user(BOB, T1), patients), ["Ann", "Ben"]);
    assert_eq!(
        app.rows(&user(BOB, T1), visits),
        ["Ann with Bob", "Ben with Bob"]
    );
    // A join of the two tables, both sides filtered by their policies.
    let joined = "SELECT p.name || ': ' || v.note FROM patient p JOIN visit v ON v.patient_id = p.id ORDER BY 1;";
    assert_eq!(app.rows(&user(ALICE, T1), joined), ["Ann: Ann with Bob"]);
    // Alice in tenant 2: the other Ann, and no visit.
    assert_eq!(app.rows(&user(ALICE, T2), patients), ["Ann"]);
    assert!(app.rows(&user(ALICE, T2), visits).is_empty());
}

#[test]
fn writes_through_mutual_lookups() {
    let app = seeded("mutual_write");
    // Bob updates the patients he has visits with.
    app.as_user(&user(BOB, T1), "UPDATE patient SET name = name || '!';");
    assert_eq!(
        app.admin_rows("SELECT name FROM patient ORDER BY name"),
        "Ann\nAnn!\nBen!"
    );
    // Alice books a visit of Ben with herself; not with Bob.
    let book = |doctor: u64| {
        format!(
            "INSERT INTO visit VALUES (gen_random_uuid(), '{}', '{}', '{}', 'new');",
            uuid(T1),
            uuid(12),
            uuid(doctor)
        )
    };
    app.as_user(&user(ALICE, T1), &book(1));
    crate::setup::assert_rls_denied(app.try_as(&user(ALICE, T1), &book(2)));
}

#[test]
fn lookups_never_cross_tenants() {
    let app = seeded("mutual_tenants");
    let marks = "SELECT patient_id FROM bookmark ORDER BY 1;";
    // The same owner sees the bookmark on the Ann of the tenant they are in, not the other.
    assert_eq!(app.rows(&user(500, T1), marks), [uuid(11)]);
    assert_eq!(app.rows(&user(500, T2), marks), [uuid(13)]);
    // Without a tenant, the lookup finds nothing.
    assert!(
        app.rows(&format!("{{\"id\":\"{}\"}}", uuid(500)), marks)
            .is_empty()
    );
    // Calling the lookup directly with another tenant's key finds nothing either.
    let direct = format!(
        "SELECT coalesce(forge.lookup_patient_name('{}'), 'none') || ' ' || coalesce(forge.lookup_patient_name('{}'), 'none');",
        uuid(11),
        uuid(13)
    );
    assert_eq!(app.rows(&user(500, T1), &direct), ["Ann none"]);
    // Nor does a set lookup (Bookmark's `record.patient.name == 'Ann'`): only this tenant's Ann.
    let set = "SELECT k FROM forge.lookup_patient_name_1() AS k;";
    assert_eq!(app.rows(&user(500, T1), set), [uuid(11)]);
    assert_eq!(app.rows(&user(500, T2), set), [uuid(13)]);
    assert!(
        app.rows(&format!("{{\"id\":\"{}\"}}", uuid(500)), set)
            .is_empty()
    );
}
