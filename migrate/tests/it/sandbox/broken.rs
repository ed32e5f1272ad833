//! Hand-broken histories: the replay stops at the statement SQLite refuses and says which
//! migration, which line, SQLite's error, its class and a repair.

use forge_migrate::FailureClass;

use super::history::History;

const NOTE: &str = r#"
model Note {
  id integer pk=#true
  title string max=80
}
"#;

const UNIQUE_TITLE: &str = r#"
model Note {
  id integer pk=#true
  title string max=80 unique=#true
}
"#;

/// The first migration (`0001_initial`, generated), then `0002_edit` with `sql`.
fn after_initial(sql: &str) -> History {
    let mut history = History::new();
    history
        .migrate("initial", NOTE, false)
        .push("0002_edit", sql);
    history
}

#[test]
fn a_missing_column_is_named_with_its_migration_and_line() {
    let failure = after_initial(
        "-- a backfill written by hand\nBEGIN;\nUPDATE \"note\"\n  SET \"pinned\" = 1;\nCOMMIT;\n",
    )
    .failure();
    assert_eq!(
        (failure.migration.as_str(), failure.line, failure.class),
        ("0002_edit", 3, FailureClass::MissingColumn)
    );
    assert_eq!(failure.statement, "UPDATE \"note\"\n  SET \"pinned\" = 1;");
    assert_eq!(failure.error, "no such column: pinned");
    assert!(
        failure
            .repair
            .starts_with("column `pinned` does not exist at this point of the history"),
        "{}",
        failure.repair
    );
    let text = failure.to_string();
    assert!(
        text.starts_with(
            "migration 0002_edit, sqlite.sql line 3: missing column: no such column: pinned\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n  help: column `pinned`"), "{text}");
}

#[test]
fn rows_of_an_earlier_migration_that_break_a_new_key_are_a_constraint_violation() {
    let mut history =
        after_initial("INSERT INTO \"note\" (\"id\", \"title\") VALUES (1, 'same'), (2, 'same');");
    history.migrate("unique title", UNIQUE_TITLE, false);
    let failure = history.failure();
    assert_eq!(failure.migration, "0003_unique_title");
    assert_eq!(failure.class, FailureClass::ConstraintViolation);
    assert!(
        failure
            .statement
            .starts_with("INSERT INTO \"_forge_new_note\""),
        "{failure}"
    );
    assert_eq!(
        failure.error,
        "UNIQUE constraint failed: _forge_new_note.title"
    );
    assert!(failure.repair.contains("repeat the key"), "{failure}");
    // The line is the statement's in the generated file.
    let file = &history.migrations[2].1;
    assert!(
        file.lines()
            .nth(failure.line - 1)
            .unwrap()
            .starts_with("INSERT INTO \"_forge_new_note\""),
        "{file}"
    );
}

#[test]
fn each_kind_of_error_has_its_class_and_repair() {
    let cases: [(&str, FailureClass, &str, &str); 7] = [
        (
            "CREATE INDEX \"tag_name_idx\" ON \"tag\" (\"name\");",
            FailureClass::MissingTable,
            "no such table: main.tag",
            "table `tag` does not exist",
        ),
        (
            "INSERT INTO \"note\" (\"id\", \"title\") VALUES ('first', 'a');",
            FailureClass::TypeMismatch,
            "datatype mismatch",
            "does not fit the column's type",
        ),
        (
            "CREATE TABLE \"s\" (\"x\" INTEGER) STRICT;\nINSERT INTO \"s\" VALUES ('a');",
            FailureClass::TypeMismatch,
            "cannot store TEXT value in INTEGER column s.x",
            "does not fit the column's type",
        ),
        (
            "INSERT INTO \"note\" (\"id\", \"title\") VALUES (1, NULL);",
            FailureClass::ConstraintViolation,
            "NOT NULL constraint failed: note.title",
            "hold null",
        ),
        (
            "CREATE TABLE \"note\" (\"id\" INTEGER);",
            FailureClass::AlreadyExists,
            "table \"note\" already exists",
            "name `note` already exists",
        ),
        (
            "ALTER TABLE \"note\" ALTER COLUMN \"title\" SET NOT NULL;",
            FailureClass::Syntax,
            "near \"ALTER\": syntax error",
            "cannot parse",
        ),
        (
            "BEGIN;\nUPDATE \"note\" SET \"title\" = 'x';",
            FailureClass::Transaction,
            "the migration ends inside a transaction it opened",
            "every BEGIN needs its COMMIT",
        ),
    ];
    for (sql, class, error, repair) in cases {
        let failure = after_initial(sql).failure();
        assert_eq!(
            (
                failure.migration.as_str(),
                failure.class,
                failure.error.as_str()
            ),
            ("0002_edit", class, error),
            "{sql}"
        );
        assert!(failure.repair.contains(repair), "{sql}: {}", failure.repair);
    }
}

#[test]
fn rows_pointing_nowhere_stop_the_next_rebuild_at_its_foreign_key_check() {
    let user = "model User {\n  id integer pk=#true\n}\n";
    let post = |extra: &str| {
        format!(
            "{user}model Post {{\n  id integer pk=#true\n  author belongs-to=User\n  {extra}\n}}\n"
        )
    };
    let mut history = History::new();
    history
        .migrate("initial", &post(""), false)
        // Seed data written with foreign keys off: the author does not exist.
        .push(
            "0002_seed",
            "PRAGMA foreign_keys = OFF;\nINSERT INTO \"post\" VALUES (1, 7);\nPRAGMA foreign_keys = ON;",
        )
        .migrate("views", &post("views integer default=0 min=0"), false);
    let failure = history.failure();
    assert_eq!(
        (failure.migration.as_str(), failure.class),
        ("0003_views", FailureClass::ConstraintViolation)
    );
    assert_eq!(
        failure.error,
        "CHECK constraint failed: every foreign key holds"
    );
    assert!(failure.repair.contains("point at no row"), "{failure}");
}

#[test]
fn a_history_that_replays_names_no_failure() {
    let mut history = after_initial(
        "BEGIN;\nINSERT INTO \"note\" (\"id\", \"title\") VALUES (1, 'a'), (2, 'b');\nCOMMIT;",
    );
    history.migrate("unique title", UNIQUE_TITLE, false);
    assert!(history.diff(UNIQUE_TITLE).is_empty());
}
