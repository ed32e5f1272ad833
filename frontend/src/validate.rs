//! Every file's AST to the IR, with [`Provenance`] beside it and every diagnostic at once.
//!
//! The work is split by diagnostic family, one module each (`read` for the shape of nodes,
//! `names`, `types`, `fields`, `keys`, `relations`, `cycles`, `join_tables`, `checks`,
//! `policies`, `permissions`, `vocabulary` for roles, claims and identity, `hooks`, and for the
//! warnings `access`, `impossible` and `unindexed`, with `rules` and `fold` beneath them);
//! `assemble` runs them in order and builds the IR.

mod access;
mod assemble;
mod checks;
mod cycles;
mod db_names;
mod decimal;
mod decls;
mod draft;
mod expressions;
mod fields;
mod fold;
mod hooks;
mod impossible;
mod join_tables;
mod keys;
mod names;
mod permissions;
mod policies;
mod policy_indexes;
mod read;
mod relations;
mod report;
mod rules;
mod types;
mod unindexed;
mod vocabulary;

use std::collections::BTreeMap;

use forge_schemas::Ir;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, SourceLoc};
use crate::parse::ParsedFile;

/// Where each IR element was declared, by key: `Post` (model), `Post.title` (field or relation;
/// a belongs-to's key column `Post.author_id` too), `Post#pk`, `Post#unique:<name>`,
/// `Post#index:<name>`, `Post#check:<name>`, `Post#policy:<action>`,
/// `Post#permission:<action>:<n>` (n: index in the model's `permissions`), `Post#hook:<event>`,
/// `enum:<Name>`, `role:<name>`, `claim:<name>`, `identity.<attr>`, `join:<table>`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub entries: BTreeMap<String, SourceLoc>,
}

/// The result of [`validate`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Validated {
    /// The IR; `None` if and only if there is an error among `diagnostics`.
    pub ir: Option<Ir>,
    pub provenance: Provenance,
    /// Every error and warning, in the order found (deterministic).
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates the parsed files (in sorted path order) together.
pub fn validate(files: &[&ParsedFile]) -> Validated {
    validate_with(files, true)
}

/// [`validate`] without recording provenance (it comes back empty): what a build needs, since
/// provenance serves only `explain` and plugins' diagnostics, which validate again for it.
pub fn validate_ir(files: &[&ParsedFile]) -> Validated {
    validate_with(files, false)
}

fn validate_with(files: &[&ParsedFile], provenance: bool) -> Validated {
    let mut cx = report::Cx::new(files, provenance);
    let decls = read::read(&mut cx);
    let ir = assemble::assemble(&mut cx, &decls);
    let ir = (!cx.has_errors()).then_some(ir);
    Validated {
        ir,
        provenance: Provenance {
            entries: cx.provenance,
        },
        diagnostics: cx.diagnostics,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Helpers for the families' tests: validate one file's text.

    use forge_schemas::Ir;

    use crate::diagnostic::Severity;
    use crate::parse_file;

    fn run(text: &str) -> super::Validated {
        let (parsed, diags) = parse_file("schema.kdl", text);
        assert!(diags.is_empty(), "syntax errors: {diags:?}");
        super::validate(&[&parsed])
    }

    /// The codes of the errors, in order.
    pub fn codes(text: &str) -> Vec<String> {
        run(text)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.code)
            .collect()
    }

    /// The codes of every diagnostic, warnings included.
    pub fn codes_with_warnings(text: &str) -> Vec<String> {
        run(text).diagnostics.into_iter().map(|d| d.code).collect()
    }

    /// The messages of the errors.
    pub fn messages(text: &str) -> Vec<String> {
        run(text)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message)
            .collect()
    }

    /// The messages of the warnings.
    pub fn warnings(text: &str) -> Vec<String> {
        run(text)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| d.message)
            .collect()
    }

    /// Every diagnostic, warnings included.
    pub fn diagnostics(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        run(text).diagnostics
    }

    /// The IR of a valid schema.
    pub fn ir_of(text: &str) -> Ir {
        let validated = run(text);
        validated
            .ir
            .unwrap_or_else(|| panic!("errors: {:#?}", validated.diagnostics))
    }
}
