//! The repository's example projects: their `policies.sql` applies, and is deterministic.

use std::path::Path;

use crate::setup::{app, ir_of_files};

/// The IR of `examples/<name>`.
pub fn example(name: &str) -> forge_schemas::Ir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .join("schema");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "kdl"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                format!("schema/{}", p.file_name().unwrap().to_string_lossy()),
                text,
            )
        })
        .collect();
    files.sort();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    ir_of_files(&refs)
}

#[test]
fn the_blog_example_applies() {
    let ir = example("blog");
    let app = app("blog_example", &ir);
    assert_eq!(
        forge_gen_rls::policies_sql(&ir),
        forge_gen_rls::policies_sql(&ir)
    );
    let forced = app.admin_rows(
        "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relrowsecurity AND relforcerowsecurity",
    );
    let tables = app.admin_rows(
        "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
    );
    assert_eq!(forced, tables);
}

#[test]
fn the_clinic_example_applies() {
    let ir = example("clinic");
    let app = app("clinic_example", &ir);
    let policies = app.admin_rows("SELECT count(*) FROM pg_policies WHERE schemaname = 'public'");
    assert!(policies.parse::<u32>().unwrap() > 20, "{policies}");
}

/// A synthetic multi-tenant domain of 300 models (every action has a policy; relations of every
/// kind): `policies.sql` applies, and every table is forced.
#[test]
fn a_synthetic_domain_applies() {
    let files = forge_synth::project(300, 6);
    let schema: Vec<(&str, &str)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".kdl") && path != "forge.kdl")
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ir = ir_of_files(&schema);
    let app = app("synthetic", &ir);
    let unforced = app.admin_rows(
        "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND NOT (relrowsecurity AND relforcerowsecurity)",
    );
    assert_eq!(unforced, "0");
}
