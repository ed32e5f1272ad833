//! PostgreSQL text: quoted identifiers, escaped literals, and pieces of SQL that know how tightly
//! they bind, so that parentheses appear only where they are needed.
//!
//! Every name from the schema or the identity goes through [`ident`] and every string through
//! [`string`]; nothing is ever spliced into SQL unquoted. Dollar quoting is used only for the one
//! PL/pgSQL body that holds no text from the schema (see `identity.rs`).

use forge_gen_sql::Dialect;

/// `name` as a quoted identifier, `"` doubled.
pub(crate) fn ident(name: &str) -> String {
    Dialect::Postgres.ident(name)
}

/// `schema.name`, both quoted.
pub(crate) fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// `text` as a string literal, `'` doubled. `policies.sql` sets `standard_conforming_strings`, so
/// a backslash is an ordinary character.
pub(crate) fn string(text: &str) -> String {
    Dialect::Postgres.string(text)
}

/// How tightly a piece of SQL binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prec {
    /// A column, a literal, a call, a parenthesized or bracketed expression.
    Atom,
    /// A comparison, `IS NULL`, `IN`, `= ANY`, `&&`: never an operand of another comparison.
    Cmp,
    Not,
    And,
    Or,
}

/// A piece of SQL and how tightly it binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sql {
    pub sql: String,
    pub prec: Prec,
}

impl Sql {
    pub fn new(sql: impl Into<String>, prec: Prec) -> Sql {
        Sql {
            sql: sql.into(),
            prec,
        }
    }

    pub fn atom(sql: impl Into<String>) -> Sql {
        Sql::new(sql, Prec::Atom)
    }

    pub fn bool(b: bool) -> Sql {
        Sql::atom(if b { "TRUE" } else { "FALSE" })
    }

    /// The SQL as an operand of a comparison or of `NOT`: in parentheses unless it is an atom.
    pub fn operand(&self) -> String {
        match self.prec {
            Prec::Atom => self.sql.clone(),
            _ => format!("({})", self.sql),
        }
    }

    /// The SQL as one operand of a chain of `AND` (`within` = And) or `OR` (`within` = Or).
    pub fn within(&self, within: Prec) -> String {
        // `a OR b AND c` would be right, but `a OR (b AND c)` is what a reader expects.
        let bare = matches!(self.prec, Prec::Atom | Prec::Cmp | Prec::Not) || self.prec == within;
        if bare {
            self.sql.clone()
        } else {
            format!("({})", self.sql)
        }
    }
}

/// `parts` joined by `AND` (`TRUE` when there are none).
pub(crate) fn and(parts: Vec<Sql>) -> Sql {
    join(parts, Prec::And)
}

/// `parts` joined by `OR` (`FALSE` when there are none).
pub(crate) fn or(parts: Vec<Sql>) -> Sql {
    join(parts, Prec::Or)
}

fn join(parts: Vec<Sql>, prec: Prec) -> Sql {
    let word = if prec == Prec::And { " AND " } else { " OR " };
    match parts.len() {
        0 => Sql::bool(prec == Prec::And),
        1 => parts.into_iter().next().expect("one part"),
        _ => Sql::new(
            parts
                .iter()
                .map(|p| p.within(prec))
                .collect::<Vec<_>>()
                .join(word),
            prec,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_strings_are_quoted() {
        assert_eq!(ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(string("x'); DROP TABLE y; --"), "'x''); DROP TABLE y; --'");
        assert_eq!(qualified("forge", "user_id"), "\"forge\".\"user_id\"");
    }

    #[test]
    fn and_or_keep_parentheses_where_needed() {
        let a = Sql::new("a = 1", Prec::Cmp);
        let b = or(vec![Sql::atom("b"), Sql::atom("c")]);
        assert_eq!(and(vec![a.clone(), b]).sql, "a = 1 AND (b OR c)");
        let c = and(vec![Sql::atom("b"), Sql::atom("c")]);
        assert_eq!(or(vec![a, c]).sql, "a = 1 OR (b AND c)");
        assert_eq!(and(vec![]).sql, "TRUE");
        assert_eq!(or(vec![]).sql, "FALSE");
    }
}
