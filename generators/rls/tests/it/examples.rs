//! The repository's example projects: their `policies.sql` applies, and is deterministic.

pub use forge_testkit::example_ir as example;
use forge_testkit::ir_of_files;

use crate::setup::app;

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
