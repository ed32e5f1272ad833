//! `forge build` end to end: outputs, the --json summary, incrementality (which nodes ran after
//! each kind of edit), the out folder's ownership rules, and relocation with the cache.

mod support;

use support::{TestProject, nodes, redact};

/// Rewrites the fixture's `target sql` line to build `dialects`.
fn set_dialects(p: &TestProject, dialects: &str) {
    let config = p.read("forge.kdl");
    let line = config
        .lines()
        .find(|l| l.starts_with("target sql"))
        .expect("a target sql line");
    p.write(
        "forge.kdl",
        &config.replace(line, &format!("target sql dialects=\"{dialects}\"")),
    );
}

#[test]
fn a_first_build_runs_every_node_and_writes_the_sql() {
    let p = TestProject::fixture("tiny");
    let run = p.forge(&["build", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("tiny_first_build_json", redact(&run.stdout, p.path()));
    for dialect in ["postgres", "sqlite", "mysql"] {
        let sql = p.read(&format!("generated/sql/{dialect}/schema.sql"));
        insta::assert_snapshot!(format!("tiny_{dialect}_schema"), sql);
    }
}

#[test]
fn a_build_with_nothing_changed_runs_nothing() {
    let p = TestProject::fixture("tiny");
    p.build();
    let summary = p.build();
    assert_eq!(nodes(&summary, "executed_nodes"), Vec::<String>::new());
    assert_eq!(summary["cached"], summary["nodes"]);
    assert_eq!(summary["written"].as_array().unwrap().len(), 0);
}

#[test]
fn a_comment_only_edit_runs_only_that_files_parse_node() {
    let p = TestProject::fixture("tiny");
    p.build();
    let text = p.read("schema/notes.kdl");
    p.write(
        "schema/notes.kdl",
        &format!(
            "// a new comment\n{}\n\n// and another\n",
            text.replace("  title", "  // inside\n  title")
        ),
    );
    assert_eq!(p.executed(), ["parse:schema/notes.kdl"]);
}

#[test]
fn adding_a_field_reruns_that_models_nodes_and_the_assembly() {
    let p = TestProject::fixture("tiny");
    p.build();
    let text = p.read("schema/notes.kdl");
    p.write(
        "schema/notes.kdl",
        &text.replace(
            "  body text optional=#true",
            "  body text optional=#true\n  pinned boolean default=#false",
        ),
    );
    assert_eq!(
        p.executed(),
        [
            "gen:sql/mysql",
            "gen:sql/mysql:Note",
            "gen:sql/postgres",
            "gen:sql/postgres:Note",
            "gen:sql/sqlite",
            "gen:sql/sqlite:Note",
            "parse:schema/notes.kdl",
            "sandbox:sqlite",
            "validate",
        ]
    );
}

#[test]
fn adding_sqlite_to_forge_kdl_writes_its_file_without_rerunning_anything_else() {
    let p = TestProject::fixture("tiny");
    set_dialects(&p, "postgres");
    p.build();
    assert!(!p.path().join("generated/sql/sqlite").exists());
    set_dialects(&p, "postgres sqlite");
    // SQLite's SQL was already built for the sandbox: only the config runs, and the file appears.
    assert_eq!(p.executed(), ["config"]);
    assert!(p.path().join("generated/sql/sqlite/schema.sql").exists());
}

#[test]
fn adding_a_dialect_to_forge_kdl_runs_only_that_dialects_nodes() {
    let p = TestProject::fixture("tiny");
    set_dialects(&p, "postgres");
    p.build();
    set_dialects(&p, "postgres mysql");
    assert_eq!(
        p.executed(),
        [
            "config",
            "gen:sql/mysql",
            "gen:sql/mysql:Account",
            "gen:sql/mysql:Note"
        ]
    );
    // Those nodes read the IR back from the cache (a skeleton and a blob per model): what they
    // wrote is what a cold build writes.
    let incremental = p.read("generated/sql/mysql/schema.sql");
    std::fs::remove_dir_all(p.path().join(".forge")).unwrap();
    std::fs::remove_dir_all(p.path().join("generated")).unwrap();
    p.build();
    assert_eq!(incremental, p.read("generated/sql/mysql/schema.sql"));
}

#[test]
fn the_sqlite_sandbox_runs_even_when_sqlite_is_not_a_target() {
    let p = TestProject::fixture("tiny");
    set_dialects(&p, "postgres");
    let summary = p.build();
    assert!(support::nodes(&summary, "executed_nodes").contains(&"sandbox:sqlite".to_string()));
    assert_eq!(nodes(&summary, "written"), ["sql/postgres/schema.sql"]);
}

#[test]
fn a_machinery_error_is_still_json_with_json() {
    let p = TestProject::fixture("tiny");
    p.write(
        "forge.kdl",
        &p.read("forge.kdl").replace("schema/*.kdl", "nowhere/*.kdl"),
    );
    let run = p.forge(&["build", "--json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["ok"], false);
    assert!(
        json["error"].as_str().unwrap().contains("matches no file"),
        "{json}"
    );
}

#[test]
fn a_dropped_dialect_removes_its_files_and_never_touches_foreign_ones() {
    let p = TestProject::fixture("tiny");
    p.build();
    p.write("generated/README.txt", "mine");
    set_dialects(&p, "postgres");
    let summary = p.build();
    assert_eq!(
        nodes(&summary, "removed"),
        ["sql/mysql/schema.sql", "sql/sqlite/schema.sql"]
    );
    assert!(!p.path().join("generated/sql/mysql").exists());
    assert_eq!(p.read("generated/README.txt"), "mine");
}

#[test]
fn an_owned_file_edited_by_hand_is_reported_and_restored() {
    let p = TestProject::fixture("tiny");
    p.build();
    let original = p.read("generated/sql/postgres/schema.sql");
    p.write("generated/sql/postgres/schema.sql", "-- my edit\n");
    let check = p.forge(&["build", "--check"]);
    assert_eq!(check.code, 3, "{}", check.stderr);
    assert!(check.stderr.contains("edited by hand"), "{}", check.stderr);
    let summary = p.build();
    assert_eq!(nodes(&summary, "restored"), ["sql/postgres/schema.sql"]);
    assert_eq!(nodes(&summary, "executed_nodes"), Vec::<String>::new());
    assert_eq!(p.read("generated/sql/postgres/schema.sql"), original);
}

#[test]
fn build_check_exits_3_when_an_artifact_would_change_and_writes_nothing() {
    let p = TestProject::fixture("tiny");
    p.build();
    assert_eq!(p.forge(&["build", "--check"]).code, 0);
    let before = p.read("generated/sql/sqlite/schema.sql");
    p.write(
        "schema/notes.kdl",
        &p.read("schema/notes.kdl").replace("max=200", "max=300"),
    );
    let run = p.forge(&["build", "--check", "--json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(nodes(&run.json(), "written").len(), 3);
    assert_eq!(p.read("generated/sql/sqlite/schema.sql"), before);
}

#[test]
fn a_project_copied_with_its_cache_to_another_folder_is_a_full_cache_hit() {
    let p = TestProject::fixture("tiny");
    p.build();
    let q = TestProject::empty();
    support::copy_dir(p.path(), q.path());
    support::copy_dir(&p.path().join(".forge"), &q.path().join(".forge"));
    let summary = q.build();
    assert_eq!(nodes(&summary, "executed_nodes"), Vec::<String>::new());
    assert_eq!(
        q.read("generated/sql/mysql/schema.sql"),
        p.read("generated/sql/mysql/schema.sql")
    );
}

#[test]
fn the_same_inputs_give_byte_identical_outputs_in_any_folder() {
    let a = TestProject::fixture("tiny");
    let b = TestProject::fixture("tiny");
    a.build();
    b.forge(&["build", "-j", "1"]);
    for dialect in ["postgres", "sqlite", "mysql"] {
        let file = format!("generated/sql/{dialect}/schema.sql");
        assert_eq!(a.read(&file), b.read(&file));
    }
    let keys = |p: &TestProject| {
        p.forge(&["build", "-v"])
            .stderr
            .lines()
            .filter(|l| l.contains("key="))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&a), keys(&b));
}

#[test]
fn a_schema_error_fails_the_build_and_writes_nothing() {
    let p = TestProject::fixture("tiny");
    p.write(
        "schema/notes.kdl",
        &p.read("schema/notes.kdl")
            .replace("title string", "title strin"),
    );
    let run = p.forge(&["build", "--json"]);
    assert_eq!(run.code, 1);
    let summary = run.json();
    assert_eq!(summary["ok"], false);
    assert_eq!(nodes(&summary, "failed_nodes"), ["validate"]);
    assert!(!p.path().join("generated").exists());
    let code = summary["diagnostics"][0]["code"].as_str().unwrap();
    assert_eq!(code, "forge::unknown-type");
    assert_eq!(summary["diagnostics"][0]["file"], "schema/notes.kdl");
}

#[test]
fn keep_going_still_builds_what_does_not_depend_on_a_failure() {
    let p = TestProject::fixture("tiny");
    p.write("schema/broken.kdl", "model {");
    let run = p.forge(&["build", "--keep-going", "--json"]);
    assert_eq!(run.code, 1);
    let summary = run.json();
    assert_eq!(nodes(&summary, "failed_nodes"), ["parse:schema/broken.kdl"]);
    let executed = nodes(&summary, "executed_nodes");
    assert!(
        executed.contains(&"parse:schema/notes.kdl".to_string()),
        "{executed:?}"
    );
    assert!(!executed.contains(&"validate".to_string()));
}

#[test]
fn a_failed_node_is_never_cached() {
    let p = TestProject::fixture("tiny");
    p.write("schema/broken.kdl", "model {");
    for _ in 0..2 {
        let summary = p.forge(&["build", "--json"]).json();
        assert_eq!(nodes(&summary, "failed_nodes"), ["parse:schema/broken.kdl"]);
    }
}
