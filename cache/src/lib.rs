//! forge's local cache: a content-addressed blob store and a SQLite database (WAL) of actions,
//! builds and artifacts.
//!
//! **Only this crate knows SQLite's schema.** The engine speaks to it through [`Cache`]: blobs by
//! digest, action records by key, build records by id.
//!
//! Layout under the cache folder (`.forge/cache/` by default):
//! - `forge.db`: the database (`actions`, `builds`, `blobs` for small blobs);
//! - `blobs/ab/cdef...`: blobs of 16 KiB and more, one file each, named by blake3 digest.
//!
//! Every write is atomic: files are written to a temporary file in the same folder and renamed;
//! database writes are transactions. A process killed at any moment leaves either the old state or
//! the new one.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let cache = forge_cache::Cache::open(dir.path()).unwrap();
//! let digest = cache.put_blob(b"hello").unwrap();
//! assert_eq!(cache.get_blob(&digest).unwrap().as_deref(), Some(&b"hello"[..]));
//! ```

mod actions;
mod atomic;
mod blobs;
mod builds;
mod db;
mod error;
mod gc;

pub use actions::ActionRecord;
pub use atomic::{atomic_write, digest_bytes};
pub use builds::BuildRow;
pub use db::Cache;
pub use error::CacheError;
pub use gc::{GcReport, Stats};
