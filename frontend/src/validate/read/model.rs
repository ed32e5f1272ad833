//! Reading a `model` node and its children: fields, relations and the model-level nodes (`pk`,
//! `unique`, `index`, `check`, `policy`, `hook`).

use forge_schemas::{IndexMethod, OnDelete};

use crate::ast::Node;
use crate::validate::decls::{
    CheckDecl, ColumnDecl, FieldDecl, HookDecl, IndexDecl, KeyDecl, ModelDecl, PolicyDecl,
    RelationDecl, RelationDeclKind, Spanned,
};
use crate::validate::read::props::{NodeRead, expr_arg, string_arg};
use crate::validate::read::{INVALID_VALUE, identifier};
use crate::validate::report::{Cx, Report};

const FIELD_PROPS: [&str; 15] = [
    "pk",
    "unique",
    "optional",
    "default",
    "min",
    "max",
    "pattern",
    "pii",
    "secret",
    "residency",
    "renamed-from",
    "index",
    "tenant",
    "precision",
    "scale",
];
const RELATION_KINDS: [&str; 3] = ["belongs-to", "has-many", "many-to-many"];

/// A `model Name [table=..] [renamed-from=..] { ... }` node; `None` when it has no name.
pub fn model<'a>(cx: &mut Cx, file: usize, node: &'a Node) -> Option<ModelDecl<'a>> {
    let r = NodeRead::new(cx, file, node, "a model", &["table", "renamed-from"], true);
    let name = r
        .args(cx, 1, Some(1), "model Name { ... }")
        .first()
        .and_then(|a| string_arg(cx, file, a, "model"))?;
    let mut model = ModelDecl {
        node: r.spot(),
        name,
        table: r.string(cx, "table"),
        renamed_from: r.string(cx, "renamed-from"),
        columns: Vec::new(),
        pks: Vec::new(),
        uniques: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
        policies: Vec::new(),
        hooks: Vec::new(),
    };
    for child in node.children.iter().flatten() {
        member(cx, file, child, &mut model);
    }
    Some(model)
}

fn member<'a>(cx: &mut Cx, file: usize, node: &'a Node, model: &mut ModelDecl<'a>) {
    match node.name.text.as_str() {
        kind @ ("pk" | "unique") => {
            let r = NodeRead::new(cx, file, node, &format!("`{kind}`"), &[], false);
            let key = KeyDecl {
                node: r.spot(),
                columns: names(cx, &r, &format!("{kind} field other_field")),
            };
            if kind == "pk" {
                model.pks.push(key)
            } else {
                model.uniques.push(key)
            }
        }
        "index" => {
            let r = NodeRead::new(cx, file, node, "`index`", &["using", "where"], false);
            let columns = names(
                cx,
                &r,
                "index field other_field [using=btree] [where=\"...\"]",
            );
            let using = r.string(cx, "using").and_then(|u| index_method(cx, u));
            model.indexes.push(IndexDecl {
                node: r.spot(),
                columns,
                using,
                r#where: r.expr(cx, "where"),
            });
        }
        "check" => {
            let r = NodeRead::new(cx, file, node, "`check`", &["name"], false);
            let name = r.string(cx, "name");
            let shape = "check \"<expression>\" [name=\"short_name\"]";
            if let Some(expr) = r.args(cx, 1, Some(1), shape).first()
                && let Some(expr) = expr_arg(cx, file, expr, "check")
            {
                model.checks.push(CheckDecl {
                    node: r.spot(),
                    expr,
                    name,
                });
            }
        }
        "policy" => {
            let r = NodeRead::new(cx, file, node, "`policy`", &[], false);
            let shape = "policy <read|create|update|delete|all> \"<expression>\"";
            if let [action, expr] = r.args(cx, 2, Some(2), shape)
                && let Some(action) = string_arg(cx, file, action, "policy")
                && let Some(expr) = expr_arg(cx, file, expr, "policy")
            {
                model.policies.push(PolicyDecl {
                    node: r.spot(),
                    action,
                    expr,
                });
            }
        }
        "hook" => {
            let r = NodeRead::new(cx, file, node, "`hook`", &[], false);
            let shape = "hook before-create \"hooks/post.ts#export\"";
            if let [event, target] = r.args(cx, 2, Some(2), shape)
                && let Some(event) = string_arg(cx, file, event, "hook")
                && let Some(target) = string_arg(cx, file, target, "hook")
            {
                model.hooks.push(HookDecl {
                    node: r.spot(),
                    event,
                    target,
                });
            }
        }
        _ if node
            .props
            .iter()
            .any(|p| RELATION_KINDS.contains(&p.key.text.as_str())) =>
        {
            if let Some(relation) = relation(cx, file, node) {
                model.columns.push(ColumnDecl::Relation(relation));
            }
        }
        _ => {
            if let Some(field) = field(cx, file, node) {
                model.columns.push(ColumnDecl::Field(Box::new(field)));
            }
        }
    }
}

/// The string arguments of `pk`/`unique`/`index` (at least one).
fn names(cx: &mut Cx, r: &NodeRead, shape: &str) -> Vec<Spanned<String>> {
    r.args(cx, 1, None, shape)
        .iter()
        .filter_map(|a| string_arg(cx, r.file, a, "field name"))
        .collect()
}

fn field(cx: &mut Cx, file: usize, node: &Node) -> Option<FieldDecl> {
    let r = NodeRead::new(cx, file, node, "a field", &FIELD_PROPS, false);
    let name = r.name();
    identifier(cx, &name, "a field");
    let ty = r
        .args(cx, 1, Some(1), &format!("{} string", name.value))
        .first();
    let ty = ty.and_then(|t| string_arg(cx, file, t, "field type"))?;
    Some(FieldDecl {
        node: r.spot(),
        name,
        ty,
        pk: r.flag(cx, "pk"),
        unique: r.flag(cx, "unique"),
        index: r.flag(cx, "index"),
        tenant: r.flag(cx, "tenant"),
        optional: r.flag(cx, "optional"),
        pii: r.flag(cx, "pii").is_some(),
        secret: r.flag(cx, "secret").is_some(),
        default: r.any("default"),
        min: r.number(cx, "min"),
        max: r.number(cx, "max"),
        pattern: r.string(cx, "pattern"),
        residency: r.string(cx, "residency"),
        renamed_from: r.string(cx, "renamed-from"),
        precision: r.count(cx, "precision"),
        scale: r.count(cx, "scale"),
    })
}

fn relation(cx: &mut Cx, file: usize, node: &Node) -> Option<RelationDecl> {
    let kinds: Vec<&str> = node
        .props
        .iter()
        .map(|p| p.key.text.as_str())
        .filter(|k| RELATION_KINDS.contains(k))
        .collect();
    let kind = kinds[0];
    let allowed: &[&str] = match kind {
        "belongs-to" => &["belongs-to", "optional", "on-delete", "renamed-from"],
        "has-many" => &["has-many", "via"],
        _ => &["many-to-many", "table"],
    };
    let r = NodeRead::new(
        cx,
        file,
        node,
        &format!("a {kind} relation"),
        allowed,
        false,
    );
    let name = r.name();
    identifier(cx, &name, "a relation");
    r.args(cx, 0, Some(0), &format!("{} {kind}=Model", name.value));
    let target = r.string(cx, kind)?;
    let kind = match kind {
        "belongs-to" => RelationDeclKind::BelongsTo {
            optional: r.flag(cx, "optional"),
            on_delete: r.string(cx, "on-delete").and_then(|o| on_delete(cx, o)),
            renamed_from: r.string(cx, "renamed-from"),
        },
        "has-many" => RelationDeclKind::HasMany {
            via: r.string(cx, "via"),
        },
        _ => RelationDeclKind::ManyToMany {
            table: r.string(cx, "table"),
        },
    };
    Some(RelationDecl {
        node: r.spot(),
        name,
        target,
        kind,
    })
}

fn on_delete(cx: &mut Cx, value: Spanned<String>) -> Option<Spanned<OnDelete>> {
    let parsed = match value.value.as_str() {
        "cascade" => OnDelete::Cascade,
        "restrict" => OnDelete::Restrict,
        "set-null" => OnDelete::SetNull,
        other => {
            cx.emit(
                Report::error(INVALID_VALUE, format!("unknown on-delete action `{other}`"))
                    .at(value.at, "not an on-delete action")
                    .help("write on-delete=cascade, on-delete=restrict (the default) or on-delete=set-null"),
            );
            return None;
        }
    };
    Some(Spanned {
        value: parsed,
        at: value.at,
    })
}

fn index_method(cx: &mut Cx, value: Spanned<String>) -> Option<Spanned<IndexMethod>> {
    let parsed = match value.value.as_str() {
        "btree" => IndexMethod::Btree,
        "gin" => IndexMethod::Gin,
        other => {
            cx.emit(
                Report::error(INVALID_VALUE, format!("unknown index method `{other}`"))
                    .at(value.at, "not an index method")
                    .help("write using=btree (the default) or using=gin"),
            );
            return None;
        }
    };
    Some(Spanned {
        value: parsed,
        at: value.at,
    })
}
