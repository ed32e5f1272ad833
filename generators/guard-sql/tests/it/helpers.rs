//! The crate's SQLite helpers, as a differential test drives them: `allows` on a stored row
//! (create: the inserted row), `passes_check` on a written row, `passes_as_written` on the row a
//! write is about to store.

use forge_gen_guard_sql::{Guards, allows, guards, passes_as_written, passes_check};
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

/// A task whose rule reads its parent, through a relation that can lead back to the task.
const TASKS: &str = r#"
model Task {
  id uuid pk=#true
  done boolean default=#false
  parent belongs-to=Task optional=#true
  policy all "true"
  policy update "record.parent_id == null || record.parent.done == false"
}
"#;

#[test]
fn a_written_row_is_checked_against_the_database_as_it_was_before_the_write() {
    let schema = ir(TASKS);
    let conn = sqlite_apply(&generate(&schema, Dialect::Sqlite).content).expect("schema.sql");
    let guards = Guards::from_json(&guards(&schema, Dialect::Sqlite).content).expect("guards");
    conn.apply(&format!(
        "INSERT INTO task VALUES ('{}', 0, NULL);",
        uuid(1)
    ))
    .expect("a task");
    let anyone = who(11, 9001, &[]);
    // The task made its own parent and done at once: its parent, read as before the write, is
    // not done (PostgreSQL's WITH CHECK reads it so); read after the write, it would be.
    let after = [
        ("id".to_string(), Value::Text(uuid(1))),
        ("done".to_string(), Value::Integer(1)),
        ("parent_id".to_string(), Value::Text(uuid(1))),
    ];
    assert!(
        passes_as_written(&conn, &guards, "Task", Action::Update, &anyone, &after)
            .expect("a query")
    );
    conn.apply(&format!(
        "UPDATE task SET done = 1, parent_id = '{0}' WHERE id = '{0}';",
        uuid(1)
    ))
    .expect("the update");
    let key = [Value::Text(uuid(1))];
    assert!(
        !passes_check(&conn, &guards, "Task", Action::Update, &anyone, &key).expect("a query"),
        "after the write, the parent is the done task itself"
    );
    // The condition asked of a returned row is read's filter.
    assert!(
        passes_as_written(&conn, &guards, "Task", Action::Read, &anyone, &after).expect("a query")
    );
}

#[test]
#[should_panic(expected = "no table called `Nope`")]
fn an_unknown_table_is_a_mistake() {
    let schema = ir(SCHEMA);
    let conn = sqlite_apply(&generate(&schema, Dialect::Sqlite).content).expect("schema.sql");
    let guards = Guards::from_json(&guards(&schema, Dialect::Sqlite).content).expect("guards");
    let _ = allows(&conn, &guards, "Nope", Action::Read, "{}", &[]);
}
