//! Why a plan stops.

use std::fmt;

use crate::snapshot::SNAPSHOT_VERSION;

/// A plan that cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    /// Drops and adds that look like renames: the schema must say what it means.
    #[error("{}", looks_like_rename(.0))]
    LooksLikeRename(Vec<RenameSuggestion>),
    #[error(
        "the old snapshot has format version {found}; this forge reads version {SNAPSHOT_VERSION}"
    )]
    SnapshotVersion { found: u32 },
}

/// One drop + add that looks like a rename, and the hint that would make it one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameSuggestion {
    /// What would be dropped and added: `column post.body would be dropped and post.content
    /// added, both text`.
    pub what: String,
    /// The exact text to add to the schema: `renamed-from="body"`.
    pub hint: String,
    /// Where to add it: `the field content of model Post`.
    pub place: String,
}

impl fmt::Display for RenameSuggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: if it is a rename, add `{}` to {}",
            self.what, self.hint, self.place
        )
    }
}

fn looks_like_rename(suggestions: &[RenameSuggestion]) -> String {
    let mut text = String::from(
        "the migration stops: these drops and adds look like renames, and a rename needs a hint",
    );
    for s in suggestions {
        text.push_str("\n  - ");
        text.push_str(&s.to_string());
    }
    text.push_str(
        "\nif they are a drop and an add on purpose, make the drop a migration of its own first",
    );
    text
}
