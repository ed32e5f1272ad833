//! The first migration of the examples (blog, clinic): from an empty database it builds what
//! `schema.sql` builds, in every dialect, and its reverse empties the database again. A schema
//! planned against itself needs nothing.

use forge_gen_sql::{Dialect, generate};
use forge_migrate::{DbSchema, Migration, PlanOptions, RenameHints, plan};
use forge_testkit::{example_ir, ir_of_files};

use crate::db::{empty, run_file, shape};

fn first_migration(example: &str) {
    migrate_from_nothing(example, &example_ir(example));
}

fn migrate_from_nothing(example: &str, ir: &forge_schemas::Ir) {
    let ir = ir.clone();
    let new = DbSchema::from_ir(&ir);
    let old = DbSchema::empty();
    let planned = plan(
        &old,
        &new,
        &RenameHints::from_ir(&ir),
        &PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(planned.snapshot, new);
    let unchanged = plan(
        &new,
        &new,
        &RenameHints::from_ir(&ir),
        &PlanOptions::default(),
    )
    .unwrap();
    assert!(unchanged.is_empty(), "{:?}", unchanged.steps());
    let migration = Migration::new(1, "initial", &old, &planned);
    for dialect in Dialect::ALL {
        let db = empty(dialect, &format!("initial_{example}"));
        let up = migration.sql(dialect);
        run_file(&*db, dialect, up).unwrap_or_else(|e| panic!("{dialect}: {e}\n{up}"));
        let fresh = empty(dialect, &format!("initial_{example}_fresh"));
        fresh
            .apply(&generate(&ir, dialect).content)
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        let fresh_shape = shape(&*fresh, dialect, true);
        assert_eq!(shape(&*db, dialect, true), fresh_shape, "{dialect}\n{up}");
        let down = migration.down_sql(dialect).expect("creating is reversible");
        run_file(&*db, dialect, down).unwrap_or_else(|e| panic!("{dialect}: {e}\n{down}"));
        let nothing = empty(dialect, &format!("initial_{example}_empty"));
        assert_eq!(
            shape(&*db, dialect, true),
            shape(&*nothing, dialect, true),
            "{dialect}\n{down}"
        );
        assert!(!fresh_shape.is_empty());
    }
}

#[test]
fn the_blog_is_built_from_nothing_and_taken_down() {
    first_migration("blog");
}

#[test]
fn the_clinic_is_built_from_nothing_and_taken_down() {
    first_migration("clinic");
}

/// The schema files of a synthetic project (its forge.kdl left out), as the front end reads them.
fn synthetic(files: &[(String, String)]) -> forge_schemas::Ir {
    let schema: Vec<(&str, &str)> = files
        .iter()
        .filter(|(path, _)| path != "forge.kdl")
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    ir_of_files(&schema)
}

#[test]
fn a_synthetic_domain_is_built_from_nothing_and_taken_down() {
    migrate_from_nothing("synthetic", &synthetic(&forge_synth::project(40, 4)));
}
