//! The blog's schema applied to a real database of each dialect, and helpers to write one test
//! for all three.

use forge_gen_sql::{Dialect, generate};
use forge_testkit::{Database, mysql_database, pg_database, sqlite_apply};

use crate::blog::blog;

/// A fresh database of `dialect` holding the blog's schema. Server databases are named after
/// `test` (and this crate), so tests running at once never share one.
pub fn open(dialect: Dialect, test: &str) -> Box<dyn Database> {
    let sql = generate(&blog(), dialect).content;
    let name = format!("gen_sql_{test}");
    let db: Box<dyn Database> = match dialect {
        Dialect::Sqlite => return Box::new(sqlite_apply(&sql).unwrap_or_else(|e| panic!("{e}"))),
        Dialect::Postgres => Box::new(pg_database(&name)),
        Dialect::Mysql => Box::new(mysql_database(&name)),
    };
    db.apply(&sql)
        .unwrap_or_else(|e| panic!("schema.sql for {dialect} does not apply: {e}"));
    db
}

/// `sql` written with `"double-quoted"` identifiers, in the dialect's quoting (`"` inside
/// `'string literals'` stays).
pub fn q(dialect: Dialect, sql: &str) -> String {
    if dialect != Dialect::Mysql {
        return sql.to_string();
    }
    let mut in_string = false;
    sql.chars()
        .map(|c| match c {
            '\'' => {
                in_string = !in_string;
                c
            }
            '"' if !in_string => '`',
            c => c,
        })
        .collect()
}

/// A datetime literal each dialect's datetime column takes.
pub fn datetime(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Mysql => "'2024-05-01 12:00:00'",
        Dialect::Postgres | Dialect::Sqlite => "'2024-05-01T12:00:00.000Z'",
    }
}

/// Runs `sql` (double-quoted identifiers), which must succeed.
pub fn ok(db: &dyn Database, dialect: Dialect, sql: &str) {
    if let Err(e) = db.apply(&q(dialect, sql)) {
        panic!("{dialect}: expected to succeed: {sql}\n{e}");
    }
}

/// Runs `sql` (double-quoted identifiers), which must fail.
pub fn rejected(db: &dyn Database, dialect: Dialect, sql: &str) {
    if db.apply(&q(dialect, sql)).is_ok() {
        panic!("{dialect}: expected to be rejected: {sql}");
    }
}

/// The rows of `sql` (double-quoted identifiers), as `psql -At` prints them.
pub fn rows(db: &dyn Database, dialect: Dialect, sql: &str) -> String {
    db.query(&q(dialect, sql))
        .unwrap_or_else(|e| panic!("{dialect}: {sql}\n{e}"))
}

/// `fn name(dialect: Dialect)` run as three tests, `name::sqlite`, `name::postgres` and
/// `name::mysql`.
#[macro_export]
macro_rules! each_dialect {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(forge_gen_sql::Dialect::Sqlite)
            }

            #[test]
            fn postgres() {
                super::$name(forge_gen_sql::Dialect::Postgres)
            }

            #[test]
            fn mysql() {
                super::$name(forge_gen_sql::Dialect::Mysql)
            }
        }
    )*};
}

pub const T1: &str = "'10000000-0000-4000-8000-000000000001'";
pub const T2: &str = "'10000000-0000-4000-8000-000000000002'";
/// Users: U1 and U3 in tenant T1, U2 in T2.
pub const U1: &str = "'20000000-0000-4000-8000-000000000001'";
pub const U2: &str = "'20000000-0000-4000-8000-000000000002'";
pub const U3: &str = "'20000000-0000-4000-8000-000000000003'";
/// A post of T1 by U1.
pub const P1: &str = "'30000000-0000-4000-8000-000000000001'";

/// Two tenants, three users and a post.
pub fn seed(db: &dyn Database, dialect: Dialect) {
    ok(
        db,
        dialect,
        &format!(r#"INSERT INTO "tenant" ("id", "name") VALUES ({T1}, 'one'), ({T2}, 'two');"#),
    );
    ok(
        db,
        dialect,
        &format!(
            r#"INSERT INTO "user" ("id", "tenant_id", "email", "display_name")
               VALUES ({U1}, {T1}, 'a@example.com', 'A'), ({U2}, {T2}, 'b@example.com', 'B'),
                      ({U3}, {T1}, 'c@example.com', 'C');"#
        ),
    );
    ok(
        db,
        dialect,
        &format!(
            r#"INSERT INTO "post" ("id", "tenant_id", "author_id", "title", "slug") VALUES ({P1}, {T1}, {U1}, 'Hello', 'hello');"#
        ),
    );
}
