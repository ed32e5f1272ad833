//! The smaller commands: init, check, graph, cache; and the command line's exit codes.

mod support;

use support::{TestProject, redact};

#[test]
fn init_creates_a_project_that_builds_without_warnings_and_never_overwrites() {
    let p = TestProject::empty();
    assert_eq!(p.forge(&["init"]).code, 0);
    let check = p.forge(&["check", "--json"]).json();
    assert_eq!(check["errors"], 0);
    assert_eq!(check["warnings"], 0);
    assert_eq!(p.build()["ok"], true);
    let again = p.forge(&["init"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}

#[test]
fn check_reports_every_error_at_once_with_places() {
    let p = TestProject::fixture("tiny");
    p.write(
        "schema/notes.kdl",
        &p.read("schema/notes.kdl")
            .replace("title string", "title strin")
            .replace("record.author_id == user.id", "record.writer_id == user.id"),
    );
    let run = p.forge(&["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("check_two_errors", redact(&run.stderr, p.path()));
}

#[test]
fn check_warns_about_denied_actions_and_succeeds() {
    let p = TestProject::fixture("tiny");
    p.write(
        "schema/notes.kdl",
        &p.read("schema/notes.kdl")
            .replace("  policy all \"record.author_id == user.id\"\n", ""),
    );
    let run = p.forge(&["check", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["warnings"], 1);
    assert_eq!(json["diagnostics"][0]["code"], "forge::action-denied");
}

#[test]
fn a_bad_forge_kdl_is_reported_with_its_place() {
    let p = TestProject::fixture("tiny");
    p.write(
        "forge.kdl",
        &p.read("forge.kdl").replace("target sql", "target sqll"),
    );
    let run = p.forge(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("forge::config-unknown-target"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("forge.kdl:4:8"), "{}", run.stderr);
}

#[test]
fn graph_renders_in_every_format() {
    let p = TestProject::fixture("tiny");
    for format in ["text", "dot", "mermaid", "json"] {
        let run = p.forge(&["graph", "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(format!("graph_{format}"), run.stdout);
    }
}

#[test]
fn cache_stats_and_gc() {
    let p = TestProject::fixture("tiny");
    p.build();
    p.write(
        "schema/notes.kdl",
        &p.read("schema/notes.kdl").replace("max=200", "max=250"),
    );
    p.build();
    let stats = p.forge(&["cache", "stats", "--json"]).json();
    assert_eq!(stats["builds"], 2);
    let gc = p.forge(&["cache", "gc", "--keep", "1"]);
    assert_eq!(gc.code, 0, "{}", gc.stderr);
    let after = p.forge(&["cache", "stats", "--json"]).json();
    assert_eq!(after["builds"], 1);
    assert!(after["actions"].as_u64() < stats["actions"].as_u64());
    // The sandbox's memoized group of the first build is gone, the kept build's is not.
    let groups = || -> i64 {
        rusqlite::Connection::open(p.path().join(".forge/cache/forge.db"))
            .unwrap()
            .query_row(
                "SELECT count(*) FROM actions WHERE node = 'sandbox:sqlite/group'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(groups(), 1);
    // What the kept build needs is still there: a no-op build runs nothing.
    assert_eq!(p.executed(), Vec::<String>::new());
}

#[test]
fn a_wrong_command_line_exits_2() {
    let p = TestProject::fixture("tiny");
    assert_eq!(p.forge(&["build", "--frobnicate"]).code, 2);
    assert_eq!(p.forge(&["graph", "--format", "png"]).code, 2);
}

#[test]
fn without_a_project_forge_says_where_it_looked() {
    let p = TestProject::empty();
    let run = p.forge(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no forge.kdl in"), "{}", run.stderr);
}

#[test]
fn the_project_is_found_from_a_subfolder() {
    let p = TestProject::fixture("tiny");
    let run = support::Run::in_dir(&p.path().join("schema"), &["build", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(p.path().join("generated/sql/postgres/schema.sql").exists());
}

#[test]
fn warnings_are_replayed_when_validate_comes_from_the_cache() {
    let p = TestProject::fixture("tiny");
    p.write(
        "schema/notes.kdl",
        &p.read("schema/notes.kdl")
            .replace("  policy all \"record.author_id == user.id\"\n", ""),
    );
    for round in 0..2 {
        let summary = p.build();
        let codes: Vec<&str> = summary["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["forge::action-denied"], "round {round}");
        assert_eq!(summary["diagnostics"][0]["line"], 2, "round {round}");
    }
    assert_eq!(p.executed(), Vec::<String>::new());
}
