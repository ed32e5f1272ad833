//! The declarations that the generic AST is read into (see `read`): one struct per kind of node,
//! each property already of the right kind of value, each element with its [`Spot`].

use crate::ast::{Arg, Value};
use crate::span::SpanId;

/// A place: file index (into the validated files) and span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spot {
    pub file: usize,
    pub span: SpanId,
}

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub at: Spot,
}

/// An expression string: its decoded text is `arg`'s string; errors inside it map through `arg`'s
/// text map onto its content span.
#[derive(Clone, Copy, Debug)]
pub struct ExprSource<'a> {
    pub file: usize,
    pub arg: &'a Arg,
}

impl ExprSource<'_> {
    pub fn text(&self) -> &str {
        self.arg.as_str().unwrap_or("")
    }

    /// The content span of the string.
    pub fn spot(&self) -> Spot {
        Spot {
            file: self.file,
            span: self.arg.content,
        }
    }
}

/// Everything the files declare, in file order then source order.
#[derive(Default)]
pub struct Decls<'a> {
    pub roles: Vec<Spanned<String>>,
    pub claims: Vec<Spanned<String>>,
    pub enums: Vec<EnumDecl>,
    pub identity: Vec<AttributeDecl>,
    pub models: Vec<ModelDecl<'a>>,
    pub permissions: Vec<PermissionModelDecl<'a>>,
}

impl<'a> Decls<'a> {
    /// Adds `other`'s declarations after these.
    pub fn append(&mut self, other: Decls<'a>) {
        self.roles.extend(other.roles);
        self.claims.extend(other.claims);
        self.enums.extend(other.enums);
        self.identity.extend(other.identity);
        self.models.extend(other.models);
        self.permissions.extend(other.permissions);
    }
}

pub struct EnumDecl {
    pub node: Spot,
    pub name: Spanned<String>,
    pub members: Vec<Spanned<String>>,
}

/// `plan string optional=#true` inside `identity { }`.
pub struct AttributeDecl {
    pub node: Spot,
    pub name: Spanned<String>,
    pub ty: Option<Spanned<String>>,
    pub optional: bool,
}

pub struct ModelDecl<'a> {
    pub node: Spot,
    pub name: Spanned<String>,
    pub table: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    /// Fields and relations, in declaration order.
    pub columns: Vec<ColumnDecl>,
    /// `pk a b` nodes.
    pub pks: Vec<KeyDecl>,
    pub uniques: Vec<KeyDecl>,
    pub indexes: Vec<IndexDecl<'a>>,
    pub checks: Vec<CheckDecl<'a>>,
    pub policies: Vec<PolicyDecl<'a>>,
    pub hooks: Vec<HookDecl>,
}

/// A field or a relation.
pub enum ColumnDecl {
    Field(Box<FieldDecl>),
    Relation(RelationDecl),
}

impl ColumnDecl {
    pub fn name(&self) -> &Spanned<String> {
        match self {
            ColumnDecl::Field(f) => &f.name,
            ColumnDecl::Relation(r) => &r.name,
        }
    }

    pub fn node(&self) -> Spot {
        match self {
            ColumnDecl::Field(f) => f.node,
            ColumnDecl::Relation(r) => r.node,
        }
    }
}

/// `<name> <type> [props]`.
pub struct FieldDecl {
    pub node: Spot,
    pub name: Spanned<String>,
    pub ty: Spanned<String>,
    pub pk: Option<Spot>,
    pub unique: Option<Spot>,
    pub index: Option<Spot>,
    pub tenant: Option<Spot>,
    /// Where `optional=#true` is written, when it is.
    pub optional: Option<Spot>,
    pub pii: bool,
    pub secret: bool,
    pub default: Option<Spanned<Value>>,
    /// A number, as decimal text.
    pub min: Option<Spanned<String>>,
    pub max: Option<Spanned<String>>,
    pub pattern: Option<Spanned<String>>,
    pub residency: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    pub precision: Option<Spanned<u32>>,
    pub scale: Option<Spanned<u32>>,
}

/// `<name> belongs-to|has-many|many-to-many=Model [props]`.
pub struct RelationDecl {
    pub node: Spot,
    pub name: Spanned<String>,
    pub target: Spanned<String>,
    pub kind: RelationDeclKind,
}

pub enum RelationDeclKind {
    BelongsTo {
        /// Where `optional=#true` is written, when it is.
        optional: Option<Spot>,
        on_delete: Option<Spanned<forge_schemas::OnDelete>>,
        renamed_from: Option<Spanned<String>>,
    },
    HasMany {
        via: Option<Spanned<String>>,
    },
    ManyToMany {
        table: Option<Spanned<String>>,
    },
}

/// `pk a b`, `unique a b`.
pub struct KeyDecl {
    pub node: Spot,
    pub columns: Vec<Spanned<String>>,
}

/// `index a b [using=gin|btree] [where="..."]`.
pub struct IndexDecl<'a> {
    pub node: Spot,
    pub columns: Vec<Spanned<String>>,
    pub using: Option<Spanned<forge_schemas::IndexMethod>>,
    pub r#where: Option<ExprSource<'a>>,
}

/// `check "<expr>" [name="short"]`.
pub struct CheckDecl<'a> {
    pub node: Spot,
    pub expr: ExprSource<'a>,
    pub name: Option<Spanned<String>>,
}

/// `policy <action> "<expr>"`.
pub struct PolicyDecl<'a> {
    pub node: Spot,
    pub action: Spanned<String>,
    pub expr: ExprSource<'a>,
}

/// `hook <event> "file#export"`.
pub struct HookDecl {
    pub node: Spot,
    pub event: Spanned<String>,
    pub target: Spanned<String>,
}

/// `Post { ... }` inside `permissions { }`.
pub struct PermissionModelDecl<'a> {
    pub model: Spanned<String>,
    pub lines: Vec<PermissionLineDecl<'a>>,
}

/// `create editor admin if="..."`.
pub struct PermissionLineDecl<'a> {
    pub node: Spot,
    pub action: Spanned<String>,
    pub roles: Vec<Spanned<String>>,
    pub condition: Option<ExprSource<'a>>,
}
