//! The examples' first migration (and a synthetic domain's), from an empty database, replays to
//! what `schema.sql` builds.

use forge_testkit::example_ir;

use super::history::History;

fn first_migration_replays_to_the_schema(example: &str) {
    let ir = example_ir(example);
    let mut history = History::new();
    history.migrate_ir("initial", &ir, false);
    let differences = history.diff_ir(&ir);
    assert!(differences.is_empty(), "{example}: {differences:#?}");
}

#[test]
fn the_blog_replays_to_its_schema() {
    first_migration_replays_to_the_schema("blog");
}

#[test]
fn the_clinic_replays_to_its_schema() {
    first_migration_replays_to_the_schema("clinic");
}

#[test]
fn a_synthetic_domain_replays_to_its_schema() {
    let files = forge_synth::project(40, 4);
    let schema: Vec<(&str, &str)> = files
        .iter()
        .filter(|(path, _)| path != "forge.kdl")
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ir = forge_testkit::ir_of_files(&schema);
    let mut history = History::new();
    history.migrate_ir("initial", &ir, false);
    let differences = history.diff_ir(&ir);
    assert!(differences.is_empty(), "{differences:#?}");
}
