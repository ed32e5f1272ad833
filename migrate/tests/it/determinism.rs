//! The same change planned twice gives the same bytes; the files read back; a changed file
//! changes the checksum.

use forge_migrate::{DbSchema, Migration, PLAN_FILE, PlanFile, SNAPSHOT_FILE};

use crate::schema::{ir, try_plan_from};

const OLD: &str = r#"
enum Status draft published

model Post {
  id uuid pk=#true default=uuid
  title string max=80
  body text
  status Status default=draft
  index status
}
"#;

const NEW: &str = r#"
enum Status draft review published

model Post {
  id uuid pk=#true default=uuid
  headline string max=120 renamed-from="title"
  status Status default=review
  tags many-to-many=Tag
  index status headline
}

model Tag {
  id uuid pk=#true default=uuid
  name string max=40 unique=#true
}
"#;

fn migration() -> Migration {
    let old = DbSchema::from_ir(&ir(OLD));
    let plan = try_plan_from(&old, NEW, false).unwrap();
    Migration::new(3, "Add tags", &old, &plan)
}

#[test]
fn the_same_change_gives_the_same_bytes() {
    let (a, b) = (migration(), migration());
    assert_eq!(a, b);
    assert_eq!(a.checksum(), b.checksum());
    assert_eq!(a.dir, "0003_add_tags");
    let names: Vec<&str> = a.files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "down.mysql.sql",
            "down.postgres.sql",
            "down.sqlite.sql",
            "mysql.sql",
            "plan.json",
            "postgres.sql",
            "schema.json",
            "sqlite.sql"
        ]
    );
}

#[test]
fn the_files_read_back() {
    let m = migration();
    let snapshot = DbSchema::from_json(&m.files[SNAPSHOT_FILE]).unwrap();
    assert_eq!(snapshot.to_json(), m.snapshot());
    let plan: PlanFile = serde_json::from_slice(&m.files[PLAN_FILE]).unwrap();
    assert_eq!(plan.to, snapshot.digest());
    assert_eq!(plan.from, DbSchema::from_ir(&ir(OLD)).digest());
    assert!(plan.reversible);
}

#[test]
fn an_edited_file_changes_the_checksum() {
    let m = migration();
    let mut edited = m.clone();
    edited
        .files
        .get_mut("postgres.sql")
        .unwrap()
        .extend_from_slice(b"-- edited\n");
    assert_ne!(m.checksum(), edited.checksum());
}
