//! Reverse scripts: a reversible migration run up and then down leaves the database as the old
//! schema made it, with its data; a migration that deletes data has no reverse.

use forge_gen_sql::Dialect;

use crate::db::{Scenario, rows};

const OLD: &str = r#"
enum Status draft published

model User {
  id integer pk=#true
  name string max=40
}

model Post {
  id integer pk=#true
  title string max=80
  body text
  status Status default=draft
  author belongs-to=User optional=#true
}
"#;

const NEW: &str = r#"
enum Status draft review published

model User table="people" {
  id integer pk=#true
  name string max=40
  email string max=80 optional=#true
}

model Post {
  id integer pk=#true
  headline string max=80 renamed-from="title"
  status Status default=review
  author belongs-to=User optional=#true on-delete=cascade
  views integer default=0 index=#true
  unique headline
}

model Tag {
  id integer pk=#true
}
"#;

const ROWS: &str = r#"
INSERT INTO "user" VALUES (1, 'ann');
INSERT INTO "post" VALUES (10, 'first', 'body one', 'published', 1), (11, 'second', 'body two', 'draft', NULL);
"#;

#[test]
fn up_then_down_gives_back_the_old_schema_and_its_data() {
    let s = Scenario {
        name: "up_down",
        old: OLD,
        new: NEW,
        rows: ROWS,
        allow_destructive: false,
    };
    s.round_trip(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "id", "title", "body", "status" FROM "post" ORDER BY "id""#
            ),
            "10|first|body one|published\n11|second|body two|draft",
            "{dialect}"
        );
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "user""#), "1");
    });
}

#[test]
fn a_migration_that_deletes_data_has_no_reverse() {
    let s = Scenario {
        name: "no_reverse",
        old: OLD,
        new: NEW,
        rows: ROWS,
        allow_destructive: true,
    };
    assert!(s.plan().reverse().is_none());
    let migration = s.migration();
    assert!(
        Dialect::ALL
            .iter()
            .all(|d| migration.down_sql(*d).is_none())
    );
    let plan: forge_migrate::PlanFile =
        serde_json::from_slice(&migration.files[forge_migrate::PLAN_FILE]).unwrap();
    assert!(!plan.reversible);
    let irreversible: Vec<&str> = plan
        .operations
        .iter()
        .filter(|o| !o.reversible)
        .map(|o| o.description.as_str())
        .collect();
    assert_eq!(irreversible, ["drop column post.body"]);
}
