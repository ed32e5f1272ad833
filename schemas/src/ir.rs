//! The IR: the single source of truth that the front end derives from the schema and every
//! generator reads. Names are resolved here (tables, columns, constraints, join tables), so a
//! generator never re-derives one.
//!
//! Spans are not part of the IR: they are provenance kept beside it (see the front end's
//! `Provenance`), so a comment-only edit changes no digest.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::expr::{Expr, Literal};

/// The version of the IR format; bumped on any change a generator could notice.
pub const IR_VERSION: u32 = 1;

/// A whole project's domain, or (for a model-scoped generator) the slice one model needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ir {
    /// Always [`IR_VERSION`].
    pub ir_version: u32,
    /// Declared roles, in declaration order.
    pub roles: Vec<String>,
    /// Declared claims, in declaration order.
    pub claims: Vec<String>,
    /// The identity a request carries (`user.*` in rules).
    pub identity: Identity,
    /// Declared enums, in declaration order.
    pub enums: Vec<Enum>,
    /// Models, sorted by name. In a slice, stubs of referenced models have `stub: true`.
    pub models: Vec<Model>,
    /// Join tables of many-to-many relations, sorted by table name.
    pub join_tables: Vec<JoinTable>,
}

impl Ir {
    /// An IR with nothing declared.
    pub fn empty() -> Self {
        Ir {
            ir_version: IR_VERSION,
            roles: Vec::new(),
            claims: Vec::new(),
            identity: Identity::default(),
            enums: Vec::new(),
            models: Vec::new(),
            join_tables: Vec::new(),
        }
    }

    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.model_position(name).map(|i| &self.models[i])
    }

    /// Where the model called `name` is in `models`.
    pub fn model_position(&self, name: &str) -> Option<usize> {
        // The front end sorts models by name (a slice too); an IR built by hand may not be.
        match self.models.binary_search_by(|m| m.name.as_str().cmp(name)) {
            Ok(i) => Some(i),
            Err(_) => self.models.iter().position(|m| m.name == name),
        }
    }

    /// The enum called `name`.
    pub fn enum_(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }
}

/// The identity block: `user.id`, `user.tenant_id` and the declared attributes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Type of `user.id` (uuid unless the identity block says otherwise).
    pub id: FieldType,
    /// Type of `user.tenant_id` (uuid unless the identity block says otherwise).
    pub tenant_id: FieldType,
    /// Other attributes, in declaration order.
    pub attributes: Vec<IdentityAttribute>,
}

impl Default for Identity {
    fn default() -> Self {
        Identity {
            id: FieldType::Uuid,
            tenant_id: FieldType::Uuid,
            attributes: Vec::new(),
        }
    }
}

/// One declared identity attribute (`plan string`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub optional: bool,
}

/// `enum PostStatus draft review published`: members in declaration order (which is their order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    pub name: String,
    /// snake_case of the name: the Postgres type name.
    pub sql_name: String,
    pub values: Vec<String>,
}

/// A model and its table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// PascalCase name.
    pub name: String,
    /// Table name: snake_case of the name unless `table=` gave one.
    pub table: String,
    /// `renamed-from=`: the model's previous name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// True when this model is only a stub in a slice: name, table, primary key, tenant field and
    /// the fields that the sliced model's relations and rules reach.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stub: bool,
    /// Columns in declaration order; a `belongs-to` contributes its key column(s) here too.
    pub fields: Vec<Field>,
    /// Relations in declaration order.
    pub relations: Vec<Relation>,
    /// The primary key.
    pub primary_key: Key,
    /// The tenant column, when the model is tenant-scoped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Unique constraints: from `unique=#true`, `unique a b`, and the (tenant, id) key that
    /// tenant-scoped foreign keys into this model need.
    pub uniques: Vec<Key>,
    /// Foreign keys of this model's `belongs-to` relations.
    pub foreign_keys: Vec<ForeignKey>,
    /// Indexes: from `index=#true` and `index a b`.
    pub indexes: Vec<Index>,
    /// Check constraints: bounds from `min`/`max`, and `check "..."`.
    pub checks: Vec<Check>,
    /// `policy <action> "<expr>"`, at most one per action.
    pub policies: Vec<Policy>,
    /// Role-based rules from the `permissions` block.
    pub permissions: Vec<Permission>,
    /// `hook <event> "<file>#<export>"`.
    pub hooks: Vec<Hook>,
}

impl Model {
    /// The field (column) called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The relation called `name`.
    pub fn relation(&self, name: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.name == name)
    }
}

/// A column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The field name, which is also the column name (snake_case as written).
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Nullable.
    pub optional: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    /// Lower bound: length for string and text, value for numbers (a decimal literal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Upper bound: length for string and text, value for numbers (a decimal literal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// A regular expression for validation schemas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pii: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The `belongs-to` relation this column is the key of, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
}

/// A column type. `string` is bounded text (`max`, 255 unless given).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldType {
    Uuid,
    String {
        max: u32,
    },
    Text,
    /// 32-bit.
    Integer,
    /// 64-bit.
    Bigint,
    Decimal {
        precision: u32,
        scale: u32,
    },
    Float,
    Boolean,
    Date,
    /// With time zone.
    Datetime,
    Json,
    Bytes,
    /// A declared enum, by name.
    Enum {
        name: String,
    },
}

impl FieldType {
    /// The name a user writes in the schema (`string`, `PostStatus`, ...).
    pub fn schema_name(&self) -> &str {
        match self {
            FieldType::Uuid => "uuid",
            FieldType::String { .. } => "string",
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Bigint => "bigint",
            FieldType::Decimal { .. } => "decimal",
            FieldType::Float => "float",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Json => "json",
            FieldType::Bytes => "bytes",
            FieldType::Enum { name } => name,
        }
    }

    /// True for integer, bigint, decimal and float.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            FieldType::Integer | FieldType::Bigint | FieldType::Decimal { .. } | FieldType::Float
        )
    }
}

/// A column default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DefaultValue {
    /// The current time (`default=now`), for date and datetime.
    Now,
    /// A generated uuid (`default=uuid`).
    Uuid,
    /// A literal of the column's type; for an enum column, a member's name as a string.
    Value { value: Literal },
}

/// A named key over columns: primary or unique.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Key {
    /// Constraint name: `<table>_pkey` or `<table>_<cols>_key`.
    pub name: String,
    pub columns: Vec<String>,
}

/// A relation declared on a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub name: String,
    /// The target model's name.
    pub target: String,
    pub kind: RelationKind,
}

/// What kind of relation, with what it resolves to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RelationKind {
    /// This model holds the key: `column` references the target's primary key.
    BelongsTo {
        /// The key column on this model (`author_id`).
        column: String,
        /// The target's primary key column it references.
        references: String,
        optional: bool,
        on_delete: OnDelete,
    },
    /// The inverse of the `belongs-to` named `via` on the target.
    HasMany { via: String },
    /// Rows linked through `join_table`.
    ManyToMany { join_table: String },
}

/// `on-delete=` of a belongs-to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OnDelete {
    Restrict,
    Cascade,
    SetNull,
}

/// A foreign key. Between two tenant-scoped models it includes the tenant columns, so a row of one
/// tenant can never point at a row of another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// `<table>_<cols>_fkey`.
    pub name: String,
    /// The relation this key implements.
    pub relation: String,
    pub columns: Vec<String>,
    /// The referenced model.
    pub target: String,
    pub target_table: String,
    pub target_columns: Vec<String>,
    pub on_delete: OnDelete,
    /// With `on_delete = set-null` on a tenant-scoped key, only these columns are set to null (the
    /// relation's own column; never the tenant column).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_null_columns: Vec<String>,
}

/// An index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// `<table>_<cols>_idx`.
    pub name: String,
    pub columns: Vec<String>,
    pub using: IndexMethod,
    /// A partial index's condition, over the record's own columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#where: Option<Condition>,
}

/// `using=` of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndexMethod {
    Btree,
    /// Generalized inverted index (Postgres); other dialects fall back to their default index.
    Gin,
}

/// An expression in the schema language: its source text and its typed AST.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub source: String,
    pub expr: Expr,
}

/// A check constraint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// `<table>_<name>_check`.
    pub name: String,
    pub kind: CheckKind,
}

/// Where a check constraint comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckKind {
    /// `min=` / `max=` on a field: a length for string and text, a value for numbers. A missing
    /// value (null) passes.
    Bounds {
        field: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<String>,
        /// True when the bound is on the length (string, text).
        length: bool,
    },
    /// `check "<expression>"` over the record's own columns.
    Expr { condition: Condition },
}

/// The action a rule is for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Create,
    Update,
    Delete,
    /// Every action (policies only).
    All,
}

impl Action {
    /// The four concrete actions, in order.
    pub const CONCRETE: [Action; 4] =
        [Action::Read, Action::Create, Action::Update, Action::Delete];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::All => "all",
        }
    }
}

/// `policy <action> "<expression>"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub action: Action,
    pub condition: Condition,
}

/// One line of a `permissions` block: the user holds one of `roles`, and `condition` holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    pub action: Action,
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

/// When a hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HookEvent {
    BeforeCreate,
    AfterCreate,
    BeforeUpdate,
    AfterUpdate,
    BeforeDelete,
    AfterDelete,
}

/// `hook before-create "hooks/post.ts#slugify"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hook {
    pub event: HookEvent,
    /// Path of the user's file, relative to forge.kdl.
    pub file: String,
    /// The exported function's name.
    pub export: String,
}

/// The table behind a many-to-many relation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinTable {
    /// `<declaring table>_<relation>` unless `table=` gave one.
    pub name: String,
    /// The side that declares the relation (or, when both sides declare it, the model whose name
    /// sorts first).
    pub left: JoinSide,
    pub right: JoinSide,
    /// Over (left column, right column).
    pub primary_key: Key,
    /// The tenant column, when both sides are tenant-scoped: foreign keys then include it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<JoinTenant>,
    pub foreign_keys: Vec<ForeignKey>,
    /// An index on the right column, for lookups from the right side.
    pub indexes: Vec<Index>,
}

/// One side of a join table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinSide {
    pub model: String,
    /// The relation's name on this model, when this side declares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// The join table's column (`post_id`).
    pub column: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub references_table: String,
    pub references: String,
}

/// The tenant column of a join table between two tenant-scoped models.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinTenant {
    pub column: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
}
