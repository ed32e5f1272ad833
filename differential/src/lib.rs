//! The differential test's machinery (the test itself is `tests/differential.rs`): random rules
//! written in forge's expression language, compiled by the real front end, enforced three ways
//! (PostgreSQL row-level security from `forge-gen-rls`, the TypeScript guards of
//! `forge-gen-guard-ts` run on Node, the SQLite filters of `forge-gen-guard-sql`), and asked the
//! same questions about the same rows and identities. `docs/guards.md` ("Differential testing")
//! says what is compared and how to run it for long.
//!
//! - `domain.rs`: the schema (shared models and copies of a task model with random rules);
//! - `rule.rs`: rules as an AST that prints as forge source, and its simplifications;
//! - `catalog.rs`: what a rule may name, read from the IR;
//! - `value.rs`, `world.rs`, `identity.rs`: rows and identities, and how each target gets them;
//! - `pg.rs`, `sqlite.rs`: the two databases; the guards run in testkit's `GuardRunner`;
//! - `batch.rs`: a batch's cases and answers; `shrink.rs`: a disagreement made small.

pub mod batch;
pub mod catalog;
pub mod domain;
pub mod identity;
pub mod pg;
pub mod rule;
pub mod shrink;
pub mod sqlite;
pub mod value;
pub mod world;
