//! The hand-written example projects (examples/blog, examples/clinic) and the repository's root
//! forge.kdl pass the stand-in checker in `support`: KDL 2.0, the syntax of notes/syntax.md, sound
//! relations, every action granted, names in rules resolved, hooks present.

mod support;

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("the crate folder exists");
    manifest
        .parent()
        .expect("synth/ is in the repository")
        .to_owned()
}

fn assert_clean(dir: &Path, hooks_root: &Path) -> support::Schema {
    let project = support::read_project(dir);
    assert!(
        project.problems.is_empty(),
        "{}: {:#?}",
        dir.display(),
        project.problems
    );
    assert_eq!(project.out.as_deref(), Some("generated"));
    let (schema, problems) = support::check(&project.schema_files, Some(hooks_root));
    assert!(problems.is_empty(), "{}: {problems:#?}", dir.display());
    schema
}

#[test]
fn blog_example_is_sound() {
    let dir = repo().join("examples/blog");
    let schema = assert_clean(&dir, &dir);
    let project = support::read_project(&dir);
    assert!(
        project.schema_files.len() >= 3,
        "the blog schema is split over several files"
    );

    // Every field type is used somewhere.
    let used: std::collections::BTreeSet<&str> = schema
        .models
        .iter()
        .flat_map(|m| m.fields.values().map(|(ty, _)| ty.as_str()))
        .collect();
    for ty in [
        "uuid", "string", "text", "integer", "bigint", "decimal", "float", "boolean", "date",
        "datetime", "json", "bytes",
    ] {
        assert!(used.contains(ty), "no {ty} field");
    }
    assert!(
        used.iter().any(|ty| schema.enums.contains_key(*ty)),
        "no enum field"
    );

    // Each on-delete, has-many with and without via, many-to-many, a permission with `if`.
    let relations: Vec<&support::Relation> =
        schema.models.iter().flat_map(|m| &m.relations).collect();
    for od in ["cascade", "restrict", "set-null"] {
        assert!(
            relations.iter().any(|r| r.on_delete.as_deref() == Some(od)),
            "no on-delete={od}"
        );
    }
    assert!(
        relations
            .iter()
            .any(|r| r.kind == "has-many" && r.via.is_some())
    );
    assert!(
        relations
            .iter()
            .any(|r| r.kind == "has-many" && r.via.is_none())
    );
    assert!(relations.iter().any(|r| r.kind == "many-to-many"));
    assert!(schema.permissions.iter().any(|p| p.3.is_some()));
}

#[test]
fn clinic_example_is_sound() {
    let dir = repo().join("examples/clinic");
    let schema = assert_clean(&dir, &dir);
    assert!(schema.models.len() >= 10);
    let tables: Vec<&str> = schema.models.iter().map(|m| m.table.as_str()).collect();
    assert!(
        tables.contains(&"user") && tables.contains(&"order"),
        "reserved-word tables"
    );
    let fields: Vec<&str> = schema
        .models
        .iter()
        .flat_map(|m| m.fields.keys().map(String::as_str))
        .collect();
    for name in ["order", "group", "prénom"] {
        assert!(fields.contains(&name), "no field {name}");
    }
    // A self-relation and an optional belongs-to cycle (Clinic <-> Doctor).
    let points_at = |from: &str, to: &str| {
        schema
            .models
            .iter()
            .find(|m| m.name == from)
            .is_some_and(|m| {
                m.relations
                    .iter()
                    .any(|r| r.kind == "belongs-to" && r.target == to)
            })
    };
    assert!(points_at("Patient", "Patient"));
    assert!(points_at("Clinic", "Doctor") && points_at("Doctor", "Clinic"));
}

/// The root forge.kdl builds the blog from the repository root. Its hooks are checked against the
/// blog's folder: hook paths are relative to forge.kdl, and the root has no hooks/ folder (see the
/// note in the root forge.kdl).
#[test]
fn root_project_builds_the_blog() {
    let root = repo();
    let project = support::read_project(&root);
    assert!(project.problems.is_empty(), "{:#?}", project.problems);
    assert!(
        project
            .schema_files
            .iter()
            .all(|(p, _)| p.starts_with("examples/blog/schema/"))
    );
    let blog = support::read_project(&root.join("examples/blog"));
    let same: Vec<&str> = blog.schema_files.iter().map(|(_, t)| t.as_str()).collect();
    let root_texts: Vec<&str> = project
        .schema_files
        .iter()
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(same, root_texts);
    let (_, problems) = support::check(&project.schema_files, Some(&root.join("examples/blog")));
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The checker itself catches what it claims to (so a clean run means something).
#[test]
fn checker_catches_mistakes() {
    let bad = r#"
roles admin
enum S a b
model A {
  id uuid pk=#true
  s S default=c
  b belongs-to=B on-delete=set-null
  policy read "record.nope == 1 || user.roles.includes('root') || record.s == 'z'"
}
model B {
  id uuid pk=#true
  a belongs-to=A
  as has-many=A via=x
  policy all "true"
}
"#;
    let (_, problems) = support::check(&[("bad.kdl".to_owned(), bad.to_owned())], None);
    let text = problems.join("\n");
    for needle in [
        "default",
        "set-null on a required relation",
        "no field or relation `nope`",
        "undeclared roles entry 'root'",
        "'z' is not a member of S",
        "0 matching belongs-to",
        "nothing grants create",
    ] {
        assert!(text.contains(needle), "missed `{needle}` in:\n{text}");
    }
    let cycle = "model A {\n  id uuid pk=#true\n  b belongs-to=B\n  policy all \"true\"\n}\nmodel B {\n  id uuid pk=#true\n  a belongs-to=A\n  policy all \"true\"\n}\n";
    let (_, problems) = support::check(&[("cycle.kdl".to_owned(), cycle.to_owned())], None);
    assert!(
        problems.iter().any(|p| p.contains("cycle")),
        "{problems:#?}"
    );
}
