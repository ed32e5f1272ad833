//! The shape of a synthetic domain, decided before any text is written: models, their fields,
//! relations, keys, indexes, checks and rules. `render` turns it into KDL.

use crate::names::{model_name, plural, snake_case};
use crate::rng::Rng;

/// A whole domain: model 0 is the tenant root, every other model is tenant-scoped.
pub(crate) struct Domain {
    pub(crate) models: Vec<ModelPlan>,
}

pub(crate) struct ModelPlan {
    pub(crate) name: String,
    /// Lines of the model body, before relations: `id uuid pk=#true default=uuid`, ...
    pub(crate) fields: Vec<Field>,
    pub(crate) belongs_to: Vec<BelongsTo>,
    pub(crate) has_many: Vec<HasMany>,
    pub(crate) many_to_many: Vec<ManyToMany>,
    pub(crate) uniques: Vec<Vec<String>>,
    pub(crate) indexes: Vec<Index>,
    /// `(name, expression)`.
    pub(crate) checks: Vec<(&'static str, &'static str)>,
    /// `(action, expression)`.
    pub(crate) policies: Vec<(&'static str, String)>,
    /// Lines of this model's entry in its file's `permissions` block.
    pub(crate) permissions: Vec<String>,
}

pub(crate) struct Field {
    pub(crate) name: &'static str,
    /// Everything after the name: `string min=1 max=200`.
    pub(crate) decl: String,
}

pub(crate) struct BelongsTo {
    pub(crate) name: String,
    pub(crate) target: usize,
    pub(crate) optional: bool,
    pub(crate) on_delete: Option<&'static str>,
}

pub(crate) struct HasMany {
    pub(crate) name: String,
    pub(crate) source: usize,
    /// `None` when the source has exactly one belongs-to to this model and `via` is left out.
    pub(crate) via: Option<String>,
}

pub(crate) struct ManyToMany {
    pub(crate) name: String,
    pub(crate) target: usize,
}

pub(crate) struct Index {
    pub(crate) columns: Vec<String>,
    pub(crate) using: Option<&'static str>,
    pub(crate) where_: Option<&'static str>,
}

/// Enums every domain declares: `(name, members)`; fields default to the second member.
pub(crate) const ENUMS: &[(&str, &[&str])] = &[
    ("Status", &["draft", "active", "archived"]),
    ("Priority", &["low", "normal", "high", "urgent"]),
    ("Visibility", &["private", "internal", "public"]),
];

/// The kinds of field a model may get, in the order they are written.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Title,
    Code,
    Email,
    Description,
    Status,
    Priority,
    Visibility,
    Quantity,
    Sequence,
    Amount,
    Ratio,
    Archived,
    OwnerId,
    ExternalRef,
    DueOn,
    Period,
    Metadata,
    HomeAddress,
    Payload,
    ApiToken,
    CreatedAt,
    DeletedAt,
}

const OPTIONAL_KINDS: &[Kind] = &[
    Kind::Title,
    Kind::Code,
    Kind::Email,
    Kind::Description,
    Kind::Status,
    Kind::Priority,
    Kind::Visibility,
    Kind::Quantity,
    Kind::Sequence,
    Kind::Amount,
    Kind::Ratio,
    Kind::Archived,
    Kind::OwnerId,
    Kind::ExternalRef,
    Kind::DueOn,
    Kind::Period,
    Kind::Metadata,
    Kind::HomeAddress,
    Kind::Payload,
    Kind::ApiToken,
    Kind::DeletedAt,
];

impl Kind {
    fn fields(self, rng: &mut Rng) -> Vec<Field> {
        let one = |name, decl: String| vec![Field { name, decl }];
        match self {
            Kind::Title => one(
                "title",
                format!("string min=1 max={}", rng.pick(&[80, 120, 200])),
            ),
            Kind::Code => one(
                "code",
                format!(
                    "string max={} pattern=\"^[A-Z0-9-]+$\"",
                    rng.pick(&[16, 32])
                ),
            ),
            Kind::Email => {
                let optional = if rng.chance(1, 2) {
                    " optional=#true"
                } else {
                    ""
                };
                one("email", format!("string max=320 pii=#true{optional}"))
            }
            Kind::Description => {
                let max = if rng.chance(1, 2) { " max=4000" } else { "" };
                one("description", format!("text optional=#true{max}"))
            }
            Kind::Status => one("status", "Status default=active".to_owned()),
            Kind::Priority => one("priority", "Priority default=normal".to_owned()),
            Kind::Visibility => one("visibility", "Visibility default=internal".to_owned()),
            Kind::Quantity => one("quantity", "integer default=0 min=0".to_owned()),
            Kind::Sequence => one("sequence", "bigint min=1".to_owned()),
            Kind::Amount => one(
                "amount",
                format!(
                    "decimal precision={} scale=2 default=0 min=0",
                    rng.pick(&[10, 12, 18])
                ),
            ),
            Kind::Ratio => one("ratio", "float optional=#true min=0 max=1".to_owned()),
            Kind::Archived => one("archived", "boolean default=#false".to_owned()),
            Kind::OwnerId => one("owner_id", "uuid".to_owned()),
            Kind::ExternalRef => one(
                "external_ref",
                "uuid optional=#true unique=#true".to_owned(),
            ),
            Kind::DueOn => one("due_on", "date optional=#true index=#true".to_owned()),
            Kind::Period => vec![
                Field {
                    name: "starts_on",
                    decl: "date default=now".to_owned(),
                },
                Field {
                    name: "ends_on",
                    decl: "date optional=#true".to_owned(),
                },
            ],
            Kind::Metadata => one("metadata", "json optional=#true".to_owned()),
            Kind::HomeAddress => one(
                "home_address",
                "json optional=#true pii=#true residency=eu".to_owned(),
            ),
            Kind::Payload => one("payload", "bytes optional=#true".to_owned()),
            Kind::ApiToken => one(
                "api_token",
                "string max=64 optional=#true secret=#true".to_owned(),
            ),
            Kind::CreatedAt => one("created_at", "datetime default=now".to_owned()),
            Kind::DeletedAt => one("deleted_at", "datetime optional=#true".to_owned()),
        }
    }
}

impl ModelPlan {
    pub(crate) fn has_field(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name)
    }
}

/// Plans `models` models: 0 is `Tenant`, the rest are tenant-scoped and only point at earlier ones.
pub(crate) fn domain(models: usize) -> Domain {
    let mut plans: Vec<ModelPlan> = Vec::with_capacity(models);
    for index in 0..models {
        let plan = if index == 0 {
            tenant()
        } else {
            scoped(index, &mut plans)
        };
        plans.push(plan);
    }
    for index in 1..plans.len() {
        let (rules, permissions) = rules(index, &plans);
        plans[index].policies = rules;
        plans[index].permissions = permissions;
    }
    Domain { models: plans }
}

fn tenant() -> ModelPlan {
    let field = |name, decl: &str| Field {
        name,
        decl: decl.to_owned(),
    };
    ModelPlan {
        name: model_name(0),
        fields: vec![
            field("id", "uuid pk=#true default=uuid"),
            field("name", "string min=1 max=120"),
            field("slug", "string max=63 unique=#true pattern=\"^[a-z0-9][a-z0-9-]*$\""),
            field("plan", "string max=20 default=\"free\""),
            field("created_at", "datetime default=now"),
        ],
        belongs_to: Vec::new(),
        has_many: Vec::new(),
        many_to_many: Vec::new(),
        uniques: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
        policies: vec![
            ("read", "record.id == user.tenant_id || user.claims.includes('tenants.manage')".to_owned()),
            ("create", "user.claims.includes('tenants.manage')".to_owned()),
            (
                "update",
                "(record.id == user.tenant_id && user.roles.includes('admin')) || user.claims.includes('tenants.manage')"
                    .to_owned(),
            ),
            ("delete", "user.claims.includes('tenants.manage')".to_owned()),
        ],
        permissions: Vec::new(),
    }
}

/// A tenant-scoped model; may add has-many inverses to the earlier models it points at.
fn scoped(index: usize, earlier: &mut [ModelPlan]) -> ModelPlan {
    let mut rng = Rng::for_model(index);

    // Fields: id and tenant_id, created_at, then 3..=9 more picked from the pool: 6..=12 in all.
    let mut fields = vec![
        Field {
            name: "id",
            decl: "uuid pk=#true default=uuid".to_owned(),
        },
        Field {
            name: "tenant_id",
            decl: "uuid tenant=#true".to_owned(),
        },
    ];
    let wanted = 6 + rng.below(7);
    let mut kinds = OPTIONAL_KINDS.to_vec();
    for i in (1..kinds.len()).rev() {
        kinds.swap(i, rng.below(i + 1));
    }
    let mut chosen = vec![Kind::CreatedAt];
    let mut count = fields.len() + 1;
    for kind in kinds {
        let width = if kind == Kind::Period { 2 } else { 1 };
        if count + width <= wanted {
            chosen.push(kind);
            count += width;
        }
    }
    chosen.sort();
    for kind in chosen {
        fields.extend(kind.fields(&mut rng));
    }

    // Belongs-to: up to three earlier scoped models, mostly near neighbours.
    let mut belongs_to: Vec<BelongsTo> = Vec::new();
    let scoped_before = index - 1;
    if scoped_before > 0 {
        for _ in 0..rng.below(4) {
            let target = if rng.chance(3, 4) {
                index - 1 - rng.below(scoped_before.min(6))
            } else {
                1 + rng.below(scoped_before)
            };
            if belongs_to.iter().any(|b| b.target == target) {
                continue;
            }
            let (optional, on_delete) = match rng.below(5) {
                0 => (false, Some("cascade")),
                1 => (false, Some("restrict")),
                2 => (true, Some("set-null")),
                3 => (false, None),
                _ => (true, None),
            };
            belongs_to.push(BelongsTo {
                name: snake_case(&model_name(target)),
                target,
                optional,
                on_delete,
            });
        }
    }

    // Inverses on the targets, some with `via`, some without (each target is pointed at once).
    let source = plural(&snake_case(&model_name(index)));
    for b in &belongs_to {
        if rng.chance(1, 3) {
            let via = if rng.chance(1, 2) {
                Some(b.name.clone())
            } else {
                None
            };
            earlier[b.target].has_many.push(HasMany {
                name: source.clone(),
                source: index,
                via,
            });
        }
    }

    // A few many-to-many relations to an earlier model.
    let mut many_to_many = Vec::new();
    if scoped_before > 1 && rng.chance(1, 8) {
        let target = 1 + rng.below(scoped_before);
        many_to_many.push(ManyToMany {
            name: plural(&snake_case(&model_name(target))),
            target,
        });
    }

    let mut plan = ModelPlan {
        name: model_name(index),
        fields,
        belongs_to,
        has_many: Vec::new(),
        many_to_many,
        uniques: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
        policies: Vec::new(),
        permissions: Vec::new(),
    };
    keys(&mut plan, &mut rng);
    plan
}

/// Uniques, indexes and checks that fit the fields the model got.
fn keys(plan: &mut ModelPlan, rng: &mut Rng) {
    let cols = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    if plan.has_field("code") {
        plan.uniques.push(cols(&["tenant_id", "code"]));
    } else if plan.has_field("email") {
        plan.uniques.push(cols(&["tenant_id", "email"]));
    }
    if plan.has_field("sequence") {
        plan.uniques.push(cols(&["tenant_id", "sequence"]));
    }
    if let Some(first) = plan.belongs_to.first()
        && plan.has_field("title")
        && rng.chance(1, 4)
    {
        plan.uniques
            .push(vec![first.name.clone(), "title".to_owned()]);
    }

    if let Some(first) = plan.belongs_to.first()
        && rng.chance(1, 2)
    {
        plan.indexes.push(Index {
            columns: vec![first.name.clone(), "created_at".to_owned()],
            using: None,
            where_: None,
        });
    }
    if plan.has_field("status") {
        let where_ = plan.has_field("deleted_at").then_some("deleted_at == null");
        plan.indexes.push(Index {
            columns: cols(&["tenant_id", "status"]),
            using: None,
            where_,
        });
    }
    if plan.has_field("metadata") {
        plan.indexes.push(Index {
            columns: cols(&["metadata"]),
            using: Some("gin"),
            where_: None,
        });
    }
    if plan.has_field("owner_id") {
        plan.indexes.push(Index {
            columns: cols(&["owner_id"]),
            using: None,
            where_: None,
        });
    }
    if plan.has_field("starts_on") {
        plan.checks.push((
            "ends_after_starts",
            "ends_on == null || ends_on >= starts_on",
        ));
    }
}

/// The rules of scoped model `index`: a policy for every action (or an `all` policy), and for
/// some models a permissions entry on top. Reads may follow a belongs-to into an earlier model.
fn rules(index: usize, plans: &[ModelPlan]) -> (Vec<(&'static str, String)>, Vec<String>) {
    let plan = &plans[index];
    let mut rng = Rng::for_model(index ^ 0x5a5a);
    let staff = "user.roles.includes('editor') || user.roles.includes('admin')";
    let owner = plan.has_field("owner_id");

    if owner && rng.chance(1, 4) {
        let all = "record.owner_id == user.id || user.roles.includes('admin')".to_owned();
        return (vec![("all", all)], Vec::new());
    }

    let read = if plan.has_field("archived") {
        "!record.archived || user.roles.includes('admin')".to_owned()
    } else if plan.has_field("visibility") {
        format!("record.visibility != 'private' || {staff}")
    } else if let Some(b) = plan
        .belongs_to
        .iter()
        .find(|b| !b.optional && plans[b.target].has_field("archived"))
    {
        format!(
            "!record.{}.archived || user.roles.includes('admin')",
            b.name
        )
    } else {
        "true".to_owned()
    };
    let mut create = if owner {
        "record.owner_id == user.id".to_owned()
    } else {
        staff.to_owned()
    };
    if plan.has_field("payload") {
        create = format!("({create}) && (record.payload == null || user.plan != 'free')");
    }
    let update = if owner {
        "record.owner_id == user.id || user.roles.includes('admin')".to_owned()
    } else {
        staff.to_owned()
    };
    let delete = if plan.has_field("status") {
        "user.roles.includes('admin') || record.status == 'draft'".to_owned()
    } else {
        "user.roles.includes('admin')".to_owned()
    };
    let policies = vec![
        ("read", read),
        ("create", create),
        ("update", update),
        ("delete", delete),
    ];

    let mut permissions = Vec::new();
    if index.is_multiple_of(6) {
        permissions.push("read viewer member editor admin".to_owned());
        permissions.push("create editor admin".to_owned());
        if owner {
            permissions.push("update editor admin".to_owned());
            permissions.push("update member if=\"record.owner_id == user.id\"".to_owned());
        }
        permissions.push("delete admin".to_owned());
    }
    (policies, permissions)
}
