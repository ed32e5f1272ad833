//! Foreign keys on the real databases: tenant-scoped keys reject cross-tenant references;
//! cascade, restrict and the tenant-scoped set-null behave; the optional cycle works.

use forge_gen_sql::Dialect;

use crate::databases::{P1, T1, T2, U1, U2, U3, ok, open, rejected, rows, seed};
use crate::each_dialect;

each_dialect!(
    cross_tenant_references_are_rejected,
    deleting_a_user_cascades_and_sets_null,
    restrict_keeps_a_referenced_row,
    the_optional_cycle_works,
);

const G1: &str = "'40000000-0000-4000-8000-000000000001'";
const G2: &str = "'40000000-0000-4000-8000-000000000002'";
const P2: &str = "'30000000-0000-4000-8000-000000000002'";
const C1: &str = "'50000000-0000-4000-8000-000000000001'";
const C2: &str = "'50000000-0000-4000-8000-000000000002'";
const C3: &str = "'50000000-0000-4000-8000-000000000003'";

fn cross_tenant_references_are_rejected(d: Dialect) {
    let db = open(d, "cross_tenant_references_are_rejected");
    let db = &*db;
    seed(db, d);
    let post = |tenant: &str, author: &str, slug: &str| {
        format!(
            r#"INSERT INTO "post" ("tenant_id", "author_id", "title", "slug") VALUES ({tenant}, {author}, 'T', '{slug}');"#
        )
    };
    rejected(db, d, &post(T1, U2, "a"));
    rejected(db, d, &post(T2, U1, "b"));
    ok(db, d, &post(T2, U2, "c"));
    let comment = |author: &str| {
        format!(
            r#"INSERT INTO "comment" ("tenant_id", "post_id", "author_id", "body") VALUES ({T1}, {P1}, {author}, 'hi');"#
        )
    };
    rejected(db, d, &comment(U2));
    ok(db, d, &comment(U3));
    ok(
        db,
        d,
        &format!(r#"INSERT INTO "tag" ("id", "tenant_id", "name") VALUES ({G1}, {T2}, 'rust');"#),
    );
    rejected(
        db,
        d,
        &format!(
            r#"INSERT INTO "post_tags" ("tenant_id", "post_id", "tag_id") VALUES ({T1}, {P1}, {G1});"#
        ),
    );
    rejected(
        db,
        d,
        &format!(r#"INSERT INTO "order" ("id", "tenant_id", "user_id") VALUES (1, {T1}, {U2});"#),
    );
    ok(
        db,
        d,
        &format!(r#"INSERT INTO "group" ("id", "tenant_id", "name") VALUES ({G2}, {T2}, 'g');"#),
    );
    rejected(
        db,
        d,
        &format!(r#"UPDATE "user" SET "group_id" = {G2} WHERE "id" = {U3};"#),
    );
}

fn deleting_a_user_cascades_and_sets_null(d: Dialect) {
    let db = open(d, "deleting_a_user_cascades_and_sets_null");
    let db = &*db;
    seed(db, d);
    ok(
        db,
        d,
        &format!(r#"INSERT INTO "tag" ("id", "tenant_id", "name") VALUES ({G1}, {T1}, 'rust');"#),
    );
    ok(
        db,
        d,
        &format!(
            r#"INSERT INTO "post_tags" ("tenant_id", "post_id", "tag_id") VALUES ({T1}, {P1}, {G1});"#
        ),
    );
    ok(
        db,
        d,
        &format!(
            r#"INSERT INTO "post" ("id", "tenant_id", "author_id", "title", "slug") VALUES ({P2}, {T1}, {U3}, 'Two', 'two');"#
        ),
    );
    ok(
        db,
        d,
        &format!(
            r#"INSERT INTO "comment" ("id", "tenant_id", "post_id", "author_id", "parent_id", "body") VALUES
               ({C1}, {T1}, {P2}, {U3}, NULL, 'on P2 by U3'),
               ({C2}, {T1}, {P2}, {U1}, NULL, 'on P2 by U1'),
               ({C3}, {T1}, {P1}, {U3}, NULL, 'on P1 by U3');"#
        ),
    );
    ok(
        db,
        d,
        &format!(r#"UPDATE "comment" SET "parent_id" = {C3} WHERE "id" = {C1};"#),
    );

    ok(db, d, &format!(r#"DELETE FROM "user" WHERE "id" = {U1};"#));

    // U1's post goes (cascade), with its comment, that comment's reply, and its tag links.
    assert_eq!(rows(db, d, r#"SELECT count(*) FROM "post""#), "1");
    assert_eq!(rows(db, d, r#"SELECT count(*) FROM "post_tags""#), "0");
    assert_eq!(rows(db, d, r#"SELECT count(*) FROM "tag""#), "1");
    // U1's comment on another post stays, its author nulled and its tenant kept.
    let c2 = rows(
        db,
        d,
        &format!(r#"SELECT "tenant_id", "author_id" FROM "comment" WHERE "id" = {C2}"#),
    );
    assert_eq!(c2, format!("{}|", T1.trim_matches('\'')));
    assert_eq!(rows(db, d, r#"SELECT count(*) FROM "comment""#), "1");
}

fn restrict_keeps_a_referenced_row(d: Dialect) {
    let db = open(d, "restrict_keeps_a_referenced_row");
    let db = &*db;
    seed(db, d);
    ok(
        db,
        d,
        &format!(r#"INSERT INTO "order" ("id", "tenant_id", "user_id") VALUES (7, {T1}, {U3});"#),
    );
    rejected(db, d, &format!(r#"DELETE FROM "user" WHERE "id" = {U3};"#));
    ok(db, d, r#"DELETE FROM "order" WHERE "id" = 7;"#);
    ok(db, d, &format!(r#"DELETE FROM "user" WHERE "id" = {U3};"#));
}

fn the_optional_cycle_works(d: Dialect) {
    let db = open(d, "the_optional_cycle_works");
    let db = &*db;
    seed(db, d);
    ok(
        db,
        d,
        &format!(
            r#"INSERT INTO "group" ("id", "tenant_id", "name", "lead_id") VALUES ({G1}, {T1}, 'one', {U3});"#
        ),
    );
    ok(
        db,
        d,
        &format!(r#"UPDATE "user" SET "group_id" = {G1} WHERE "id" = {U3};"#),
    );
    ok(db, d, &format!(r#"DELETE FROM "group" WHERE "id" = {G1};"#));
    assert_eq!(
        rows(
            db,
            d,
            &format!(r#"SELECT "tenant_id", "group_id" FROM "user" WHERE "id" = {U3}"#)
        ),
        format!("{}|", T1.trim_matches('\''))
    );

    ok(
        db,
        d,
        &format!(
            r#"INSERT INTO "group" ("id", "tenant_id", "name", "lead_id") VALUES ({G2}, {T1}, 'two', {U3});"#
        ),
    );
    ok(
        db,
        d,
        &format!(r#"UPDATE "user" SET "group_id" = {G2} WHERE "id" = {U3};"#),
    );
    ok(db, d, &format!(r#"DELETE FROM "user" WHERE "id" = {U3};"#));
    assert_eq!(
        rows(
            db,
            d,
            &format!(r#"SELECT "tenant_id", "lead_id" FROM "group" WHERE "id" = {G2}"#)
        ),
        format!("{}|", T1.trim_matches('\''))
    );
}
