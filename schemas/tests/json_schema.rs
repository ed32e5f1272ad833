//! The checked-in `ir.schema.json` is what the Rust types generate, and a real JSON Schema
//! validator accepts it and every IR the front end makes from the examples.
//!
//! After a change to the IR types, regenerate the file with
//! `FORGE_UPDATE_SCHEMAS=1 cargo test -p forge-schemas` (and bump `IR_VERSION` if a generator
//! could notice the change).

use std::fs;
use std::path::{Path, PathBuf};

use forge_schemas::{
    IR_SCHEMA_FILE, IR_VERSION, Ir, ir_json_schema, ir_json_schema_value, ir_schema_id,
};
use forge_testkit::example_ir;
use serde_json::{Value, json};

const REGENERATE: &str = "FORGE_UPDATE_SCHEMAS=1 cargo test -p forge-schemas";

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(IR_SCHEMA_FILE)
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&ir_json_schema_value())
        .unwrap_or_else(|err| panic!("the IR schema does not compile: {err}"))
}

/// Every error the validator finds, one a line, with where in the instance it is.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|err| format!("at {}: {err}", err.instance_path()))
        .collect()
}

#[test]
fn checked_in_schema_matches_the_types() {
    let path = schema_path();
    let generated = ir_json_schema();
    if std::env::var_os("FORGE_UPDATE_SCHEMAS").is_some_and(|v| !v.is_empty() && v != "0") {
        fs::write(&path, &generated)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
        return;
    }
    let checked_in = fs::read_to_string(&path)
        .unwrap_or_else(|err| {
            panic!(
                "cannot read {}: {err}\nGenerate it with `{REGENERATE}`.",
                path.display()
            )
        })
        .replace("\r\n", "\n");
    assert!(
        checked_in == generated,
        "{} is out of date with the IR types in forge-schemas.\n\
         Regenerate it with `{REGENERATE}`, review the diff, and bump IR_VERSION \
         (schemas/src/ir.rs) if a generator could notice the change.",
        path.display()
    );
}

#[test]
fn schema_is_deterministic_and_ends_in_a_newline() {
    let text = ir_json_schema();
    assert_eq!(text, ir_json_schema());
    assert!(text.starts_with("{\n  \"$schema\": "), "{}", &text[..80]);
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, ir_json_schema_value());
}

#[test]
fn schema_names_its_draft_id_and_version() {
    let schema = ir_json_schema_value();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["$id"], ir_schema_id());
    assert_eq!(
        schema["$id"],
        format!("https://forge.dev/schemas/ir-v{IR_VERSION}.json")
    );
    let version = IR_VERSION.to_string();
    assert!(schema["title"].as_str().unwrap().contains(&version));
    let description = schema["description"].as_str().unwrap();
    assert!(description.contains(&format!("IR_VERSION {IR_VERSION}")));
    assert_eq!(schema["properties"]["ir_version"]["const"], IR_VERSION);
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn schema_defines_the_ir_types() {
    let schema = ir_json_schema_value();
    let defs = schema["$defs"].as_object().expect("$defs");
    for name in [
        "Identity",
        "Enum",
        "Model",
        "Field",
        "FieldType",
        "DefaultValue",
        "Key",
        "Relation",
        "RelationKind",
        "ForeignKey",
        "Index",
        "Condition",
        "Check",
        "Policy",
        "Permission",
        "Hook",
        "JoinTable",
        "Expr",
        "Literal",
        "ValueType",
        "FieldRef",
        "RelationPath",
    ] {
        assert!(defs.contains_key(name), "$defs has no {name}");
    }
    for key in [
        "ir_version",
        "roles",
        "claims",
        "identity",
        "enums",
        "models",
        "join_tables",
    ] {
        assert!(
            schema["required"]
                .as_array()
                .unwrap()
                .contains(&Value::from(key)),
            "{key} is not required"
        );
    }
}

#[test]
fn schema_is_valid_against_the_draft_2020_12_meta_schema() {
    let schema = ir_json_schema_value();
    if let Err(err) = jsonschema::meta::validate(&schema) {
        panic!("the IR schema violates its meta-schema: {err}");
    }
}

#[test]
fn empty_ir_is_valid() {
    let instance = serde_json::to_value(Ir::empty()).unwrap();
    let found = errors(&validator(), &instance);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

fn assert_example_is_valid(name: &str) {
    let ir = example_ir(name);
    assert!(!ir.models.is_empty());
    let validator = validator();
    let whole = serde_json::to_value(&ir).unwrap();
    let found = errors(&validator, &whole);
    assert!(found.is_empty(), "examples/{name}:\n{}", found.join("\n"));
    // Every model's slice (with stubs of the models it reaches) is an IR too.
    for model in &ir.models {
        let slice = serde_json::to_value(ir.slice(&model.name).unwrap()).unwrap();
        let found = errors(&validator, &slice);
        assert!(
            found.is_empty(),
            "examples/{name}, slice {}:\n{}",
            model.name,
            found.join("\n")
        );
    }
}

#[test]
fn blog_example_ir_is_valid() {
    assert_example_is_valid("blog");
}

#[test]
fn clinic_example_ir_is_valid() {
    assert_example_is_valid("clinic");
}

#[test]
fn schema_rejects_what_the_types_reject() {
    let validator = validator();
    let good = serde_json::to_value(example_ir("blog")).unwrap();
    assert!(validator.is_valid(&good));

    let mut wrong_version = good.clone();
    wrong_version["ir_version"] = json!(IR_VERSION + 1);
    assert!(!validator.is_valid(&wrong_version));

    let mut unknown_field = good.clone();
    unknown_field["models"][0]["colour"] = json!("blue");
    assert!(!validator.is_valid(&unknown_field));
    assert!(serde_json::from_value::<Ir>(unknown_field).is_err());

    let mut unknown_type = good.clone();
    unknown_type["models"][0]["fields"][0]["type"] = json!({ "kind": "money" });
    assert!(!validator.is_valid(&unknown_type));
    assert!(serde_json::from_value::<Ir>(unknown_type).is_err());

    let mut missing = good;
    missing["models"][0]
        .as_object_mut()
        .unwrap()
        .remove("table");
    assert!(!validator.is_valid(&missing));
    assert!(serde_json::from_value::<Ir>(missing).is_err());
}

#[test]
fn checked_in_protocol_schemas_match_the_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(forge_schemas::PROTOCOL_SCHEMA_DIR);
    let update =
        std::env::var_os("FORGE_UPDATE_SCHEMAS").is_some_and(|v| !v.is_empty() && v != "0");
    let schemas = forge_schemas::protocol_json_schemas();
    if update {
        fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for schema in &schemas {
        let path = dir.join(schema.file);
        if update {
            fs::write(&path, &schema.text).unwrap();
            continue;
        }
        let checked_in = fs::read_to_string(&path)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        if checked_in != schema.text {
            stale.push(schema.file);
        }
    }
    assert!(
        stale.is_empty(),
        "schemas/protocol/{stale:?} are out of date with the protocol types in forge-schemas.\n\
         Regenerate them with `{REGENERATE}` and review the diff; a change a plugin could notice \
         needs a new PROTOCOL_VERSION."
    );
    // No file in the folder that no message has.
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = schemas.iter().map(|s| s.file.to_string()).collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn protocol_messages_validate_against_their_schemas() {
    let ir = example_ir("blog");
    let request = forge_schemas::Request {
        protocol: forge_schemas::PROTOCOL_VERSION,
        generator: "py-models".into(),
        options: json!({"package": "blog_models"}),
        scope: forge_schemas::RequestScope::Model {
            model: "Post".into(),
        },
        ir: ir.slice("Post").unwrap(),
    };
    let response = json!({
        "files": [{"path": "models/post.py", "content": "x = 1\n", "origins": [{"lines": [1, 1], "model": "Post"}]}],
        "diagnostics": [{"severity": "warning", "message": "no docs", "model": "Post", "field": "title"}]
    });
    let cases = [
        (
            "describe.schema.json",
            json!({"protocol": 1, "name": "py-models", "version": "1.0.0", "scope": "model", "options": {"type": "object"}, "capabilities": ["worker"]}),
        ),
        (
            "request.schema.json",
            serde_json::to_value(&request).unwrap(),
        ),
        ("response.schema.json", response.clone()),
        (
            "worker-request.schema.json",
            serde_json::to_value(forge_schemas::WorkerRequest { id: 7, request }).unwrap(),
        ),
        ("worker-response.schema.json", {
            let mut r = response;
            r["id"] = json!(7);
            r
        }),
    ];
    for (file, instance) in cases {
        let schema = forge_schemas::protocol_json_schema_value(file).unwrap();
        let validator = jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|err| panic!("{file} does not compile: {err}"));
        assert_eq!(
            errors(&validator, &instance),
            Vec::<String>::new(),
            "{file}"
        );
    }
    // A wrong protocol version, an unknown field and a bad severity are rejected.
    let describe = forge_schemas::protocol_json_schema_value("describe.schema.json").unwrap();
    let validator = jsonschema::draft202012::new(&describe).unwrap();
    assert!(
        !validator.is_valid(&json!({"protocol": 2, "name": "x", "version": "1", "scope": "model"}))
    );
    let response = forge_schemas::protocol_json_schema_value("response.schema.json").unwrap();
    let validator = jsonschema::draft202012::new(&response).unwrap();
    assert!(!validator.is_valid(&json!({"files": [], "extra": 1})));
    assert!(!validator.is_valid(&json!({"diagnostics": [{"severity": "fatal", "message": "m"}]})));
}
