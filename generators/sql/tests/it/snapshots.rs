//! `schema.sql` of the blog, one snapshot per dialect.

use forge_gen_sql::{Dialect, generate};

use crate::blog::blog;

#[test]
fn schema_sql_postgres() {
    insta::assert_snapshot!(generate(&blog(), Dialect::Postgres).content);
}

#[test]
fn schema_sql_sqlite() {
    insta::assert_snapshot!(generate(&blog(), Dialect::Sqlite).content);
}

#[test]
fn schema_sql_mysql() {
    insta::assert_snapshot!(generate(&blog(), Dialect::Mysql).content);
}
