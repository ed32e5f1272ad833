//! Diagnostics family "names": model and enum names in PascalCase, enums not named like a built-in
//! type, field and relation names in snake_case, names declared twice: models (an enum and a model
//! share one namespace: both become SQL types), fields and relations of one model, and tables
//! (models', join tables' and enum types'); SQL names that do not fit PostgreSQL's 63 bytes
//! (tables, join tables, columns, enum types and members), and blank `table=` or check `name=`.

use std::collections::BTreeMap;

use forge_schemas::{MAX_IDENT_BYTES, snake_case};

use crate::validate::decls::{ColumnDecl, Decls, ModelDecl, RelationDeclKind, Spanned, Spot};
use crate::validate::report::{Cx, Report};
use crate::validate::types::BUILTIN;

pub const MODEL_NAME_CASE: &str = "forge::model-name-case";
pub const ENUM_NAME_CASE: &str = "forge::enum-name-case";
pub const BUILTIN_TYPE_NAME: &str = "forge::builtin-type-name";
pub const FIELD_NAME_CASE: &str = "forge::field-name-case";
pub const DUPLICATE_MODEL: &str = "forge::duplicate-model";
pub const DUPLICATE_FIELD: &str = "forge::duplicate-field";
pub const DUPLICATE_TABLE: &str = "forge::duplicate-table";
pub const NAME_TOO_LONG: &str = "forge::name-too-long";
pub const EMPTY_NAME: &str = "forge::empty-name";

/// The models to build, each name once (the first declaration wins), sorted by name.
pub fn models<'d, 'a>(cx: &mut Cx, decls: &'d Decls<'a>) -> Vec<&'d ModelDecl<'a>> {
    let mut by_name: BTreeMap<&str, &'d ModelDecl<'a>> = BTreeMap::new();
    for model in &decls.models {
        let name = model.name.value.as_str();
        if let Some(table) = &model.table {
            not_blank(
                cx,
                table,
                "table=",
                "give the table a name, or remove table= to use the snake_case of the model name",
            );
        }
        for column in &model.columns {
            if let ColumnDecl::Relation(r) = column
                && let RelationDeclKind::ManyToMany { table: Some(table) } = &r.kind
            {
                not_blank(
                    cx,
                    table,
                    "table=",
                    "give the join table a name, or remove table= to use `<table>_<relation>`",
                );
            }
        }
        for check in &model.checks {
            if let Some(check_name) = &check.name {
                not_blank(
                    cx,
                    check_name,
                    "name=",
                    "give the check a short name, or remove name= to name it after the columns it reads",
                );
            }
        }
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
                column_name(cx, column);
                true
            }
        })
        .collect()
}

/// Reports a field or relation name that is not snake_case, and a column name (a field's, or a
/// belongs-to's `<name>_id`) over 63 bytes.
fn column_name(cx: &mut Cx, column: &ColumnDecl) {
    let name = column.name();
    let what = match column {
        ColumnDecl::Field(_) => "field",
        ColumnDecl::Relation(_) => "relation",
    };
    if is_identifier(&name.value) && !is_snake_case(&name.value) {
        let suggestion = snake_case(&name.value)
            .trim_start_matches(|c: char| !c.is_alphabetic())
            .to_string();
        let help = if is_snake_case(&suggestion) {
            format!("write it as `{suggestion}`: ")
        } else {
            String::new()
        };
        cx.emit(
            Report::error(
                FIELD_NAME_CASE,
                format!("{what} name `{}` is not snake_case", name.value),
            )
            .at(name.at, "not snake_case")
            .help(format!(
                "{help}{}: lower-case letters (of any script), digits and `_`, starting with a letter",
                match column {
                    ColumnDecl::Field(_) => "field names are column names, written in snake_case",
                    ColumnDecl::Relation(_) => "relation names are written in snake_case, like field names",
                }
            )),
        );
    }
    let column_name = match column {
        ColumnDecl::Field(_) => name.value.clone(),
        ColumnDecl::Relation(r) if matches!(r.kind, RelationDeclKind::BelongsTo { .. }) => {
            format!("{}_id", name.value)
        }
        ColumnDecl::Relation(_) => return,
    };
    if column_name.len() > MAX_IDENT_BYTES {
        let creates = if column_name == name.value {
            String::new()
        } else {
            format!(" (it creates the column `{column_name}`)")
        };
        cx.emit(
            Report::error(
                NAME_TOO_LONG,
                format!(
                    "column name `{column_name}` is {} bytes long, more than {MAX_IDENT_BYTES}",
                    column_name.len()
                ),
            )
            .at(name.at, "too long for a column name")
            .help(format!(
                "give the {what} a shorter name{creates}: PostgreSQL keeps at most {MAX_IDENT_BYTES} bytes of a name"
            )),
        );
    }
}

/// Reports enums named like a built-in type, enum names that are not PascalCase, and enum type
/// names or members over 63 bytes.
pub fn enums(cx: &mut Cx, decls: &Decls) {
    for e in &decls.enums {
        let name = e.name.value.as_str();
        let lower = name.to_lowercase();
        if let Some(builtin) = BUILTIN
            .iter()
            .find(|b| **b == lower || **b == snake_case(name))
        {
            cx.emit(
                Report::error(
                    BUILTIN_TYPE_NAME,
                    format!("enum `{name}` is named like the built-in type `{builtin}`"),
                )
                .at(e.name.at, "a built-in type name")
                .help(format!(
                    "give the enum a name of its own, e.g. `{}Kind`: the built-in types are {}",
                    pascal_case(name),
                    BUILTIN.join(", ")
                )),
            );
        } else if !is_pascal_case(name) {
            cx.emit(
                Report::error(
                    ENUM_NAME_CASE,
                    format!("enum name `{name}` is not PascalCase"),
                )
                .at(e.name.at, "not PascalCase")
                .help(format!(
                    "write it as `{}`: enums and models share one namespace of PascalCase names",
                    pascal_case(name)
                )),
            );
        }
        let sql_name = snake_case(name);
        if sql_name.len() > MAX_IDENT_BYTES {
            cx.emit(
                Report::error(
                    NAME_TOO_LONG,
                    format!(
                        "enum type name `{sql_name}` is {} bytes long, more than {MAX_IDENT_BYTES}",
                        sql_name.len()
                    ),
                )
                .at(e.name.at, "too long for a type name")
                .help(format!(
                    "give the enum a shorter name: its PostgreSQL type is the snake_case of the name, and PostgreSQL keeps at most {MAX_IDENT_BYTES} bytes of a name"
                )),
            );
        }
        for member in &e.members {
            if member.value.len() > MAX_IDENT_BYTES {
                cx.emit(
                    Report::error(
                        NAME_TOO_LONG,
                        format!(
                            "enum member `{}` is {} bytes long, more than {MAX_IDENT_BYTES}",
                            member.value,
                            member.value.len()
                        ),
                    )
                    .at(member.at, "too long for an enum member")
                    .help(format!(
                        "give the member a shorter name: PostgreSQL enum labels hold at most {MAX_IDENT_BYTES} bytes"
                    )),
                );
            }
        }
    }
}

/// Reports a blank `key` value (`table=""`, `name=" "`).
fn not_blank(cx: &mut Cx, value: &Spanned<String>, key: &str, help: &str) {
    if value.value.trim().is_empty() {
        cx.emit(
            Report::error(EMPTY_NAME, format!("{key} is blank"))
                .at(value.at, "an empty name")
                .help(help.to_string()),
        );
    }
}

/// What declares a table-like SQL name.
pub enum TableOwner {
    Model(String),
    JoinTable,
    Enum(String),
}

impl TableOwner {
    fn describe(&self) -> String {
        match self {
            TableOwner::Model(name) => format!("model {name}"),
            TableOwner::JoinTable => "a join table".to_string(),
            TableOwner::Enum(name) => format!("the type of enum {name}"),
        }
    }
}

/// Reports two tables with one name (an enum's PostgreSQL type counts: every table has a row type
/// of its name), and table names over 63 bytes. `tables` are (table, what declares it, where), in
/// the order of the IR; blank names are reported elsewhere.
pub fn tables(cx: &mut Cx, tables: &[(String, TableOwner, Spot)]) {
    let mut seen: BTreeMap<&str, (String, Spot)> = BTreeMap::new();
    for (table, owner, at) in tables {
        if table.trim().is_empty() {
            continue;
        }
        let is_enum = matches!(owner, TableOwner::Enum(_));
        let owner = owner_check(cx, table, owner, *at);
        match seen.get(table.as_str()) {
            Some((first_owner, first_at)) => {
                let (message, help) = if is_enum {
                    (
                        format!("the SQL name `{table}` is used twice ({first_owner} and {owner})"),
                        "PostgreSQL gives every table a type of the same name: rename the enum, or give the table another name with table=\"...\"",
                    )
                } else {
                    (
                        format!(
                            "table `{table}` would be created twice ({first_owner} and {owner})"
                        ),
                        "give one of them another table name with table=\"...\"",
                    )
                };
                cx.emit(
                    Report::error(DUPLICATE_TABLE, message)
                        .at(*at, "second use of the name")
                        .related(*first_at, "first use of the name")
                        .help(help),
                );
            }
            None => {
                seen.insert(table, (owner, *at));
            }
        }
    }
}

/// Reports a table name over 63 bytes (enum type names are checked by [`enums`]); returns how the
/// owner is described.
fn owner_check(cx: &mut Cx, table: &str, owner: &TableOwner, at: Spot) -> String {
    let help = match owner {
        TableOwner::Model(_) => "give the model a shorter table name with table=\"...\"",
        TableOwner::JoinTable => {
            "give the many-to-many relation a shorter join table name with table=\"...\""
        }
        TableOwner::Enum(_) => return owner.describe(),
    };
    if table.len() > MAX_IDENT_BYTES {
        cx.emit(
            Report::error(
                NAME_TOO_LONG,
                format!(
                    "table name `{table}` is {} bytes long, more than {MAX_IDENT_BYTES}",
                    table.len()
                ),
            )
            .at(at, "too long for a table name")
            .help(format!(
                "{help}: PostgreSQL keeps at most {MAX_IDENT_BYTES} bytes of a name"
            )),
        );
    }
    owner.describe()
}

/// A letter or `_`, then letters, digits or `_` (what `read` accepts as a name).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// A letter, then letters, digits or `_`, none of them upper-case or title-case (letters of
/// scripts without case are lower-case enough: `名前`).
pub fn is_snake_case(name: &str) -> bool {
    let lower = |c: char| c.to_lowercase().eq(std::iter::once(c));
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() && lower(c))
        && chars.all(|c| (c.is_alphanumeric() && lower(c)) || c == '_')
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
