//! Tests of the TypeScript guard generator: `guards.ts` of schemas built with the real front end,
//! compiled with the project's TypeScript compiler (`npm ci --prefix ci/node`; without it they
//! fail, never skip) and run with Node over tables of cases, one Node process per test file.

mod bigint_ids;
mod blog;
mod clinic;
mod fixtures;
mod nasty;
mod output;
mod semantics;
mod support;
