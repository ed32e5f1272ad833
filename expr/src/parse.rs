//! The parser: tokens to a [`SyntaxExpr`], with JavaScript's precedence
//! (`||` < `&&` < equality < relational and `in` < unary `!` < member access and calls).
//!
//! Constructs the language rejects but whose extent is clear (assignments, arithmetic, template
//! literals) are reported and parsing carries on, so one run reports them all; a real syntax error
//! (an unexpected token, an unclosed parenthesis) stops the parse.

use crate::codes;
use crate::error::ExprError;
use crate::lex::{Tok, Token};
use crate::number::canonical;
use crate::syntax::{BinaryOp, LiteralSyntax, Name, Span, SyntaxExpr, SyntaxKind};

/// How deeply the tree may nest. Each parenthesis, `!` and call argument is a level, and so is each
/// link of a member or call chain (`a.b(c).d`) and of a comparison chain (`a == b == c`, `a in [..]
/// in [..]`): the checker and the derived traits recurse once per level. `&&` and `||` chains do
/// not count; the checker flattens them and [`SyntaxExpr`]'s drop does not recurse.
const MAX_DEPTH: usize = 64;

/// The parse stopped at a syntax error (already recorded).
struct Fatal;

type PResult<T> = Result<T, Fatal>;

/// Parses a whole expression from `tokens` (which end with [`Tok::Eof`]), recording errors.
pub(crate) fn parse_tokens(tokens: Vec<Token>, errors: &mut Vec<ExprError>) -> Option<SyntaxExpr> {
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
        errors,
    };
    let expr = parser.expr().ok()?;
    if parser.peek() != &Tok::Eof {
        let error = parser.unexpected("the end of the expression");
        let error = match parser.peek() {
            Tok::Arrow => error
                .help("a lambda (`x => ...`) is only allowed as the argument of `some` or `every`"),
            _ => error.help("combine conditions with `&&` or `||`"),
        };
        parser.errors.push(error);
        return None;
    }
    Some(expr)
}

/// The span from the start of `a` to the end of `b`.
pub(crate) fn join(a: Span, b: Span) -> Span {
    (a.0, b.0 + b.1 - a.0)
}

fn node(kind: SyntaxKind, span: Span) -> SyntaxExpr {
    SyntaxExpr { kind, span }
}

fn binary(op: BinaryOp, op_span: Span, left: SyntaxExpr, right: SyntaxExpr) -> SyntaxExpr {
    let span = join(left.span, right.span);
    node(
        SyntaxKind::Binary {
            op,
            op_span,
            left: Box::new(left),
            right: Box::new(right),
        },
        span,
    )
}

struct Parser<'e> {
    tokens: Vec<Token>,
    pos: usize,
    /// How many levels (parentheses, `!`, arguments, chain links) enclose the current operand.
    depth: usize,
    errors: &'e mut Vec<ExprError>,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].tok
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + ahead).min(last)].tok
    }

    fn span(&self) -> Span {
        self.tokens[self.pos].span
    }

    /// Moves past the current token and returns its span.
    fn bump(&mut self) -> Span {
        let span = self.span();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        span
    }

    fn unexpected(&self, expected: &str) -> ExprError {
        let found = self.peek().describe();
        ExprError::new(
            codes::SYNTAX,
            self.span(),
            format!("expected {expected}, found {found}"),
            format!("expected {expected}"),
        )
    }

    fn fail<T>(&mut self, error: ExprError) -> PResult<T> {
        self.errors.push(error);
        Err(Fatal)
    }

    /// Expects the closing `close` of the `what` opened at `open`; `expected` says what may come.
    fn close(&mut self, close: Tok, open: Span, what: &str, expected: &str) -> PResult<Span> {
        if *self.peek() == close {
            return Ok(self.bump());
        }
        let error = if *self.peek() == Tok::Eof {
            ExprError::new(
                codes::SYNTAX,
                open,
                format!("unclosed {what}"),
                format!("this {what} is never closed"),
            )
        } else {
            self.unexpected(expected)
        };
        self.fail(error)
    }

    /// The lowest level: an `||` chain, then each assignment operator is reported and its right
    /// side skipped (in a loop: `a = b = c = ...` must not recurse once per `=`).
    fn expr(&mut self) -> PResult<SyntaxExpr> {
        let left = self.or()?;
        while let Tok::Assign(op) = *self.peek() {
            let span = self.bump();
            let help = if op == "=" {
                "to compare, write `==`"
            } else {
                "expressions compare values; they cannot change them"
            };
            self.errors.push(
                ExprError::new(
                    codes::ASSIGNMENT,
                    span,
                    format!("assignment `{op}` is not allowed in an expression"),
                    "assignment",
                )
                .help(help),
            );
            self.or()?;
        }
        Ok(left)
    }

    fn or(&mut self) -> PResult<SyntaxExpr> {
        let mut left = self.and()?;
        while *self.peek() == Tok::OrOr {
            let op_span = self.bump();
            let right = self.and()?;
            left = binary(BinaryOp::Or, op_span, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> PResult<SyntaxExpr> {
        let mut left = self.equality()?;
        while *self.peek() == Tok::AndAnd {
            let op_span = self.bump();
            let right = self.equality()?;
            left = binary(BinaryOp::And, op_span, left, right);
        }
        Ok(left)
    }

    fn equality(&mut self) -> PResult<SyntaxExpr> {
        self.chain(Self::equality_chain)
    }

    fn equality_chain(&mut self) -> PResult<SyntaxExpr> {
        let mut left = self.relational()?;
        loop {
            let op = match self.peek() {
                Tok::EqEq => BinaryOp::Eq,
                Tok::NotEq => BinaryOp::Ne,
                _ => return Ok(left),
            };
            self.deeper()?;
            let op_span = self.bump();
            let right = self.relational()?;
            left = binary(op, op_span, left, right);
        }
    }

    fn relational(&mut self) -> PResult<SyntaxExpr> {
        self.chain(Self::relational_chain)
    }

    fn relational_chain(&mut self) -> PResult<SyntaxExpr> {
        let mut left = self.arithmetic()?;
        loop {
            let op = match self.peek() {
                Tok::Lt => BinaryOp::Lt,
                Tok::Le => BinaryOp::Le,
                Tok::Gt => BinaryOp::Gt,
                Tok::Ge => BinaryOp::Ge,
                Tok::In => {
                    self.deeper()?;
                    left = self.in_list(left)?;
                    continue;
                }
                _ => return Ok(left),
            };
            self.deeper()?;
            let op_span = self.bump();
            let right = self.arithmetic()?;
            left = binary(op, op_span, left, right);
        }
    }

    /// `value in [a, b, ...]`, the `in` being the current token.
    fn in_list(&mut self, value: SyntaxExpr) -> PResult<SyntaxExpr> {
        self.bump();
        if *self.peek() != Tok::LBracket {
            let error = self
                .unexpected("`[` after `in`")
                .help("write `value in [a, b]`; for roles and claims, write `user.roles.includes('admin')`");
            return self.fail(error);
        }
        let open = self.bump();
        let mut list = Vec::new();
        while *self.peek() != Tok::RBracket {
            list.push(self.expr()?);
            if *self.peek() != Tok::Comma {
                break;
            }
            self.bump();
        }
        let end = self.close(Tok::RBracket, open, "list", "`,` or `]`")?;
        let span = join(value.span, end);
        Ok(node(
            SyntaxKind::In {
                value: Box::new(value),
                list,
            },
            span,
        ))
    }

    /// Binary operators the language does not have: reported, and the operand is skipped.
    fn arithmetic(&mut self) -> PResult<SyntaxExpr> {
        let left = self.unary()?;
        while let Tok::Arith(op) = *self.peek() {
            let span = self.bump();
            self.errors.push(unsupported_operator(op, span));
            if !matches!(op, "++" | "--") {
                self.unary()?;
            }
        }
        Ok(left)
    }

    /// A unary operand, at most [`MAX_DEPTH`] levels deep so that the recursion stays bounded.
    fn unary(&mut self) -> PResult<SyntaxExpr> {
        self.deeper()?;
        let operand = self.operand();
        self.depth -= 1;
        operand
    }

    /// One level deeper (see [`MAX_DEPTH`]), or the "nests too deeply" error at the current token.
    fn deeper(&mut self) -> PResult<()> {
        if self.depth >= MAX_DEPTH {
            let error = ExprError::new(
                codes::SYNTAX,
                self.span(),
                "the expression nests too deeply",
                "too deep",
            )
            .help(format!(
                "write at most {MAX_DEPTH} levels of parentheses, `!`, calls, `.` and comparisons"
            ));
            return self.fail(error);
        }
        self.depth += 1;
        Ok(())
    }

    /// Parses a chain with `parse`, whose links go [`Parser::deeper`]; the depth is back to the
    /// chain's own afterwards.
    fn chain(&mut self, parse: fn(&mut Self) -> PResult<SyntaxExpr>) -> PResult<SyntaxExpr> {
        let depth = self.depth;
        let chain = parse(self);
        self.depth = depth;
        chain
    }

    fn operand(&mut self) -> PResult<SyntaxExpr> {
        match *self.peek() {
            Tok::Bang => {
                let start = self.bump();
                let operand = self.unary()?;
                let span = join(start, operand.span);
                Ok(node(
                    SyntaxKind::Not {
                        operand: Box::new(operand),
                    },
                    span,
                ))
            }
            Tok::Arith(sign @ ("-" | "+")) if matches!(self.peek_at(1), Tok::Number(_)) => {
                let start = self.bump();
                let Tok::Number(digits) = self.peek().clone() else {
                    unreachable!("checked above")
                };
                let end = self.bump();
                let value = LiteralSyntax::Number(canonical(sign == "-", &digits));
                Ok(node(SyntaxKind::Literal { value }, join(start, end)))
            }
            Tok::Arith(op) => {
                let span = self.bump();
                self.errors.push(unsupported_operator(op, span));
                self.unary()
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> PResult<SyntaxExpr> {
        self.chain(Self::postfix_chain)
    }

    fn postfix_chain(&mut self) -> PResult<SyntaxExpr> {
        let mut expr = self.primary()?;
        loop {
            if matches!(self.peek(), Tok::Dot | Tok::LParen) {
                self.deeper()?;
            }
            match self.peek() {
                Tok::Dot => {
                    self.bump();
                    let name = self.member_name()?;
                    let span = join(expr.span, name.span);
                    expr = node(
                        SyntaxKind::Member {
                            object: Box::new(expr),
                            name,
                        },
                        span,
                    );
                }
                Tok::LParen => {
                    let open = self.bump();
                    let mut args = Vec::new();
                    while *self.peek() != Tok::RParen {
                        args.push(self.arg()?);
                        if *self.peek() != Tok::Comma {
                            break;
                        }
                        self.bump();
                    }
                    let end = self.close(Tok::RParen, open, "parenthesis", "`,` or `)`")?;
                    let span = join(expr.span, end);
                    expr = node(
                        SyntaxKind::Call {
                            callee: Box::new(expr),
                            args,
                        },
                        span,
                    );
                }
                _ => return Ok(expr),
            }
        }
    }

    /// The name after a `.`: any identifier, keywords included (`record.in` is a field `in`).
    fn member_name(&mut self) -> PResult<Name> {
        let text = match self.peek() {
            Tok::Ident(name) => name.clone(),
            Tok::True => "true".to_string(),
            Tok::False => "false".to_string(),
            Tok::Null => "null".to_string(),
            Tok::In => "in".to_string(),
            _ => {
                let error = self.unexpected("a name after `.`");
                return self.fail(error);
            }
        };
        Ok(Name {
            text,
            span: self.bump(),
        })
    }

    /// A call argument: a lambda (`x => body` or `(x) => body`) or an expression.
    fn arg(&mut self) -> PResult<SyntaxExpr> {
        let param_at = match (
            self.peek(),
            self.peek_at(1),
            self.peek_at(2),
            self.peek_at(3),
        ) {
            (Tok::Ident(_), Tok::Arrow, _, _) => 0,
            (Tok::LParen, Tok::Ident(_), Tok::RParen, Tok::Arrow) => 1,
            _ => return self.expr(),
        };
        let start = self.span();
        let Tok::Ident(text) = self.peek_at(param_at).clone() else {
            unreachable!("matched above")
        };
        let param = Name {
            text,
            span: self.tokens[self.pos + param_at].span,
        };
        self.pos += param_at * 2 + 2;
        let body = self.expr()?;
        let span = join(start, body.span);
        Ok(node(
            SyntaxKind::Lambda {
                param,
                body: Box::new(body),
            },
            span,
        ))
    }

    fn primary(&mut self) -> PResult<SyntaxExpr> {
        let span = self.span();
        let kind = match self.peek().clone() {
            Tok::Number(digits) => SyntaxKind::Literal {
                value: LiteralSyntax::Number(canonical(false, &digits)),
            },
            Tok::Str(text) => SyntaxKind::Literal {
                value: LiteralSyntax::String(text),
            },
            Tok::Template(raw) => {
                self.errors.push(
                    ExprError::new(codes::TEMPLATE_LITERAL, span, "template literals are not supported", "template literal")
                        .help("write a plain string in single or double quotes; expressions cannot build strings"),
                );
                SyntaxKind::Literal {
                    value: LiteralSyntax::String(raw),
                }
            }
            Tok::True => SyntaxKind::Literal {
                value: LiteralSyntax::Bool(true),
            },
            Tok::False => SyntaxKind::Literal {
                value: LiteralSyntax::Bool(false),
            },
            Tok::Null => SyntaxKind::Literal {
                value: LiteralSyntax::Null,
            },
            Tok::Ident(name) => SyntaxKind::Ident { name },
            Tok::LParen => {
                self.bump();
                let mut inner = self.expr()?;
                let end = self.close(Tok::RParen, span, "parenthesis", "`)`")?;
                inner.span = join(span, end);
                return Ok(inner);
            }
            Tok::LBracket => {
                let error = ExprError::new(
                    codes::SYNTAX,
                    span,
                    "a list is only allowed after `in`",
                    "unexpected list",
                )
                .help("write `value in [a, b]`");
                return self.fail(error);
            }
            _ => {
                let error = self.unexpected("an expression");
                return self.fail(error);
            }
        };
        self.bump();
        Ok(node(kind, span))
    }
}

fn unsupported_operator(op: &str, span: Span) -> ExprError {
    ExprError::new(codes::ARITHMETIC, span, format!("the operator `{op}` is not supported"), "not supported").help(
        "expressions compare values and combine conditions with `&&`, `||` and `!`; they have no arithmetic",
    )
}
