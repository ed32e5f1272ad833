//! The lexer: source text to tokens with byte spans. Lexical problems (an unknown character, an
//! unclosed string, an unknown escape) are collected and the lexer carries on.

use crate::codes;
use crate::error::ExprError;
use crate::syntax::Span;

/// One token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Ident(String),
    /// Digits with an optional fraction, as written.
    Number(String),
    Str(String),
    /// A backtick template literal (always an error), with its raw content.
    Template(String),
    True,
    False,
    Null,
    In,
    AndAnd,
    OrOr,
    Bang,
    /// `==` or `===`.
    EqEq,
    /// `!=` or `!==`.
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=`, `+=`, `&&=` and the other assignment operators, as written.
    Assign(&'static str),
    /// `+`, `-`, `*` and the other operators the language does not have, as written.
    Arith(&'static str),
    Arrow,
    Dot,
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Eof,
}

impl Tok {
    /// How the token is described in "unexpected ..." messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("identifier `{name}`"),
            Tok::Number(n) => format!("number `{n}`"),
            Tok::Str(_) => "a string".to_string(),
            Tok::Template(_) => "a template literal".to_string(),
            Tok::Eof => "the end of the expression".to_string(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::True => "true",
            Tok::False => "false",
            Tok::Null => "null",
            Tok::In => "in",
            Tok::AndAnd => "&&",
            Tok::OrOr => "||",
            Tok::Bang => "!",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Assign(op) | Tok::Arith(op) => op,
            Tok::Arrow => "=>",
            Tok::Dot => ".",
            Tok::Comma => ",",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::Ident(_) | Tok::Number(_) | Tok::Str(_) | Tok::Template(_) | Tok::Eof => "",
        }
    }
}

/// A token and its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Operators, longest first so that `===` wins over `==` and `=`.
const OPERATORS: &[(&str, Tok)] = &[
    ("===", Tok::EqEq),
    ("!==", Tok::NotEq),
    ("**=", Tok::Assign("**=")),
    ("&&=", Tok::Assign("&&=")),
    ("||=", Tok::Assign("||=")),
    ("??=", Tok::Assign("??=")),
    ("<<=", Tok::Assign("<<=")),
    (">>=", Tok::Assign(">>=")),
    ("==", Tok::EqEq),
    ("!=", Tok::NotEq),
    ("<=", Tok::Le),
    (">=", Tok::Ge),
    ("=>", Tok::Arrow),
    ("&&", Tok::AndAnd),
    ("||", Tok::OrOr),
    ("+=", Tok::Assign("+=")),
    ("-=", Tok::Assign("-=")),
    ("*=", Tok::Assign("*=")),
    ("/=", Tok::Assign("/=")),
    ("%=", Tok::Assign("%=")),
    ("&=", Tok::Assign("&=")),
    ("|=", Tok::Assign("|=")),
    ("^=", Tok::Assign("^=")),
    ("**", Tok::Arith("**")),
    ("??", Tok::Arith("??")),
    ("<<", Tok::Arith("<<")),
    (">>", Tok::Arith(">>")),
    ("++", Tok::Arith("++")),
    ("--", Tok::Arith("--")),
    ("=", Tok::Assign("=")),
    ("+", Tok::Arith("+")),
    ("-", Tok::Arith("-")),
    ("*", Tok::Arith("*")),
    ("/", Tok::Arith("/")),
    ("%", Tok::Arith("%")),
    ("&", Tok::Arith("&")),
    ("|", Tok::Arith("|")),
    ("^", Tok::Arith("^")),
    ("~", Tok::Arith("~")),
    ("<", Tok::Lt),
    (">", Tok::Gt),
    ("!", Tok::Bang),
    (".", Tok::Dot),
    (",", Tok::Comma),
    ("(", Tok::LParen),
    (")", Tok::RParen),
    ("[", Tok::LBracket),
    ("]", Tok::RBracket),
];

/// Splits `src` into tokens (ending with [`Tok::Eof`]), collecting lexical errors into `errors`.
pub(crate) fn lex(src: &str, errors: &mut Vec<ExprError>) -> Vec<Token> {
    let mut lexer = Lexer {
        src,
        pos: 0,
        errors,
    };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token() {
        tokens.push(token);
    }
    tokens.push(Token {
        tok: Tok::Eof,
        span: (src.len() as u32, 0),
    });
    tokens
}

struct Lexer<'a, 'e> {
    src: &'a str,
    pos: usize,
    errors: &'e mut Vec<ExprError>,
}

impl<'a> Lexer<'a, '_> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn span_from(&self, start: usize) -> Span {
        (start as u32, (self.pos - start) as u32)
    }

    fn next_token(&mut self) -> Option<Token> {
        loop {
            let c = self.rest().chars().next()?;
            let start = self.pos;
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            let tok = if c == '\'' || c == '"' {
                self.string(c)
            } else if c == '`' {
                self.template()
            } else if c.is_ascii_digit() {
                self.number()
            } else if is_ident_start(c) {
                self.ident()
            } else if let Some((text, tok)) = OPERATORS
                .iter()
                .find(|(text, _)| self.rest().starts_with(text))
            {
                self.pos += text.len();
                tok.clone()
            } else {
                self.pos += c.len_utf8();
                self.errors.push(
                    ExprError::new(codes::SYNTAX, self.span_from(start), format!("unexpected character `{c}`"), "not part of the expression language")
                        .help("expressions use `record.<field>`, `user.<attribute>`, literals, `&&`, `||`, `!`, comparisons and `in [..]`"),
                );
                continue;
            };
            return Some(Token {
                tok,
                span: self.span_from(start),
            });
        }
    }

    fn ident(&mut self) -> Tok {
        let len = self
            .rest()
            .find(|c: char| !is_ident_continue(c))
            .unwrap_or(self.rest().len());
        let text = &self.rest()[..len];
        self.pos += len;
        match text {
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::Null,
            "in" => Tok::In,
            _ => Tok::Ident(text.to_string()),
        }
    }

    fn number(&mut self) -> Tok {
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let mut len = digits(self.rest());
        let after = &self.rest()[len..];
        if after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            len += 1 + digits(&after[1..]);
        }
        let text = &self.rest()[..len];
        self.pos += len;
        Tok::Number(text.to_string())
    }

    fn string(&mut self, quote: char) -> Tok {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                self.errors.push(
                    ExprError::new(
                        codes::SYNTAX,
                        self.span_from(start),
                        "unclosed string",
                        "this string is never closed",
                    )
                    .help(format!("end the string with {quote}")),
                );
                return Tok::Str(value);
            };
            let at = self.pos;
            self.pos += c.len_utf8();
            if c == quote {
                return Tok::Str(value);
            }
            if c != '\\' {
                value.push(c);
                continue;
            }
            let Some(escaped) = self.rest().chars().next() else {
                continue;
            };
            self.pos += escaped.len_utf8();
            match escaped {
                '\\' | '\'' | '"' => value.push(escaped),
                'n' => value.push('\n'),
                't' => value.push('\t'),
                _ => self.errors.push(
                    ExprError::new(
                        codes::SYNTAX,
                        self.span_from(at),
                        format!("unknown escape `\\{escaped}`"),
                        "unknown escape",
                    )
                    .help("the escapes are \\\\ \\' \\\" \\n and \\t"),
                ),
            }
        }
    }

    fn template(&mut self) -> Tok {
        let start = self.pos;
        self.pos += 1;
        let mut raw = String::new();
        let mut chars = self.rest().chars();
        while let Some(c) = chars.next() {
            self.pos += c.len_utf8();
            match c {
                '`' => return Tok::Template(raw),
                '\\' => {
                    if let Some(next) = chars.next() {
                        self.pos += next.len_utf8();
                        raw.push(next);
                    }
                }
                _ => raw.push(c),
            }
        }
        self.errors.push(
            ExprError::new(
                codes::SYNTAX,
                self.span_from(start),
                "unclosed template literal",
                "this template literal is never closed",
            )
            .help("write a plain string in single or double quotes"),
        );
        Tok::Template(raw)
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<(Tok, Span)> {
        let mut errors = Vec::new();
        let tokens = lex(src, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        tokens.into_iter().map(|t| (t.tok, t.span)).collect()
    }

    #[test]
    fn operators_take_the_longest_match() {
        assert_eq!(
            toks("a===b!==c=>d"),
            vec![
                (Tok::Ident("a".into()), (0, 1)),
                (Tok::EqEq, (1, 3)),
                (Tok::Ident("b".into()), (4, 1)),
                (Tok::NotEq, (5, 3)),
                (Tok::Ident("c".into()), (8, 1)),
                (Tok::Arrow, (9, 2)),
                (Tok::Ident("d".into()), (11, 1)),
                (Tok::Eof, (12, 0)),
            ]
        );
    }

    #[test]
    fn strings_unescape() {
        assert_eq!(
            toks(r#"'it\'s' "a\"b\\c\n\t""#)[..2],
            [
                (Tok::Str("it's".into()), (0, 7)),
                (Tok::Str("a\"b\\c\n\t".into()), (8, 13)),
            ]
        );
    }

    #[test]
    fn numbers_and_keywords() {
        assert_eq!(
            toks("1.50 in null")[..3],
            [
                (Tok::Number("1.50".into()), (0, 4)),
                (Tok::In, (5, 2)),
                (Tok::Null, (8, 4)),
            ]
        );
        assert_eq!(
            toks("1.x")[..2],
            [(Tok::Number("1".into()), (0, 1)), (Tok::Dot, (1, 1))]
        );
    }

    #[test]
    fn spans_are_in_bytes() {
        assert_eq!(toks("'é' == ü")[2], (Tok::Ident("ü".into()), (8, 2)));
    }

    #[test]
    fn lexical_errors_are_collected() {
        let mut errors = Vec::new();
        lex("'a\\q' # 'open", &mut errors);
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.message.as_str(), e.span))
            .collect();
        assert_eq!(
            found,
            [
                ("unknown escape `\\q`", (2, 2)),
                ("unexpected character `#`", (6, 1)),
                ("unclosed string", (8, 5))
            ]
        );
    }
}
