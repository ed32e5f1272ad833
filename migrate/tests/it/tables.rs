//! Tables: created with their keys, renamed by hint or by `table=`, dropped with the flag and
//! deprecated without it.

use forge_migrate::{Operation, Rule};

use crate::db::{Scenario, exec, rows};

const USERS: &str = r#"
model User {
  id integer pk=#true
  name string max=40
}
"#;

const BLOG: &str = r#"
model User {
  id integer pk=#true
  name string max=40
}

model Post {
  id integer pk=#true
  author belongs-to=User on-delete=cascade
  title string max=80 min=1
  slug string max=80 unique=#true
  views integer default=0 index=#true
  check "views >= 0"
}
"#;

const USER_ROWS: &str = r#"INSERT INTO "user" VALUES (1, 'ann'), (2, 'bob');"#;

const BLOG_ROWS: &str = r#"
INSERT INTO "user" VALUES (1, 'ann'), (2, 'bob');
INSERT INTO "post" VALUES (10, 1, 'hello', 'hello', 3), (11, 2, 'again', 'again', 4);
"#;

#[test]
fn a_new_table_comes_with_its_keys_checks_and_indexes() {
    let s = Scenario {
        name: "create_table",
        old: USERS,
        new: BLOG,
        rows: USER_ROWS,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert_eq!(plan.operations.len(), 1);
    assert_eq!(plan.operations[0].rule, Rule::CreateTable);
    s.run(|dialect, db| {
        exec(
            db,
            dialect,
            r#"INSERT INTO "post" VALUES (10, 1, 'hello', 'hello', 0);"#,
        );
        for bad in [
            r#"INSERT INTO "post" VALUES (11, 9, 'x', 'x', 0);"#,
            r#"INSERT INTO "post" VALUES (12, 1, 'y', 'hello', 0);"#,
            r#"INSERT INTO "post" VALUES (13, 1, 'z', 'z', -1);"#,
        ] {
            assert!(
                db.apply(&crate::db::q(dialect, bad)).is_err(),
                "{dialect}: {bad}"
            );
        }
        exec(db, dialect, r#"DELETE FROM "user" WHERE "id" = 1;"#);
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "0");
    });
}

#[test]
fn a_renamed_model_keeps_its_rows_and_the_keys_that_point_at_it() {
    let s = Scenario {
        name: "renamed_model",
        old: BLOG,
        new: r#"
model Author renamed-from="User" {
  id integer pk=#true
  name string max=40
  note string max=10 optional=#true
}

model Post {
  id integer pk=#true
  author belongs-to=Author on-delete=cascade
  title string max=80 min=1
  slug string max=80 unique=#true
  views integer default=0 index=#true
  check "views >= 0"
}
"#,
        rows: BLOG_ROWS,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert!(plan.steps().contains(&Operation::RenameTable {
        from: "user".into(),
        to: "author".into()
    }));
    assert!(plan.operations.iter().all(|p| !matches!(
        p.operation,
        Operation::DropForeignKey { .. } | Operation::AddForeignKey { .. }
    )));
    s.run(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "id", "name" FROM "author" ORDER BY "id""#
            ),
            "1|ann\n2|bob"
        );
        assert!(
            db.apply(&crate::db::q(
                dialect,
                r#"INSERT INTO "post" VALUES (12, 7, 'x', 'x', 0);"#
            ))
            .is_err(),
            "{dialect}: the foreign key follows the renamed table"
        );
        exec(db, dialect, r#"DELETE FROM "author" WHERE "id" = 1;"#);
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "1");
    });
    s.round_trip(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "user""#), "2");
    });
}

#[test]
fn a_new_table_name_for_the_same_model_is_a_rename() {
    let s = Scenario {
        name: "table_property",
        old: USERS,
        new: r#"
model User table="people" {
  id integer pk=#true
  name string max=40
}
"#,
        rows: USER_ROWS,
        allow_destructive: false,
    };
    assert_eq!(
        s.plan().steps()[0],
        Operation::RenameTable {
            from: "user".into(),
            to: "people".into()
        }
    );
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "people""#), "2");
    });
}

#[test]
fn a_dropped_table_is_deprecated_without_the_flag() {
    let s = Scenario {
        name: "deprecated_table",
        old: BLOG,
        new: USERS,
        rows: BLOG_ROWS,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert!(
        plan.operations
            .iter()
            .all(|p| p.class() != forge_migrate::Class::Destructive)
    );
    assert!(plan.steps().contains(&Operation::DeprecateTable {
        table: "post".into(),
        to: "_forge_deprecated_post".into()
    }));
    let kept = &plan.snapshot.tables["_forge_deprecated_post"];
    assert_eq!(kept.deprecated_from.as_deref(), Some("post"));
    assert!(kept.foreign_keys.is_empty() && kept.indexes.is_empty() && kept.uniques.is_empty());
    s.run(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "id", "title" FROM "_forge_deprecated_post" ORDER BY "id""#
            ),
            "10|hello\n11|again"
        );
        // Nothing points from the kept rows at live ones any more.
        exec(db, dialect, r#"DELETE FROM "user";"#);
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT count(*) FROM "_forge_deprecated_post""#
            ),
            "2"
        );
    });
    // The reverse gives the table back its name, keys and indexes.
    s.round_trip(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    });
}

#[test]
fn a_dropped_table_is_dropped_with_the_flag() {
    let s = Scenario {
        name: "dropped_table",
        old: BLOG,
        new: USERS,
        rows: BLOG_ROWS,
        allow_destructive: true,
    };
    let plan = s.plan();
    assert!(plan.operations.iter().any(|p| p.rule == Rule::DropTable));
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "user""#), "2");
        assert!(db.query("SELECT count(*) FROM post").is_err(), "{dialect}");
    });
}
