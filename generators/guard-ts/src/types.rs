//! The exported record types: per model `<Model>Record` (every column, and the relations some rule
//! follows from its rows, loaded), and `JoinRecords` (per join table, its columns and the
//! declaring model's row). Property names are the IR's (snake_case columns, relation names),
//! quoted; every property may be left out, and `null` is missing too.
//!
//! The types say what a caller may pass; guards still read every value as `unknown` and check it
//! (a malformed value is missing), so JavaScript callers are safe too.

use std::collections::BTreeSet;

use forge_schemas::{FieldType, Ir, JoinTable, Model, RelationKind};

use crate::assemble::Block;
use crate::js;

/// The name of `model`'s record type.
pub(crate) fn record_type_name(model: &Model) -> String {
    format!("{}Record", js::ident_part(&model.name))
}

/// The TypeScript type a record's column of type `ty` may hold.
fn column_type(ir: &Ir, ty: &FieldType) -> String {
    match ty {
        FieldType::Uuid | FieldType::String { .. } | FieldType::Text | FieldType::Date => {
            "string".into()
        }
        FieldType::Integer => "number | bigint".into(),
        FieldType::Bigint | FieldType::Decimal { .. } => "number | bigint | string".into(),
        FieldType::Float => "number".into(),
        FieldType::Boolean => "boolean".into(),
        FieldType::Datetime => "string | Date".into(),
        FieldType::Json => "unknown".into(),
        FieldType::Bytes => "Uint8Array | string".into(),
        FieldType::Enum { name } => members(ir, name),
    }
}

/// The TypeScript type an identity value of type `ty` may hold: what JSON carries (and a `bigint`
/// or `Date` a JavaScript caller may have).
pub(crate) fn identity_input_type(ir: &Ir, ty: &FieldType) -> String {
    match ty {
        FieldType::Decimal { .. } => "number | bigint".into(),
        FieldType::Bytes => "string".into(),
        other => column_type(ir, other),
    }
}

/// The members of enum `name` as a union of string literal types.
fn members(ir: &Ir, name: &str) -> String {
    let e = ir
        .enum_(name)
        .unwrap_or_else(|| panic!("enum `{name}` is not in the IR"));
    if e.values.is_empty() {
        return "never".into();
    }
    let members: Vec<String> = e.values.iter().map(|v| js::string(v)).collect();
    members.join(" | ")
}

/// `export interface <Model>Record`; `followed` holds the (model, relation) pairs some rule follows.
pub(crate) fn record_type(ir: &Ir, model: &Model, followed: &BTreeSet<(String, String)>) -> Block {
    let mut b = Block::new();
    let start = b.next();
    b.lines([
        format!(
            "/** A row of {}: its columns, and the relations rules follow from it (loaded; see each guard). */",
            model.name
        ),
        format!("export interface {} {{", record_type_name(model)),
    ]);
    for field in &model.fields {
        b.line(format!(
            "  readonly {}?: Maybe<{}>;",
            js::string(&field.name),
            column_type(ir, &field.ty)
        ));
    }
    for relation in &model.relations {
        if !followed.contains(&(model.name.clone(), relation.name.clone())) {
            continue;
        }
        let target = ir
            .model(&relation.target)
            .unwrap_or_else(|| panic!("model `{}` is not in the IR", relation.target));
        let ty = match relation.kind {
            RelationKind::BelongsTo { .. } => record_type_name(target),
            RelationKind::HasMany { .. } | RelationKind::ManyToMany { .. } => {
                format!("readonly {}[]", record_type_name(target))
            }
        };
        b.line(format!(
            "  readonly {}?: Maybe<{ty}>;",
            js::string(&relation.name)
        ));
    }
    b.line("}");
    b.origin(start, &model.name, None, None);
    b
}

/// The side of `join` that declares the relation (its rules decide), and the other side.
pub(crate) fn declaring(join: &JoinTable) -> (&forge_schemas::JoinSide, &forge_schemas::JoinSide) {
    if join.left.relation.is_some() {
        (&join.left, &join.right)
    } else {
        (&join.right, &join.left)
    }
}

/// `export interface JoinRecords`: per join table, its columns and, under the declaring model's
/// name (which no column can have), that model's row the link belongs to.
pub(crate) fn join_records(ir: &Ir) -> Block {
    let mut b = Block::new();
    b.lines([
        "/**".to_string(),
        " * Rows of join tables, by table name: the link's columns, and the row of the model that"
            .into(),
        " * declares the relation (loaded, under the model's name), whose rules decide.".into(),
        " */".into(),
        "export interface JoinRecords {".into(),
    ]);
    for join in &ir.join_tables {
        let (decl, _) = declaring(join);
        let start = b.next();
        b.line(format!("  readonly {}: {{", js::string(&join.name)));
        let mut columns = vec![
            (&join.left.column, &join.left.ty),
            (&join.right.column, &join.right.ty),
        ];
        if let Some(tenant) = &join.tenant {
            columns.push((&tenant.column, &tenant.ty));
        }
        for (column, ty) in columns {
            b.line(format!(
                "    readonly {}?: Maybe<{}>;",
                js::string(column),
                column_type(ir, ty)
            ));
        }
        let model = ir
            .model(&decl.model)
            .unwrap_or_else(|| panic!("model `{}` is not in the IR", decl.model));
        b.line(format!(
            "    readonly {}?: Maybe<{}>;",
            js::string(&model.name),
            record_type_name(model)
        ));
        b.line("  };");
        b.origin(start, &model.name, None, None);
    }
    b.line("}");
    b
}
