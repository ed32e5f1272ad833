//! Defaults on the real databases: generated uuids, the current UTC time and date, literals
//! (escaped), enum members and booleans.

use forge_gen_sql::Dialect;

use crate::blog::PLAN_DEFAULT;
use crate::databases::{T1, U1, ok, open, rows, seed};
use crate::each_dialect;

each_dialect!(defaults_fill_in_values);

fn defaults_fill_in_values(d: Dialect) {
    let db = open(d, "defaults_fill_in_values");
    let db = &*db;
    seed(db, d);
    ok(
        db,
        d,
        r#"INSERT INTO "tenant" ("name") VALUES ('x'), ('y');"#,
    );

    let ids = rows(
        db,
        d,
        r#"SELECT "id" FROM "tenant" WHERE "name" IN ('x', 'y') ORDER BY "name""#,
    );
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert!(is_uuid(id), "{d}: not a uuid: {id}");
        // MySQL's UUID() makes version-1 uuids; the others make random (version 4) ones.
        if d != Dialect::Mysql {
            assert_eq!(&id[14..15], "4", "{d}: not a v4 uuid: {id}");
            assert!("89ab".contains(&id[19..20]), "{d}: wrong variant: {id}");
        }
    }

    assert_eq!(
        rows(db, d, r#"SELECT "plan" FROM "tenant" WHERE "name" = 'x'"#),
        PLAN_DEFAULT
    );

    let recent_utc = match d {
        Dialect::Postgres => {
            r#"SELECT abs(extract(epoch FROM now() - "created_at")) < 60 FROM "tenant" WHERE "name" = 'x'"#
        }
        Dialect::Sqlite => {
            r#"SELECT abs(julianday('now') - julianday("created_at")) * 86400 < 60
                      AND "created_at" LIKE '____-__-__T__:__:__.___Z' FROM "tenant" WHERE "name" = 'x'"#
        }
        Dialect::Mysql => {
            r#"SELECT abs(TIMESTAMPDIFF(SECOND, "created_at", UTC_TIMESTAMP(6))) < 60 FROM "tenant" WHERE "name" = 'x'"#
        }
    };
    assert_eq!(rows(db, d, recent_utc), truth(d));

    assert_eq!(
        rows(
            db,
            d,
            r#"SELECT "status", "published", "views" FROM "post""#
        ),
        format!("draft|{}|0", falsity(d))
    );

    ok(
        db,
        d,
        &format!(r#"INSERT INTO "order" ("id", "tenant_id", "user_id") VALUES (1, {T1}, {U1});"#),
    );
    let today = match d {
        Dialect::Postgres => {
            r#"SELECT "placed_on" = (now() AT TIME ZONE 'UTC')::date FROM "order""#
        }
        Dialect::Sqlite => r#"SELECT "placed_on" = date('now') FROM "order""#,
        Dialect::Mysql => r#"SELECT "placed_on" = UTC_DATE() FROM "order""#,
    };
    assert_eq!(rows(db, d, today), truth(d));
    assert_eq!(
        rows(db, d, r#"SELECT "select", "total" = 0 FROM "order""#),
        format!("{}|{}", falsity(d), truth(d))
    );
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

/// How a true boolean prints.
fn truth(d: Dialect) -> &'static str {
    if d == Dialect::Postgres { "t" } else { "1" }
}

fn falsity(d: Dialect) -> &'static str {
    if d == Dialect::Postgres { "f" } else { "0" }
}
