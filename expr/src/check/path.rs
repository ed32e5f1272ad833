//! Names and member chains: `record.author.name`, `x.body`, `user.plan`, bare columns in checks.
//! A chain resolves to a [`Path`]; only a column or a `user.*` attribute is a value.

use forge_schemas::{Expr, FieldRef, Model, RefBase, RelationKind, UserAttr, ValueType};

use super::types::{describe, value_type};
use super::{Checker, Typed};
use crate::Context;
use crate::codes;
use crate::error::ExprError;
use crate::suggest::{close_names, did_you_mean};
use crate::syntax::{Span, SyntaxExpr, SyntaxKind};

/// At most this many belongs-to hops from a base.
const MAX_HOPS: usize = 4;

/// A row: `record`, a lambda variable, or one reached from them through belongs-to hops.
#[derive(Clone)]
pub(crate) struct Row<'a> {
    pub base: RefBase,
    pub base_model: &'a Model,
    pub hops: Vec<String>,
    pub model: &'a Model,
    /// True when a hop is optional (the row may be missing).
    pub optional: bool,
    /// As written: `record.author`.
    pub text: String,
    /// For a row reached through a hop: its key column as written (`record.author_id`).
    pub key: Option<String>,
}

/// What a name chain refers to.
pub(crate) enum Path<'a> {
    Row(Row<'a>),
    /// A has-many or many-to-many relation of `row.model`.
    ToMany {
        row: Row<'a>,
        relation: String,
        target: &'a Model,
        text: String,
    },
    Field(FieldRef),
    /// `user` itself.
    User,
    UserAttr(UserAttr, ValueType),
    /// Any other expression (a literal, a comparison, a call).
    Value(Typed),
}

/// `user.roles`, `user.plan`: an attribute as written.
pub(crate) fn user_text(attr: &UserAttr) -> String {
    let name = match attr {
        UserAttr::Id => "id",
        UserAttr::TenantId => "tenant_id",
        UserAttr::Roles => "roles",
        UserAttr::Claims => "claims",
        UserAttr::Attribute { name } => name,
    };
    format!("user.{name}")
}

impl<'a> Checker<'a> {
    /// The row the expression is about.
    fn record(&self) -> Row<'a> {
        Row {
            base: RefBase::Record,
            base_model: self.model,
            hops: Vec::new(),
            model: self.model,
            optional: false,
            text: "record".into(),
            key: None,
        }
    }

    /// A name chain as a value: a column or a `user.*` attribute.
    pub(super) fn path_value(&mut self, e: &SyntaxExpr) -> Option<Typed> {
        let (expr, ty) = match self.resolve(e)? {
            Path::Field(field) => {
                let ty = field.ty.clone();
                (Expr::Field { field }, ty)
            }
            Path::UserAttr(attr, ty) => (
                Expr::User {
                    attr,
                    ty: ty.clone(),
                },
                ty,
            ),
            Path::Value(typed) => return Some(typed),
            other => {
                self.error(not_a_value(&other, e.span));
                return None;
            }
        };
        Some(Typed {
            expr,
            ty,
            span: e.span,
        })
    }

    /// Resolves an identifier or member chain; any other expression is checked as a value.
    pub(super) fn resolve(&mut self, e: &SyntaxExpr) -> Option<Path<'a>> {
        match &e.kind {
            SyntaxKind::Ident { name } => self.ident(name, e.span),
            SyntaxKind::Member { object, name } => {
                let base = self.resolve(object)?;
                self.member(base, &name.text, name.span, object.span)
            }
            _ => self.value(e).map(Path::Value),
        }
    }

    fn ident(&mut self, name: &str, span: Span) -> Option<Path<'a>> {
        if name == "record" {
            return Some(Path::Row(self.record()));
        }
        if self.ctx == Context::Check {
            if name == "user"
                && self.model.field(name).is_none()
                && self.model.relation(name).is_none()
            {
                self.error(
                    ExprError::new(codes::CHECK_CONTEXT, span, "`user` is not available in a check or index condition", "not available here")
                        .help("checks and index conditions see the row alone; write rules about the user as policies"),
                );
                return None;
            }
            return self.member(Path::Row(self.record()), name, span, span);
        }
        if name == "user" {
            return Some(Path::User);
        }
        if let Some(var) = self.vars.iter().rev().find(|v| v.name == name) {
            return Some(Path::Row(Row {
                base: RefBase::Var { name: name.into() },
                base_model: var.model,
                hops: Vec::new(),
                model: var.model,
                optional: false,
                text: name.into(),
                key: None,
            }));
        }
        let mut known = vec!["record", "user"];
        known.extend(self.vars.iter().map(|v| v.name.as_str()));
        let help = if self.model.field(name).is_some() || self.model.relation(name).is_some() {
            format!("write `record.{name}`")
        } else {
            did_you_mean(&close_names(name, known))
                .unwrap_or_else(|| "write record.<field> or user.<attribute>".into())
        };
        self.error(
            ExprError::new(
                codes::UNKNOWN_IDENTIFIER,
                span,
                format!("unknown identifier `{name}`"),
                "unknown identifier",
            )
            .help(help),
        );
        None
    }

    /// `base.name`; `object_span` is where `base` was written.
    fn member(
        &mut self,
        base: Path<'a>,
        name: &str,
        span: Span,
        object_span: Span,
    ) -> Option<Path<'a>> {
        let error = match base {
            Path::Row(row) => return self.row_member(row, name, span),
            Path::User => return self.user_attr(name, span),
            Path::ToMany { .. } => not_a_value(&base, object_span),
            Path::Field(field) => {
                let help = if field.ty == ValueType::Json {
                    "expressions cannot read inside json values"
                } else {
                    "only rows have fields"
                };
                ExprError::new(
                    codes::UNKNOWN_FIELD,
                    span,
                    format!(
                        "`{}` is {}; it has no field `{name}`",
                        field.field,
                        describe(&field.ty)
                    ),
                    "no such field",
                )
                .help(help)
            }
            Path::Value(typed) => ExprError::new(
                codes::UNKNOWN_FIELD,
                span,
                format!("`{name}` cannot be read from {}", describe(&typed.ty)),
                "no such field",
            )
            .help("only rows have fields"),
            Path::UserAttr(attr, ty) => {
                let error = ExprError::new(
                    codes::UNKNOWN_FIELD,
                    span,
                    format!(
                        "`{}` is {}; it has no field `{name}`",
                        user_text(&attr),
                        describe(&ty)
                    ),
                    "no such field",
                );
                match ty {
                    ValueType::StringList => error.help(format!(
                        "test for one item with `{}.includes('...')`",
                        user_text(&attr)
                    )),
                    _ => error,
                }
            }
        };
        self.error(error);
        None
    }

    /// A column or relation of a row.
    fn row_member(&mut self, row: Row<'a>, name: &str, span: Span) -> Option<Path<'a>> {
        if let Some(field) = row.model.field(name) {
            return Some(Path::Field(FieldRef {
                base: row.base,
                base_model: row.base_model.name.clone(),
                hops: row.hops,
                model: row.model.name.clone(),
                field: name.into(),
                ty: value_type(&field.ty),
                optional: field.optional || row.optional,
            }));
        }
        let Some(relation) = row.model.relation(name) else {
            self.error(self.unknown_field(row.model, name, span));
            return None;
        };
        if self.ctx == Context::Check {
            let help = match &relation.kind {
                RelationKind::BelongsTo { column, .. } => format!("use its key column, `{column}`"),
                _ => "checks and index conditions see the row alone; look at related rows in a policy".into(),
            };
            self.error(
                ExprError::new(
                    codes::CHECK_CONTEXT,
                    span,
                    format!("`{name}` is a relation; a check or index condition can only use the record's own columns"),
                    "a relation",
                )
                .help(help),
            );
            return None;
        }
        let Some(target) = self.ir.model(&relation.target) else {
            self.error(ExprError::new(
                codes::UNKNOWN_MODEL,
                span,
                format!(
                    "relation `{name}` points at unknown model `{}`",
                    relation.target
                ),
                "unknown target",
            ));
            return None;
        };
        let text = format!("{}.{name}", row.text);
        let RelationKind::BelongsTo {
            column, optional, ..
        } = &relation.kind
        else {
            return Some(Path::ToMany {
                row,
                relation: name.into(),
                target,
                text,
            });
        };
        if row.hops.len() >= MAX_HOPS {
            self.error(
                ExprError::new(
                    codes::TOO_MANY_HOPS,
                    span,
                    format!("`{text}` follows more than {MAX_HOPS} belongs-to relations"),
                    "one hop too many",
                )
                .help(format!("a rule may follow at most {MAX_HOPS} belongs-to relations from `record` or a variable")),
            );
            return None;
        }
        let key = Some(format!("{}.{column}", row.text));
        let mut hops = row.hops;
        hops.push(name.into());
        Some(Path::Row(Row {
            hops,
            model: target,
            optional: row.optional || *optional,
            text,
            key,
            ..row
        }))
    }

    fn unknown_field(&self, model: &Model, name: &str, span: Span) -> ExprError {
        let fields = model.fields.iter().map(|f| f.name.as_str());
        let relations = model.relations.iter().map(|r| r.name.as_str());
        let names: Vec<&str> = if self.ctx == Context::Check {
            fields.collect()
        } else {
            fields.chain(relations).collect()
        };
        let help = did_you_mean(&close_names(name, names.iter().copied())).unwrap_or_else(|| {
            format!(
                "{} has {}",
                model.name,
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        ExprError::new(
            codes::UNKNOWN_FIELD,
            span,
            format!("{} has no field `{name}`", model.name),
            "unknown field",
        )
        .help(help)
    }

    fn user_attr(&mut self, name: &str, span: Span) -> Option<Path<'a>> {
        let identity = &self.ir.identity;
        let (attr, ty) = match name {
            "id" => (UserAttr::Id, value_type(&identity.id)),
            "tenant_id" => (UserAttr::TenantId, value_type(&identity.tenant_id)),
            "roles" => (UserAttr::Roles, ValueType::StringList),
            "claims" => (UserAttr::Claims, ValueType::StringList),
            _ => match identity.attributes.iter().find(|a| a.name == name) {
                Some(attribute) => (
                    UserAttr::Attribute { name: name.into() },
                    value_type(&attribute.ty),
                ),
                None => {
                    let known = ["id", "tenant_id", "roles", "claims"]
                        .into_iter()
                        .chain(identity.attributes.iter().map(|a| a.name.as_str()));
                    let help = did_you_mean(&close_names(name, known)).unwrap_or_else(|| {
                        format!("declare it in the identity block: `identity {{ {name} string }}`")
                    });
                    self.error(
                        ExprError::new(
                            codes::UNDECLARED_IDENTITY_ATTRIBUTE,
                            span,
                            format!("the identity has no attribute `{name}`"),
                            "undeclared attribute",
                        )
                        .help(help),
                    );
                    return None;
                }
            },
        };
        Some(Path::UserAttr(attr, ty))
    }
}

/// The error for a path that is not a value (a row, a relation, `user`).
fn not_a_value(path: &Path, span: Span) -> ExprError {
    let (message, label, help) = match path {
        Path::Row(Row { text, key: Some(key), .. }) => (
            format!("`{text}` is a belongs-to relation, not a value"),
            "a relation".to_string(),
            format!("compare its key, `{key}`, or one of its fields, `{text}.<field>`"),
        ),
        Path::Row(Row { text, .. }) => {
            (format!("`{text}` is a row, not a value"), "a row".into(), format!("use one of its fields: `{text}.<field>`"))
        }
        Path::ToMany { text, target, .. } => (
            format!("`{text}` is a to-many relation, not a value"),
            format!("many {} rows", target.name),
            format!("write `{text}.some(x => ...)`, `{text}.every(x => ...)` or `{text}.includes(<id>)`"),
        ),
        Path::User => (
            "`user` is the identity, not a value".into(),
            "the identity".into(),
            "use one of its attributes: `user.id`, `user.tenant_id`, `user.roles`, `user.claims` or a declared one".into(),
        ),
        Path::Field(_) | Path::UserAttr(..) | Path::Value(_) => unreachable!("values are not reported as non-values"),
    };
    ExprError::new(codes::NOT_A_VALUE, span, message, label).help(help)
}
