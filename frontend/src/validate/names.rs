//! Diagnostics family "names": model names in PascalCase, and names declared twice: models (an
//! enum and a model share one namespace: both become SQL types), fields and relations of one model,
//! and tables (models' and join tables').

use std::collections::BTreeMap;

use crate::validate::decls::{Decls, ModelDecl, Spot};
use crate::validate::report::{Cx, Report};

pub const MODEL_NAME_CASE: &str = "forge::model-name-case";
pub const DUPLICATE_MODEL: &str = "forge::duplicate-model";
pub const DUPLICATE_FIELD: &str = "forge::duplicate-field";
pub const DUPLICATE_TABLE: &str = "forge::duplicate-table";

/// The models to build, each name once (the first declaration wins), sorted by name.
pub fn models<'d, 'a>(cx: &mut Cx, decls: &'d Decls<'a>) -> Vec<&'d ModelDecl<'a>> {
    let mut by_name: BTreeMap<&str, &'d ModelDecl<'a>> = BTreeMap::new();
    for model in &decls.models {
        let name = model.name.value.as_str();
        if !is_pascal_case(name) {
            cx.emit(
                Report::error(MODEL_NAME_CASE, format!("model name `{name}` is not PascalCase"))
                    .at(model.name.at, "not PascalCase")
                    .help(format!("write it as `{}`; the table name is derived from it (or set with table=\"...\")", pascal_case(name))),
            );
        }
        if let Some(first) = by_name.get(name) {
            cx.emit(
                Report::error(DUPLICATE_MODEL, format!("model `{name}` is declared twice"))
                    .at(model.name.at, "declared again here")
                    .related(first.name.at, "first declared here")
                    .help("rename one of the models, or merge them"),
            );
            continue;
        }
        if let Some(e) = decls.enums.iter().find(|e| e.name.value == name) {
            cx.emit(
                Report::error(DUPLICATE_MODEL, format!("`{name}` is declared both as an enum and as a model"))
                    .at(model.name.at, "model declared here")
                    .related(e.name.at, "enum declared here")
                    .help("models and enums share one namespace (both become SQL types): rename one of them"),
            );
        }
        by_name.insert(name, model);
    }
    by_name.into_values().collect()
}

/// Reports fields and relations of `model` that repeat a name; returns, per column declaration,
/// whether it is the first of its name.
pub fn columns(cx: &mut Cx, model: &ModelDecl) -> Vec<bool> {
    let mut seen: BTreeMap<&str, Spot> = BTreeMap::new();
    model
        .columns
        .iter()
        .map(|column| {
            let name = column.name();
            if let Some(first) = seen.get(name.value.as_str()) {
                cx.emit(
                    Report::error(
                        DUPLICATE_FIELD,
                        format!(
                            "`{}` is declared twice in model `{}`",
                            name.value, model.name.value
                        ),
                    )
                    .at(name.at, "declared again here")
                    .related(*first, "first declared here")
                    .help(
                        "fields and relations of a model need distinct names: rename or remove one",
                    ),
                );
                false
            } else {
                seen.insert(&name.value, name.at);
                true
            }
        })
        .collect()
}

/// Reports two tables with one name. `tables` are (table, what declares it, where), in the
/// order of the IR.
pub fn tables(cx: &mut Cx, tables: &[(String, String, Spot)]) {
    let mut seen: BTreeMap<&str, (&str, Spot)> = BTreeMap::new();
    for (table, owner, at) in tables {
        match seen.get(table.as_str()) {
            Some((first_owner, first_at)) => cx.emit(
                Report::error(
                    DUPLICATE_TABLE,
                    format!("table `{table}` would be created twice ({first_owner} and {owner})"),
                )
                .at(*at, "second use of the name")
                .related(*first_at, "first use of the name")
                .help("give one of them another table name with table=\"...\""),
            ),
            None => {
                seen.insert(table, (owner, *at));
            }
        }
    }
}

fn is_pascal_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_alphanumeric)
}

/// `blog_post` -> `BlogPost`.
fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pascal_case;
    use crate::validate::tests::codes;

    const BODY: &str = "{\n id uuid pk=#true\n policy all \"true\"\n}\n";

    #[test]
    fn model_names_are_pascal_case() {
        assert_eq!(
            codes(&format!("model blog_post {BODY}")),
            vec!["forge::model-name-case"]
        );
        assert_eq!(pascal_case("blog_post"), "BlogPost");
        assert!(codes(&format!("model Café {BODY}")).is_empty());
    }

    #[test]
    fn duplicates_are_errors() {
        assert_eq!(
            codes(&format!("model Post {BODY}model Post {BODY}")),
            vec!["forge::duplicate-model"]
        );
        assert_eq!(
            codes(&format!("enum Post a\nmodel Post {BODY}")),
            vec!["forge::duplicate-model"]
        );
        assert_eq!(
            codes("model Post {\n id uuid pk=#true\n id string\n policy all \"true\"\n}\n"),
            vec!["forge::duplicate-field"]
        );
        assert_eq!(
            codes(&format!(
                "model Post {BODY}model Other table=\"post\" {BODY}"
            )),
            vec!["forge::duplicate-table"]
        );
    }
}
