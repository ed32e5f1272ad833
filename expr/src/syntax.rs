//! The untyped syntax tree that [`crate::parse`] produces and [`crate::check`] types.
//!
//! Every node carries its byte span `(start, len)`, relative to the start of the expression's
//! source text. The tree is plain data (`Eq + Hash + serde`), so a front end can keep it in its own
//! AST and hash it.

use serde::{Deserialize, Serialize};

/// A byte span `(start, len)` relative to the expression's source text.
pub type Span = (u32, u32);

/// An expression node with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SyntaxExpr {
    pub kind: SyntaxKind,
    pub span: Span,
}

/// Takes the tree apart with a heap stack: the derived drop would recurse once per level, and `&&`
/// and `||` chains (which the parser does not bound) are as deep as they are long.
impl Drop for SyntaxExpr {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        self.kind.take_children(&mut stack);
        while let Some(mut e) = stack.pop() {
            e.kind.take_children(&mut stack);
        }
    }
}

impl SyntaxKind {
    /// Moves the children that have children of their own to `out`, leaving `null` literals in
    /// their place (the others are dropped in place, without further recursion).
    fn take_children(&mut self, out: &mut Vec<SyntaxExpr>) {
        let mut take = |e: &mut SyntaxExpr| {
            if !matches!(
                e.kind,
                SyntaxKind::Literal { .. } | SyntaxKind::Ident { .. }
            ) {
                let leaf = SyntaxKind::Literal {
                    value: LiteralSyntax::Null,
                };
                out.push(SyntaxExpr {
                    kind: std::mem::replace(&mut e.kind, leaf),
                    span: e.span,
                });
            }
        };
        match self {
            SyntaxKind::Literal { .. } | SyntaxKind::Ident { .. } => {}
            SyntaxKind::Member { object: e, .. }
            | SyntaxKind::Lambda { body: e, .. }
            | SyntaxKind::Not { operand: e } => take(e),
            SyntaxKind::Call {
                callee: e,
                args: list,
            }
            | SyntaxKind::In { value: e, list } => {
                take(e);
                list.iter_mut().for_each(take);
            }
            SyntaxKind::Binary { left, right, .. } => {
                take(left);
                take(right);
            }
        }
    }
}

/// A name as written (`title` in `record.title`, `x` in `x => ...`), with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A literal as written; numbers are canonical decimal text (`-12`, `0.5`, `10` for `10.0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum LiteralSyntax {
    Null,
    Bool(bool),
    Number(String),
    String(String),
}

/// A binary operator. `===` and `!==` are parsed as [`BinaryOp::Eq`] and [`BinaryOp::Ne`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinaryOp {
    /// The operator as written (the canonical spelling: `==`, not `===`).
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
        }
    }
}

/// What a node is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum SyntaxKind {
    Literal {
        value: LiteralSyntax,
    },
    /// A bare identifier: `record`, `user`, a lambda variable, or (in checks) a column.
    Ident {
        name: String,
    },
    /// `object.name`.
    Member {
        object: Box<SyntaxExpr>,
        name: Name,
    },
    /// `callee(args)`; the callee is usually a [`SyntaxKind::Member`] (`user.roles.includes`).
    Call {
        callee: Box<SyntaxExpr>,
        args: Vec<SyntaxExpr>,
    },
    /// `x => body` (only parsed as a call argument).
    Lambda {
        param: Name,
        body: Box<SyntaxExpr>,
    },
    /// `!operand`.
    Not {
        operand: Box<SyntaxExpr>,
    },
    /// `left op right`; `op_span` is the operator's span.
    Binary {
        op: BinaryOp,
        op_span: Span,
        left: Box<SyntaxExpr>,
        right: Box<SyntaxExpr>,
    },
    /// `value in [list...]`.
    In {
        value: Box<SyntaxExpr>,
        list: Vec<SyntaxExpr>,
    },
}
