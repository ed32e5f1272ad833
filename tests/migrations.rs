//! The migration history through the real binary: the `migrations` node's warning and
//! `build --check`, `forge migrate plan` and `forge migrate new`, renames, destructive changes
//! with and without `--allow-destructive`, a refused history, and the written SQL applied in
//! order to a real SQLite database holding data.

mod support;

use support::TestProject;

/// The tiny fixture with `target migrations`.
fn project() -> TestProject {
    let p = TestProject::fixture("tiny");
    let config = p.read("forge.kdl");
    p.write(
        "forge.kdl",
        &format!("{config}target migrations dir=\"migrations\"\n"),
    );
    p
}

fn pending(p: &TestProject) -> bool {
    let run = p.forge(&["build", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "forge::migration-pending")
}

#[test]
fn a_schema_change_without_a_migration_warns_and_fails_the_check() {
    let p = project();
    assert!(pending(&p));
    assert_eq!(p.forge(&["build", "--check"]).code, 3);
    // The warning comes back on a build that runs nothing.
    assert!(pending(&p));

    let plan = p.forge(&["migrate", "plan", "--json"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let plan = plan.json();
    assert_eq!(plan["next"], 1);
    let described: Vec<&str> = plan["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["description"].as_str().unwrap())
        .collect();
    assert_eq!(described, ["create table account", "create table note"]);
    assert!(!p.path().join("migrations").exists(), "plan writes nothing");

    let new = p.forge(&["migrate", "new", "init"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert!(p.path().join("migrations/0001_init/postgres.sql").exists());
    assert!(p.path().join("migrations/schema.json").exists());
    assert!(!pending(&p));
    assert_eq!(p.forge(&["build", "--check"]).code, 0);
    let again = p.forge(&["migrate", "new", "again"]);
    assert!(
        again.stderr.contains("nothing to migrate"),
        "{}",
        again.stderr
    );
    assert!(!p.path().join("migrations/0002_again").exists());

    // A new field: pending again, then recorded as 0002.
    let notes = p.read("schema/notes.kdl");
    p.write(
        "schema/notes.kdl",
        &notes.replace("  title ", "  pinned boolean default=#false\n  title "),
    );
    assert!(pending(&p));
    assert_eq!(p.forge(&["migrate", "new", "pin notes"]).code, 0);
    let sql = p.read("migrations/0002_pin_notes/sqlite.sql");
    assert!(sql.contains("\"pinned\""), "{sql}");
    assert!(!pending(&p));
}

#[test]
fn the_same_change_planned_twice_gives_the_same_files() {
    let a = project();
    let b = project();
    for p in [&a, &b] {
        assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    }
    for file in ["postgres.sql", "sqlite.sql", "mysql.sql", "plan.json"] {
        let path = format!("migrations/0001_init/{file}");
        assert_eq!(a.read(&path), b.read(&path), "{file}");
    }
    assert_eq!(
        a.read("migrations/schema.json"),
        b.read("migrations/schema.json")
    );
}

#[test]
fn a_look_alike_rename_stops_with_the_hint_and_the_hint_makes_it_a_rename() {
    let p = project();
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    let notes = p.read("schema/notes.kdl");
    p.write("schema/notes.kdl", &notes.replace("  title ", "  heading "));
    let plan = p.forge(&["migrate", "plan"]);
    assert_eq!(plan.code, 1);
    assert!(
        plan.stderr.contains("renamed-from=\"title\""),
        "{}",
        plan.stderr
    );
    p.write(
        "schema/notes.kdl",
        &notes.replace("  title ", "  heading renamed-from=\"title\" "),
    );
    let plan = p.forge(&["migrate", "plan", "--json"]).json();
    let described: Vec<&str> = plan["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["description"].as_str().unwrap())
        .collect();
    assert!(
        described.iter().any(|d| d.contains("rename")),
        "{described:?}"
    );
}

#[test]
fn a_drop_keeps_the_data_unless_destructive_changes_are_allowed() {
    let p = project();
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    let notes = p.read("schema/notes.kdl");
    let without_body: String = notes
        .lines()
        .filter(|l| !l.trim_start().starts_with("body "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without_body, notes, "the fixture has a body field");
    p.write("schema/notes.kdl", &without_body);
    let kept = p.forge(&["migrate", "plan", "--json"]).json();
    let classes: Vec<&str> = kept["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["class"].as_str().unwrap())
        .collect();
    assert!(!classes.contains(&"destructive"), "{kept}");
    let dropped = p
        .forge(&["migrate", "plan", "--allow-destructive", "--json"])
        .json();
    assert_eq!(dropped["class"], "destructive", "{dropped}");
}

#[test]
fn an_edited_snapshot_is_refused_with_what_to_do() {
    let p = project();
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    let snapshot = p.read("migrations/schema.json");
    p.write(
        "migrations/schema.json",
        &snapshot.replacen("\"note\"", "\"notes\"", 1),
    );
    let plan = p.forge(&["migrate", "plan"]);
    assert_eq!(plan.code, 1);
    assert!(
        plan.stderr
            .contains("is not the schema that migrations/0001_init leads to"),
        "{}",
        plan.stderr
    );
}

#[test]
fn the_history_applies_in_order_to_sqlite_and_keeps_the_rows() {
    let p = project();
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    let first = p.read("migrations/0001_init/sqlite.sql");
    let db = forge_testkit::sqlite_apply(&first).unwrap_or_else(|e| panic!("{e}\n{first}"));
    db.execute_batch(
        "INSERT INTO \"account\" (\"id\", \"email\") VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let notes = p.read("schema/notes.kdl");
    p.write(
        "schema/notes.kdl",
        &notes.replace("  title ", "  pinned boolean default=#false\n  title "),
    );
    assert_eq!(p.forge(&["migrate", "new", "pin"]).code, 0);
    let second = p.read("migrations/0002_pin/sqlite.sql");
    db.execute_batch(&second)
        .unwrap_or_else(|e| panic!("{e}\n{second}"));
    let rows: i64 = db
        .query_row("SELECT count(*) FROM \"account\"", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
    let pinned: i64 = db
        .query_row(
            "SELECT count(*) FROM pragma_table_info('note') WHERE name = 'pinned'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pinned, 1);
}

#[test]
fn the_sandbox_replays_the_history_and_refuses_one_that_does_not_build_the_schema() {
    let p = project();
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    let first = p.build();
    assert!(
        support::nodes(&first, "executed_nodes").contains(&"sandbox:sqlite".to_string()),
        "{first}"
    );
    // Nothing changed: nothing runs, history or not.
    assert_eq!(p.executed(), Vec::<String>::new());

    // A migration edited by hand so that it no longer builds the schema: the sandbox names the
    // difference.
    let path = "migrations/0001_init/sqlite.sql";
    let original = p.read(path);
    let edited = original.replacen("\"body\" TEXT,", "", 1);
    assert_ne!(edited, original, "the migration creates note.body");
    p.write(path, &edited);
    let run = p.forge(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the migration history does not build the schema on SQLite"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("body"), "{}", run.stderr);

    // A migration that does not even run: the failure names the migration and the class.
    p.write(
        path,
        &original.replacen(
            "CREATE TABLE \"note\"",
            "CREATE TABLE \"note\" (\"x\" INTEGER); CREATE TABLE \"note\"",
            1,
        ),
    );
    let run = p.forge(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("0001_init"), "{}", run.stderr);
    assert!(run.stderr.contains("already"), "{}", run.stderr);

    // Restored: the build succeeds again.
    p.write(path, &original);
    p.build();
}

#[test]
fn a_group_result_the_cache_lost_is_applied_again_when_the_history_is_compared() {
    let files = forge_synth::project(40, 4);
    let p = TestProject::from_files(&files);
    let config = p.read("forge.kdl");
    p.write(
        "forge.kdl",
        &format!("{config}target migrations dir=\"migrations\"\n"),
    );
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    p.build();

    // Every group's stored result is lost (the sandbox's record still names them).
    let cache = p.path().join(".forge/cache");
    let db = rusqlite::Connection::open(cache.join("forge.db")).unwrap();
    let results: Vec<String> = db
        .prepare("SELECT record FROM actions WHERE node = 'sandbox:sqlite/group'")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|record| {
            let record: serde_json::Value = serde_json::from_str(&record.unwrap()).unwrap();
            record["value"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(results.len() > 1, "40 tables apply in several groups");
    for digest in &results {
        db.execute("DELETE FROM blobs WHERE digest = ?1", [digest])
            .unwrap();
        let _ = std::fs::remove_file(cache.join("blobs").join(&digest[..2]).join(&digest[2..]));
    }
    drop(db);

    // One model changes and a migration records it: the groups left as they were are taken from
    // the record, their results are missing when the history is compared, and each is applied
    // again instead of failing the build.
    let edited = forge_synth::with_added_field(&files, 3);
    let file = forge_synth::model_file(&files, 3);
    p.write(
        file,
        &edited.iter().find(|(path, _)| path == file).unwrap().1,
    );
    assert_eq!(p.forge(&["migrate", "new", "add_field"]).code, 0);
    let run = p.forge(&["build", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(support::nodes(&run.json(), "executed_nodes").contains(&"sandbox:sqlite".to_string()));
    // And the next build, from the record this one wrote, succeeds too.
    p.write(
        file,
        &forge_synth::with_added_field(&edited, 3)
            .iter()
            .find(|(path, _)| path == file)
            .unwrap()
            .1,
    );
    assert_eq!(p.forge(&["migrate", "new", "another"]).code, 0);
    assert_eq!(p.forge(&["build"]).code, 0);
}
