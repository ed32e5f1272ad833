//! Pieces of SQL with their binding strength, the `AND` / `OR` / `NOT` that join them, quoting,
//! and the count of `?` placeholders in a finished condition.
//!
//! Every name goes through `Dialect::ident` and every string through `Dialect::string` (the SQL
//! generator's quoting: `"` or `` ` `` doubled, `'` doubled, and in MySQL `\` doubled too);
//! nothing from the schema is spliced in unquoted. Identity values never appear in the text at
//! all: they are bound to `?`.

use forge_gen_sql::Dialect;

/// How tightly a piece of SQL binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prec {
    /// A column, a literal, a call, a `CASE`, a parenthesized subquery.
    Atom,
    /// A comparison, `IS`, `IN`, `EXISTS`: never an operand of another comparison.
    Cmp,
    Not,
    And,
    Or,
}

/// A piece of SQL and how tightly it binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sql {
    pub text: String,
    pub prec: Prec,
}

impl Sql {
    pub fn new(text: impl Into<String>, prec: Prec) -> Sql {
        Sql {
            text: text.into(),
            prec,
        }
    }

    pub fn atom(text: impl Into<String>) -> Sql {
        Sql::new(text, Prec::Atom)
    }

    /// `TRUE` or `FALSE` (SQLite reads them as 1 and 0, MySQL as well).
    pub fn bool(b: bool) -> Sql {
        Sql::atom(if b { "TRUE" } else { "FALSE" })
    }

    pub fn is_bool(&self, b: bool) -> bool {
        self.text == if b { "TRUE" } else { "FALSE" }
    }

    /// The SQL as an operand of a comparison, of `NOT` or of a postfix `COLLATE`: in parentheses
    /// unless it is an atom.
    pub fn operand(&self) -> String {
        match self.prec {
            Prec::Atom => self.text.clone(),
            _ => format!("({})", self.text),
        }
    }

    /// The SQL as one operand of a chain of `AND` (`chain` = And) or `OR` (`chain` = Or).
    fn within(&self, chain: Prec) -> String {
        // `a OR b AND c` would be right, but `a OR (b AND c)` is what a reader expects.
        if matches!(self.prec, Prec::Atom | Prec::Cmp | Prec::Not) || self.prec == chain {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }
}

/// `parts` joined by `AND`: `TRUE` parts and repeated parts are dropped, a `FALSE` part makes the
/// whole `FALSE`, no part at all is `TRUE`.
pub(crate) fn and(parts: Vec<Sql>) -> Sql {
    chain(parts, Prec::And)
}

/// `parts` joined by `OR`: `FALSE` parts and repeated parts are dropped, a `TRUE` part makes the
/// whole `TRUE`, no part at all is `FALSE`.
pub(crate) fn or(parts: Vec<Sql>) -> Sql {
    chain(parts, Prec::Or)
}

fn chain(parts: Vec<Sql>, prec: Prec) -> Sql {
    let neutral = prec == Prec::And;
    let mut kept: Vec<Sql> = Vec::new();
    for part in parts {
        if part.is_bool(!neutral) {
            return part;
        }
        if !part.is_bool(neutral) && !kept.contains(&part) {
            kept.push(part);
        }
    }
    let word = if neutral { " AND " } else { " OR " };
    match kept.len() {
        0 => Sql::bool(neutral),
        1 => kept.pop().expect("one part"),
        _ => Sql::new(
            kept.iter()
                .map(|p| p.within(prec))
                .collect::<Vec<_>>()
                .join(word),
            prec,
        ),
    }
}

/// `NOT sql` (`sql` is never NULL, so this is plain negation).
pub(crate) fn not(sql: Sql) -> Sql {
    if sql.is_bool(true) || sql.is_bool(false) {
        return Sql::bool(sql.is_bool(false));
    }
    Sql::new(format!("NOT {}", sql.operand()), Prec::Not)
}

/// `alias.column`, both quoted.
pub(crate) fn column(dialect: Dialect, alias: &str, name: &str) -> String {
    format!("{}.{}", dialect.ident(alias), dialect.ident(name))
}

/// How many `?` placeholders `sql` holds: those outside string literals and quoted identifiers.
pub(crate) fn placeholders(dialect: Dialect, sql: &str) -> u32 {
    let mut count = 0;
    // The quote character of the literal or identifier being read, if any.
    let mut quoted: Option<char> = None;
    let mut chars = sql.chars();
    while let Some(c) = chars.next() {
        match quoted {
            Some(q) => {
                if c == '\\' && q == '\'' && dialect == Dialect::Mysql {
                    chars.next();
                } else if c == q {
                    // A doubled quote reads as the closing quote followed by a new opening one.
                    quoted = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => quoted = Some(c),
                '?' => count += 1,
                _ => {}
            },
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_fold_constants_and_keep_parentheses() {
        let a = Sql::new("a = 1", Prec::Cmp);
        let b = or(vec![Sql::atom("b"), Sql::atom("c")]);
        assert_eq!(
            and(vec![a.clone(), b, Sql::bool(true)]).text,
            "a = 1 AND (b OR c)"
        );
        assert_eq!(and(vec![a.clone(), Sql::bool(false)]).text, "FALSE");
        assert_eq!(or(vec![a.clone(), Sql::bool(true)]).text, "TRUE");
        assert_eq!(
            or(vec![Sql::bool(false), a.clone(), a.clone()]).text,
            "a = 1"
        );
        assert_eq!(and(vec![]).text, "TRUE");
        assert_eq!(or(vec![]).text, "FALSE");
        assert_eq!(not(a).text, "NOT (a = 1)");
        assert_eq!(not(Sql::bool(true)).text, "FALSE");
    }

    #[test]
    fn placeholders_in_literals_and_names_do_not_count() {
        let sqlite = "\"a?\" = ? AND 'it''s ?' = (SELECT ? AS \"r\")";
        assert_eq!(placeholders(Dialect::Sqlite, sqlite), 2);
        let mysql = "`a?` = ? AND 'x\\\\' = ? AND 'y\\'?' = '?'";
        assert_eq!(placeholders(Dialect::Mysql, mysql), 2);
        assert_eq!(placeholders(Dialect::Sqlite, "TRUE"), 0);
    }
}
