//! forge-plugin-md-docs: a forge generator plugin, written with the `forge-plugin` SDK, that writes
//! `docs/<model>.md` for each model: its table, fields (type, optional, default, bounds, pii and
//! secret), relations, keys, indexes and checks, who may read, create, update and delete its rows
//! (the policies and permissions in words), and its hooks. Every field's line has its origin, so
//! `forge explain <out>/md-docs/docs/post.md:12` points at the field in the schema.
//!
//! ```kdl
//! generator md-docs {
//!   command "target/release/forge-plugin-md-docs"
//!   options { project "Blog" }
//! }
//! ```
//!
//! It warns about a pii or secret field of a model whose rows anyone (in the tenant) may read.

mod access;
mod constraints;
mod fields;
mod markdown;
mod options;
mod page;
mod prose;
mod relations;

use std::process::ExitCode;

use forge_plugin::{Model, Output, Plugin, Request, ScopeKind};

use crate::options::Options;

const NAME: &str = "md-docs";
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn main() -> ExitCode {
    Plugin::new(NAME, VERSION, ScopeKind::Model)
        .options_schema(options::schema())
        .worker()
        .run(generate)
}

fn generate(request: &Request) -> Result<Output, String> {
    let options: Options = request.options()?;
    let model = request.model()?;
    let mut output = Output::new();
    output.file(
        format!("docs/{}", markdown::page_file(&model.name)),
        page::page(request.ir(), model, &options),
    );
    if access::open_reads(model) {
        warn_sensitive(&mut output, model);
    }
    Ok(output)
}

/// A warning for each pii or secret field of a model whose rows anyone may read.
fn warn_sensitive(output: &mut Output, model: &Model) {
    let who = if model.tenant.is_some() {
        "every user of its tenant"
    } else {
        "anyone, signed in or not,"
    };
    for field in model.fields.iter().filter(|f| f.pii || f.secret) {
        let kind = if field.secret { "secret" } else { "pii" };
        output
            .warning(format!(
                "`{}.{}` is marked {kind}, and {who} may read `{}` rows: narrow its read \
                 policy, or leave the field out of what the application returns",
                model.name, field.name, model.name
            ))
            .model(&model.name)
            .field(&field.name);
    }
}
