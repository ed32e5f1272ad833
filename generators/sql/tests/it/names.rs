//! Reserved words and unicode names work as table and column names in every dialect.

use forge_gen_sql::Dialect;

use crate::databases::{T1, U1, ok, open, rows, seed};
use crate::each_dialect;

each_dialect!(reserved_and_unicode_names_work);

fn reserved_and_unicode_names_work(d: Dialect) {
    let db = open(d, "reserved_and_unicode_names_work");
    let db = &*db;
    seed(db, d);
    ok(
        db,
        d,
        &format!(
            r#"INSERT INTO "café" ("tenant_id", "prénom", "size") VALUES ({T1}, 'Zoë', 's');"#
        ),
    );
    assert_eq!(rows(db, d, r#"SELECT "prénom" FROM "café""#), "Zoë");
    ok(
        db,
        d,
        &format!(
            r#"INSERT INTO "order" ("id", "tenant_id", "user_id", "select") VALUES (1, {T1}, {U1}, TRUE);"#
        ),
    );
    assert_eq!(
        rows(db, d, r#"SELECT count(*) FROM "order" WHERE "select""#),
        "1"
    );
    ok(
        db,
        d,
        &format!(r#"INSERT INTO "group" ("tenant_id", "name") VALUES ({T1}, 'g');"#),
    );
    assert_eq!(rows(db, d, r#"SELECT "name" FROM "group""#), "g");
}
