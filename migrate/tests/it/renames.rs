//! Renames come only from hints: a drop and an add that look like a rename stop the plan and
//! name the hint; a hint keeps the data; a hint already applied is ignored; names can swap.

use forge_migrate::{DbSchema, PlanError};

use crate::db::{Scenario, rows};
use crate::schema::{ir, try_plan, try_plan_from};

fn stop(old: &str, new: &str) -> String {
    match try_plan(old, new, true) {
        Err(e @ PlanError::LooksLikeRename(_)) => e.to_string(),
        other => panic!("the plan should stop, got {other:?}"),
    }
}

#[test]
fn a_look_alike_column_names_the_hint() {
    let text = stop(
        "model Post {\n  id integer pk=#true\n  title string max=80\n}",
        "model Post {\n  id integer pk=#true\n  headline string max=80\n}",
    );
    assert!(
        text.contains(
            "column post.title would be dropped and post.headline added, both string max=80: \
             if it is a rename, add `renamed-from=\"title\"` to the field headline of model Post"
        ),
        "{text}"
    );
}

#[test]
fn a_look_alike_relation_names_the_relation_hint() {
    let text = stop(
        "model User {\n  id integer pk=#true\n}\nmodel Post {\n  id integer pk=#true\n  author belongs-to=User\n}",
        "model User {\n  id integer pk=#true\n}\nmodel Post {\n  id integer pk=#true\n  writer belongs-to=User\n}",
    );
    assert!(
        text.contains("add `renamed-from=\"author\"` to the relation writer of model Post"),
        "{text}"
    );
}

#[test]
fn a_look_alike_table_names_the_model_hint() {
    let text = stop(
        "model Post {\n  id integer pk=#true\n  title text\n}",
        "model Article {\n  id integer pk=#true\n  title text\n}",
    );
    assert!(
        text.contains(
            "table post would be dropped and table article created, with the same columns: \
             if it is a rename, add `renamed-from=\"Post\"` to model Article"
        ),
        "{text}"
    );
}

#[test]
fn a_look_alike_join_table_names_its_table() {
    let text = stop(
        "model Tag {\n  id integer pk=#true\n}\nmodel Post {\n  id integer pk=#true\n  tags many-to-many=Tag\n}",
        "model Tag {\n  id integer pk=#true\n}\nmodel Post {\n  id integer pk=#true\n  labels many-to-many=Tag\n}",
    );
    assert!(
        text.contains(
            "add `table=\"post_tags\"` to the many-to-many relation labels of model Post"
        ),
        "{text}"
    );
}

#[test]
fn a_different_type_is_no_look_alike() {
    let plan = try_plan(
        "model Post {\n  id integer pk=#true\n  title string max=80\n}",
        "model Post {\n  id integer pk=#true\n  views integer optional=#true\n}",
        true,
    )
    .unwrap();
    assert_eq!(plan.operations.len(), 3, "{:?}", plan.steps());
}

#[test]
fn a_hint_already_applied_is_ignored() {
    let old = "model Post {\n  id integer pk=#true\n  title string max=80\n}";
    let new =
        "model Post {\n  id integer pk=#true\n  headline string max=80 renamed-from=\"title\"\n}";
    let first = try_plan(old, new, false).unwrap();
    assert!(!first.is_empty());
    assert!(
        try_plan_from(&first.snapshot, new, false)
            .unwrap()
            .is_empty()
    );
    assert_eq!(first.snapshot, DbSchema::from_ir(&ir(new)));
}

#[test]
fn two_models_swap_tables_through_a_temporary_name() {
    let model = |name: &str, table: &str, field: &str| {
        format!(
            "model {name} table=\"{table}\" {{\n  id integer pk=#true\n  {field} text unique=#true\n  index id {field}\n}}\n"
        )
    };
    let old = model("Left", "first", "a") + &model("Right", "second", "b");
    let new = model("Left", "second", "a") + &model("Right", "first", "b");
    let s = Scenario {
        name: "swapped_tables",
        old: &old,
        new: &new,
        rows: r#"INSERT INTO "first" VALUES (1, 'left'); INSERT INTO "second" VALUES (2, 'right');"#,
        allow_destructive: false,
    };
    let through_temporary = s.plan().steps().iter().any(|op| {
        matches!(op, forge_migrate::Operation::RenameTable { to, .. } if to.starts_with("_forge_tmp_"))
    });
    assert!(through_temporary);
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT "a" FROM "second""#), "left");
        assert_eq!(rows(db, dialect, r#"SELECT "b" FROM "first""#), "right");
    });
    s.round_trip(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT "a" FROM "first""#), "left");
    });
}
