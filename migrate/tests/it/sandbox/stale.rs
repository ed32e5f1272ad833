//! Histories that do not lead to the schema: the schema changed and no migration records it, or a
//! migration was edited by hand. Each difference names the table and what differs.

use super::history::History;

const NOTE: &str = r#"
model Note {
  id integer pk=#true
  title string max=80
  due_at datetime optional=#true
  index title due_at
}
"#;

const PINNED: &str = r#"
model Note {
  id integer pk=#true
  title string max=80
  due_at datetime optional=#true
  pinned boolean default=#false
  index title due_at
}
"#;

fn initial(kdl: &str) -> History {
    let mut history = History::new();
    history.migrate("initial", kdl, false);
    history
}

/// `history`'s first migration with `from` replaced by `to` (which must be there).
fn edited(mut history: History, edits: &[(&str, &str)]) -> History {
    let sql = &mut history.migrations[0].1;
    for (from, to) in edits {
        assert!(sql.contains(from), "{from} is not in\n{sql}");
        *sql = sql.replace(from, to);
    }
    history
}

#[test]
fn a_schema_changed_without_a_migration_names_the_missing_column() {
    assert_eq!(
        initial(NOTE).diff(PINNED),
        [
            "table note: column pinned is missing",
            "table note: check (pinned in (0, 1)) is missing",
        ]
    );
    // And the other way: the history has what the schema dropped.
    assert_eq!(
        initial(PINNED).diff(NOTE),
        [
            "table note: column pinned is not in the schema",
            "table note: check (pinned in (0, 1)) is not in the schema",
        ]
    );
}

#[test]
fn a_migration_edited_by_hand_names_what_it_changed() {
    let history = edited(
        initial(NOTE),
        &[
            (r#"ON "note" ("title", "due_at")"#, r#"ON "note" ("title")"#),
            (r#""due_at" TEXT"#, r#""due_at" INTEGER DEFAULT (0)"#),
            (r#""title" TEXT NOT NULL"#, r#""title" TEXT"#),
            ("length(\"title\") <= 80", "length(\"title\") <= 90"),
        ],
    );
    assert_eq!(
        history.diff(NOTE),
        [
            "table note: column title: nullability nullable in the history, NOT NULL in the schema",
            "table note: column due_at: type INTEGER in the history, TEXT in the schema",
            "table note: column due_at: default 0 in the history, none in the schema",
            "table note: index note_title_due_at_idx: columns (title) in the history, (title, due_at) in the schema",
            "table note: check (length(title) <= 80) is missing",
            "table note: check (length(title) <= 90) is not in the schema",
        ]
    );
}

#[test]
fn objects_only_a_hand_written_migration_makes_are_not_in_the_schema() {
    let mut history = initial(NOTE);
    history.push(
        "0002_by_hand",
        r#"
CREATE TABLE "audit" ("id" INTEGER NOT NULL PRIMARY KEY);
CREATE VIEW "recent" AS SELECT "id" FROM "note";
ALTER TABLE "note" RENAME TO "old_note";
CREATE TABLE "note" (
  "id" INTEGER NOT NULL,
  "title" TEXT NOT NULL CHECK (length("title") <= 80),
  "due_at" TEXT,
  "audit_id" INTEGER REFERENCES "audit" ("id") ON DELETE CASCADE,
  PRIMARY KEY ("id", "title"),
  UNIQUE ("title")
);
DROP TABLE "old_note";
CREATE INDEX "note_t_idx" ON "note" ("title", "due_at");
"#,
    );
    assert_eq!(
        history.diff(NOTE),
        [
            "table audit is not in the schema",
            "table note: column audit_id is not in the schema",
            "table note: primary key: columns (id, title) in the history, (id) in the schema",
            "table note: unique (title) is not in the schema",
            "table note: index note_title_due_at_idx: name note_t_idx in the history, note_title_due_at_idx in the schema",
            "table note: foreign key (audit_id) references audit (id) on delete CASCADE is not in the schema",
            "view recent is not in the schema",
        ]
    );
}
#[test]
fn spelling_renames_and_constraint_names_are_no_difference() {
    // The same table as NOTE's `schema.sql`, written another way: bare lower-case names and
    // types, other spacing, an unnamed key, a check named after the table's first name, and
    // renames that SQLite writes into the table's and the index's text.
    let mut history = History::new();
    history.push(
        "0001_by_hand",
        "create table draft (id integer not null, name text not null, due_at text, extra text,\n\
         primary key (id), constraint draft_name_check check(length(name)<=80));\n\
         create index note_title_due_at_idx on draft(name,due_at);\n\
         alter table draft rename to note;\n\
         alter table note rename column name to title;\n\
         alter table note drop column extra;",
    );
    assert_eq!(history.diff(NOTE), Vec::<String>::new());
}
