//! The hand-written example projects (examples/blog, examples/clinic) and the repository's root
//! forge.kdl pass the real front end with no diagnostic at all (error or warning), cover what they
//! claim to, and name hook files that exist and export the hook.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use forge_frontend::config::ProjectConfig;

use forge_schemas::{FieldType, Ir, OnDelete, RelationKind};

mod common;

fn validate(files: &[(String, String)]) -> Ir {
    common::validate(files).0
}

fn repo() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("the crate folder exists");
    manifest
        .parent()
        .expect("synth/ is in the repository")
        .to_owned()
}

/// `dir`'s forge.kdl (which must be clean) and the schema files its globs name, as sorted
/// `(path relative to forge.kdl, text)` pairs. Only `folder/*.kdl` globs are expanded.
fn read_project(dir: &Path) -> (ProjectConfig, Vec<(String, String)>) {
    let text = std::fs::read_to_string(dir.join("forge.kdl")).expect("forge.kdl exists");
    let config = common::config(&text);
    let mut files = Vec::new();
    for glob in &config.schema {
        let folder = glob.strip_suffix("/*.kdl").expect("a `folder/*.kdl` glob");
        for entry in std::fs::read_dir(dir.join(folder)).expect("the schema folder") {
            let name = entry.expect("an entry").file_name();
            let name = name.to_str().expect("a UTF-8 file name");
            if name.ends_with(".kdl") {
                let path = format!("{folder}/{name}");
                let text = std::fs::read_to_string(dir.join(&path)).expect("readable");
                files.push((path, text));
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "{}: no schema file", dir.display());
    (config, files)
}

/// Every hook names a file (relative to `root`) that exports the hook's function.
fn assert_hooks_exist(ir: &Ir, root: &Path) {
    for m in &ir.models {
        for hook in &m.hooks {
            let file = root.join(&hook.file);
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{}: hook file {} is missing", m.name, file.display()));
            let export = &hook.export;
            assert!(
                text.contains(&format!("export function {export}("))
                    || text.contains(&format!("export async function {export}(")),
                "{}: {} exports no {export}",
                m.name,
                file.display()
            );
        }
    }
}

/// The example in `dir`: clean forge.kdl and schema, out folder `generated`, hooks present.
fn example(dir: &Path) -> (Vec<(String, String)>, Ir) {
    let (config, files) = read_project(dir);
    assert_eq!(config.out, "generated");
    let ir = validate(&files);
    assert_hooks_exist(&ir, dir);
    (files, ir)
}

#[test]
fn blog_example_is_sound() {
    let (files, ir) = example(&repo().join("examples/blog"));
    assert!(
        files.len() >= 3,
        "the blog schema is split over several files"
    );
    assert!(ir.models.iter().any(|m| !m.hooks.is_empty()), "no hook");

    // Every field type is used somewhere, an enum too.
    let used: BTreeSet<&str> = ir
        .models
        .iter()
        .flat_map(|m| &m.fields)
        .map(|f| f.ty.schema_name())
        .collect();
    for ty in [
        "uuid", "string", "text", "integer", "bigint", "decimal", "float", "boolean", "date",
        "datetime", "json", "bytes",
    ] {
        assert!(used.contains(ty), "no {ty} field");
    }
    let enum_field = ir
        .models
        .iter()
        .flat_map(|m| &m.fields)
        .any(|f| matches!(f.ty, FieldType::Enum { .. }));
    assert!(enum_field, "no enum field");

    // Each on-delete, has-many, many-to-many, a permission with `if`.
    let kinds: Vec<&RelationKind> = ir
        .models
        .iter()
        .flat_map(|m| &m.relations)
        .map(|r| &r.kind)
        .collect();
    for od in [OnDelete::Cascade, OnDelete::Restrict, OnDelete::SetNull] {
        assert!(
            kinds.iter().any(
                |k| matches!(k, RelationKind::BelongsTo { on_delete, .. } if *on_delete == od)
            ),
            "no on-delete={od:?}"
        );
    }
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, RelationKind::HasMany { .. }))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, RelationKind::ManyToMany { .. }))
    );
    assert!(!ir.join_tables.is_empty());
    // `has-many` is written both with and without `via` (the IR always resolves it).
    let written: BTreeSet<bool> = files
        .iter()
        .flat_map(|(_, text)| text.lines())
        .map(str::trim_start)
        .filter(|l| !l.starts_with("//") && l.contains(" has-many="))
        .map(|l| l.contains(" via="))
        .collect();
    assert_eq!(written, BTreeSet::from([false, true]));
    assert!(
        ir.models
            .iter()
            .flat_map(|m| &m.permissions)
            .any(|p| p.condition.is_some())
    );
}

#[test]
fn clinic_example_is_sound() {
    let (_, ir) = example(&repo().join("examples/clinic"));
    assert!(ir.models.len() >= 10);
    let tables: Vec<&str> = ir.models.iter().map(|m| m.table.as_str()).collect();
    assert!(
        tables.contains(&"user") && tables.contains(&"order"),
        "reserved-word tables"
    );
    let fields: Vec<&str> = ir
        .models
        .iter()
        .flat_map(|m| &m.fields)
        .map(|f| f.name.as_str())
        .collect();
    for name in ["order", "group", "prénom"] {
        assert!(fields.contains(&name), "no field {name}");
    }
    // A self-relation and an optional belongs-to cycle (Clinic <-> Doctor).
    let points_at = |from: &str, to: &str| {
        ir.model(from).is_some_and(|m| {
            m.relations
                .iter()
                .any(|r| r.target == to && matches!(r.kind, RelationKind::BelongsTo { .. }))
        })
    };
    assert!(points_at("Patient", "Patient"));
    assert!(points_at("Clinic", "Doctor") && points_at("Doctor", "Clinic"));
}

/// The root forge.kdl builds the blog from the repository root: the same schema files, so the
/// same IR. Hook paths are relative to forge.kdl and the root has no hooks/ folder (see the note
/// in the root forge.kdl), so its hooks are checked against the blog's folder.
#[test]
fn root_project_builds_the_blog() {
    let root = repo();
    let (config, files) = read_project(&root);
    assert_eq!(config.out, "generated");
    assert!(
        files
            .iter()
            .all(|(p, _)| p.starts_with("examples/blog/schema/"))
    );
    let ir = validate(&files);
    assert_hooks_exist(&ir, &root.join("examples/blog"));
    let (blog_files, blog_ir) = example(&root.join("examples/blog"));
    let texts =
        |files: &[(String, String)]| files.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&files), texts(&blog_files));
    assert_eq!(ir, blog_ir);
}
