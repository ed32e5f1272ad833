//! The generator protocol's output types: files with origins and diagnostics. Built-in generators
//! return these too, so every generator's output goes through one contract.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One file a generator produces, relative to its out folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputFile {
    /// Relative path with `/` separators; never absolute, never `..`.
    pub path: String,
    pub content: String,
    /// Which schema element each range of lines comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<Origin>,
}

/// Lines `lines[0]..=lines[1]` (1-based) of a file come from `model` (and `field`, or another
/// `element` of the model such as `policy:read`, when given).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    pub lines: [u32; 2],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A part of the model that is not a field: `policy:<action>`, `permission:<action>:<n>`,
    /// `index:<name>`, `unique:<name>`, `check:<name>`, `pk`, `hook:<event>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
}
