//! Tests of the SQL guard generator on real databases: schemas built with the real front end,
//! `schema.sql` of each dialect applied to SQLite (in memory) and to MariaDB, rows seeded without
//! guards, and the generated filters run under identities as `docs/guards.md` says a service
//! runs them. The MariaDB half needs `eval "$(ci/db.sh start)"` first (or `ci/test`); without it
//! the tests fail, never skip.

mod chains;
mod docs;
mod examples;
mod floats;
mod helpers;
mod identity;
mod injection;
mod join_tables;
mod missing;
mod ordering;
mod output;
mod permissions;
mod quantifiers;
mod setup;
mod tenants;
