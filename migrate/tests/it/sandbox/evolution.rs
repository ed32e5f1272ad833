//! A schema that evolves one migration at a time (fields added, renamed, dropped with and without
//! the flag, an index added, enum values added and removed, a table renamed): after each
//! migration, the whole history replays to what that step's `schema.sql` builds.

use super::history::History;

/// The schema of one step: `status` lists the enum's values, `note` is the model's body.
fn schema(status: &str, note: &str, scratch: bool) -> String {
    let scratch = if scratch {
        "model Scratch {\n  id integer pk=#true\n  text text index=#true\n}\n"
    } else {
        ""
    };
    format!(
        r#"
enum Status {status}

model User {{
  id integer pk=#true
  name string max=80
}}

{note}

{scratch}
"#
    )
}

const V1: &str = r#"
model Note {
  id integer pk=#true
  title string max=120
  body text
  archived boolean default=#false
  status Status default=draft
  author belongs-to=User
  index title
}"#;

/// Fields added: one with a default, one optional, one a relation.
const ADDED: &str = r#"
model Note {
  id integer pk=#true
  title string max=120
  body text
  archived boolean default=#false
  status Status default=draft
  author belongs-to=User
  pinned boolean default=#false
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index title
}"#;

/// `title` renamed to `headline` (its index and check follow).
const RENAMED: &str = r#"
model Note {
  id integer pk=#true
  headline string max=120 renamed-from="title"
  body text
  archived boolean default=#false
  status Status default=draft
  author belongs-to=User
  pinned boolean default=#false
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
}"#;

/// `body` and `archived` dropped (and, in the schema, the model Scratch).
const DROPPED: &str = r#"
model Note {
  id integer pk=#true
  headline string max=120 renamed-from="title"
  status Status default=draft
  author belongs-to=User
  pinned boolean default=#false
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
}"#;

/// `pinned` dropped too.
const UNPINNED: &str = r#"
model Note {
  id integer pk=#true
  headline string max=120 renamed-from="title"
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
}"#;

/// A partial index on two columns, whose condition orders the enum (by ranks, in SQLite).
const INDEXED: &str = r#"
model Note {
  id integer pk=#true
  headline string max=120 renamed-from="title"
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
  index status due_at where="status >= 'published'"
}"#;

/// The model renamed, so its table, keys and indexes are.
const MEMO: &str = r#"
model Memo renamed-from="Note" {
  id integer pk=#true
  headline string max=120 renamed-from="title"
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
  index status due_at where="status >= 'published'"
}"#;

/// A required column with a default and a check: the table is rebuilt with kept enum values.
const REBUILT: &str = r#"
model Memo renamed-from="Note" {
  id integer pk=#true
  headline string max=120 renamed-from="title"
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  priority integer default=0 min=0
  index headline
  index status due_at where="status >= 'published'"
}"#;

#[test]
fn every_step_of_an_evolution_replays_to_its_schema() {
    let two = "draft published";
    let steps: [(&str, String, bool); 11] = [
        ("initial", schema(two, V1, true), false),
        ("add fields", schema(two, ADDED, true), false),
        ("rename title", schema(two, RENAMED, true), false),
        // Without the flag: `body`, `archived` (with its check) and `scratch` are kept under
        // deprecated names.
        ("drop body and scratch", schema(two, DROPPED, false), false),
        // With the flag: `pinned` is dropped, the deprecated ones purged.
        ("drop pinned", schema(two, UNPINNED, false), true),
        ("add index", schema(two, INDEXED, false), false),
        (
            "add status",
            schema("draft review published", INDEXED, false),
            false,
        ),
        // Without the flag, `review` stays in the database, and in the ranks of the index's
        // condition.
        ("remove review", schema(two, INDEXED, false), false),
        ("rename note", schema(two, MEMO, false), false),
        ("add priority", schema(two, REBUILT, false), false),
        // Without the flag again: `review` is still kept.
        (
            "archive",
            schema("draft published archived", REBUILT, false),
            false,
        ),
    ];
    let mut history = History::new();
    for (name, kdl, allow_destructive) in &steps {
        history.migrate(name, kdl, *allow_destructive);
        let differences = history.diff(kdl);
        assert!(
            differences.is_empty(),
            "after {name}: {differences:#?}\n{}",
            history.migrations.last().unwrap().1
        );
        if *name == "drop body and scratch" {
            // The comparison set aside what the fallback kept.
            let snapshot = &history.snapshot;
            assert!(snapshot.tables.contains_key("_forge_deprecated_scratch"));
            let note = &snapshot.tables["note"];
            assert!(note.column("_forge_deprecated_body").is_some());
            assert!(note.column("_forge_deprecated_archived").is_some());
        }
    }
    // `review` is still kept, in the enum column's check of a table rebuilt since.
    let kept = &history.snapshot.enums["Status"].deprecated_values;
    assert_eq!(kept, &["review"]);
    assert_eq!(
        history.snapshot.tables.len(),
        2,
        "the deprecated table is purged"
    );
}
