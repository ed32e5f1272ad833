//! Enums: values added (in the middle too), removed with the flag, kept without it, reordered.

use forge_gen_sql::Dialect;
use forge_migrate::{Operation, Rule};

use crate::db::{Scenario, exec, rows};

fn schema(values: &str, default: &str) -> String {
    format!(
        r#"
enum Status {values}

model Post {{
  id integer pk=#true
  status Status default={default}
  views integer
  index views where="status == 'published'"
  check "status != 'draft' || views >= 0" name=draft_views
}}
"#
    )
}

const ROWS: &str = r#"INSERT INTO "post" VALUES (1, 'draft', 1), (2, 'published', 2);"#;

#[test]
fn values_are_added_in_their_place() {
    let (old, new) = (
        schema("draft published", "draft"),
        schema("draft review published archived", "review"),
    );
    let s = Scenario {
        name: "enum_values_added",
        old: &old,
        new: &new,
        rows: ROWS,
        allow_destructive: false,
    };
    let rules: Vec<Rule> = s.plan().operations.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::AddEnumValue, Rule::SetDefault]);
    s.run(|dialect, db| {
        exec(
            db,
            dialect,
            r#"INSERT INTO "post" ("id", "views") VALUES (3, 3);"#,
        );
        exec(
            db,
            dialect,
            r#"INSERT INTO "post" VALUES (4, 'archived', 4);"#,
        );
        assert_eq!(
            rows(db, dialect, r#"SELECT "status" FROM "post" ORDER BY "id""#),
            "draft\npublished\nreview\narchived"
        );
    });
    s.round_trip(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    });
}

#[test]
fn values_are_removed_and_reordered_with_the_flag() {
    let (old, new) = (
        schema("draft review published", "draft"),
        schema("published draft", "draft"),
    );
    let s = Scenario {
        name: "enum_values_removed",
        old: &old,
        new: &new,
        rows: ROWS,
        allow_destructive: true,
    };
    let plan = s.plan();
    assert_eq!(plan.operations[0].rule, Rule::RemoveEnumValue);
    s.run(|dialect, db| {
        assert_eq!(
            rows(db, dialect, r#"SELECT "status" FROM "post" ORDER BY "id""#),
            "draft\npublished"
        );
        assert!(
            db.apply(&crate::db::q(
                dialect,
                r#"INSERT INTO "post" VALUES (5, 'review', 0);"#
            ))
            .is_err()
        );
    });
    // A row that holds the removed value stops the migration.
    let rows_sql = format!(r#"{ROWS} INSERT INTO "post" VALUES (3, 'review', 3);"#);
    let used = Scenario {
        name: "enum_value_in_use",
        rows: &rows_sql,
        ..s
    };
    used.run_failing(&Dialect::ALL, |dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "3");
    });
}

#[test]
fn a_reorder_keeps_every_value() {
    let (old, new) = (
        schema("draft published", "draft"),
        schema("published draft", "draft"),
    );
    let s = Scenario {
        name: "enum_reordered",
        old: &old,
        new: &new,
        rows: ROWS,
        allow_destructive: false,
    };
    assert_eq!(s.plan().operations[0].rule, Rule::ReorderEnumValues);
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    });
}

#[test]
fn removed_values_are_kept_without_the_flag() {
    let (old, new) = (
        schema("draft review published", "draft"),
        schema("draft published", "draft"),
    );
    let s = Scenario {
        name: "enum_values_kept",
        old: &old,
        new: &new,
        rows: ROWS,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert_eq!(
        plan.steps(),
        [Operation::KeepEnumValues {
            name: "Status".into(),
            values: vec!["review".into()]
        }]
    );
    let kept = &plan.snapshot.enums["Status"];
    assert_eq!(kept.values, ["draft", "review", "published"]);
    assert_eq!(kept.deprecated_values, ["review"]);
    let migration = s.migration();
    for dialect in Dialect::ALL {
        let db = s.migrated(dialect, &migration);
        exec(
            &*db,
            dialect,
            r#"INSERT INTO "post" VALUES (3, 'review', 3);"#,
        );
    }
}

#[test]
fn a_rebuilt_enum_meets_renamed_tables_and_a_new_default() {
    let old = schema("draft review published", "draft");
    let new = schema("published draft archived", "archived")
        .replace("model Post {", "model Post table=\"posts\" {");
    let s = Scenario {
        name: "enum_rebuilt_with_renames",
        old: &old,
        new: &new,
        rows: ROWS,
        allow_destructive: true,
    };
    s.run(|dialect, db| {
        exec(
            db,
            dialect,
            r#"INSERT INTO "posts" ("id", "views") VALUES (3, 3);"#,
        );
        assert_eq!(
            rows(db, dialect, r#"SELECT "status" FROM "posts" ORDER BY "id""#),
            "draft\npublished\narchived"
        );
    });
    // And back: the reverse rebuilds the type again (no row holds a removed value).
    s.round_trip(|dialect, db| {
        assert_eq!(
            rows(db, dialect, r#"SELECT "status" FROM "post" ORDER BY "id""#),
            "draft\npublished"
        );
    });
}
