//! The synthetic projects: deterministic, the requested size, acyclic, and sound by the stand-in
//! checker in `support`.

mod support;

use std::collections::BTreeMap;

use forge_synth::{model_file, model_name, project, with_added_field, write_files, write_project};

fn schema_files(files: &[(String, String)]) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(p, _)| p.starts_with("schema/"))
        .cloned()
        .collect()
}

#[test]
fn same_inputs_give_identical_bytes() {
    for (models, files) in [(1, 1), (10, 3), (200, 20), (57, 7)] {
        assert_eq!(project(models, files), project(models, files));
    }
    assert_ne!(project(30, 3), project(31, 3));
}

#[test]
fn layout_is_forge_kdl_then_parts_in_order() {
    let files = project(100, 10);
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths[0], "forge.kdl");
    let parts: Vec<String> = (0..10).map(|i| format!("schema/part_{i:03}.kdl")).collect();
    assert_eq!(
        paths[1..],
        parts.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );
    // Clamped: never an empty schema file.
    assert_eq!(project(3, 10).len(), 1 + 3);
    assert_eq!(project(0, 0).len(), 1 + 1);
}

#[test]
fn model_count_and_order_are_as_asked() {
    for (models, files) in [(1, 1), (2, 1), (12, 5), (150, 11)] {
        let (schema, problems) = support::check(&schema_files(&project(models, files)), None);
        assert!(problems.is_empty(), "{models}/{files}: {problems:#?}");
        let names: Vec<String> = schema.models.iter().map(|m| m.name.clone()).collect();
        assert_eq!(names, (0..models).map(model_name).collect::<Vec<_>>());
    }
}

#[test]
fn every_belongs_to_points_at_an_earlier_model() {
    let (schema, _) = support::check(&schema_files(&project(300, 17)), None);
    let position: BTreeMap<&str, usize> = schema
        .models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.as_str(), i))
        .collect();
    let mut links = 0;
    for (i, m) in schema.models.iter().enumerate() {
        for r in m.relations.iter().filter(|r| r.kind == "belongs-to") {
            assert!(
                position[r.target.as_str()] < i,
                "{}.{} -> {}",
                m.name,
                r.name,
                r.target
            );
            links += 1;
        }
    }
    assert!(
        links > 200,
        "only {links} belongs-to relations in 300 models"
    );
}

#[test]
fn domains_are_realistic_and_sound() {
    let (schema, problems) = support::check(&schema_files(&project(400, 20)), None);
    assert!(problems.is_empty(), "{problems:#?}");
    let tenant = &schema.models[0];
    assert_eq!(tenant.name, "Tenant");
    assert!(!tenant.tenant_scoped);
    let mut kinds = BTreeMap::<String, usize>::new();
    for m in &schema.models[1..] {
        assert!(m.tenant_scoped, "{} is not tenant-scoped", m.name);
        assert_eq!(m.fields.get("tenant_id"), Some(&("uuid".to_owned(), false)));
        assert!(
            (6..=12).contains(&m.fields.len()),
            "{} has {} fields",
            m.name,
            m.fields.len()
        );
        for r in &m.relations {
            *kinds
                .entry(format!("{}:{}", r.kind, r.via.is_some()))
                .or_default() += 1;
            if let Some(od) = &r.on_delete {
                *kinds.entry(od.clone()).or_default() += 1;
            }
        }
        for ty in m.fields.values().map(|(ty, _)| ty) {
            *kinds.entry(ty.clone()).or_default() += 1;
        }
    }
    for kind in [
        "has-many:true",
        "has-many:false",
        "many-to-many:false",
        "cascade",
        "restrict",
        "set-null",
        "uuid",
        "string",
        "text",
        "integer",
        "bigint",
        "decimal",
        "float",
        "boolean",
        "date",
        "datetime",
        "json",
        "bytes",
        "Status",
    ] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} in {kinds:?}"
        );
    }
    assert!(schema.permissions.iter().any(|p| p.3.is_some()));
}

#[test]
fn model_file_finds_each_model() {
    let files = project(25, 4);
    assert_eq!(model_file(&files, 0), "schema/part_000.kdl");
    assert_eq!(model_file(&files, 24), "schema/part_003.kdl");
    for i in 0..25 {
        let path = model_file(&files, i);
        let text = &files.iter().find(|(p, _)| p == path).expect("listed").1;
        assert!(text.contains(&format!("model {} {{\n", model_name(i))));
    }
}

#[test]
fn adding_a_field_changes_one_file_and_stays_sound() {
    let files = project(40, 5);
    let once = with_added_field(&files, 13);
    let twice = with_added_field(&once, 13);
    let changed: Vec<&str> = files
        .iter()
        .zip(&twice)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert_eq!(changed, [model_file(&files, 13)]);
    let (schema, problems) = support::check(&schema_files(&twice), None);
    assert!(problems.is_empty(), "{problems:#?}");
    let m = &schema.models[13];
    assert_eq!(
        m.field_order[1..3],
        ["added_field_1".to_owned(), "added_field_2".to_owned()]
    );
    // The tenant model too.
    let (schema, problems) = support::check(&schema_files(&with_added_field(&files, 0)), None);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(schema.models[0].fields.contains_key("added_field_1"));
}

#[test]
fn writes_to_disk_and_the_binary_agrees() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_project(dir.path(), 30, 4).expect("written");
    let cli = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_forge-synth"))
        .args(["30", "4"])
        .arg(cli.path())
        .status()
        .expect("runs");
    assert!(status.success());
    for (path, content) in project(30, 4) {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(&path)).expect("file"),
            content
        );
        assert_eq!(
            std::fs::read_to_string(cli.path().join(&path)).expect("file"),
            content
        );
    }
    let project_file = support::read_project(dir.path());
    assert!(
        project_file.problems.is_empty(),
        "{:#?}",
        project_file.problems
    );

    let edited = tempfile::tempdir().expect("temp dir");
    write_files(edited.path(), &with_added_field(&project(30, 4), 5)).expect("written");
    assert!(edited.path().join("schema/part_000.kdl").exists());

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_forge-synth"))
        .arg("x")
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}
