//! Diagnostics family "keys": the primary key (exactly one per model: one `pk=#true` field or one
//! `pk a b` node), and the columns that `pk`, `unique` and `index` name (fields, or belongs-to
//! relations meaning their key column). Builds the IR's primary key, unique keys and indexes.

use forge_schemas::{Index, IndexMethod, Key, Model, RelationKind, constraint_name};

use crate::validate::decls::{ColumnDecl, ExprSource, ModelDecl, Spanned, Spot};
use crate::validate::draft::Draft;
use crate::validate::report::{Cx, Report, close_names, did_you_mean};

pub const MISSING_PRIMARY_KEY: &str = "forge::missing-primary-key";
pub const DUPLICATE_PRIMARY_KEY: &str = "forge::duplicate-primary-key";
pub const UNKNOWN_FIELD: &str = "forge::unknown-field";
pub const NOT_A_COLUMN: &str = "forge::not-a-column";

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
        cx.provenance(format!("{}#pk", model.name), pk.at);
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
                uniques.push((vec![f.name.value.clone()], at));
            }
            if let Some(at) = f.index {
                indexes.push((vec![f.name.value.clone()], IndexMethod::Btree, None, at));
            }
        }
    }
    for node in &draft.decl.uniques {
        if let Some(cols) = columns(cx, draft, model, &node.columns, "`unique`") {
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
        cx.provenance(format!("{}#unique:{name}", model.name), at);
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
        cx.provenance(format!("{}#index:{name}", model.name), at);
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
    fn repeated_names_get_a_number() {
        assert_eq!(
            unique_name("post", &["a"], "idx", &["post_a_idx"]),
            "post_a_2_idx"
        );
        assert_eq!(unique_name("post", &["a"], "idx", &[]), "post_a_idx");
    }
}
