//! `docs/sql-types.md`'s table of column types is the one the code uses.

use forge_gen_sql::{Dialect, column_type};
use forge_schemas::{Enum, FieldType};

const DOC: &str = include_str!("../../../../docs/sql-types.md");

/// The field type a row of the table is about: its first cell, e.g. `decimal precision=10 scale=2`.
fn field_type(cell: &str) -> FieldType {
    let words: Vec<&str> = cell.split_whitespace().collect();
    let prop = |name: &str| -> u32 {
        words
            .iter()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or_else(|| panic!("`{cell}` lacks {name}="))
            .parse()
            .unwrap()
    };
    match words[0] {
        "uuid" => FieldType::Uuid,
        "string" => FieldType::String { max: prop("max") },
        "text" => FieldType::Text,
        "integer" => FieldType::Integer,
        "bigint" => FieldType::Bigint,
        "decimal" => FieldType::Decimal {
            precision: prop("precision"),
            scale: prop("scale"),
        },
        "float" => FieldType::Float,
        "boolean" => FieldType::Boolean,
        "date" => FieldType::Date,
        "datetime" => FieldType::Datetime,
        "json" => FieldType::Json,
        "bytes" => FieldType::Bytes,
        other => FieldType::Enum {
            name: other.to_string(),
        },
    }
}

/// The text between the first pair of backticks in `cell`.
fn code(cell: &str) -> &str {
    cell.split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no `code` in cell `{cell}`"))
}

#[test]
fn the_docs_table_matches_the_code() {
    let enums = [Enum {
        name: "PostStatus".into(),
        sql_name: "post_status".into(),
        values: vec!["draft".into(), "review".into(), "published".into()],
    }];
    let rows: Vec<Vec<&str>> = DOC
        .lines()
        .skip_while(|l| !l.starts_with("| forge type"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let mut seen = Vec::new();
    for row in &rows {
        let ty = field_type(code(row[0]));
        for (dialect, cell) in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql]
            .into_iter()
            .zip(&row[1..4])
        {
            assert_eq!(
                code(cell),
                column_type(dialect, &ty, &enums),
                "{} in {dialect}",
                code(row[0])
            );
        }
        seen.push(ty.schema_name().to_string());
    }
    for name in [
        "uuid",
        "string",
        "text",
        "integer",
        "bigint",
        "decimal",
        "float",
        "boolean",
        "date",
        "datetime",
        "json",
        "bytes",
        "PostStatus",
    ] {
        assert!(
            seen.iter().any(|s| s == name),
            "docs/sql-types.md has no row for {name}"
        );
    }
}
