//! The plugin's options (forge.kdl's `options { ... }`) and their JSON Schema, for its describe
//! answer.
//!
//! ```kdl
//! options {
//!   project "Blog"       // named under each page's title
//!   expressions #false   // leave out each rule's expression as written
//! }
//! ```

use forge_plugin::{Value, json};
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// The project's name, shown under each page's title.
    #[serde(default)]
    pub project: Option<String>,
    /// Under each rule in words, its expression as written in the schema.
    #[serde(default = "yes")]
    pub expressions: bool,
}

fn yes() -> bool {
    true
}

/// The JSON Schema of [`Options`].
pub fn schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "project": {
                "type": "string",
                "description": "The project's name, shown under each page's title."
            },
            "expressions": {
                "type": "boolean",
                "default": true,
                "description": "Show each rule's expression as written, under its reading in words."
            }
        }
    })
}
