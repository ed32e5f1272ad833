//! Many-to-many relations: join tables created, renamed with their model, and deprecated.

use forge_migrate::{Operation, Rule};

use crate::db::{Scenario, exec, rows};

const WITHOUT: &str = r#"
model Tag {
  id integer pk=#true
}

model Post {
  id integer pk=#true
}
"#;

const WITH: &str = r#"
model Tag {
  id integer pk=#true
}

model Post {
  id integer pk=#true
  tags many-to-many=Tag
}
"#;

const ROWS: &str = r#"INSERT INTO "tag" VALUES (1), (2); INSERT INTO "post" VALUES (10);"#;

const LINKED: &str = r#"
INSERT INTO "tag" VALUES (1), (2);
INSERT INTO "post" VALUES (10);
INSERT INTO "post_tags" VALUES (10, 1), (10, 2);
"#;

#[test]
fn a_new_relation_creates_its_join_table() {
    let s = Scenario {
        name: "join_created",
        old: WITHOUT,
        new: WITH,
        rows: ROWS,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert_eq!(plan.operations.len(), 1);
    assert_eq!(plan.operations[0].rule, Rule::CreateJoinTable);
    s.run(|dialect, db| {
        exec(db, dialect, r#"INSERT INTO "post_tags" VALUES (10, 1);"#);
        exec(db, dialect, r#"DELETE FROM "tag" WHERE "id" = 1;"#);
        assert_eq!(
            rows(db, dialect, r#"SELECT count(*) FROM "post_tags""#),
            "0"
        );
    });
}

#[test]
fn a_renamed_model_renames_its_join_table_and_column() {
    let s = Scenario {
        name: "join_renamed",
        old: WITH,
        new: r#"
model Tag {
  id integer pk=#true
}

model Article renamed-from="Post" {
  id integer pk=#true
  tags many-to-many=Tag
}
"#,
        rows: LINKED,
        allow_destructive: false,
    };
    let steps = s.plan().steps();
    assert!(steps.contains(&Operation::RenameTable {
        from: "post_tags".into(),
        to: "article_tags".into()
    }));
    assert!(steps.contains(&Operation::RenameColumn {
        table: "article_tags".into(),
        from: "post_id".into(),
        to: "article_id".into()
    }));
    s.run(|dialect, db| {
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT "article_id", "tag_id" FROM "article_tags" ORDER BY 2"#
            ),
            "10|1\n10|2"
        );
    });
    s.round_trip(|dialect, db| {
        assert_eq!(
            rows(db, dialect, r#"SELECT count(*) FROM "post_tags""#),
            "2"
        );
    });
}

#[test]
fn a_removed_relation_keeps_its_links_without_the_flag() {
    let s = Scenario {
        name: "join_deprecated",
        old: WITH,
        new: WITHOUT,
        rows: LINKED,
        allow_destructive: false,
    };
    let plan = s.plan();
    assert!(plan.steps().contains(&Operation::DeprecateTable {
        table: "post_tags".into(),
        to: "_forge_deprecated_post_tags".into()
    }));
    s.run(|dialect, db| {
        exec(db, dialect, r#"DELETE FROM "tag";"#);
        assert_eq!(
            rows(
                db,
                dialect,
                r#"SELECT count(*) FROM "_forge_deprecated_post_tags""#
            ),
            "2"
        );
    });
}
