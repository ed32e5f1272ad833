//! Destructive changes: without the flag a dropped column or table is kept under a deprecated
//! name (values kept, inserts still work); a later run with the flag purges it.

use forge_gen_sql::Dialect;
use forge_migrate::{Class, DbSchema, Migration, Operation, Rule};

use crate::db::{Scenario, exec, rows, run_file, shape, with_schema};
use crate::schema::{ir, try_plan_from};

const OLD: &str = r#"
model Note {
  id integer pk=#true
}

model Post {
  id integer pk=#true
  title string max=80
  body text index=#true
}
"#;

const NEW: &str = r#"
model Post {
  id integer pk=#true
  title string max=80
}
"#;

const ROWS: &str = r#"
INSERT INTO "note" VALUES (1);
INSERT INTO "post" VALUES (1, 'one', 'first body'), (2, 'two', 'second body');
"#;

#[test]
fn a_dropped_column_is_deprecated_without_the_flag() {
    let s = Scenario {
        name: "deprecated_column",
        old: OLD,
        new: NEW,
        rows: ROWS,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert!(plan.class() < Class::Destructive);
    assert!(plan.steps().contains(&Operation::DeprecateColumn {
        table: "post".into(),
        column: "body".into(),
        to: "_forge_deprecated_body".into()
    }));
    let kept = plan.snapshot.tables["post"]
        .column("_forge_deprecated_body")
        .unwrap();
    assert_eq!(
        (kept.nullable, kept.deprecated_from.as_deref()),
        (true, Some("body"))
    );
    s.run(|dialect, db| {
        exec(
            db,
            dialect,
            r#"INSERT INTO "post" ("id", "title") VALUES (3, 'three');"#,
        );
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "_forge_deprecated_body" FROM "post" WHERE "id" < 3 ORDER BY "id""#
            ),
            "first body\nsecond body"
        );
    });
    s.round_trip(|dialect, db| {
        assert_eq!(
            rows(db, dialect, r#"SELECT "body" FROM "post" ORDER BY "id""#),
            "first body\nsecond body"
        );
    });
}

#[test]
fn a_dropped_column_is_dropped_with_the_flag() {
    let s = Scenario {
        name: "dropped_column",
        old: OLD,
        new: NEW,
        rows: ROWS,
        allow_destructive: true,
    };
    let rules: Vec<Rule> = s.plan().operations.iter().map(|p| p.rule).collect();
    assert!(rules.contains(&Rule::DropColumn) && rules.contains(&Rule::DropTable));
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    });
}

#[test]
fn a_later_run_with_the_flag_purges_what_the_fallback_kept() {
    let old = DbSchema::from_ir(&ir(OLD));
    let first = try_plan_from(&old, NEW, false).unwrap();
    let second = try_plan_from(&first.snapshot, NEW, true).unwrap();
    let rules: Vec<Rule> = second.operations.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::PurgeColumn, Rule::PurgeTable]);
    assert_eq!(second.snapshot, DbSchema::from_ir(&ir(NEW)));
    // Without the flag, a second run keeps them and plans nothing.
    assert!(
        try_plan_from(&first.snapshot, NEW, false)
            .unwrap()
            .is_empty()
    );

    let (m1, m2) = (
        Migration::new(1, "drop", &old, &first),
        Migration::new(2, "purge", &first.snapshot, &second),
    );
    for dialect in Dialect::ALL {
        let db = with_schema(dialect, "purge", OLD);
        exec(&*db, dialect, ROWS);
        for m in [&m1, &m2] {
            run_file(&*db, dialect, m.sql(dialect))
                .unwrap_or_else(|e| panic!("{dialect}: {e}\n{}", m.sql(dialect)));
        }
        let fresh = with_schema(dialect, "purge_fresh", NEW);
        assert_eq!(
            shape(&*db, dialect, true),
            shape(&*fresh, dialect, true),
            "{dialect}"
        );
        assert_eq!(rows(&*db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    }
}

#[test]
fn a_dropped_relation_keeps_its_keys_values_and_lets_go_of_the_parent() {
    let with = r#"
model User {
  id integer pk=#true
}

model Post {
  id integer pk=#true
  author belongs-to=User
  index author
}
"#;
    let without = r#"
model User {
  id integer pk=#true
}

model Post {
  id integer pk=#true
}
"#;
    let s = Scenario {
        name: "deprecated_relation",
        old: with,
        new: without,
        rows: r#"INSERT INTO "user" VALUES (1), (2); INSERT INTO "post" VALUES (10, 1), (11, 2);"#,
        allow_destructive: false,
    };
    s.run(|dialect, db| {
        exec(db, dialect, r#"DELETE FROM "user";"#);
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "_forge_deprecated_author_id" FROM "post" ORDER BY "id""#
            ),
            "1\n2"
        );
    });
    s.round_trip(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "author_id" FROM "post" ORDER BY "id""#
            ),
            "1\n2"
        );
    });
}
