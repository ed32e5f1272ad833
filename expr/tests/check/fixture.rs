//! The fixture: a small IR (Tenant, User, Post, Comment, Tag) built by hand, and helpers that
//! parse and check an expression and print its errors with the text they point at.

use forge_expr::{Context, ExprError, check, parse};
use forge_schemas::{
    Enum, Expr, Field, FieldType, IdentityAttribute, Ir, Key, Model, OnDelete, Relation,
    RelationKind,
};

fn field(name: &str, ty: FieldType) -> Field {
    Field {
        name: name.into(),
        ty,
        optional: false,
        default: None,
        min: None,
        max: None,
        pattern: None,
        pii: false,
        secret: false,
        residency: None,
        renamed_from: None,
        relation: None,
    }
}

fn optional(mut f: Field) -> Field {
    f.optional = true;
    f
}

fn string(name: &str) -> Field {
    field(name, FieldType::String { max: 255 })
}

/// A belongs-to relation and its key column.
fn belongs_to(name: &str, target: &str, optional: bool) -> (Field, Relation) {
    let column = format!("{name}_id");
    let mut key = field(&column, FieldType::Uuid);
    key.optional = optional;
    key.relation = Some(name.into());
    let kind = RelationKind::BelongsTo {
        column,
        references: "id".into(),
        optional,
        on_delete: OnDelete::Restrict,
    };
    (
        key,
        Relation {
            name: name.into(),
            target: target.into(),
            kind,
        },
    )
}

fn has_many(name: &str, target: &str, via: &str) -> Relation {
    Relation {
        name: name.into(),
        target: target.into(),
        kind: RelationKind::HasMany { via: via.into() },
    }
}

fn model(name: &str, fields: Vec<Field>, relations: Vec<Relation>) -> Model {
    let table = forge_schemas::snake_case(name);
    let tenant = fields
        .iter()
        .any(|f| f.name == "tenant_id")
        .then(|| "tenant_id".to_string());
    Model {
        name: name.into(),
        primary_key: Key {
            name: format!("{table}_pkey"),
            columns: vec!["id".into()],
        },
        table,
        renamed_from: None,
        stub: false,
        fields,
        relations,
        tenant,
        uniques: Vec::new(),
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
        policies: Vec::new(),
        permissions: Vec::new(),
        hooks: Vec::new(),
    }
}

/// The fixture IR.
pub fn ir() -> Ir {
    let id = || field("id", FieldType::Uuid);
    let tenant_id = || field("tenant_id", FieldType::Uuid);
    let (manager_id, manager) = belongs_to("manager", "User", true);
    let (author_id, author) = belongs_to("author", "User", false);
    let (post_id, post) = belongs_to("post", "Post", false);
    let (comment_author_id, comment_author) = belongs_to("author", "User", false);
    let tags = Relation {
        name: "tags".into(),
        target: "Tag".into(),
        kind: RelationKind::ManyToMany {
            join_table: "post_tags".into(),
        },
    };
    let mut ir = Ir::empty();
    ir.roles = vec!["admin".into(), "editor".into()];
    ir.claims = vec!["posts.publish".into()];
    ir.identity.attributes = vec![IdentityAttribute {
        name: "plan".into(),
        ty: FieldType::String { max: 255 },
        optional: false,
    }];
    ir.enums = vec![Enum {
        name: "PostStatus".into(),
        sql_name: "post_status".into(),
        values: vec!["draft".into(), "review".into(), "published".into()],
    }];
    ir.models = vec![
        model(
            "Comment",
            vec![
                id(),
                tenant_id(),
                post_id,
                comment_author_id,
                field("body", FieldType::Text),
                field("approved", FieldType::Boolean),
            ],
            vec![post, comment_author],
        ),
        model(
            "Post",
            vec![
                id(),
                tenant_id(),
                author_id,
                field("title", FieldType::String { max: 200 }),
                optional(field("body", FieldType::Text)),
                field(
                    "status",
                    FieldType::Enum {
                        name: "PostStatus".into(),
                    },
                ),
                field("published", FieldType::Boolean),
                field("views", FieldType::Integer),
                field("big", FieldType::Bigint),
                field(
                    "price",
                    FieldType::Decimal {
                        precision: 10,
                        scale: 2,
                    },
                ),
                field("rating", FieldType::Float),
                optional(field("published_on", FieldType::Date)),
                field("created_at", FieldType::Datetime),
                field("ends_at", FieldType::Datetime),
                optional(field("data", FieldType::Json)),
                optional(field("blob", FieldType::Bytes)),
            ],
            vec![author, has_many("comments", "Comment", "post"), tags],
        ),
        model("Tag", vec![id(), tenant_id(), string("name")], Vec::new()),
        model("Tenant", vec![id(), string("name")], Vec::new()),
        model(
            "User",
            vec![
                id(),
                tenant_id(),
                string("email"),
                manager_id,
                optional(string("nickname")),
            ],
            vec![manager, has_many("posts", "Post", "author")],
        ),
    ];
    ir
}

/// Parses and checks `src` on Post.
pub fn run(src: &str, ctx: Context) -> Result<Expr, Vec<ExprError>> {
    check(&parse(src)?, &ir(), "Post", ctx)
}

/// The typed expression of a policy on Post that must check.
pub fn policy(src: &str) -> Expr {
    run(src, Context::Policy)
        .unwrap_or_else(|errors| panic!("{src}: {}", show(src, &errors).join("\n")))
}

/// The errors of `src` on Post, each as `code @start+len `text`: message (help: ...)`.
pub fn errors_in(src: &str, ctx: Context) -> Vec<String> {
    match run(src, ctx) {
        Ok(expr) => panic!("{src}: expected errors, got {expr:?}"),
        Err(errors) => show(src, &errors),
    }
}

/// The errors of a policy on Post.
pub fn errors(src: &str) -> Vec<String> {
    errors_in(src, Context::Policy)
}

fn show(src: &str, errors: &[ExprError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let (start, len) = (e.span.0 as usize, e.span.1 as usize);
            let help = e
                .help
                .as_deref()
                .map(|h| format!(" (help: {h})"))
                .unwrap_or_default();
            format!(
                "{} @{start}+{len} `{}`: {}{help}",
                e.code,
                &src[start..start + len],
                e.message
            )
        })
        .collect()
}
