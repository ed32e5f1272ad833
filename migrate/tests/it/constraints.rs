//! Indexes, unique keys, checks and foreign keys: added to tables that hold rows, dropped,
//! renamed with their column, and the tenant columns that scope keys.

use forge_gen_sql::Dialect;
use forge_migrate::{ConstraintKind, Operation, Rule};

use crate::db::{Scenario, exec, q, rows};

const PLAIN: &str = r#"
enum Status draft published

model User {
  id integer pk=#true
  name string max=40
}

model Post {
  id integer pk=#true
  title string max=80
  views integer
  status Status default=draft
  meta json optional=#true
}
"#;

const ROWS: &str = r#"
INSERT INTO "user" VALUES (1, 'ann'), (2, 'bob');
INSERT INTO "post" ("id", "title", "views", "status") VALUES (10, 'a', 1, 'draft'), (11, 'b', 2, 'published');
"#;

const CONSTRAINED: &str = r#"
enum Status draft published

model User {
  id integer pk=#true
  name string max=40
}

model Post {
  id integer pk=#true
  title string max=80 unique=#true
  views integer
  status Status default=draft
  meta json optional=#true
  editor belongs-to=User optional=#true on-delete=set-null
  index status views
  index views where="status == 'published'"
  index meta using=gin
  check "views >= 0" name=positive_views
}
"#;

fn fails(db: &dyn forge_testkit::Database, dialect: Dialect, sql: &str) {
    assert!(
        db.apply(&q(dialect, sql)).is_err(),
        "{dialect}: {sql} should fail"
    );
}

#[test]
fn constraints_are_added_to_tables_with_rows() {
    let s = Scenario {
        name: "add_constraints",
        old: PLAIN,
        new: CONSTRAINED,
        rows: ROWS,
        allow_destructive: false,
    };
    let plan = s.plan();
    let mut rules: Vec<Rule> = plan.operations.iter().map(|p| p.rule).collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            Rule::AddNullableColumn,
            Rule::AddIndex,
            Rule::AddIndex,
            Rule::AddIndex,
            Rule::AddUnique,
            Rule::AddForeignKey,
            Rule::AddCheck
        ]
    );
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
        exec(
            db,
            dialect,
            r#"UPDATE "post" SET "editor_id" = 1 WHERE "id" = 10;"#,
        );
        fails(
            db,
            dialect,
            r#"UPDATE "post" SET "editor_id" = 9 WHERE "id" = 10;"#,
        );
        fails(
            db,
            dialect,
            r#"UPDATE "post" SET "title" = 'b' WHERE "id" = 10;"#,
        );
        fails(
            db,
            dialect,
            r#"UPDATE "post" SET "views" = -1 WHERE "id" = 10;"#,
        );
        exec(db, dialect, r#"DELETE FROM "user" WHERE "id" = 1;"#);
        assert_eq!(
            rows(db, dialect, r#"SELECT count("editor_id") FROM "post""#),
            "0",
            "{dialect}: on-delete set-null"
        );
    });
    s.round_trip(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    });
}

#[test]
fn rows_that_break_a_new_constraint_stop_the_migration() {
    for (name, bad) in [
        ("unique_breaks", r#"UPDATE "post" SET "title" = 'a';"#),
        ("check_breaks", r#"UPDATE "post" SET "views" = -5;"#),
    ] {
        let rows_sql = format!("{ROWS}\n{bad}");
        let s = Scenario {
            name,
            old: PLAIN,
            new: CONSTRAINED,
            rows: &rows_sql,
            allow_destructive: false,
        };
        s.run_failing(&Dialect::ALL, |dialect, db| {
            assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
        });
    }
}

#[test]
fn constraints_are_dropped() {
    let s = Scenario {
        name: "drop_constraints",
        old: CONSTRAINED,
        new: PLAIN,
        rows: ROWS,
        allow_destructive: true,
    };
    s.run(|dialect, db| {
        exec(
            db,
            dialect,
            r#"UPDATE "post" SET "title" = 'b', "views" = -1;"#,
        );
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    });
}

#[test]
fn a_changed_on_delete_replaces_the_foreign_key() {
    let restrict = CONSTRAINED;
    let cascade = CONSTRAINED.replace("on-delete=set-null", "on-delete=cascade");
    let s = Scenario {
        name: "on_delete_changes",
        old: restrict,
        new: &cascade,
        rows: ROWS,
        allow_destructive: false,
    };
    let rules: Vec<Rule> = s.plan().operations.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::DropForeignKey, Rule::AddForeignKey]);
    s.run(|dialect, db| {
        exec(db, dialect, r#"UPDATE "post" SET "editor_id" = 1;"#);
        exec(db, dialect, r#"DELETE FROM "user" WHERE "id" = 1;"#);
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "0");
    });
}

#[test]
fn a_renamed_relation_renames_its_column_key_and_index() {
    let old = r#"
model User {
  id integer pk=#true
}

model Post {
  id integer pk=#true
  author belongs-to=User
  index author
}
"#;
    let new = r#"
model User {
  id integer pk=#true
}

model Post {
  id integer pk=#true
  writer belongs-to=User renamed-from="author"
  index writer
}
"#;
    let s = Scenario {
        name: "renamed_relation",
        old,
        new,
        rows: r#"INSERT INTO "user" VALUES (1); INSERT INTO "post" VALUES (10, 1);"#,
        allow_destructive: false,
    };
    assert_eq!(
        s.plan().steps(),
        [
            Operation::RenameColumn {
                table: "post".into(),
                from: "author_id".into(),
                to: "writer_id".into()
            },
            Operation::RenameConstraint {
                table: "post".into(),
                kind: ConstraintKind::ForeignKey,
                from: "post_author_id_fkey".into(),
                to: "post_writer_id_fkey".into()
            },
            Operation::RenameConstraint {
                table: "post".into(),
                kind: ConstraintKind::Index,
                from: "post_author_id_idx".into(),
                to: "post_writer_id_idx".into()
            },
        ]
    );
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT "writer_id" FROM "post""#), "1");
        fails(db, dialect, r#"INSERT INTO "post" VALUES (11, 5);"#);
    });
}

#[test]
fn models_become_tenant_scoped() {
    let old = r#"
model Tenant {
  id uuid pk=#true
}

model User {
  id uuid pk=#true
}

model Post {
  id uuid pk=#true
  author belongs-to=User
}
"#;
    let new = r#"
model Tenant {
  id uuid pk=#true
}

model User {
  id uuid pk=#true
  tenant_id uuid tenant=#true
}

model Post {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  author belongs-to=User
}
"#;
    let s = Scenario {
        name: "tenant_scoped",
        old,
        new,
        rows: "",
        allow_destructive: false,
    };
    let plan = s.plan();
    let tenant_columns = plan
        .operations
        .iter()
        .filter(|p| p.rule == Rule::AddTenantColumn)
        .count();
    assert_eq!(tenant_columns, 2);
    s.run(|dialect, db| {
        let t1 = "'00000000-0000-4000-8000-000000000001'";
        let t2 = "'00000000-0000-4000-8000-000000000002'";
        let u = "'00000000-0000-4000-8000-00000000000a'";
        let p = "'00000000-0000-4000-8000-00000000000b'";
        exec(db, dialect, &format!(r#"INSERT INTO "user" ("id", "tenant_id") VALUES ({u}, {t1});"#));
        exec(db, dialect, &format!(r#"INSERT INTO "post" ("id", "tenant_id", "author_id") VALUES ({p}, {t1}, {u});"#));
        // A post of another tenant cannot point at this tenant's user.
        let sql = format!(r#"INSERT INTO "post" ("id", "tenant_id", "author_id") VALUES ('00000000-0000-4000-8000-00000000000c', {t2}, {u});"#);
        fails(db, dialect, &sql);
    });
}

#[test]
fn a_new_primary_key_replaces_the_old_one() {
    let s = Scenario {
        name: "primary_key_changes",
        old: r#"
model Code {
  code string max=10 pk=#true
  n integer
}

model Use {
  id integer pk=#true
  code belongs-to=Code
}
"#,
        new: r#"
model Code {
  code string max=10 unique=#true
  n integer pk=#true
}

model Use {
  id integer pk=#true
  code belongs-to=Code
}
"#,
        rows: "",
        allow_destructive: false,
    };
    let rules: Vec<Rule> = s.plan().operations.iter().map(|p| p.rule).collect();
    assert!(rules.contains(&Rule::DropPrimaryKey) && rules.contains(&Rule::AddPrimaryKey));
    s.run(|dialect, db| {
        exec(
            db,
            dialect,
            r#"INSERT INTO "code" ("code", "n") VALUES ('a', 1);"#,
        );
        fails(
            db,
            dialect,
            r#"INSERT INTO "code" ("code", "n") VALUES ('b', 1);"#,
        );
    });
}

#[test]
fn keys_and_indexes_follow_a_column_whose_type_changes() {
    let s = Scenario {
        name: "retyped_indexed_column",
        old: r#"
model Post {
  id integer pk=#true
  title string max=80 unique=#true
  body string max=200 index=#true
}
"#,
        new: r#"
model Post {
  id integer pk=#true
  title string max=2000 unique=#true
  body text index=#true
}
"#,
        rows: r#"INSERT INTO "post" VALUES (1, 'one', 'body');"#,
        allow_destructive: false,
    };
    s.run(|dialect, db| {
        assert_eq!(
            rows(db, dialect, r#"SELECT "title", "body" FROM "post""#),
            "one|body"
        );
        fails(db, dialect, r#"INSERT INTO "post" VALUES (2, 'one', 'x');"#);
    });
    s.round_trip(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT "title" FROM "post""#), "one");
    });
}
