//! The crate's SQLite helpers, as a differential test drives them: `allows` on a stored row
//! (create: the inserted row), `passes_check` on a written row.

use forge_gen_guard_sql::{Guards, allows, guards, passes_check};
use forge_gen_sql::{Dialect, generate};
use forge_schemas::Action;
use forge_testkit::{Database, sqlite_apply};
use rusqlite::types::Value;

use crate::setup::{ir, uuid, who};

const SCHEMA: &str = r#"
model Note {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  owner_id uuid
  policy read "true"
  policy create "record.owner_id == user.id"
  policy update "record.owner_id == user.id"
}
"#;

#[test]
fn allows_and_passes_check_answer_for_one_row() {
    let schema = ir(SCHEMA);
    let conn = sqlite_apply(&generate(&schema, Dialect::Sqlite).content).expect("schema.sql");
    let guards = Guards::from_json(&guards(&schema, Dialect::Sqlite).content).expect("guards");
    conn.apply(&format!(
        "INSERT INTO note VALUES ('{}', '{}', '{}');",
        uuid(1),
        uuid(9001),
        uuid(11)
    ))
    .expect("a note");
    let key = [Value::Text(uuid(1))];
    let owner = who(11, 9001, &[]);
    let other = who(12, 9001, &[]);
    let ask = |action, identity: &str| {
        allows(&conn, &guards, "Note", action, identity, &key).expect("a query")
    };
    assert!(ask(Action::Read, &other));
    assert!(!ask(Action::Read, "{}"));
    assert!(ask(Action::Create, &owner) && !ask(Action::Create, &other));
    assert!(ask(Action::Update, &owner) && !ask(Action::Update, &other));
    assert!(!ask(Action::Delete, &owner), "no rule");
    // After an update that gives the note away, the check fails for the former owner.
    conn.apply(&format!("UPDATE note SET owner_id = '{}';", uuid(12)))
        .expect("an update");
    assert!(!passes_check(&conn, &guards, "Note", Action::Update, &owner, &key).expect("a query"));
    assert!(passes_check(&conn, &guards, "Note", Action::Update, &other, &key).expect("a query"));
    // A row that does not exist passes nothing.
    let missing = [Value::Text(uuid(2))];
    assert!(!allows(&conn, &guards, "Note", Action::Read, &other, &missing).expect("a query"));
}

#[test]
#[should_panic(expected = "no table called `Nope`")]
fn an_unknown_table_is_a_mistake() {
    let schema = ir(SCHEMA);
    let conn = sqlite_apply(&generate(&schema, Dialect::Sqlite).content).expect("schema.sql");
    let guards = Guards::from_json(&guards(&schema, Dialect::Sqlite).content).expect("guards");
    let _ = allows(&conn, &guards, "Nope", Action::Read, "{}", &[]);
}
