//! The calls the language has: `includes` on `user.roles`, `user.claims` and to-many relations,
//! and the quantifiers `some` and `every` on to-many relations.

use forge_schemas::{Expr, Literal, Model, Quantifier, UserAttr, ValueType};

use super::path::{Path, Row, user_text};
use super::relation_path::relation_path;
use super::types::{describe, value_type};
use super::{Checker, Var};
use crate::codes;
use crate::error::ExprError;
use crate::suggest::{close_names, did_you_mean};
use crate::syntax::{Name, Span, SyntaxExpr, SyntaxKind};

const FUNCTIONS: &str = "the functions are `includes` (on `user.roles`, `user.claims` and to-many relations), `some` and `every` (on to-many relations)";

/// The to-many relation a call is made on.
struct ToMany<'a> {
    row: Row<'a>,
    relation: String,
    target: &'a Model,
    text: String,
}

impl<'a> Checker<'a> {
    /// `callee(args)`, where `span` is the whole call.
    pub(super) fn call(
        &mut self,
        callee: &SyntaxExpr,
        args: &[SyntaxExpr],
        span: Span,
    ) -> Option<Expr> {
        let SyntaxKind::Member { object, name } = &callee.kind else {
            let message = match &callee.kind {
                SyntaxKind::Ident { name } => format!("unknown function `{name}`"),
                _ => "only `includes`, `some` and `every` can be called".into(),
            };
            self.error(
                ExprError::new(
                    codes::UNKNOWN_FUNCTION,
                    callee.span,
                    message,
                    "unknown function",
                )
                .help(FUNCTIONS),
            );
            return None;
        };
        let func = name.text.as_str();
        if !matches!(func, "includes" | "some" | "every") {
            self.resolve(object);
            self.error(
                ExprError::new(
                    codes::UNKNOWN_FUNCTION,
                    name.span,
                    format!("unknown function `{func}`"),
                    "unknown function",
                )
                .help(FUNCTIONS),
            );
            return None;
        }
        match (self.resolve(object)?, func) {
            (Path::UserAttr(attr @ (UserAttr::Roles | UserAttr::Claims), _), "includes") => {
                self.list_includes(attr, args, span)
            }
            (
                Path::ToMany {
                    row,
                    relation,
                    target,
                    text,
                },
                _,
            ) => {
                let to_many = ToMany {
                    row,
                    relation,
                    target,
                    text,
                };
                match func {
                    "includes" => self.relation_includes(to_many, args, span),
                    "some" => self.quantified(Quantifier::Some, to_many, args, span),
                    _ => self.quantified(Quantifier::Every, to_many, args, span),
                }
            }
            (other, _) => {
                let on = match &other {
                    Path::Field(field) => describe(&field.ty),
                    Path::UserAttr(_, ty) => describe(ty),
                    Path::Value(typed) => describe(&typed.ty),
                    Path::Row(Row { key: Some(_), .. }) => "a belongs-to relation".into(),
                    Path::Row(_) => "a row".into(),
                    Path::User | Path::ToMany { .. } => "`user`".into(),
                };
                self.error(
                    ExprError::new(
                        codes::UNKNOWN_FUNCTION,
                        name.span,
                        format!("`{func}` cannot be called on {on}"),
                        "not available here",
                    )
                    .help(FUNCTIONS),
                );
                None
            }
        }
    }

    /// The single argument of `func`: a lambda when `lambda`, a value otherwise.
    fn one_arg<'e>(
        &mut self,
        func: &str,
        args: &'e [SyntaxExpr],
        span: Span,
        lambda: bool,
    ) -> Option<&'e SyntaxExpr> {
        let (what, help) = if lambda {
            ("a lambda", "pass a lambda, e.g. `x => x.<field> == ...`")
        } else {
            ("a value, not a lambda", "pass a value")
        };
        let error = match args {
            [arg] if lambda == matches!(arg.kind, SyntaxKind::Lambda { .. }) => return Some(arg),
            [arg] => ExprError::new(
                codes::ARGUMENTS,
                arg.span,
                format!("`{func}` takes {what}"),
                "wrong argument",
            ),
            _ => ExprError::new(
                codes::ARGUMENTS,
                span,
                format!("`{func}` takes one argument, found {}", args.len()),
                "wrong number of arguments",
            ),
        };
        self.error(error.help(help));
        None
    }

    /// `user.roles.includes('admin')`, `user.claims.includes('posts.publish')`.
    fn list_includes(&mut self, attr: UserAttr, args: &[SyntaxExpr], span: Span) -> Option<Expr> {
        let arg = self.one_arg("includes", args, span, false)?;
        let value = self.value(arg)?;
        if let Expr::Literal {
            value: Literal::String(s),
        } = &value.expr
        {
            let (kind, declared, code) = match attr {
                UserAttr::Roles => ("role", &self.ir.roles, codes::UNDECLARED_ROLE),
                _ => ("claim", &self.ir.claims, codes::UNDECLARED_CLAIM),
            };
            if !declared.contains(s) {
                let list = if declared.is_empty() {
                    format!("no {kind}s are declared")
                } else {
                    format!(
                        "the declared {kind}s are {}",
                        declared
                            .iter()
                            .map(|d| format!("`{d}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let help = match did_you_mean(&close_names(s, declared.iter().map(String::as_str)))
                {
                    Some(close) => format!("{close} {list}"),
                    None => list,
                };
                self.error(
                    ExprError::new(
                        code,
                        value.span,
                        format!("the {kind} `{s}` is not declared"),
                        format!("undeclared {kind}"),
                    )
                    .help(help),
                );
                return None;
            }
        } else if value.ty != ValueType::String {
            self.error(
                ExprError::new(
                    codes::TYPE_MISMATCH,
                    value.span,
                    format!(
                        "`{}` holds strings, but this is {}",
                        user_text(&attr),
                        describe(&value.ty)
                    ),
                    "not a string",
                )
                .help("pass a string literal"),
            );
            return None;
        }
        let list = Expr::User {
            attr,
            ty: ValueType::StringList,
        };
        Some(Expr::ListIncludes {
            list: Box::new(list),
            value: Box::new(value.expr),
        })
    }

    /// `record.tags.includes(<value>)`: the value is compared with the target's primary key.
    fn relation_includes(
        &mut self,
        to_many: ToMany<'a>,
        args: &[SyntaxExpr],
        span: Span,
    ) -> Option<Expr> {
        let arg = self.one_arg("includes", args, span, false)?;
        let mut value = self.value(arg)?;
        let target = to_many.target;
        let key: Vec<_> = target
            .primary_key
            .columns
            .iter()
            .filter_map(|c| target.field(c))
            .collect();
        let [key] = key.as_slice() else {
            self.error(ExprError::new(
                codes::TYPE_MISMATCH,
                span,
                format!(
                    "`{}.includes` needs a single-column primary key, and {} has several",
                    to_many.text, target.name
                ),
                "composite primary key",
            ));
            return None;
        };
        let key_ty = value_type(&key.ty);
        let valid = match self.literal_for(&mut value, &key_ty) {
            Some(valid) => valid,
            None if value.ty != ValueType::Null
                && super::compare::types_match(&value.ty, &key_ty, false) =>
            {
                true
            }
            None => {
                self.error(
                    ExprError::new(
                        codes::TYPE_MISMATCH,
                        value.span,
                        format!(
                            "`{}.includes` takes {} (the primary key of {}), found {}",
                            to_many.text,
                            describe(&key_ty),
                            target.name,
                            describe(&value.ty)
                        ),
                        "incompatible types",
                    )
                    .help(format!("pass the `{}` of a {} row", key.name, target.name)),
                );
                false
            }
        };
        let relation = relation_path(
            &to_many.row.base,
            &to_many.row.base_model.name,
            &to_many.row.hops,
            &to_many.row.model.name,
            &to_many.relation,
            &target.name,
        );
        valid.then(|| Expr::RelationIncludes {
            relation,
            value: Box::new(value.expr),
        })
    }

    /// `record.comments.some(c => ...)` and `.every(...)`.
    fn quantified(
        &mut self,
        quantifier: Quantifier,
        to_many: ToMany<'a>,
        args: &[SyntaxExpr],
        span: Span,
    ) -> Option<Expr> {
        let func = if quantifier == Quantifier::Some {
            "some"
        } else {
            "every"
        };
        let arg = self.one_arg(func, args, span, true)?;
        let SyntaxKind::Lambda { param, body } = &arg.kind else {
            return None;
        };
        self.check_shadowing(param)?;
        self.vars.push(Var {
            name: param.text.clone(),
            model: to_many.target,
        });
        let body = self.boolean(body);
        self.vars.pop();
        let row = &to_many.row;
        let relation = relation_path(
            &row.base,
            &row.base_model.name,
            &row.hops,
            &row.model.name,
            &to_many.relation,
            &to_many.target.name,
        );
        Some(Expr::Quantified {
            quantifier,
            relation,
            var: param.text.clone(),
            body: Box::new(body?),
        })
    }

    /// A lambda variable must not hide `record`, `user` or an enclosing variable.
    fn check_shadowing(&mut self, param: &Name) -> Option<()> {
        let name = param.text.as_str();
        let hidden = match name {
            "record" | "user" => format!("`{name}`"),
            _ if self.vars.iter().any(|v| v.name == name) => {
                format!("the enclosing variable `{name}`")
            }
            _ => return Some(()),
        };
        self.error(
            ExprError::new(
                codes::SHADOWED_VARIABLE,
                param.span,
                format!("the variable `{name}` hides {hidden}"),
                format!("hides {hidden}"),
            )
            .help("choose another name for the variable"),
        );
        None
    }
}
