//! The checker, one module per family of rules, against the fixture IR.

mod calls;
mod compare;
mod context;
mod fixture;
mod logic;
mod paths;
mod snapshots;
mod user;
