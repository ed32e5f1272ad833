//! The corpus of broken schemas: every file under tests/fixtures/errors is one rule broken, and
//! its rendered diagnostics (no color) are snapshotted, so a reviewer sees the exact message,
//! location, underline and help of each rule.

mod common;

use common::{Project, fixture};
use forge_frontend::Severity;

/// The fixture names (without `.kdl`) of one corpus folder, sorted.
fn corpus(folder: &str) -> Vec<String> {
    let dir = format!("{}/tests/fixtures/{folder}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".kdl"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| n.trim_end_matches(".kdl").to_string())
        .collect()
}

#[test]
fn every_broken_schema_renders_its_errors() {
    let names = corpus("errors");
    assert!(names.len() >= 60, "the corpus has {} files", names.len());
    for name in names {
        let path = format!("errors/{name}.kdl");
        let project = Project::new(&[(path.as_str(), &fixture(&path))]);
        let validated = project.validate();
        let errors = project
            .parse_diagnostics
            .iter()
            .chain(&validated.diagnostics)
            .filter(|d| d.severity == Severity::Error)
            .count();
        assert!(errors > 0, "{name} has no error");
        assert!(
            validated.ir.is_none() || !project.parse_diagnostics.is_empty(),
            "{name}"
        );
        insta::assert_snapshot!(name, project.render_all());
    }
}

#[test]
fn every_warning_schema_renders_its_warnings() {
    for name in corpus("warnings") {
        let path = format!("warnings/{name}.kdl");
        let project = Project::new(&[(path.as_str(), &fixture(&path))]);
        let validated = project.validate();
        assert!(
            validated.ir.is_some(),
            "{name} has errors:\n{}",
            project.render_all()
        );
        assert!(!validated.diagnostics.is_empty(), "{name} has no warning");
        insta::assert_snapshot!(format!("warning_{name}"), project.render_all());
    }
}

#[test]
fn several_independent_errors_are_reported_in_one_run() {
    let text = "model Post {\n  id uuid pk=#true\n  title strng\n  author belongs-to=Usr\n  policy read \"record.nope == 1\"\n  policy read \"true\"\n}\nmodel post_tag {\n  id uuid\n}\n";
    let project = Project::new(&[("many.kdl", text)]);
    let validated = project.validate();
    let mut codes: Vec<&str> = validated
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code.as_str())
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            "forge::duplicate-policy",
            "forge::missing-primary-key",
            "forge::model-name-case",
            "forge::unknown-field",
            "forge::unknown-relation-target",
            "forge::unknown-type",
        ]
    );
    assert!(validated.ir.is_none());
}

#[test]
fn a_duplicate_across_files_points_into_both_files() {
    let body = "{\n  id uuid pk=#true\n  policy all \"user.id != null\"\n}\n";
    let project = Project::new(&[
        ("schema/a.kdl", &format!("model Post {body}")),
        (
            "schema/b.kdl",
            &format!("// the same name again\nmodel Post {body}"),
        ),
    ]);
    insta::assert_snapshot!("duplicate_across_files", project.render_all());
}

#[test]
fn a_syntax_error_in_one_file_does_not_hide_the_other_files_errors() {
    let project = Project::new(&[
        ("a.kdl", "model Post {\n  id uuid pk=true\n}\n"),
        (
            "b.kdl",
            "model Tag {\n  name strng\n  policy all \"user.id != null\"\n}\n",
        ),
    ]);
    let codes: Vec<String> = project
        .parse_diagnostics
        .iter()
        .chain(&project.validate().diagnostics)
        .map(|d| d.code.clone())
        .collect();
    assert_eq!(
        codes,
        [
            "forge::kdl-syntax",
            "forge::unknown-type",
            "forge::missing-primary-key"
        ]
    );
}
