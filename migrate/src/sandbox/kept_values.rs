//! An enum column's SQL text with the values a fallback kept set aside. SQLite has no enum type:
//! forge writes a column's values into its check (`"status" IN ('draft', 'review')`) and an
//! ordering comparison as the values' ranks (`(CASE "status" WHEN 'draft' THEN 0 WHEN 'review'
//! THEN 1 END) >= 1`). A kept value is in the history's text (a later rebuild writes it too) and
//! not in `schema.sql`'s, and shifts the ranks after it; both are undone here, so that the same
//! condition over the schema's values compares equal.

use super::tokens::{Kind, Token, closing, identifier, join, tokenize};

/// Comparisons a rank takes part in.
const COMPARISONS: &[&str] = &["<", "<=", ">", ">=", "=", "==", "!=", "<>"];

/// `check` (normalized) without the members `kept` when it is `column IN (...)`; any other check
/// as it is.
pub(crate) fn without_members(check: &str, column: &str, kept: &[String]) -> String {
    let tokens = tokenize(check);
    let column = identifier(column);
    let list = tokens.len() >= 3
        && names(&tokens[0], &column)
        && tokens[1].is_keyword("in")
        && tokens[2].is("(")
        && closing(&tokens, 2) == Some(tokens.len() - 1);
    if !list {
        return check.to_string();
    }
    let members: Vec<&[Token]> = tokens[3..tokens.len() - 1]
        .split(|t| t.is(","))
        .filter(|member| !kept.iter().any(|v| *member == [string(v)]))
        .collect();
    let mut out = tokens[..3].to_vec();
    for (i, member) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(punct(","));
        }
        out.extend_from_slice(member);
    }
    out.push(punct(")"));
    join(&out)
}

/// `sql` (normalized) with every `(CASE column WHEN ... END)` over all of `values` (the kept ones
/// among them) written over the values not `kept`, and a rank compared with it renumbered.
pub(crate) fn without_ranks(sql: &str, column: &str, values: &[String], kept: &[String]) -> String {
    let tokens = tokenize(sql);
    let column = identifier(column);
    let live: Vec<&String> = values.iter().filter(|v| !kept.contains(v)).collect();
    let rerank = |token: &Token| -> Option<Token> {
        let old: usize = token
            .text
            .parse()
            .ok()
            .filter(|_| token.kind == Kind::Bare)?;
        let new = live.iter().position(|v| Some(*v) == values.get(old))?;
        Some(bare(&new.to_string()))
    };
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some((end, parenthesized)) = case_over(&tokens, i, &column, values) else {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        };
        // `N <op> (CASE ...)`: N was pushed already.
        let n = out.len();
        if n >= 2
            && is_comparison(&out[n - 1])
            && let Some(new) = rerank(&out[n - 2])
        {
            out[n - 2] = new;
        }
        if parenthesized {
            out.push(punct("("));
        }
        out.extend([bare("case"), column.clone()]);
        for (rank, value) in live.iter().enumerate() {
            out.extend([
                bare("when"),
                string(value),
                bare("then"),
                bare(&rank.to_string()),
            ]);
        }
        out.push(bare("end"));
        if parenthesized {
            out.push(punct(")"));
        }
        i = end + 1;
        // `(CASE ...) <op> N`.
        if let (Some(op), Some(rank)) = (tokens.get(i), tokens.get(i + 1))
            && is_comparison(op)
            && let Some(new) = rerank(rank)
        {
            out.extend([op.clone(), new]);
            i += 2;
        }
    }
    join(&out)
}

/// The index of the last token of `(CASE column WHEN 'v0' THEN 0 ... END)` over exactly
/// `values`, starting at `at`, and whether it is in parentheses (MariaDB writes it without).
fn case_over(
    tokens: &[Token],
    at: usize,
    column: &Token,
    values: &[String],
) -> Option<(usize, bool)> {
    let parenthesized = tokens.get(at)?.is("(");
    let mut k = at + usize::from(parenthesized);
    if *tokens.get(k)? != bare("case") || !names(tokens.get(k + 1)?, column) {
        return None;
    }
    k += 2;
    for (rank, value) in values.iter().enumerate() {
        let arm = [
            bare("when"),
            string(value),
            bare("then"),
            bare(&rank.to_string()),
        ];
        if tokens.get(k..k + arm.len())? != arm {
            return None;
        }
        k += arm.len();
    }
    if *tokens.get(k)? != bare("end") {
        return None;
    }
    if parenthesized {
        (*tokens.get(k + 1)? == punct(")")).then_some((k + 1, true))
    } else {
        Some((k, false))
    }
}

/// True when `token` is the identifier `column` (quoted or not).
fn names(token: &Token, column: &Token) -> bool {
    matches!(token.kind, Kind::Bare | Kind::Quoted) && token.text == column.text
}

fn is_comparison(token: &Token) -> bool {
    COMPARISONS.iter().any(|op| token.is(op))
}

fn string(value: &str) -> Token {
    Token {
        kind: Kind::Str,
        text: format!("'{}'", value.replace('\'', "''")),
    }
}

fn bare(word: &str) -> Token {
    Token {
        kind: Kind::Bare,
        text: word.to_string(),
    }
}

fn punct(p: &str) -> Token {
    Token {
        kind: Kind::Punct,
        text: p.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::tokens::normalize;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn kept_members_leave_the_enum_check() {
        let kept = strings(&["review"]);
        assert_eq!(
            without_members(
                &normalize("\"status\" IN ('draft', 'review', 'published')"),
                "status",
                &kept
            ),
            "status in ('draft', 'published')"
        );
        let other = normalize("\"views\" IN ('review')");
        assert_eq!(without_members(&other, "status", &kept), other);
    }

    #[test]
    fn ranks_are_counted_without_the_kept_values() {
        let values = strings(&["low", "mid", "high"]);
        let kept = strings(&["mid"]);
        let case = "(CASE \"level\" WHEN 'low' THEN 0 WHEN 'mid' THEN 1 WHEN 'high' THEN 2 END)";
        let live = "(case level when 'low' then 0 when 'high' then 1 end)";
        let cases = [
            (format!("{case} >= 2"), format!("{live} >= 1")),
            (
                format!("x AND 2 > {case} OR {case} = 0"),
                format!("x and 1 > {live} or {live} = 0"),
            ),
            // MariaDB's spelling, without the parentheses.
            (
                "case `level` when 'low' then 0 when 'mid' then 1 when 'high' then 2 end >= 2"
                    .to_string(),
                "case level when 'low' then 0 when 'high' then 1 end >= 1".to_string(),
            ),
            // A rank of a kept value, or a CASE over other values, stays as it is.
            (format!("{case} < 1"), format!("{live} < 1")),
            (
                "(CASE level WHEN 'low' THEN 0 END) > 0".to_string(),
                "(case level when 'low' then 0 end) > 0".to_string(),
            ),
        ];
        for (sql, expected) in cases {
            assert_eq!(
                without_ranks(&normalize(&sql), "level", &values, &kept),
                expected,
                "{sql}"
            );
        }
    }
}
