//! forge's expression language: the small, JavaScript-looking language of policies, permission
//! conditions, `check` constraints and partial-index conditions.
//!
//! [`parse`] turns source text into an untyped [`SyntaxExpr`]; [`check`] resolves it against a
//! model of the IR into a typed [`forge_schemas::Expr`]. Both report every problem they can find,
//! each as an [`ExprError`] whose span is relative to the expression's source text.
//! [`literal`] holds what a uuid, date or datetime literal must look like and its canonical text,
//! for the front end's column defaults too.
//!
//! ```
//! use forge_expr::{check, parse, Context};
//! use forge_schemas::Ir;
//!
//! let syntax = parse("user.roles.includes('admin') || record.author_id == user.id").unwrap();
//! let errors = check(&syntax, &Ir::empty(), "Post", Context::Policy).unwrap_err();
//! assert_eq!(errors[0].code, forge_expr::codes::UNKNOWN_MODEL);
//!
//! let errors = parse("record.views + 1 > `10`").unwrap_err();
//! let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
//! assert_eq!(codes, ["forge::arithmetic", "forge::template-literal"]);
//! assert_eq!(errors[0].span, (13, 1)); // the `+`: (start, len) in bytes of the expression
//! ```

mod check;
pub mod codes;
mod error;
mod lex;
pub mod literal;
mod number;
mod parse;
pub mod suggest;
pub mod syntax;

pub use error::ExprError;
pub use syntax::SyntaxExpr;

use forge_schemas::{Expr, Ir};

/// Where an expression is used, which decides what it may refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Policies and permission conditions: `record`, `user`, relations and quantifiers.
    Policy,
    /// `check "..."` and index `where="..."`: the record's own columns only, bare or as `record.x`.
    Check,
}

/// Parses an expression.
pub fn parse(src: &str) -> Result<SyntaxExpr, Vec<ExprError>> {
    let mut errors = Vec::new();
    let tokens = lex::lex(src, &mut errors);
    match parse::parse_tokens(tokens, &mut errors) {
        Some(expr) if errors.is_empty() => Ok(expr),
        _ => Err(errors),
    }
}

/// Type-checks a parsed expression against `model` of `ir`.
pub fn check(
    expr: &SyntaxExpr,
    ir: &Ir,
    model: &str,
    ctx: Context,
) -> Result<Expr, Vec<ExprError>> {
    check::check(expr, ir, model, ctx)
}
