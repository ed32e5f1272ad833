//! Tests of the row-level security generator on a real PostgreSQL: schemas built with the real
//! front end, `schema.sql` and `policies.sql` applied by the superuser, and statements run as an
//! application role (not superuser, not owner, no BYPASSRLS) under identities. Each test has its
//! own database. They need `eval "$(ci/db.sh start)"` first (or `ci/test`); without it they
//! fail, never skip.

mod apply;
mod chains;
mod collections;
mod docs;
mod examples;
mod explain;
mod identity;
mod injection;
mod join_tables;
mod missing;
mod mutual;
mod ordering;
mod output;
mod permissions;
mod plans;
mod quantifiers;
mod setup;
mod tenants;
