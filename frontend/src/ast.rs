//! The AST of one schema file: the KDL document as written, minus comments and layout.
//!
//! It holds no byte offsets. Every element carries [`SpanId`]s into the file's
//! [`SpanTable`](crate::SpanTable), handed out in a fixed traversal order (a node, its name, its
//! annotation, its arguments, its properties, then its children; an argument: the entry, its
//! annotation, its content; a property: the entry, its key, then its value as an argument). Two
//! files that differ only in comments or white space therefore give equal ASTs and equal digests.
//!
//! The AST is deliberately generic (nodes, arguments, properties): what the nodes mean is decided
//! by validation, which reports every misplaced node or property with its span.

use serde::{Deserialize, Serialize};

use crate::span::SpanId;

/// One schema file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemaFile {
    /// Top-level nodes in source order.
    pub nodes: Vec<Node>,
}

/// A KDL node: `name arg... key=value... { children }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// The whole node, from its name to the end of its last entry or child block.
    pub span: SpanId,
    pub name: Ident,
    /// A KDL type annotation (`(ty)name`); forge gives them no meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Ident>,
    /// Positional arguments in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Arg>,
    /// Properties in source order (a repeated key is kept twice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    /// The child block, when the node has one (possibly empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Node>>,
}

/// A node name, property key or annotation, with its span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ident {
    pub text: String,
    pub span: SpanId,
}

/// A positional argument, or the value of a property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Arg {
    /// The whole entry as written (for a property's value: the value only).
    pub span: SpanId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Ident>,
    /// For a quoted or raw string, the text between the quotes; otherwise the same range as `span`.
    pub content: SpanId,
    pub value: Value,
    /// Where the decoded string's offsets differ from the source's (escapes, multi-line dedent):
    /// breakpoints `(decoded offset, offset in content)`, sorted; between two breakpoints both
    /// advance together. Empty when the decoded text is the content byte for byte.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_map: Vec<(u32, u32)>,
}

impl Arg {
    /// The offset in the source content (relative to `content`'s start) of the decoded string's
    /// byte `offset`.
    pub fn content_offset(&self, offset: u32) -> u32 {
        match self
            .text_map
            .iter()
            .rev()
            .find(|(decoded, _)| *decoded <= offset)
        {
            Some(&(decoded, source)) => source + (offset - decoded),
            None => offset,
        }
    }

    /// The string, when the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// `key=value`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prop {
    /// The whole property, key to value.
    pub span: SpanId,
    pub key: Ident,
    pub value: Arg,
}

/// A KDL value. Numbers keep their decimal text so the AST stays exact and hashable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    String(String),
    /// An integer, as canonical decimal text.
    Integer(String),
    /// A float, as Rust prints it (`0.5`, `1000`, `inf`, `NaN`).
    Float(String),
    Bool(bool),
    Null,
}

impl Value {
    /// How the value reads in a message: `"text"`, `12`, `#true`, `#null`.
    pub fn describe(&self) -> String {
        match self {
            Value::String(s) => format!("{s:?}"),
            Value::Integer(n) | Value::Float(n) => n.clone(),
            Value::Bool(b) => format!("#{b}"),
            Value::Null => "#null".to_string(),
        }
    }

    /// The kind of value, for messages: `a string`, `a number`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) | Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "#null",
        }
    }
}
