//! The test schema: a multi-tenant blog, built by hand as the front end would resolve it.
//!
//! Tenant, User, Post (author belongs-to User, cascade), Tag (many-to-many from Post), Comment
//! (set-null author: a tenant-scoped set-null key; a self-reference), an enum, bounds and
//! expression checks, a partial index, a gin index on json, reserved-word names (`order`, `user`,
//! `group`, `select`), unicode names (`Café`, `prénom`), and an optional cycle (User.group and
//! Group.lead).

use forge_schemas::{
    CmpOp, DefaultValue, Enum, FieldType, IR_VERSION, Identity, IndexMethod, Ir, JoinSide,
    JoinTable, JoinTenant, Literal, Model, OnDelete, Relation, RelationKind, ValueType,
};

use crate::ir_build::*;

/// `Tenant.plan`'s default: a quote, a backslash and double quotes, to test escaping.
pub const PLAN_DEFAULT: &str = "it's a \\ \"plan\"";

pub fn blog() -> Ir {
    let mut models = vec![
        cafe(),
        comment(),
        group(),
        order(),
        post(),
        tag(),
        tenant(),
        user(),
    ];
    models.sort_by(|a, b| a.name.cmp(&b.name));
    Ir {
        ir_version: IR_VERSION,
        roles: vec!["admin".into(), "member".into()],
        claims: Vec::new(),
        identity: Identity::default(),
        enums: vec![Enum {
            name: "PostStatus".into(),
            sql_name: "post_status".into(),
            values: vec!["draft".into(), "review".into(), "published".into()],
        }],
        models,
        join_tables: vec![post_tags()],
    }
}

fn model(name: &str, table: &str) -> Model {
    Model {
        name: name.into(),
        table: table.into(),
        renamed_from: None,
        stub: false,
        fields: Vec::new(),
        relations: Vec::new(),
        primary_key: key(&format!("{table}_pkey"), &["id"]),
        tenant: Some("tenant_id".into()),
        uniques: Vec::new(),
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
        policies: Vec::new(),
        permissions: Vec::new(),
        hooks: Vec::new(),
    }
}

/// The (tenant_id, id) key that tenant-scoped foreign keys into `table` reference.
fn tenant_key(table: &str) -> forge_schemas::Key {
    key(
        &forge_schemas::constraint_name(table, &["tenant_id", "id"], "key"),
        &["tenant_id", "id"],
    )
}

fn tenant() -> Model {
    let mut m = model("Tenant", "tenant");
    m.tenant = None;
    m.fields = vec![
        id(),
        field("name", string(120)),
        with_default(
            field("plan", string(40)),
            value(Literal::String(PLAN_DEFAULT.into())),
        ),
        with_default(field("created_at", FieldType::Datetime), DefaultValue::Now),
    ];
    m.checks = vec![bounds("tenant", "name", Some("1"), Some("120"), true)];
    m
}

fn user() -> Model {
    let mut m = model("User", "user");
    m.fields = vec![
        id(),
        tenant_id(),
        field("email", string(320)),
        field("display_name", string(255)),
        key_column("group_id", "group", true),
        with_default(
            field("active", FieldType::Boolean),
            value(Literal::Bool(true)),
        ),
        with_default(field("created_at", FieldType::Datetime), DefaultValue::Now),
    ];
    m.relations = vec![
        belongs_to("group", "Group", "group_id", true, OnDelete::SetNull),
        Relation {
            name: "posts".into(),
            target: "Post".into(),
            kind: RelationKind::HasMany {
                via: "author".into(),
            },
        },
    ];
    m.uniques = vec![
        key("user_tenant_id_email_key", &["tenant_id", "email"]),
        tenant_key("user"),
    ];
    m.foreign_keys = vec![tenant_fk(
        "user",
        "group",
        "group_id",
        "Group",
        "group",
        OnDelete::SetNull,
    )];
    m.indexes = vec![index("user", &["display_name"], IndexMethod::Btree, None)];
    m.checks = vec![bounds("user", "email", Some("3"), None, true)];
    m
}

fn group() -> Model {
    let mut m = model("Group", "group");
    m.fields = vec![
        id(),
        tenant_id(),
        field("name", string(80)),
        key_column("lead_id", "lead", true),
    ];
    m.relations = vec![belongs_to(
        "lead",
        "User",
        "lead_id",
        true,
        OnDelete::SetNull,
    )];
    m.uniques = vec![tenant_key("group")];
    m.foreign_keys = vec![tenant_fk(
        "group",
        "lead",
        "lead_id",
        "User",
        "user",
        OnDelete::SetNull,
    )];
    m
}

fn post() -> Model {
    let c = |name: &str, ty: ValueType, opt: bool| col("Post", name, ty, opt);
    let mut m = model("Post", "post");
    m.fields = vec![
        id(),
        tenant_id(),
        key_column("author_id", "author", false),
        field("title", string(200)),
        optional(field("subtitle", string(200))),
        field("slug", string(255)),
        optional(field("body", FieldType::Text)),
        with_default(
            field(
                "status",
                FieldType::Enum {
                    name: "PostStatus".into(),
                },
            ),
            value(Literal::String("draft".into())),
        ),
        with_default(
            field("published", FieldType::Boolean),
            value(Literal::Bool(false)),
        ),
        optional(field("published_at", FieldType::Datetime)),
        with_default(
            field("views", FieldType::Integer),
            value(Literal::Number("0".into())),
        ),
        optional(field("rating", FieldType::Float)),
        optional(field("metadata", FieldType::Json)),
    ];
    m.relations = vec![
        belongs_to("author", "User", "author_id", false, OnDelete::Cascade),
        Relation {
            name: "tags".into(),
            target: "Tag".into(),
            kind: RelationKind::ManyToMany {
                join_table: "post_tags".into(),
            },
        },
    ];
    m.uniques = vec![
        key("post_tenant_id_slug_key", &["tenant_id", "slug"]),
        tenant_key("post"),
    ];
    m.foreign_keys = vec![tenant_fk(
        "post",
        "author",
        "author_id",
        "User",
        "user",
        OnDelete::Cascade,
    )];
    let status = || {
        c(
            "status",
            ValueType::Enum {
                name: "PostStatus".into(),
            },
            false,
        )
    };
    m.indexes = vec![
        index("post", &["status", "published"], IndexMethod::Btree, None),
        index(
            "post",
            &["published_at"],
            IndexMethod::Btree,
            Some(condition(
                "published",
                c("published", ValueType::Boolean, false),
            )),
        ),
        index("post", &["metadata"], IndexMethod::Gin, None),
        index("post", &["body"], IndexMethod::Btree, None),
    ];
    m.checks = vec![
        bounds("post", "title", Some("1"), Some("200"), true),
        bounds("post", "views", Some("0"), None, false),
        check(
            "post",
            "published_needs_date",
            "!published || published_at != null",
            or(vec![
                not(c("published", ValueType::Boolean, false)),
                cmp(
                    CmpOp::Ne,
                    c("published_at", ValueType::Datetime, true),
                    null(),
                ),
            ]),
        ),
        check(
            "post",
            "rating_range",
            "rating == null || rating >= 0 && rating <= 5",
            or(vec![
                cmp(CmpOp::Eq, c("rating", ValueType::Float, true), null()),
                and(vec![
                    cmp(CmpOp::Ge, c("rating", ValueType::Float, true), num("0")),
                    cmp(CmpOp::Le, c("rating", ValueType::Float, true), num("5")),
                ]),
            ]),
        ),
        check(
            "post",
            "subtitle_differs",
            "!(subtitle == title)",
            not(cmp(
                CmpOp::Eq,
                c("subtitle", ValueType::String, true),
                c("title", ValueType::String, false),
            )),
        ),
        check(
            "post",
            "published_reviewed",
            "!published || status >= 'review'",
            or(vec![
                not(c("published", ValueType::Boolean, false)),
                cmp(CmpOp::Ge, status(), text("review")),
            ]),
        ),
    ];
    m
}

fn tag() -> Model {
    let mut m = model("Tag", "tag");
    m.fields = vec![id(), tenant_id(), field("name", string(50))];
    m.relations = vec![Relation {
        name: "posts".into(),
        target: "Post".into(),
        kind: RelationKind::ManyToMany {
            join_table: "post_tags".into(),
        },
    }];
    m.uniques = vec![
        key("tag_tenant_id_name_key", &["tenant_id", "name"]),
        tenant_key("tag"),
    ];
    m
}

fn comment() -> Model {
    let mut m = model("Comment", "comment");
    m.fields = vec![
        id(),
        tenant_id(),
        key_column("post_id", "post", false),
        key_column("author_id", "author", true),
        key_column("parent_id", "parent", true),
        field("body", FieldType::Text),
        with_default(field("created_at", FieldType::Datetime), DefaultValue::Now),
    ];
    m.relations = vec![
        belongs_to("post", "Post", "post_id", false, OnDelete::Cascade),
        belongs_to("author", "User", "author_id", true, OnDelete::SetNull),
        belongs_to("parent", "Comment", "parent_id", true, OnDelete::Cascade),
    ];
    m.uniques = vec![tenant_key("comment")];
    m.foreign_keys = vec![
        tenant_fk(
            "comment",
            "post",
            "post_id",
            "Post",
            "post",
            OnDelete::Cascade,
        ),
        tenant_fk(
            "comment",
            "author",
            "author_id",
            "User",
            "user",
            OnDelete::SetNull,
        ),
        tenant_fk(
            "comment",
            "parent",
            "parent_id",
            "Comment",
            "comment",
            OnDelete::Cascade,
        ),
    ];
    m.checks = vec![bounds("comment", "body", Some("1"), Some("5000"), true)];
    m
}

fn order() -> Model {
    let mut m = model("Order", "order");
    m.fields = vec![
        field("id", FieldType::Bigint),
        tenant_id(),
        key_column("user_id", "user", false),
        with_default(
            field(
                "total",
                FieldType::Decimal {
                    precision: 10,
                    scale: 2,
                },
            ),
            value(Literal::Number("0".into())),
        ),
        with_default(field("placed_on", FieldType::Date), DefaultValue::Now),
        with_default(
            field("select", FieldType::Boolean),
            value(Literal::Bool(false)),
        ),
        optional(field("note", FieldType::Bytes)),
    ];
    m.relations = vec![belongs_to(
        "user",
        "User",
        "user_id",
        false,
        OnDelete::Restrict,
    )];
    m.foreign_keys = vec![tenant_fk(
        "order",
        "user",
        "user_id",
        "User",
        "user",
        OnDelete::Restrict,
    )];
    m.indexes = vec![index(
        "order",
        &["user_id", "placed_on"],
        IndexMethod::Btree,
        None,
    )];
    m.checks = vec![bounds(
        "order",
        "total",
        Some("0"),
        Some("99999999.99"),
        false,
    )];
    m
}

fn cafe() -> Model {
    let mut m = model("Café", "café");
    m.fields = vec![
        id(),
        tenant_id(),
        field("prénom", string(80)),
        optional(field("size", string(2))),
    ];
    m.indexes = vec![index("café", &["prénom"], IndexMethod::Btree, None)];
    m.checks = vec![check(
        "café",
        "size",
        "size in ['s', 'm', 'l']",
        in_list(
            col("Café", "size", ValueType::String, true),
            vec![text("s"), text("m"), text("l")],
        ),
    )];
    m
}

fn post_tags() -> JoinTable {
    let side = |model: &str, relation: Option<&str>, column: &str, table: &str| JoinSide {
        model: model.into(),
        relation: relation.map(Into::into),
        column: column.into(),
        ty: FieldType::Uuid,
        references_table: table.into(),
        references: "id".into(),
    };
    JoinTable {
        name: "post_tags".into(),
        left: side("Post", Some("tags"), "post_id", "post"),
        right: side("Tag", Some("posts"), "tag_id", "tag"),
        primary_key: key("post_tags_pkey", &["post_id", "tag_id"]),
        tenant: Some(JoinTenant {
            column: "tenant_id".into(),
            ty: FieldType::Uuid,
        }),
        foreign_keys: vec![
            tenant_fk(
                "post_tags",
                "tags",
                "post_id",
                "Post",
                "post",
                OnDelete::Cascade,
            ),
            tenant_fk(
                "post_tags",
                "tags",
                "tag_id",
                "Tag",
                "tag",
                OnDelete::Cascade,
            ),
        ],
        indexes: vec![index("post_tags", &["tag_id"], IndexMethod::Btree, None)],
    }
}
