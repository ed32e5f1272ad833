//! What SQLite keeps only in the text of a `CREATE TABLE` or `CREATE INDEX`: a table's checks
//! (with the column each is written on, if any) and a partial index's condition.

use super::tokens::{Token, closing, join, tokenize};

/// Words that start a table constraint rather than a column definition.
const TABLE_CONSTRAINTS: &[&str] = &["constraint", "primary", "unique", "check", "foreign"];

/// Every `CHECK (...)` of a `CREATE TABLE` statement: its normalized condition and, for one
/// written in a column's definition, that column as it is spelled in the text (normalized).
pub(crate) fn checks(create_table: &str) -> Vec<(String, Option<String>)> {
    let tokens = tokenize(create_table);
    let Some(open) = tokens.iter().position(|t| t.is("(")) else {
        return Vec::new();
    };
    if tokens[..open].iter().any(|t| t.is_keyword("as")) {
        // CREATE TABLE ... AS SELECT: no constraints.
        return Vec::new();
    }
    let close = closing(&tokens, open).unwrap_or(tokens.len());
    let mut out = Vec::new();
    for item in top_level(&tokens[open + 1..close], ",") {
        let Some(first) = item.first() else {
            continue;
        };
        let column = if TABLE_CONSTRAINTS.iter().any(|k| first.is_keyword(k)) {
            None
        } else {
            Some(first.text.clone())
        };
        let mut i = 0;
        while i < item.len() {
            if item[i].is("(") {
                i = closing(item, i).unwrap_or(item.len()) + 1;
            } else if item[i].is_keyword("check") && item.get(i + 1).is_some_and(|t| t.is("(")) {
                let end = closing(item, i + 1).unwrap_or(item.len());
                out.push((join(&item[i + 2..end]), column.clone()));
                i = end + 1;
            } else {
                i += 1;
            }
        }
    }
    out
}

/// The normalized condition after `WHERE` of a `CREATE INDEX` statement (as `sqlite_schema`
/// keeps it, without a `;`), if it has one.
pub(crate) fn index_condition(create_index: &str) -> Option<String> {
    let tokens = tokenize(create_index);
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].is("(") {
            i = closing(&tokens, i).unwrap_or(tokens.len()) + 1;
        } else if tokens[i].is_keyword("where") {
            return Some(join(&tokens[i + 1..]));
        } else {
            i += 1;
        }
    }
    None
}

/// `tokens` cut at `separator` outside parentheses.
fn top_level<'t>(tokens: &'t [Token], separator: &str) -> Vec<&'t [Token]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.is("(") {
            depth += 1;
        } else if token.is(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && token.is(separator) {
            out.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    out.push(&tokens[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_are_found_in_columns_and_constraints_with_their_column() {
        let sql = r#"CREATE TABLE "t" (
  "a" TEXT NOT NULL DEFAULT 'x,(y' CHECK ("a" IN ('x,(y', 'z')),
  "Check" INTEGER CHECK ("Check" >= 0) CHECK ("Check" < 10),
  b, CONSTRAINT "t_pkey" PRIMARY KEY ("a"),
  CONSTRAINT "t_b_check" CHECK (length(b) <= 3 AND (b <> 'check'))
)"#;
        assert_eq!(
            checks(sql),
            [
                ("a in ('x,(y', 'z')".to_string(), Some("a".to_string())),
                ("check >= 0".to_string(), Some("check".to_string())),
                ("check < 10".to_string(), Some("check".to_string())),
                ("length(b) <= 3 and (b <> 'check')".to_string(), None),
            ]
        );
        assert!(checks("CREATE TABLE t AS SELECT 1 AS x").is_empty());
    }

    #[test]
    fn a_partial_index_has_its_condition() {
        assert_eq!(
            index_condition(r#"CREATE INDEX "i" ON "t" ("a", (b + 1)) WHERE "a" IS NOT NULL"#),
            Some("a is not null".to_string())
        );
        assert_eq!(index_condition(r#"CREATE INDEX "where" ON t (a)"#), None);
    }
}
