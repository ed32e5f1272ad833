//! The JSON Schema (draft 2020-12) of the IR, generated from the Rust types and checked in as
//! `schemas/ir.schema.json` for generators written in other languages.
//!
//! The schema is what `schemars::schema_for!(Ir)` gives (the draft 2020-12 settings pinned rather
//! than taken from schemars' defaults), with a `$id`, a title and a description naming
//! [`IR_VERSION`], and `ir_version` pinned to that version with `const`. A test in
//! `schemas/tests/json_schema.rs` fails when the checked-in file differs from
//! [`ir_json_schema`]; `FORGE_UPDATE_SCHEMAS=1 cargo test -p forge-schemas` rewrites it.

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::ir::{IR_VERSION, Ir};

/// The checked-in schema's file name, relative to the `forge-schemas` crate's folder.
pub const IR_SCHEMA_FILE: &str = "ir.schema.json";

/// The schema's `$id`: one URI per [`IR_VERSION`].
pub fn ir_schema_id() -> String {
    format!("https://forge.dev/schemas/ir-v{IR_VERSION}.json")
}

/// The JSON Schema of [`Ir`] as a JSON value, every object's keys sorted. Equal, as a value, to
/// the checked-in file.
pub fn ir_json_schema_value() -> Value {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Ir>();
    let mut value = schema.to_value();
    let root = value
        .as_object_mut()
        .expect("the schema of a struct is an object");
    root.insert("$id".into(), Value::String(ir_schema_id()));
    root.insert(
        "title".into(),
        Value::String(format!("forge IR, version {IR_VERSION}")),
    );
    root.insert(
        "description".into(),
        Value::String(format!(
            "The intermediate representation that the forge front end derives from a project's \
             schema and that every generator reads, at IR_VERSION {IR_VERSION}. IR_VERSION is \
             bumped on any change a generator could notice. Numbers in literals and bounds are \
             decimal text, so bigints and decimals stay exact."
        )),
    );
    let ir_version = root
        .get_mut("properties")
        .and_then(|p| p.get_mut("ir_version"))
        .and_then(Value::as_object_mut)
        .expect("Ir has an ir_version property");
    ir_version.insert("const".into(), Value::from(IR_VERSION));
    // serde_json's maps are sorted unless a crate in the build turns on `preserve_order`; sort
    // explicitly so the text never depends on feature unification.
    value.sort_all_objects();
    value
}

/// The root's keys that come first in the file, in this order; the rest follow sorted, with
/// `$defs` (the bulk) last.
const ROOT_HEAD: [&str; 4] = ["$schema", "$id", "title", "description"];

/// The JSON Schema of [`Ir`], pretty-printed with two-space indents and a trailing newline: the
/// exact text of the checked-in `ir.schema.json`. Deterministic: equal types give equal bytes.
pub fn ir_json_schema() -> String {
    schema_text(&ir_json_schema_value())
}

/// A schema as checked-in text: keys are sorted at every depth except the root, which starts with
/// what a reader looks for first (`$schema`, `$id`, `title`, `description`) and ends with `$defs`.
pub(crate) fn schema_text(value: &Value) -> String {
    let root = value.as_object().expect("the schema is an object");
    let mut keys: Vec<&str> = ROOT_HEAD
        .iter()
        .copied()
        .filter(|k| root.contains_key(*k))
        .collect();
    let mut rest: Vec<&str> = root
        .keys()
        .map(String::as_str)
        .filter(|k| !ROOT_HEAD.contains(k) && *k != "$defs")
        .collect();
    rest.sort_unstable();
    keys.extend(rest);
    if root.contains_key("$defs") {
        keys.push("$defs");
    }
    let mut text = String::from("{\n");
    for (i, key) in keys.iter().enumerate() {
        let member = serde_json::to_string_pretty(&root[*key]).expect("JSON values serialize");
        let key = serde_json::to_string(key).expect("strings serialize");
        // Pretty JSON has no raw newline inside a string, so the replace below only indents.
        text.push_str("  ");
        text.push_str(&key);
        text.push_str(": ");
        text.push_str(&member.replace('\n', "\n  "));
        text.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
    }
    text.push_str("}\n");
    text
}
