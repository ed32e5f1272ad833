//! SQL text as tokens, and the one spelling the sandbox compares: identifiers lower-case and
//! unquoted when they need no quotes, keywords lower-case, strings as written, one space between
//! tokens (none inside parentheses, before commas, around dots, or between a function and its
//! arguments). So `length("Title")<=80` and `length(title) <= 80` are equal, while
//! `'Draft'` and `'draft'` are not.
//!
//! SQLite rewrites the text it keeps when a table or column is renamed (a renamed column that was
//! bare comes back quoted); comparing this spelling makes such rewrites no difference.

/// One token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    /// The normalized spelling: see the module's doc.
    pub text: String,
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A keyword, an unquoted identifier or a number.
    Bare,
    /// A quoted identifier (`"x"`, `` `x` ``, `[x]`).
    Quoted,
    /// A string or blob literal, with its quotes.
    Str,
    /// An operator or punctuation.
    Punct,
}

/// Keywords that keep a space before a `(` (a bare word before `(` is otherwise a function).
const SPACED_KEYWORDS: &[&str] = &[
    "and", "as", "between", "case", "check", "default", "else", "exists", "glob", "in", "is",
    "key", "like", "not", "on", "or", "select", "then", "unique", "values", "when", "where",
];

/// Operators of two characters.
const PAIRS: &[&str] = &["||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"];

impl Token {
    /// True for the keyword `word` (lower-case), not a quoted identifier that spells it.
    pub fn is_keyword(&self, word: &str) -> bool {
        self.kind == Kind::Bare && self.text == word
    }

    /// True for the punctuation `p`.
    pub fn is(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
}

/// The tokens of `sql`; comments are dropped.
pub(crate) fn tokenize(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && next == Some('-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if matches!(c, '\'' | '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let (content, end) = quoted(&chars, i + 1, close);
            i = end;
            out.push(if c == '\'' {
                Token {
                    kind: Kind::Str,
                    text: format!("'{}'", content.replace('\'', "''")),
                }
            } else {
                identifier(&content)
            });
        } else if is_word_char(c) {
            let start = i;
            while i < chars.len() && is_word_char(chars[i]) {
                i += 1;
            }
            out.push(Token {
                kind: Kind::Bare,
                text: chars[start..i].iter().collect::<String>().to_lowercase(),
            });
        } else {
            let pair: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let text = if PAIRS.contains(&pair.as_str()) {
                pair
            } else {
                c.to_string()
            };
            i += text.chars().count();
            out.push(Token {
                kind: Kind::Punct,
                text,
            });
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// The content of a quoted token starting at `start` (after its opening quote), with doubled
/// quotes undone, and the index after its closing quote.
fn quoted(chars: &[char], start: usize, close: char) -> (String, usize) {
    let mut content = String::new();
    let mut i = start;
    while i < chars.len() {
        if chars[i] == close {
            if close != ']' && chars.get(i + 1) == Some(&close) {
                content.push(close);
                i += 2;
                continue;
            }
            return (content, i + 1);
        }
        content.push(chars[i]);
        i += 1;
    }
    (content, i)
}

/// A quoted identifier: lower-case (SQLite compares identifiers without ASCII case), unquoted
/// when it needs no quotes.
pub(crate) fn identifier(name: &str) -> Token {
    let lower = name.to_ascii_lowercase();
    let plain = lower
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && lower.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    Token {
        kind: Kind::Quoted,
        text: if plain {
            lower
        } else {
            format!("\"{}\"", lower.replace('"', "\"\""))
        },
    }
}

/// The tokens in the normalized spelling.
pub(crate) fn join(tokens: &[Token]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Token> = None;
    for token in tokens {
        let space = match previous {
            None => false,
            Some(p) if p.is("(") || p.is(".") => false,
            Some(_) if token.is(")") || token.is(",") || token.is(".") => false,
            Some(p) if token.is("(") => match p.kind {
                Kind::Bare => SPACED_KEYWORDS.contains(&p.text.as_str()),
                Kind::Quoted => false,
                Kind::Str | Kind::Punct => true,
            },
            Some(_) => true,
        };
        if space {
            out.push(' ');
        }
        out.push_str(&token.text);
        previous = Some(token);
    }
    out
}

/// `sql` in the normalized spelling.
pub(crate) fn normalize(sql: &str) -> String {
    join(&tokenize(sql))
}

/// `sql` in the normalized spelling, without parentheses around the whole of it: `(0)` is `0`.
pub(crate) fn normalize_unwrapped(sql: &str) -> String {
    let mut tokens = tokenize(sql);
    while tokens.len() >= 2 && tokens[0].is("(") && closing(&tokens, 0) == Some(tokens.len() - 1) {
        tokens.pop();
        tokens.remove(0);
    }
    join(&tokens)
}

/// The index of the `)` that closes the `(` at `open`.
pub(crate) fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        if token.is("(") {
            depth += 1;
        } else if token.is(")") {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_case_spaces_and_comments_do_not_count_but_strings_do() {
        assert_eq!(
            normalize("length(\"Title\")<=80 /* max */"),
            normalize("LENGTH ( title ) <= 80")
        );
        assert_eq!(normalize("length(\"title\") <= 80"), "length(title) <= 80");
        assert_ne!(normalize("\"s\" = 'Draft'"), normalize("\"s\" = 'draft'"));
        assert_eq!(
            normalize("\"s\" IS NULL OR (\"s\" IN ('a', 'it''s'))"),
            "s is null or (s in ('a', 'it''s'))"
        );
        assert_eq!(normalize("[odd name].x"), "\"odd name\".x");
    }

    #[test]
    fn a_quoted_keyword_is_no_keyword() {
        let tokens = tokenize("\"check\" check");
        assert!(!tokens[0].is_keyword("check"));
        assert!(tokens[1].is_keyword("check"));
    }

    #[test]
    fn outer_parentheses_are_dropped_only_around_the_whole() {
        assert_eq!(normalize_unwrapped("((0))"), "0");
        assert_eq!(normalize_unwrapped("(1) + (2)"), "(1) + (2)");
        assert_eq!(
            normalize_unwrapped("(strftime('%Y', 'now'))"),
            "strftime('%Y', 'now')"
        );
    }
}
