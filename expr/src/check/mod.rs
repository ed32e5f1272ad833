//! The type checker: a [`SyntaxExpr`] resolved against one model of the IR into a typed
//! [`Expr`], reporting every problem it finds (it keeps checking siblings after an error).

mod call;
mod compare;
mod path;
mod relation_path;
mod types;

use forge_schemas::{Expr, Ir, Literal, Model, ValueType};

use crate::Context;
use crate::codes;
use crate::error::ExprError;
use crate::syntax::{BinaryOp, LiteralSyntax, Span, SyntaxExpr, SyntaxKind};

/// A checked operand: its typed expression, its type and where it was written.
pub(crate) struct Typed {
    pub expr: Expr,
    pub ty: ValueType,
    pub span: Span,
}

/// A lambda variable in scope: its name and the model of the rows it ranges over.
struct Var<'a> {
    name: String,
    model: &'a Model,
}

pub(crate) struct Checker<'a> {
    ir: &'a Ir,
    model: &'a Model,
    ctx: Context,
    vars: Vec<Var<'a>>,
    errors: Vec<ExprError>,
}

/// Checks `expr` as a condition (a boolean) on `model`.
pub(crate) fn check(
    expr: &SyntaxExpr,
    ir: &Ir,
    model: &str,
    ctx: Context,
) -> Result<Expr, Vec<ExprError>> {
    let Some(model) = ir.model(model) else {
        let error = ExprError::new(
            codes::UNKNOWN_MODEL,
            expr.span,
            format!("unknown model `{model}`"),
            "checked against an unknown model",
        );
        return Err(vec![error]);
    };
    let mut checker = Checker {
        ir,
        model,
        ctx,
        vars: Vec::new(),
        errors: Vec::new(),
    };
    match checker.boolean(expr) {
        Some(typed) if checker.errors.is_empty() => Ok(typed),
        _ => {
            checker.errors.dedup();
            Err(checker.errors)
        }
    }
}

impl<'a> Checker<'a> {
    fn error(&mut self, error: ExprError) {
        self.errors.push(error);
    }

    /// `e` as a boolean: a condition, or an operand of `&&`, `||` and `!`.
    fn boolean(&mut self, e: &SyntaxExpr) -> Option<Expr> {
        let typed = self.value(e)?;
        if typed.ty == ValueType::Boolean {
            return Some(typed.expr);
        }
        let help = match typed.ty {
            ValueType::StringList => "test for one item with `.includes('...')`",
            ValueType::Null => "`null` is never true; test for a missing value with `x == null`",
            _ => "compare it to something, e.g. `x == ...` or `x != null`",
        };
        let found = types::describe(&typed.ty);
        self.error(
            ExprError::new(
                codes::EXPECTED_BOOLEAN,
                e.span,
                format!("expected a boolean, found {found}"),
                format!("{found}, not a boolean"),
            )
            .help(help),
        );
        None
    }

    /// `e` as a value of any type.
    fn value(&mut self, e: &SyntaxExpr) -> Option<Typed> {
        let (expr, ty) = match &e.kind {
            SyntaxKind::Literal { value } => literal(value),
            SyntaxKind::Ident { .. } | SyntaxKind::Member { .. } => return self.path_value(e),
            SyntaxKind::Call { callee, args } => {
                (self.call(callee, args, e.span)?, ValueType::Boolean)
            }
            SyntaxKind::Lambda { .. } => {
                self.error(
                    ExprError::new(
                        codes::ARGUMENTS,
                        e.span,
                        "a lambda is only allowed as the argument of `some` or `every`",
                        "lambda",
                    )
                    .help("write `record.<relation>.some(x => ...)`"),
                );
                return None;
            }
            SyntaxKind::Not { operand } => (
                Expr::Not {
                    expr: Box::new(self.boolean(operand)?),
                },
                ValueType::Boolean,
            ),
            SyntaxKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                ..
            } => (self.logic(*op, e)?, ValueType::Boolean),
            SyntaxKind::Binary {
                op, left, right, ..
            } => (self.compare(*op, left, right, e.span)?, ValueType::Boolean),
            SyntaxKind::In { value, list } => (self.in_list(value, list)?, ValueType::Boolean),
        };
        Some(Typed {
            expr,
            ty,
            span: e.span,
        })
    }

    /// A chain of `&&` (or `||`) flattened into one `And` (or `Or`); every operand is checked.
    fn logic(&mut self, op: BinaryOp, e: &SyntaxExpr) -> Option<Expr> {
        let mut operands = Vec::new();
        flatten(op, e, &mut operands);
        let checked: Vec<Option<Expr>> = operands
            .into_iter()
            .map(|operand| self.boolean(operand))
            .collect();
        let exprs = checked.into_iter().collect::<Option<Vec<Expr>>>()?;
        Some(if op == BinaryOp::And {
            Expr::And { exprs }
        } else {
            Expr::Or { exprs }
        })
    }
}

/// The operands of a chain of `op`, left to right (without recursion: chains can be long).
fn flatten<'e>(op: BinaryOp, e: &'e SyntaxExpr, out: &mut Vec<&'e SyntaxExpr>) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            SyntaxKind::Binary {
                op: inner,
                left,
                right,
                ..
            } if *inner == op => {
                stack.push(right);
                stack.push(left);
            }
            _ => out.push(e),
        }
    }
}

/// A literal and its type; a number with a fraction is a decimal, one without an integer.
fn literal(value: &LiteralSyntax) -> (Expr, ValueType) {
    let (value, ty) = match value {
        LiteralSyntax::Null => (Literal::Null, ValueType::Null),
        LiteralSyntax::Bool(b) => (Literal::Bool(*b), ValueType::Boolean),
        LiteralSyntax::Number(n) if n.contains('.') => {
            (Literal::Number(n.clone()), ValueType::Decimal)
        }
        LiteralSyntax::Number(n) => (Literal::Number(n.clone()), ValueType::Integer),
        LiteralSyntax::String(s) => (Literal::String(s.clone()), ValueType::String),
    };
    (Expr::Literal { value }, ty)
}
