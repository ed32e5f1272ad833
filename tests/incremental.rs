//! Incrementality on a 200-model synthetic domain: exactly which nodes run after an edit.

mod support;

use support::TestProject;

#[test]
fn one_field_added_to_one_model_of_200_reruns_only_that_models_nodes() {
    let files = forge_synth::project(200, 10);
    let p = TestProject::from_files(&files);
    let first = p.build();
    assert_eq!(first["nodes"], 1 + 10 + 1 + 3 * 200 + 3 + 1);
    assert_eq!(p.executed(), Vec::<String>::new());
    let groups = sandbox_groups(&p);
    assert!(
        groups > 1,
        "200 tables apply in several groups, got {groups}"
    );

    let model = 137;
    let edited = forge_synth::with_added_field(&files, model);
    let file = forge_synth::model_file(&files, model);
    let name = forge_synth::model_name(model);
    let content = &edited.iter().find(|(path, _)| path == file).unwrap().1;
    p.write(file, content);

    let mut expected = vec![
        format!("gen:sql/mysql:{name}"),
        "gen:sql/mysql".to_string(),
        format!("gen:sql/postgres:{name}"),
        "gen:sql/postgres".to_string(),
        format!("gen:sql/sqlite:{name}"),
        "gen:sql/sqlite".to_string(),
        format!("parse:{file}"),
        "sandbox:sqlite".to_string(),
        "validate".to_string(),
    ];
    expected.sort();
    assert_eq!(p.executed(), expected);
    // sandbox:sqlite ran, but applied only the group of tables that holds the edited model.
    assert_eq!(sandbox_groups(&p), groups + 1);

    // The assemblies wrote the edited table into their last file: the same bytes, and the same
    // origins, as a cold build of the edited project.
    let cold = TestProject::from_files(&edited);
    cold.build();
    for dialect in ["postgres", "sqlite", "mysql"] {
        let schema = format!("generated/sql/{dialect}/schema.sql");
        assert_eq!(p.read(&schema), cold.read(&schema), "{dialect}");
        let text = p.read(&schema);
        // The column's own line (quoted as the dialect quotes).
        let line = text
            .lines()
            .position(|l| {
                l.starts_with("  \"added_field_1\" ") || l.starts_with("  `added_field_1` ")
            })
            .expect("the added column is in the schema")
            + 1;
        let at = format!("{schema}:{line}");
        let explain = |q: &TestProject| q.forge(&["explain", &at, "--json"]).json()["line"].clone();
        assert_eq!(explain(&p), explain(&cold), "{dialect}");
        assert_eq!(explain(&p)["model"], name.as_str(), "{dialect}");
    }

    // A second edit, in another group: the sandbox takes every other group's tables from the
    // record the first edit left (itself partly carried over from the cold build's) and applies
    // one group; so does a third edit after `gc`.
    let again = forge_synth::with_added_field(&edited, 12);
    let other = forge_synth::model_file(&files, 12);
    let version = |project: &[(String, String)]| {
        project
            .iter()
            .find(|(path, _)| path == other)
            .unwrap()
            .1
            .clone()
    };
    p.write(other, &version(&again));
    let ran = |summary: serde_json::Value| support::nodes(&summary, "executed_nodes");
    assert!(ran(p.build()).contains(&"sandbox:sqlite".to_string()));
    assert_eq!(sandbox_groups(&p), groups + 2);
    assert_eq!(p.forge(&["cache", "gc"]).code, 0);
    p.write(other, &version(&forge_synth::with_added_field(&again, 12)));
    assert!(ran(p.build()).contains(&"sandbox:sqlite".to_string()));
    assert_eq!(sandbox_groups(&p), groups + 3);
}

/// How many groups of tables `sandbox:sqlite` has applied (and memoized) so far.
fn sandbox_groups(p: &TestProject) -> i64 {
    let db = rusqlite::Connection::open(p.path().join(".forge/cache/forge.db")).unwrap();
    db.query_row(
        "SELECT count(*) FROM actions WHERE node = 'sandbox:sqlite/group'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn two_builds_at_once_both_succeed_and_agree() {
    let p = TestProject::from_files(&forge_synth::project(150, 5));
    let a = std::process::Command::new(env!("CARGO_BIN_EXE_forge"))
        .args(["build", "--json"])
        .current_dir(p.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let b = p.forge(&["build", "--json"]);
    let a = a.wait_with_output().unwrap();
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(b.code, 0, "{}", b.stderr);
    // One of them built everything; the other waited for the lock and found it all in the cache.
    let executed = |s: &serde_json::Value| s["executed"].as_u64().unwrap();
    let sa: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let sb = b.json();
    assert_eq!(executed(&sa).min(executed(&sb)), 0);
    assert_eq!(p.executed(), Vec::<String>::new());
}
