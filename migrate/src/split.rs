//! A SQL script cut into statements, each with the line it starts on, so that whatever runs them
//! one by one (the SQLite sandbox, the history's replay) can name the statement that fails.
//!
//! A statement ends at a `;` outside strings, quoted identifiers, comments and PostgreSQL's
//! dollar quotes (`$$ ... $$`, `$body$ ... $body$`), so a hand-written PostgreSQL function or `DO`
//! block stays whole. A hand-written SQLite `CREATE TRIGGER`, whose body holds `;`s outside any
//! quote, is cut inside its body (SQLite then calls the first piece incomplete).

/// One statement of a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceStatement<'a> {
    /// The line it starts on, from 1.
    pub line: usize,
    /// Its text, from its first character to its `;` (or the end of the script).
    pub text: &'a str,
}

/// Splits a script into statements at `;` outside strings, quoted identifiers and comments.
/// Comments and blank text between statements are dropped.
pub fn split_statements(sql: &str) -> Vec<SourceStatement<'_>> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut line = 1;
    let mut start_line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => line += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    line += usize::from(bytes[i] == b'\n');
                    i += 1;
                }
                i += 2;
                continue;
            }
            _ if b.is_ascii_whitespace() => {}
            _ => {
                if start.is_none() {
                    start = Some(i);
                    start_line = line;
                }
                match b {
                    b'\'' | b'"' | b'`' | b'[' => {
                        let close = if b == b'[' { b']' } else { b };
                        i += 1;
                        while i < bytes.len() {
                            if bytes[i] == close {
                                // A doubled quote is an escaped quote.
                                if close != b']' && bytes.get(i + 1) == Some(&close) {
                                    i += 2;
                                    continue;
                                }
                                break;
                            }
                            line += usize::from(bytes[i] == b'\n');
                            i += 1;
                        }
                    }
                    b'$' if i == 0 || !is_word(bytes[i - 1]) => {
                        if let Some(tag) = dollar_tag(&bytes[i..]) {
                            // Skip to the closing tag (or the end), counting lines.
                            let body = i + tag;
                            let close = &bytes[i..body];
                            let end = bytes[body..]
                                .windows(close.len())
                                .position(|w| w == close)
                                .map_or(bytes.len(), |p| body + p + close.len());
                            line += bytes[i..end].iter().filter(|&&c| c == b'\n').count();
                            i = end;
                            continue;
                        }
                    }
                    b';' => {
                        let s = start.take().expect("a statement has started");
                        out.push(SourceStatement {
                            line: start_line,
                            text: &sql[s..=i],
                        });
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push(SourceStatement {
            line: start_line,
            text: &sql[s..],
        });
    }
    out
}

/// A letter, digit, `_` or a byte of a multi-byte character: what an identifier is made of.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The length of the dollar-quote tag `$tag$` (or `$$`) that `bytes` starts with, if it does.
fn dollar_tag(bytes: &[u8]) -> Option<usize> {
    let rest = &bytes[1..];
    let len = rest.iter().position(|&b| b == b'$')?;
    let tag = &rest[..len];
    let valid = tag.first().is_none_or(|b| !b.is_ascii_digit()) && tag.iter().all(|&b| is_word(b));
    valid.then_some(len + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(sql: &str) -> Vec<(usize, &str)> {
        split_statements(sql)
            .iter()
            .map(|s| (s.line, s.text))
            .collect()
    }

    #[test]
    fn statements_split_outside_strings_identifiers_and_comments() {
        let sql = "-- a; comment\nCREATE TABLE \"a;b\" (\"x\" TEXT DEFAULT 'it''s; fine');\n/* ; */ CREATE INDEX \"i\" ON \"a;b\" (\"x\");";
        assert_eq!(
            parts(sql),
            [
                (
                    2,
                    "CREATE TABLE \"a;b\" (\"x\" TEXT DEFAULT 'it''s; fine');"
                ),
                (3, "CREATE INDEX \"i\" ON \"a;b\" (\"x\");")
            ]
        );
    }

    #[test]
    fn lines_count_inside_strings_and_comments_and_a_last_statement_needs_no_semicolon() {
        let sql = "/* one\ntwo */ SELECT 'a\nb';\n[x\ny];\n  SELECT 1";
        assert_eq!(
            parts(sql),
            [(2, "SELECT 'a\nb';"), (4, "[x\ny];"), (6, "SELECT 1")]
        );
        assert!(split_statements("-- only a comment\n\n").is_empty());
    }

    #[test]
    fn dollar_quoted_bodies_stay_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  RETURN 1;\nEND\n$body$;\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT $1, a$b$c FROM t;\nSELECT 2;";
        assert_eq!(
            parts(sql),
            [
                (
                    1,
                    "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  RETURN 1;\nEND\n$body$;"
                ),
                (6, "DO $$ BEGIN PERFORM 1; END $$;"),
                (7, "SELECT $1, a$b$c FROM t;"),
                (8, "SELECT 2;"),
            ]
        );
    }
}
