//! Small constructors for hand-built IR: fields, keys, foreign keys, checks and expressions.

use forge_schemas::{
    Check, CheckKind, CmpOp, Condition, DefaultValue, Expr, Field, FieldRef, FieldType, ForeignKey,
    Index, IndexMethod, Key, Literal, OnDelete, RefBase, Relation, RelationKind, ValueType,
};

pub fn field(name: &str, ty: FieldType) -> Field {
    Field {
        name: name.into(),
        ty,
        optional: false,
        default: None,
        min: None,
        max: None,
        pattern: None,
        pii: false,
        secret: false,
        residency: None,
        renamed_from: None,
        relation: None,
    }
}

pub fn optional(mut f: Field) -> Field {
    f.optional = true;
    f
}

pub fn with_default(mut f: Field, default: DefaultValue) -> Field {
    f.default = Some(default);
    f
}

pub fn value(literal: Literal) -> DefaultValue {
    DefaultValue::Value { value: literal }
}

pub fn string(max: u32) -> FieldType {
    FieldType::String { max }
}

/// The key column of a belongs-to relation.
pub fn key_column(name: &str, relation: &str, is_optional: bool) -> Field {
    let mut f = field(name, FieldType::Uuid);
    f.relation = Some(relation.into());
    f.optional = is_optional;
    f
}

pub fn id() -> Field {
    with_default(field("id", FieldType::Uuid), DefaultValue::Uuid)
}

pub fn tenant_id() -> Field {
    field("tenant_id", FieldType::Uuid)
}

pub fn key(name: &str, columns: &[&str]) -> Key {
    Key {
        name: name.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
    }
}

pub fn belongs_to(
    name: &str,
    target: &str,
    column: &str,
    is_optional: bool,
    on_delete: OnDelete,
) -> Relation {
    Relation {
        name: name.into(),
        target: target.into(),
        kind: RelationKind::BelongsTo {
            column: column.into(),
            references: "id".into(),
            optional: is_optional,
            on_delete,
        },
    }
}

/// A tenant-scoped foreign key `(tenant_id, column) -> target_table (tenant_id, id)`.
pub fn tenant_fk(
    table: &str,
    relation: &str,
    column: &str,
    target: &str,
    target_table: &str,
    on_delete: OnDelete,
) -> ForeignKey {
    ForeignKey {
        name: forge_schemas::constraint_name(table, &["tenant_id", column], "fkey"),
        relation: relation.into(),
        columns: vec!["tenant_id".into(), column.into()],
        target: target.into(),
        target_table: target_table.into(),
        target_columns: vec!["tenant_id".into(), "id".into()],
        on_delete,
        set_null_columns: if on_delete == OnDelete::SetNull {
            vec![column.into()]
        } else {
            Vec::new()
        },
    }
}

pub fn index(
    table: &str,
    columns: &[&str],
    using: IndexMethod,
    r#where: Option<Condition>,
) -> Index {
    Index {
        name: forge_schemas::constraint_name(table, columns, "idx"),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        using,
        r#where,
    }
}

pub fn bounds(
    table: &str,
    field: &str,
    min: Option<&str>,
    max: Option<&str>,
    length: bool,
) -> Check {
    Check {
        name: forge_schemas::constraint_name(table, &[field], "check"),
        kind: CheckKind::Bounds {
            field: field.into(),
            min: min.map(Into::into),
            max: max.map(Into::into),
            length,
        },
    }
}

pub fn check(table: &str, name: &str, source: &str, expr: Expr) -> Check {
    Check {
        name: forge_schemas::constraint_name(table, &[name], "check"),
        kind: CheckKind::Expr {
            condition: Condition {
                source: source.into(),
                expr,
            },
        },
    }
}

pub fn condition(source: &str, expr: Expr) -> Condition {
    Condition {
        source: source.into(),
        expr,
    }
}

/// `record.<name>` of `model`.
pub fn col(model: &str, name: &str, ty: ValueType, is_optional: bool) -> Expr {
    Expr::Field {
        field: FieldRef {
            base: RefBase::Record,
            base_model: model.into(),
            hops: Vec::new(),
            model: model.into(),
            field: name.into(),
            ty,
            optional: is_optional,
        },
    }
}

pub fn lit(value: Literal) -> Expr {
    Expr::Literal { value }
}

pub fn text(s: &str) -> Expr {
    lit(Literal::String(s.into()))
}

pub fn num(n: &str) -> Expr {
    lit(Literal::Number(n.into()))
}

pub fn null() -> Expr {
    lit(Literal::Null)
}

pub fn cmp(op: CmpOp, left: Expr, right: Expr) -> Expr {
    Expr::Compare {
        cmp: op,
        left: Box::new(left),
        right: Box::new(right),
    }
}

pub fn not(e: Expr) -> Expr {
    Expr::Not { expr: Box::new(e) }
}

pub fn and(exprs: Vec<Expr>) -> Expr {
    Expr::And { exprs }
}

pub fn or(exprs: Vec<Expr>) -> Expr {
    Expr::Or { exprs }
}

pub fn in_list(value: Expr, list: Vec<Expr>) -> Expr {
    Expr::In {
        value: Box::new(value),
        list,
    }
}
