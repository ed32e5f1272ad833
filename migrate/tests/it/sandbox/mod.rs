//! The SQLite sandbox of a history: histories built the way `forge migrate new` builds them,
//! replayed on SQLite and compared with a fresh database built from the schema's `schema.sql`.

mod broken;
mod evolution;
mod examples;
mod history;
mod stale;
