//! Introspection on real servers (`FORGE_TEST_PG_URL`, `FORGE_TEST_MYSQL_URL`; `ci/db.sh` starts
//! them): two databases built from the blog example's SQL read the same, and a change made by hand
//! to one of them is named by the comparison.

use forge_db::{Db, DbUrl, introspect};
use forge_gen_sql::{Dialect, generate};
use forge_migrate::{DbSchema, LiveSchema, Sides, sandbox_diff};
use forge_testkit::{Database, example_ir, mysql_database, pg_database};

fn read(db: &mut Db) -> LiveSchema {
    introspect(db).unwrap()
}

fn connect(url: &str) -> Db {
    Db::connect(&DbUrl::parse(url).unwrap()).unwrap()
}

/// The differences of `live` from `declared`, in `forge drift`'s words.
fn differences(live: &LiveSchema, declared: &LiveSchema, snapshot: &DbSchema) -> Vec<String> {
    sandbox_diff(live, declared, snapshot)
        .iter()
        .map(|d| d.describe(Sides::DRIFT))
        .collect()
}

/// What a change must give: exactly these differences, or one that starts with this.
enum Expect {
    Exactly(&'static [&'static str]),
    StartsWith(&'static str),
}

fn check(change: &str, got: &[String], expect: &Expect) {
    match expect {
        Expect::Exactly(want) => assert_eq!(got, *want, "after {change}"),
        Expect::StartsWith(start) => assert!(
            got.len() == 1 && got[0].starts_with(start),
            "after {change}: {got:#?}"
        ),
    }
}

/// The blog's snapshot, with `hidden` a kept value of the enum `post_status`.
fn snapshot_keeping_hidden() -> DbSchema {
    let mut snapshot = DbSchema::from_ir(&example_ir("blog"));
    let status = snapshot
        .enums
        .values_mut()
        .find(|e| e.sql_name == "post_status")
        .unwrap();
    status.values.push("hidden".into());
    status.deprecated_values = vec!["hidden".into()];
    snapshot
}

const PG_CASES: &[(&str, Expect)] = &[
    (
        r#"ALTER TABLE "post" ADD COLUMN "pinned" boolean"#,
        Expect::Exactly(&["table post: column pinned is not in the schema"]),
    ),
    (
        r#"DROP INDEX "post_tenant_id_author_id_idx""#,
        Expect::Exactly(&["table post: index post_tenant_id_author_id_idx is missing"]),
    ),
    (
        r#"ALTER TABLE "tag" ALTER COLUMN "color" TYPE varchar(9)"#,
        Expect::Exactly(&[
            "table tag: column color: type character varying(9) in the database, character varying(7) in the schema",
        ]),
    ),
    (
        r#"ALTER TABLE "user" ALTER COLUMN "locale" DROP NOT NULL"#,
        Expect::Exactly(&[
            "table user: column locale: nullability nullable in the database, NOT NULL in the schema",
        ]),
    ),
    (
        r#"ALTER TABLE "user" ALTER COLUMN "karma" SET DEFAULT 1"#,
        Expect::Exactly(&["table user: column karma: default 1 in the database, 0 in the schema"]),
    ),
    (
        r#"ALTER TABLE "media" DROP CONSTRAINT "media_tenant_id_uploaded_by_id_fkey""#,
        Expect::Exactly(&[
            "table media: foreign key (tenant_id, uploaded_by_id) references user (tenant_id, id) on delete RESTRICT is missing",
        ]),
    ),
    (
        r#"ALTER TABLE "category" DROP CONSTRAINT "category_tenant_id_parent_id_fkey""#,
        Expect::StartsWith(
            "table category: foreign key (tenant_id, parent_id) references category (tenant_id, id) on delete SET NULL (parent_id) is missing",
        ),
    ),
    (
        r#"ALTER TABLE "post" DROP CONSTRAINT "post_views_check""#,
        Expect::Exactly(&["table post: check (views >= 0) is missing"]),
    ),
    (
        r#"ALTER TYPE "post_status" ADD VALUE 'hidden'"#,
        Expect::Exactly(&[
            "enum post_status: values (draft, review, published, archived, hidden) in the database, (draft, review, published, archived) in the schema",
        ]),
    ),
    (
        r#"ALTER TABLE "post" DISABLE ROW LEVEL SECURITY"#,
        Expect::Exactly(&[
            "table post: row level security: enabled no in the database, yes in the schema",
        ]),
    ),
    (
        r#"ALTER TABLE "post" NO FORCE ROW LEVEL SECURITY"#,
        Expect::Exactly(&[
            "table post: row level security: forced no in the database, yes in the schema",
        ]),
    ),
    (
        r#"DROP POLICY "tag_read" ON "tag"; CREATE POLICY "tag_read" ON "tag" AS PERMISSIVE FOR SELECT USING (true)"#,
        Expect::StartsWith("table tag: policy tag_read: using true in the database, "),
    ),
    (
        r#"CREATE POLICY "tag_all" ON "tag" USING (false)"#,
        Expect::Exactly(&["table tag: policy tag_all is not in the schema"]),
    ),
    (
        r#"ALTER POLICY "tag_read" ON "tag" TO postgres"#,
        Expect::Exactly(&[
            "table tag: policy tag_read: roles (postgres) in the database, (public) in the schema",
        ]),
    ),
    (
        r#"CREATE OR REPLACE FUNCTION "forge"."user_id"() RETURNS uuid LANGUAGE sql STABLE RETURN NULL::uuid"#,
        Expect::StartsWith("function forge.user_id(): definition "),
    ),
    (
        // Constraints are compared by what they hold, not by name.
        r#"ALTER TABLE "post" RENAME CONSTRAINT "post_views_check" TO "post_views_old""#,
        Expect::Exactly(&[]),
    ),
    (
        r#"ALTER INDEX "post_tenant_id_author_id_idx" RENAME TO "post_author_idx""#,
        Expect::Exactly(&[
            "table post: index post_tenant_id_author_id_idx: name post_author_idx in the database, post_tenant_id_author_id_idx in the schema",
        ]),
    ),
];

#[test]
fn postgres_databases_built_alike_read_alike_and_changes_are_named() {
    let ir = example_ir("blog");
    let schema = generate(&ir, Dialect::Postgres).content;
    let policies = forge_gen_rls::policies_sql(&ir).content;
    let (live, declared) = (
        pg_database("introspect_pg_live"),
        pg_database("introspect_pg_declared"),
    );
    for db in [&live, &declared] {
        db.apply(&schema).unwrap();
        db.apply(&policies).unwrap();
    }
    let expected = {
        let mut db = connect(declared.url());
        let expected = read(&mut db);
        db.close();
        expected
    };
    let post = &expected.tables["post"];
    assert!(post.rls_enabled && post.rls_forced);
    assert_eq!(post.policies["post_read"].command, "SELECT");
    assert_eq!(post.policies["post_read"].roles, ["public"]);
    assert_eq!(post.primary_key(), ["id"]);
    assert_eq!(
        post.indexes["post_tenant_id_published_at_idx"]
            .partial
            .as_deref(),
        Some("(status = 'published'::post_status)")
    );
    assert_eq!(
        expected.enums["plan"],
        ["free", "pro", "business"].map(String::from)
    );
    assert_eq!(
        expected.others["forge.lookup_post_author_id(uuid)"].kind,
        "function"
    );

    let mut db = connect(live.url());
    let empty = DbSchema::empty();
    assert_eq!(
        differences(&read(&mut db), &expected, &empty),
        Vec::<String>::new()
    );
    for (change, expect) in PG_CASES {
        // PostgreSQL's DDL is transactional: each change is undone before the next.
        db.execute(&format!("BEGIN; {change}")).unwrap();
        let got = differences(&read(&mut db), &expected, &empty);
        db.execute("ROLLBACK").unwrap();
        check(change, &got, expect);
    }
    // A kept enum value stays in the type, and is set aside.
    db.execute(r#"BEGIN; ALTER TYPE "post_status" ADD VALUE 'hidden'"#)
        .unwrap();
    let got = differences(&read(&mut db), &expected, &snapshot_keeping_hidden());
    db.execute("ROLLBACK").unwrap();
    assert_eq!(got, Vec::<String>::new());
    db.close();
}

const MYSQL_CASES: &[(&str, Expect)] = &[
    (
        "ALTER TABLE `post` ADD COLUMN `pinned` BOOLEAN",
        Expect::Exactly(&["table post: column pinned is not in the schema"]),
    ),
    (
        "DROP INDEX `post_status_published_at_idx` ON `post`",
        Expect::Exactly(&["table post: index post_status_published_at_idx is missing"]),
    ),
    (
        "ALTER TABLE `tag` MODIFY COLUMN `color` VARCHAR(9)",
        Expect::Exactly(&[
            "table tag: column color: type varchar(9) in the database, varchar(7) in the schema",
        ]),
    ),
    (
        "ALTER TABLE `user` MODIFY COLUMN `locale` VARCHAR(10) DEFAULT 'en'",
        Expect::Exactly(&[
            "table user: column locale: nullability nullable in the database, NOT NULL in the schema",
        ]),
    ),
    (
        "ALTER TABLE `user` ALTER COLUMN `karma` SET DEFAULT 1",
        Expect::Exactly(&["table user: column karma: default 1 in the database, 0 in the schema"]),
    ),
    (
        "ALTER TABLE `media` DROP FOREIGN KEY `media_tenant_id_uploaded_by_id_fkey`",
        Expect::StartsWith(
            "table media: foreign key (tenant_id, uploaded_by_id) references user (tenant_id, id) on delete RESTRICT",
        ),
    ),
    (
        // The index MySQL made for the key stays: it is an index of its own now.
        "ALTER TABLE `post` DROP FOREIGN KEY `post_reviewer_id_fkey`",
        Expect::Exactly(&[
            "table post: index post_reviewer_id_fkey is not in the schema",
            "table post: foreign key (reviewer_id) references user (id) on delete SET NULL on update RESTRICT is missing",
        ]),
    ),
    (
        "ALTER TABLE `post` DROP CONSTRAINT `post_views_check`",
        Expect::Exactly(&["table post: check (`views` >= 0) is missing"]),
    ),
    (
        "ALTER TABLE `post` MODIFY COLUMN `status` \
         ENUM('draft', 'review', 'published', 'archived', 'hidden') NOT NULL DEFAULT 'draft'",
        Expect::Exactly(&[
            "table post: column status: type enum('draft','review','published','archived','hidden') in the database, enum('draft','review','published','archived') in the schema",
        ]),
    ),
];

#[test]
fn mysql_databases_built_alike_read_alike_and_changes_are_named() {
    let schema = generate(&example_ir("blog"), Dialect::Mysql).content;
    let declared = mysql_database("introspect_my_declared");
    declared.apply(&schema).unwrap();
    let expected = {
        let mut db = connect(&declared.url());
        let expected = read(&mut db);
        db.close();
        expected
    };
    let post = &expected.tables["post"];
    assert_eq!(post.primary_key(), ["id"]);
    assert!(
        post.uniques
            .contains(&vec!["tenant_id".to_string(), "slug".to_string()])
    );
    // The index MySQL made for `post_reviewer_id_fkey` belongs to the key.
    assert!(!post.indexes.contains_key("post_reviewer_id_fkey"));
    assert!(post.indexes.contains_key("post_status_published_at_idx"));
    let featured = post.column("featured").unwrap();
    assert_eq!(featured.default.as_deref(), Some("0"));
    assert!(post.column("excerpt").unwrap().default.is_none());
    assert!(
        post.checks
            .iter()
            .any(|c| c.column.as_deref() == Some("featured"))
    );

    let empty = DbSchema::empty();
    // MySQL commits each DDL statement: each change is made on a database of its own.
    let cases = MYSQL_CASES.iter().map(|(c, e)| (*c, e, &empty));
    let hidden = (
        "ALTER TABLE `post` MODIFY COLUMN `status` \
         ENUM('draft', 'review', 'published', 'archived', 'hidden') NOT NULL DEFAULT 'draft'",
        &Expect::Exactly(&[]),
        &snapshot_keeping_hidden(),
    );
    let unchanged = ("SELECT 1", &Expect::Exactly(&[]), &empty);
    for (i, (change, expect, snapshot)) in std::iter::once(unchanged)
        .chain(cases)
        .chain(std::iter::once(hidden))
        .enumerate()
    {
        let live = mysql_database(&format!("introspect_my_live_{i}"));
        live.apply(&schema).unwrap();
        live.apply(change).unwrap();
        let mut db = connect(&live.url());
        let got = differences(&read(&mut db), &expected, snapshot);
        db.close();
        check(change, &got, expect);
    }
}

#[test]
fn sqlite_is_read_from_its_file() {
    let path = std::env::temp_dir().join(format!("forge-introspect-{}.db", std::process::id()));
    let mut db = connect(&format!("sqlite://{}", path.display()));
    let error = introspect(&mut db).unwrap_err().to_string();
    db.close();
    let _ = std::fs::remove_file(&path);
    assert!(error.contains("introspect_sqlite"), "{error}");
}
