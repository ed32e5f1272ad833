//! The fields table (one row per column, each row's origin the field) and the enums the fields
//! use.

use forge_plugin::schemas::{DefaultValue, Field, FieldType, Literal};
use forge_plugin::{Ir, Lines, Model};

use crate::markdown::{code, model_link, row};

pub fn write(page: &mut Lines, ir: &Ir, model: &Model) {
    page.line("");
    page.line("## Fields");
    page.line("");
    page.line("| Field | Type | Optional | Default | Bounds | Notes |");
    page.line("| --- | --- | --- | --- | --- | --- |");
    for field in &model.fields {
        let cells = [
            code(&field.name),
            type_name(&field.ty),
            if field.optional { "yes" } else { "no" }.to_string(),
            default(field),
            bounds(field),
            notes(model, field),
        ];
        page.line(row(&cells)).model(&model.name).field(&field.name);
    }
    let used: Vec<_> = ir
        .enums
        .iter()
        .filter(|e| {
            let enum_type = FieldType::Enum {
                name: e.name.clone(),
            };
            model.fields.iter().any(|f| f.ty == enum_type)
        })
        .collect();
    if used.is_empty() {
        return;
    }
    page.line("");
    page.line("### Enums");
    page.line("");
    for e in used {
        let values: Vec<String> = e.values.iter().map(|v| code(v)).collect();
        page.line(format!(
            "- {}: {}, in this order",
            code(&e.name),
            values.join(", ")
        ));
    }
}

/// `string(200)`, `decimal(10, 2)`, `PostStatus`, `uuid`.
fn type_name(ty: &FieldType) -> String {
    match ty {
        FieldType::String { max } => format!("string({max})"),
        FieldType::Decimal { precision, scale } => format!("decimal({precision}, {scale})"),
        other => other.schema_name().to_string(),
    }
}

fn default(field: &Field) -> String {
    match &field.default {
        None => String::new(),
        Some(DefaultValue::Now) if field.ty == FieldType::Date => "today".into(),
        Some(DefaultValue::Now) => "now".into(),
        Some(DefaultValue::Uuid) => "a new uuid".into(),
        Some(DefaultValue::Value { value }) => match (value, &field.ty) {
            (Literal::Null, _) => code("null"),
            (Literal::Bool(b), _) => code(&b.to_string()),
            (Literal::Number(n), _) => code(n),
            (Literal::String(s), FieldType::Enum { .. }) => code(s),
            (Literal::String(s), _) => {
                code(&serde_json::to_string(s).expect("a string serializes"))
            }
        },
    }
}

/// Lengths for string and text, values for numbers, and the pattern.
fn bounds(field: &Field) -> String {
    let what = match field.ty {
        FieldType::String { .. } | FieldType::Text => "length ",
        _ => "",
    };
    let mut parts = Vec::new();
    match (&field.min, &field.max) {
        (Some(min), Some(max)) => parts.push(format!("{what}{min} to {max}")),
        (Some(min), None) => parts.push(format!("{what}at least {min}")),
        (None, Some(max)) => parts.push(format!("{what}at most {max}")),
        (None, None) => {}
    }
    if let Some(pattern) = &field.pattern {
        parts.push(format!("matches {}", code(pattern)));
    }
    parts.join("; ")
}

/// Primary key, tenant, relation key, pii, secret, residency, former name.
fn notes(model: &Model, field: &Field) -> String {
    let mut notes = Vec::new();
    if model.primary_key.columns.contains(&field.name) {
        notes.push("primary key".to_string());
    }
    if model.tenant.as_ref() == Some(&field.name) {
        notes.push("tenant".into());
    }
    if let Some(relation) = field.relation.as_ref().and_then(|r| model.relation(r)) {
        notes.push(format!(
            "key of {} ({})",
            code(&relation.name),
            model_link(&relation.target)
        ));
    }
    if field.pii {
        notes.push("**pii**".into());
    }
    if field.secret {
        notes.push("**secret**".into());
    }
    if let Some(zone) = &field.residency {
        notes.push(format!("resides in {}", code(zone)));
    }
    if let Some(old) = &field.renamed_from {
        notes.push(format!("renamed from {}", code(old)));
    }
    notes.join(", ")
}
