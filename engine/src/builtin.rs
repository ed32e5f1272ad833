//! The built-in generators behind the plugin protocol: each has a describe answer and turns a
//! [`Request`] into a [`Response`], exactly as a plugin would. The build runs them in-process
//! (the SQL generator's per-model fragments are an incremental shortcut to the same file), and
//! `forge generator run <name>` runs one as a plugin process, so a test can compare both ways
//! byte for byte.

use std::str::FromStr;

use forge_gen_sql::Dialect;
use forge_schemas::{Describe, Ir, PROTOCOL_VERSION, Request, RequestScope, Response, ScopeKind};

use crate::key::FORGE_VERSION;

/// The built-in generators, by the name `forge generator run` knows them.
pub const BUILTIN_GENERATORS: [&str; 7] = [
    "sql/postgres",
    "sql/sqlite",
    "sql/mysql",
    "rls",
    "guard/typescript",
    "guard/sqlite",
    "guard/mysql",
];

/// The describe answer of built-in `name`.
pub fn builtin_describe(name: &str) -> Option<Describe> {
    BUILTIN_GENERATORS.contains(&name).then(|| Describe {
        protocol: PROTOCOL_VERSION,
        name: name.to_string(),
        version: FORGE_VERSION.to_string(),
        scope: ScopeKind::Project,
        options: serde_json::json!({"type": "object", "additionalProperties": false}),
        capabilities: Vec::new(),
    })
}

/// Runs built-in `name` on `request` (a project-scope request with the whole IR).
pub fn run_builtin(name: &str, request: &Request) -> Result<Response, String> {
    if request.protocol != PROTOCOL_VERSION {
        return Err(format!(
            "the request speaks protocol {}, and this forge speaks protocol {PROTOCOL_VERSION}",
            request.protocol
        ));
    }
    if request.scope != RequestScope::Project {
        return Err(format!(
            "`{name}` has project scope; the request is for a model"
        ));
    }
    generate(name, &request.ir).ok_or_else(|| {
        format!(
            "no built-in generator `{name}`; built-ins: {}",
            BUILTIN_GENERATORS.join(", ")
        )
    })
}

/// What built-in `name` makes of `ir`, or `None` for an unknown name.
pub(crate) fn generate(name: &str, ir: &Ir) -> Option<Response> {
    let file = match name {
        "rls" => forge_gen_rls::policies_sql(ir),
        "guard/typescript" => forge_gen_guard_ts::guards_ts(ir),
        "guard/sqlite" => forge_gen_guard_sql::guards(ir, Dialect::Sqlite),
        "guard/mysql" => forge_gen_guard_sql::guards(ir, Dialect::Mysql),
        other => {
            let dialect = Dialect::from_str(other.strip_prefix("sql/")?).ok()?;
            forge_gen_sql::generate(ir, dialect)
        }
    };
    Some(Response {
        files: vec![file],
        diagnostics: Vec::new(),
    })
}
