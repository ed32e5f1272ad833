//! Columns: added, renamed, retyped, made optional or required, defaults.

use forge_gen_sql::Dialect;
use forge_migrate::{Operation, Rule};

use crate::db::{Scenario, exec, rows};

const POST: &str = r#"
model Post {
  id integer pk=#true
  title string max=80
}
"#;

const TWO_POSTS: &str = r#"INSERT INTO "post" ("id", "title") VALUES (1, 'one'), (2, 'two');"#;

fn rules(s: &Scenario<'_>) -> Vec<Rule> {
    s.plan().operations.iter().map(|p| p.rule).collect()
}

#[test]
fn added_columns_keep_the_rows() {
    let s = Scenario {
        name: "added_columns",
        old: POST,
        new: r#"
model Post {
  id integer pk=#true
  title string max=80
  subtitle string max=80 optional=#true
  views integer default=0
  slug string max=80 default="none"
  published boolean default=#false
}
"#,
        rows: TWO_POSTS,
        allow_destructive: false,
    };
    assert_eq!(
        rules(&s),
        [
            Rule::AddNullableColumn,
            Rule::AddColumnWithDefault,
            Rule::AddColumnWithDefault,
            Rule::AddColumnWithDefault,
            // `max=` is a bounds check too.
            Rule::AddCheck,
            Rule::AddCheck
        ]
    );
    s.run(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "id", "title", "views", "slug" FROM "post" ORDER BY "id""#
            ),
            "1|one|0|none\n2|two|0|none"
        );
    });
}

#[test]
fn generated_defaults_fill_every_existing_row() {
    let s = Scenario {
        name: "generated_defaults",
        old: POST,
        new: r#"
model Post {
  id integer pk=#true
  title string max=80
  uid uuid default=uuid
  created datetime default=now
}
"#,
        rows: TWO_POSTS,
        allow_destructive: false,
    };
    assert_eq!(
        rules(&s),
        [
            Rule::AddColumnWithGeneratedDefault,
            Rule::AddColumnWithGeneratedDefault
        ]
    );
    s.run(|dialect, db| {
        let sql = r#"SELECT count(DISTINCT "uid"), count("created") FROM "post""#;
        assert_eq!(rows(db, dialect, sql), "2|2", "{dialect}");
    });
}

#[test]
fn a_required_column_without_default_needs_an_empty_table() {
    let new = r#"
model Post {
  id integer pk=#true
  title string max=80
  rank integer
}
"#;
    let empty = Scenario {
        name: "required_column_empty",
        old: POST,
        new,
        rows: "",
        allow_destructive: false,
    };
    assert_eq!(rules(&empty), [Rule::AddRequiredColumn]);
    empty.run(|dialect, db| {
        exec(db, dialect, r#"INSERT INTO "post" VALUES (1, 'one', 5);"#);
    });
    // With rows, PostgreSQL and SQLite refuse it and keep the table as it was. (MySQL fills the
    // type's zero value instead: docs/migrations.md.)
    let full = Scenario {
        name: "required_column_full",
        rows: TWO_POSTS,
        ..empty
    };
    full.run_failing(&[Dialect::Postgres, Dialect::Sqlite], |dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "2");
    });
}

#[test]
fn a_renamed_field_keeps_its_values() {
    let s = Scenario {
        name: "renamed_field",
        old: POST,
        new: r#"
model Post {
  id integer pk=#true
  headline string max=80 renamed-from="title"
}
"#,
        rows: TWO_POSTS,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert_eq!(
        plan.steps()[0],
        Operation::RenameColumn {
            table: "post".into(),
            from: "title".into(),
            to: "headline".into()
        }
    );
    // The bounds check keeps its definition and takes the new name.
    assert_eq!(rules(&s), [Rule::RenameColumn, Rule::RenameConstraint]);
    s.run(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "headline" FROM "post" ORDER BY "id""#
            ),
            "one\ntwo"
        );
    });
}

#[test]
fn types_widen_and_convert_with_the_values() {
    let s = Scenario {
        name: "types",
        old: r#"
model Post {
  id integer pk=#true
  title string max=80
  body string max=100
  views integer
  note text
}
"#,
        new: r#"
model Post {
  id integer pk=#true
  title string max=200
  body text
  views bigint
  note string max=50
}
"#,
        rows: r#"INSERT INTO "post" VALUES (1, 'one', 'body', 7, 'short note');"#,
        allow_destructive: false,
    };
    let plan = s.plan();
    let type_rules: Vec<Rule> = plan
        .operations
        .iter()
        .filter(|p| matches!(p.operation, Operation::AlterColumnType { .. }))
        .map(|p| p.rule)
        .collect();
    assert_eq!(
        type_rules,
        [
            Rule::WidenColumnType,
            Rule::WidenColumnType,
            Rule::RewriteColumnType,
            Rule::ConvertColumnType
        ]
    );
    s.run(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "title", "body", "views", "note" FROM "post""#
            ),
            "one|body|7|short note"
        );
        exec(
            db,
            dialect,
            r#"INSERT INTO "post" VALUES (2, 'x', 'y', 9000000000, 'z');"#,
        );
    });
}

#[test]
fn a_value_that_does_not_fit_stops_the_conversion() {
    let s = Scenario {
        name: "type_does_not_fit",
        old: r#"
model Post {
  id integer pk=#true
  note text
}
"#,
        new: r#"
model Post {
  id integer pk=#true
  note string max=5
}
"#,
        rows: r#"INSERT INTO "post" VALUES (1, 'much too long');"#,
        allow_destructive: false,
    };
    s.run_failing(&Dialect::ALL, |dialect, db| {
        assert_eq!(
            rows(db, dialect, r#"SELECT "note" FROM "post""#),
            "much too long"
        );
    });
}

#[test]
fn fields_become_required_and_optional() {
    let s = Scenario {
        name: "nullability",
        old: r#"
model Post {
  id integer pk=#true
  a string max=10 optional=#true
  b string max=10
}
"#,
        new: r#"
model Post {
  id integer pk=#true
  a string max=10
  b string max=10 optional=#true
}
"#,
        rows: r#"INSERT INTO "post" VALUES (1, 'x', 'y');"#,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert!(plan.operations.iter().any(|p| p.rule == Rule::SetNotNull));
    assert!(plan.operations.iter().any(|p| p.rule == Rule::DropNotNull));
    s.run(|dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT "a", "b" FROM "post""#), "x|y");
        exec(
            db,
            dialect,
            r#"INSERT INTO "post" ("id", "a") VALUES (2, 'z');"#,
        );
        assert!(
            db.apply(&crate::db::q(
                dialect,
                r#"INSERT INTO "post" ("id", "b") VALUES (3, 'z');"#
            ))
            .is_err()
        );
    });
}

#[test]
fn a_null_stops_a_field_from_becoming_required() {
    let s = Scenario {
        name: "set_not_null_with_nulls",
        old: r#"
model Post {
  id integer pk=#true
  a string max=10 optional=#true
}
"#,
        new: r#"
model Post {
  id integer pk=#true
  a string max=10
}
"#,
        rows: r#"INSERT INTO "post" VALUES (1, NULL);"#,
        allow_destructive: false,
    };
    s.run_failing(&Dialect::ALL, |dialect, db| {
        assert_eq!(rows(db, dialect, r#"SELECT count(*) FROM "post""#), "1");
    });
}

#[test]
fn defaults_are_set_changed_and_dropped() {
    let s = Scenario {
        name: "defaults",
        old: r#"
model Post {
  id integer pk=#true
  views integer default=0
  status string max=10
  kind string max=10 default="a"
}
"#,
        new: r#"
model Post {
  id integer pk=#true
  views integer default=1
  status string max=10 default="new"
  kind string max=10
}
"#,
        rows: r#"INSERT INTO "post" VALUES (1, 5, 'old', 'b');"#,
        allow_destructive: false,
    };
    assert_eq!(
        rules(&s),
        [Rule::SetDefault, Rule::SetDefault, Rule::DropDefault]
    );
    s.run(|dialect, db| {
        exec(
            db,
            dialect,
            r#"INSERT INTO "post" ("id", "kind") VALUES (2, 'c');"#,
        );
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "views", "status", "kind" FROM "post" ORDER BY "id""#
            ),
            "5|old|b\n1|new|c"
        );
    });
}
