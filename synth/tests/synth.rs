//! The synthetic projects: deterministic, the requested size, acyclic, and free of any diagnostic
//! (error or warning) from the real front end.

use std::collections::{BTreeMap, BTreeSet};

use forge_frontend::Provenance;
use forge_schemas::{FieldType, Ir, Model, OnDelete, RelationKind};
use forge_synth::{model_file, model_name, project, with_added_field, write_files, write_project};

mod common;

use common::validate;

/// The IR's models (sorted by name) in declaration order: by file, then position in the file.
fn declared<'a>(ir: &'a Ir, provenance: &Provenance) -> Vec<&'a Model> {
    let mut models: Vec<&Model> = ir.models.iter().collect();
    models.sort_by_key(|m| {
        let loc = &provenance.entries[&m.name];
        (loc.file.clone(), loc.span)
    });
    models
}

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
        let (ir, provenance) = validate(&schema_files(&project(models, files)));
        assert_eq!(ir.models.len(), models);
        let names: Vec<&str> = declared(&ir, &provenance)
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, (0..models).map(model_name).collect::<Vec<_>>());
    }
}

#[test]
fn every_belongs_to_points_at_an_earlier_model() {
    let (ir, provenance) = validate(&schema_files(&project(300, 17)));
    let models = declared(&ir, &provenance);
    let position: BTreeMap<&str, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.as_str(), i))
        .collect();
    let mut links = 0;
    for (i, m) in models.iter().enumerate() {
        for r in &m.relations {
            if let RelationKind::BelongsTo { .. } = r.kind {
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
    }
    assert!(
        links > 200,
        "only {links} belongs-to relations in 300 models"
    );
}

#[test]
fn domains_are_realistic_and_sound() {
    let files = schema_files(&project(400, 20));
    let (ir, provenance) = validate(&files);
    let models = declared(&ir, &provenance);
    let tenant = models[0];
    assert_eq!(tenant.name, "Tenant");
    assert_eq!(tenant.tenant, None);
    let mut kinds = BTreeMap::<String, usize>::new();
    let mut count = |kind: &str| *kinds.entry(kind.to_owned()).or_default() += 1;
    for m in &models[1..] {
        assert_eq!(m.tenant.as_deref(), Some("tenant_id"), "{}", m.name);
        let tenant_id = m.field("tenant_id").expect("a tenant column");
        assert_eq!(
            (&tenant_id.ty, tenant_id.optional),
            (&FieldType::Uuid, false)
        );
        // Declared fields, not the key columns of belongs-to relations.
        let own: Vec<_> = m.fields.iter().filter(|f| f.relation.is_none()).collect();
        assert!(
            (6..=12).contains(&own.len()),
            "{} has {} fields",
            m.name,
            own.len()
        );
        for f in own {
            count(f.ty.schema_name());
        }
        for r in &m.relations {
            match &r.kind {
                RelationKind::BelongsTo { on_delete, .. } => count(match on_delete {
                    OnDelete::Cascade => "cascade",
                    OnDelete::Restrict => "restrict",
                    OnDelete::SetNull => "set-null",
                }),
                RelationKind::HasMany { via } => {
                    // The inverse of a belongs-to on the target that points back here.
                    let back = ir.model(&r.target).and_then(|t| t.relation(via));
                    assert!(
                        back.is_some_and(|b| b.target == m.name
                            && matches!(b.kind, RelationKind::BelongsTo { .. })),
                        "{}.{} via {via}",
                        m.name,
                        r.name
                    );
                    count("has-many");
                }
                RelationKind::ManyToMany { .. } => count("many-to-many"),
            }
        }
    }
    for kind in [
        "has-many",
        "many-to-many",
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
    // `has-many` is written both with and without `via` (the IR always resolves it).
    let written: BTreeSet<bool> = files
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter(|l| l.contains(" has-many="))
        .map(|l| l.contains(" via="))
        .collect();
    assert_eq!(written, BTreeSet::from([false, true]));
    assert!(
        models
            .iter()
            .flat_map(|m| &m.permissions)
            .any(|p| p.condition.is_some())
    );
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
    let (ir, _) = validate(&schema_files(&twice));
    let m = ir.model(&model_name(13)).expect("model 13");
    let names: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names[1..3], ["added_field_1", "added_field_2"]);
    // The tenant model too.
    let (ir, _) = validate(&schema_files(&with_added_field(&files, 0)));
    let tenant = ir.model("Tenant").expect("the tenant model");
    assert!(tenant.field("added_field_1").is_some());
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
    // The written project: its forge.kdl is clean and its schema glob finds the parts, which
    // validate.
    let text = std::fs::read_to_string(dir.path().join("forge.kdl")).expect("forge.kdl");
    let config = common::config(&text);
    assert_eq!(config.schema, ["schema/*.kdl"]);
    assert_eq!(config.out, "generated");
    let mut parts: Vec<(String, String)> = std::fs::read_dir(dir.path().join("schema"))
        .expect("schema folder")
        .map(|e| {
            let path = format!("schema/{}", e.expect("entry").file_name().to_string_lossy());
            let text = std::fs::read_to_string(dir.path().join(&path)).expect("part");
            (path, text)
        })
        .collect();
    parts.sort();
    assert_eq!(parts.len(), 4);
    assert_eq!(validate(&parts).0.models.len(), 30);

    let edited = tempfile::tempdir().expect("temp dir");
    write_files(edited.path(), &with_added_field(&project(30, 4), 5)).expect("written");
    assert!(edited.path().join("schema/part_000.kdl").exists());

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_forge-synth"))
        .arg("x")
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}
