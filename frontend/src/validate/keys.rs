//! Diagnostics family "keys": the primary key (exactly one per model: one `pk=#true` field or one
//! `pk a b` node, none of its columns optional), and the columns that `pk`, `unique` and `index`
//! name (fields, or belongs-to relations meaning their key column); `json` and `bytes` columns
//! cannot be in a primary or unique key (MySQL cannot key them; a belongs-to always references
//! its target's primary key, so this covers foreign keys too). Builds the IR's primary key,
//! unique keys and indexes.

use forge_schemas::{FieldType, Index, IndexMethod, Key, Model, RelationKind, constraint_name};

use crate::validate::decls::{ColumnDecl, ExprSource, ModelDecl, RelationDeclKind, Spanned, Spot};
use crate::validate::draft::Draft;
use crate::validate::report::{Cx, Report, close_names, did_you_mean};

pub const MISSING_PRIMARY_KEY: &str = "forge::missing-primary-key";
pub const DUPLICATE_PRIMARY_KEY: &str = "forge::duplicate-primary-key";
pub const UNKNOWN_FIELD: &str = "forge::unknown-field";
pub const NOT_A_COLUMN: &str = "forge::not-a-column";
pub const OPTIONAL_PRIMARY_KEY: &str = "forge::optional-primary-key";
pub const UNKEYABLE_TYPE: &str = "forge::unkeyable-type";

/// A primary key as written: the names it lists and where.
pub struct PkDecl {
    pub columns: Vec<Spanned<String>>,
    pub at: Spot,
}

/// The model's primary key declaration; none or more than one is reported.
pub fn pk_decl(cx: &mut Cx, model: &ModelDecl) -> Option<PkDecl> {
    let mut found: Vec<PkDecl> = Vec::new();
    for column in &model.columns {
        if let ColumnDecl::Field(f) = column
            && let Some(at) = f.pk
        {
            found.push(PkDecl {
                columns: vec![f.name.clone()],
                at,
            });
        }
    }
    for node in &model.pks {
        found.push(PkDecl {
            columns: node.columns.clone(),
            at: node.node,
        });
    }
    let mut found = found.into_iter();
    let Some(first) = found.next() else {
        cx.emit(
            Report::error(MISSING_PRIMARY_KEY, format!("model `{}` has no primary key", model.name.value))
                .at(model.name.at, "no field has pk=#true")
                .help("every model has exactly one primary key: mark a field, e.g. `id uuid pk=#true default=uuid`, or list the fields of a composite key with `pk a b`"),
        );
        return None;
    };
    for extra in found {
        cx.emit(
            Report::error(DUPLICATE_PRIMARY_KEY, format!("model `{}` has more than one primary key", model.name.value))
                .at(extra.at, "another primary key")
                .related(first.at, "first primary key")
                .help("keep one pk=#true field, or one `pk a b` node listing every field of a composite key"),
        );
    }
    Some(first)
}

/// The column a key names: a field, or a belongs-to relation's key column. Other names are
/// reported.
pub fn column(
    cx: &mut Cx,
    draft: &Draft,
    model: &Model,
    name: &Spanned<String>,
    what: &str,
) -> Option<String> {
    if model.field(&name.value).is_some() {
        return Some(name.value.clone());
    }
    if let Some(relation) = model.relation(&name.value) {
        if let RelationKind::BelongsTo { column, .. } = &relation.kind {
            return Some(column.clone());
        }
        cx.emit(
            Report::error(
                NOT_A_COLUMN,
                format!("`{}` is a to-many relation, not a column", name.value),
            )
            .at(name.at, "no column of this model")
            .help(format!(
                "{what} lists fields or belongs-to relations of `{}`",
                model.name
            )),
        );
        return None;
    }
    if draft
        .decl
        .columns
        .iter()
        .any(|c| c.name().value == name.value)
    {
        return None;
    }
    let fields = model.fields.iter().map(|f| f.name.as_str());
    cx.emit(
        Report::error(
            UNKNOWN_FIELD,
            format!("model `{}` has no field `{}`", model.name, name.value),
        )
        .at(name.at, "unknown field")
        .help(format!(
            "{}{what} lists fields of the model",
            did_you_mean(&close_names(&name.value, fields))
        )),
    );
    None
}

fn columns(
    cx: &mut Cx,
    draft: &Draft,
    model: &Model,
    names: &[Spanned<String>],
    what: &str,
) -> Option<Vec<String>> {
    let resolved: Vec<Option<String>> = names
        .iter()
        .map(|n| column(cx, draft, model, n, what))
        .collect();
    resolved.into_iter().collect()
}

/// Fills the model's primary key, unique keys and indexes; returns the `where=` conditions still
/// to check, by position in `model.indexes`.
pub fn keys<'a>(
    cx: &mut Cx,
    draft: &Draft<'_, 'a>,
    model: &mut Model,
) -> Vec<(usize, ExprSource<'a>)> {
    let table = model.table.clone();
    if let Some(pk) = &draft.pk
        && let Some(cols) = columns(cx, draft, model, &pk.columns, "`pk`")
    {
        primary_key_columns(cx, draft, model, pk);
        cx.provenance(|| format!("{}#pk", model.name), pk.at);
        model.primary_key = Key {
            name: constraint_name(&table, &[], "pkey"),
            columns: cols,
        };
    }
    let mut uniques: Vec<(Vec<String>, Spot)> = Vec::new();
    let mut indexes: Vec<(Vec<String>, IndexMethod, Option<ExprSource<'a>>, Spot)> = Vec::new();
    for (_, column) in draft.columns() {
        if let ColumnDecl::Field(f) = column
            && model.field(&f.name.value).is_some()
        {
            if let Some(at) = f.unique {
                keyable(cx, model, &f.name.value, at, "unique=#true");
                uniques.push((vec![f.name.value.clone()], at));
            }
            if let Some(at) = f.index {
                indexes.push((vec![f.name.value.clone()], IndexMethod::Btree, None, at));
            }
        }
    }
    for node in &draft.decl.uniques {
        if let Some(cols) = columns(cx, draft, model, &node.columns, "`unique`") {
            for name in &node.columns {
                keyable(cx, model, &name.value, name.at, "a `unique` key");
            }
            uniques.push((cols, node.node));
        }
    }
    for node in &draft.decl.indexes {
        if let Some(cols) = columns(cx, draft, model, &node.columns, "`index`") {
            let using = node.using.as_ref().map_or(IndexMethod::Btree, |u| u.value);
            indexes.push((cols, using, node.r#where, node.node));
        }
    }
    for (cols, at) in uniques {
        if model.uniques.iter().any(|k| k.columns == cols) || model.primary_key.columns == cols {
            continue;
        }
        let parts: Vec<&str> = cols.iter().map(String::as_str).collect();
        let name = constraint_name(&table, &parts, "key");
        cx.provenance(|| format!("{}#unique:{name}", model.name), at);
        model.uniques.push(Key {
            name,
            columns: cols,
        });
    }
    let mut pending = Vec::new();
    for (cols, using, condition, at) in indexes {
        let parts: Vec<&str> = cols.iter().map(String::as_str).collect();
        let taken: Vec<&str> = model.indexes.iter().map(|i| i.name.as_str()).collect();
        let name = unique_name(&table, &parts, "idx", &taken);
        cx.provenance(|| format!("{}#index:{name}", model.name), at);
        if let Some(condition) = condition {
            pending.push((model.indexes.len(), condition));
        }
        model.indexes.push(Index {
            name,
            columns: cols,
            using,
            r#where: None,
        });
    }
    pending
}

/// Reports optional and unkeyable columns of the primary key `pk` (whose names all resolved).
fn primary_key_columns(cx: &mut Cx, draft: &Draft, model: &Model, pk: &PkDecl) {
    for name in &pk.columns {
        let Some((_, column)) = draft.columns().find(|(_, c)| c.name().value == name.value) else {
            continue;
        };
        // A `pk=#true` field is its own key's only name: point at the flag.
        let (key_at, key_label) = match column {
            ColumnDecl::Field(f) if f.pk == Some(pk.at) => (pk.at, "pk=#true"),
            _ => (name.at, "in the primary key"),
        };
        let optional = match column {
            ColumnDecl::Field(f) => f.optional,
            ColumnDecl::Relation(r) => match &r.kind {
                RelationDeclKind::BelongsTo { optional, .. } => *optional,
                _ => None,
            },
        };
        if let Some(optional) = optional {
            cx.emit(
                Report::error(
                    OPTIONAL_PRIMARY_KEY,
                    format!(
                        "`{}` is part of the primary key of `{}`, so it cannot be optional",
                        name.value, model.name
                    ),
                )
                .at(optional, "a primary key column is never null")
                .related(key_at, key_label)
                .help(format!(
                    "remove optional=#true from `{}`, or key the model on other columns",
                    name.value
                )),
            );
        }
        if let ColumnDecl::Field(_) = column {
            let what = if key_label == "pk=#true" {
                "pk=#true"
            } else {
                "a `pk` key"
            };
            keyable(cx, model, &name.value, key_at, what);
        }
    }
}

/// Reports the plain field `name` of `model` in a primary or unique key (`what`, written at `at`)
/// when its type is json or bytes.
fn keyable(cx: &mut Cx, model: &Model, name: &str, at: Spot, what: &str) {
    let Some(field) = model.field(name) else {
        return;
    };
    if field.relation.is_some() || !matches!(field.ty, FieldType::Json | FieldType::Bytes) {
        return;
    }
    let ty = field.ty.schema_name();
    cx.emit(
        Report::error(
            UNKEYABLE_TYPE,
            format!("the {ty} field `{name}` cannot be in a primary or unique key"),
        )
        .at(at, format!("{what} on a {ty} field"))
        .help(format!(
            "MySQL cannot key {ty} columns: key the model on another column (e.g. `id uuid pk=#true default=uuid`), or store a hash of `{name}` in a string field and make that unique"
        )),
    );
}

/// `<table>_<parts>_<suffix>`, or with `_2`, `_3`, ... after the parts when that is `taken`.
pub fn unique_name(table: &str, parts: &[&str], suffix: &str, taken: &[&str]) -> String {
    let name = constraint_name(table, parts, suffix);
    if !taken.contains(&name.as_str()) {
        return name;
    }
    (2..)
        .map(|n| {
            let n = n.to_string();
            let mut with: Vec<&str> = parts.to_vec();
            with.push(&n);
            constraint_name(table, &with, suffix)
        })
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::unique_name;
    use crate::validate::tests::codes;

    fn model(body: &str) -> Vec<String> {
        codes(&format!(
            "model Post {{\n{body}\n policy all \"true\"\n}}\n"
        ))
    }

    #[test]
    fn exactly_one_primary_key() {
        assert_eq!(model(" title string"), vec!["forge::missing-primary-key"]);
        assert_eq!(
            model(" id uuid pk=#true\n other uuid pk=#true"),
            vec!["forge::duplicate-primary-key"]
        );
        assert_eq!(
            model(" id uuid pk=#true\n a string\n pk id a"),
            vec!["forge::duplicate-primary-key"]
        );
        assert!(model(" a string\n b string\n pk a b").is_empty());
    }

    #[test]
    fn keys_name_known_columns() {
        assert_eq!(
            model(" id uuid pk=#true\n unique slug"),
            vec!["forge::unknown-field"]
        );
        assert_eq!(
            model(" id uuid pk=#true\n index titel\n title string"),
            vec!["forge::unknown-field"]
        );
        assert_eq!(model(" a string\n pk a b"), vec!["forge::unknown-field"]);
        assert!(model(" id uuid pk=#true\n title string\n index title using=gin").is_empty());
        assert_eq!(
            model(" id uuid pk=#true\n index id using=hash"),
            vec!["forge::invalid-value"]
        );
    }

    #[test]
    fn primary_key_columns_are_never_optional() {
        assert_eq!(
            model(" id uuid pk=#true optional=#true"),
            vec!["forge::optional-primary-key"]
        );
        assert_eq!(
            model(" a string\n b string optional=#true\n pk a b"),
            vec!["forge::optional-primary-key"]
        );
        let user = "model User {\n id uuid pk=#true\n policy all \"true\"\n}\n";
        assert_eq!(
            codes(&format!(
                "{user}model Post {{\n owner belongs-to=User optional=#true\n n integer\n pk owner n\n policy all \"true\"\n}}\n"
            )),
            vec!["forge::optional-primary-key"]
        );
        assert!(model(" id uuid pk=#true\n a string optional=#true unique=#true").is_empty());
    }

    #[test]
    fn json_and_bytes_are_never_keys() {
        for bad in [
            " id json pk=#true",
            " id uuid pk=#true\n data json unique=#true",
            " id uuid pk=#true\n data bytes\n n integer\n unique n data",
            " data json\n n integer\n pk n data",
        ] {
            assert_eq!(model(bad), vec!["forge::unkeyable-type"], "{bad}");
        }
        // An index is not a key; gin indexes are meant for json.
        assert!(
            model(" id uuid pk=#true\n data json index=#true\n index data using=gin").is_empty()
        );
        // A belongs-to references the primary key: the error is there, once.
        let doc = "model Doc {\n id json pk=#true\n policy all \"true\"\n}\n";
        assert_eq!(
            codes(&format!(
                "{doc}model Post {{\n id uuid pk=#true\n doc belongs-to=Doc\n unique doc\n policy all \"true\"\n}}\n"
            )),
            vec!["forge::unkeyable-type"]
        );
    }

    #[test]
    fn repeated_names_get_a_number() {
        assert_eq!(
            unique_name("post", &["a"], "idx", &["post_a_idx"]),
            "post_a_2_idx"
        );
        assert_eq!(unique_name("post", &["a"], "idx", &[]), "post_a_idx");
    }
}
