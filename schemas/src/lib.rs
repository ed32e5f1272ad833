//! The public contract of forge: the IR that every generator reads, in Rust types with serde and
//! JSON Schema derives, plus canonical JSON for hashing.
//!
//! The IR is produced by the front end (`forge-frontend`) from the KDL schema and consumed by the
//! built-in generators and, over the plugin protocol, by generators in any language. Everything a
//! generator needs is resolved here (table and constraint names, join tables, foreign keys), so no
//! generator re-derives a name.
//!
//! The IR's JSON Schema ([`ir_json_schema`]) is checked in as `schemas/ir.schema.json`, for
//! generators in other languages; `docs/ir.md` describes the format and its versioning. The plugin
//! protocol's messages ([`Describe`], [`Request`], [`Response`] and the worker frames) have theirs
//! under `schemas/protocol/` ([`protocol_json_schemas`]); `docs/plugins.md` is their reference.
//!
//! ```
//! use forge_schemas::{canonical_json, Ir};
//! let ir = Ir::empty();
//! let bytes = canonical_json(&ir);
//! let back: Ir = serde_json::from_slice(&bytes).unwrap();
//! assert_eq!(ir, back);
//! ```

mod canonical;
mod expr;
mod ir;
mod json_schema;
mod names;
mod plugin;
mod policy_columns;
mod protocol;
mod protocol_schema;
mod slice;

pub use canonical::{Digest, canonical_json, digest_json};
pub use expr::{
    CmpOp, Expr, FieldRef, Literal, Quantifier, RefBase, RelationPath, UserAttr, ValueType,
};
pub use ir::*;
pub use json_schema::{IR_SCHEMA_FILE, ir_json_schema, ir_json_schema_value, ir_schema_id};
pub use names::{MAX_IDENT_BYTES, constraint_name, snake_case};
pub use plugin::{
    Describe, DiagnosticSeverity, PROTOCOL_VERSION, PluginDiagnostic, Request, RequestScope,
    Response, ScopeKind, WORKER_CAPABILITY, WorkerRequest, WorkerResponse,
};
pub use policy_columns::{WantedIndex, existing_keys, key_serves, wanted_indexes};
pub use protocol::{Origin, OutputFile};
pub use protocol_schema::{
    PROTOCOL_SCHEMA_DIR, ProtocolSchema, protocol_json_schema_value, protocol_json_schemas,
};
pub use slice::SliceDigests;
