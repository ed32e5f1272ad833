//! Every example and fixture, built by the real binary, applies cleanly to a real SQLite, a real
//! PostgreSQL and a real MariaDB (the `mysql` dialect is tested on MariaDB). Each test gets its own
//! database on the servers `ci/db.sh` started; without them these tests fail, never skip.

mod support;

use forge_testkit::{Database, mysql_database, pg_database, sqlite_apply};
use support::TestProject;

fn apply_everywhere(name: &str, p: &TestProject) {
    let summary = p.build();
    assert_eq!(summary["ok"], true);
    let sqlite = p.read("generated/sql/sqlite/schema.sql");
    sqlite_apply(&sqlite).unwrap_or_else(|e| panic!("{name}: SQLite rejected the schema:\n{e}"));
    let pg = pg_database(&format!("forge_{name}"));
    pg.apply(&p.read("generated/sql/postgres/schema.sql"))
        .unwrap_or_else(|e| panic!("{name}: PostgreSQL rejected the schema:\n{e}"));
    if p.path().join("generated/rls/policies.sql").exists() {
        pg.apply(&p.read("generated/rls/policies.sql"))
            .unwrap_or_else(|e| panic!("{name}: PostgreSQL rejected the row-level security:\n{e}"));
    }
    let my = mysql_database(&format!("forge_{name}"));
    my.apply(&p.read("generated/sql/mysql/schema.sql"))
        .unwrap_or_else(|e| panic!("{name}: MariaDB rejected the schema:\n{e}"));
}

#[test]
fn the_blog_example_applies_to_all_three_databases() {
    apply_everywhere("blog", &TestProject::fixture("blog"));
}

#[test]
fn the_clinic_example_applies_to_all_three_databases() {
    apply_everywhere("clinic", &TestProject::fixture("clinic"));
}

#[test]
fn the_tiny_fixture_applies_to_all_three_databases() {
    apply_everywhere("tiny", &TestProject::fixture("tiny"));
}

#[test]
fn a_200_model_synthetic_domain_applies_to_all_three_databases() {
    apply_everywhere(
        "synth200",
        &TestProject::from_files(&forge_synth::project(200, 10)),
    );
}

#[test]
fn the_starter_project_of_forge_init_applies_to_all_three_databases() {
    let p = TestProject::empty();
    assert_eq!(p.forge(&["init"]).code, 0);
    apply_everywhere("init", &p);
}

#[test]
fn every_valid_front_end_fixture_applies_to_all_three_databases() {
    let dir = support::repo().join("frontend/tests/fixtures/valid");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for path in names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "kdl"))
    {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let p = TestProject::empty();
        p.write(
            "forge.kdl",
            "project fixture\nschema \"schema/*.kdl\"\ntarget sql\n",
        );
        p.write(
            &format!("schema/{stem}.kdl"),
            &std::fs::read_to_string(path).unwrap(),
        );
        apply_everywhere(&format!("valid_{stem}"), &p);
    }
}
