//! The typed AST of the schema's expression language (policies, permission conditions, checks and
//! partial-index conditions), as the front end resolves it: every reference knows its type, and
//! every relation hop is named.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A literal value. Numbers are kept as their decimal text so that bigints and decimals stay exact
/// in every language that reads the IR.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Literal {
    Null,
    Bool(bool),
    /// A number, as canonical decimal text (`-12`, `0.5`).
    Number(String),
    String(String),
}

/// The type of a value in an expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ValueType {
    Uuid,
    /// string and text.
    String,
    Integer,
    Bigint,
    Decimal,
    Float,
    Boolean,
    Date,
    Datetime,
    Json,
    Bytes,
    Enum {
        name: String,
    },
    /// A list of strings (`user.roles`, `user.claims`).
    StringList,
    /// The literal `null`.
    Null,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Where a field reference starts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RefBase {
    /// `record`: the row the rule is about.
    Record,
    /// The variable of an enclosing `some` / `every` (`x` in `x => ...`).
    Var { name: String },
}

/// `record.author.team.name`: a base, zero or more `belongs-to` hops, and a column.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldRef {
    pub base: RefBase,
    /// The model the base row belongs to.
    pub base_model: String,
    /// `belongs-to` relation names followed from the base, in order (at most 4).
    pub hops: Vec<String>,
    /// The model that holds `field`.
    pub model: String,
    /// The column.
    pub field: String,
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// True when the value can be missing: the column is optional or a hop is.
    pub optional: bool,
}

/// A `user.*` reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum UserAttr {
    Id,
    TenantId,
    Roles,
    Claims,
    /// A declared identity attribute.
    Attribute {
        name: String,
    },
}

/// `some` or `every`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quantifier {
    Some,
    Every,
}

/// A typed expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Expr {
    Literal {
        value: Literal,
    },
    /// A column of the record (or of a quantifier's variable), through belongs-to hops.
    Field {
        field: FieldRef,
    },
    /// `user.<attr>`; `ty` is its type.
    User {
        attr: UserAttr,
        #[serde(rename = "type")]
        ty: ValueType,
    },
    Not {
        expr: Box<Expr>,
    },
    And {
        exprs: Vec<Expr>,
    },
    Or {
        exprs: Vec<Expr>,
    },
    /// `left <op> right`. `x == null` tests for a missing value; `x != null` for a present one.
    Compare {
        cmp: CmpOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `value in [a, b]`.
    In {
        value: Box<Expr>,
        list: Vec<Expr>,
    },
    /// `user.roles.includes('admin')`, `user.claims.includes(...)`.
    ListIncludes {
        list: Box<Expr>,
        value: Box<Expr>,
    },
    /// `record.tags.includes(v)`: some row of a to-many relation has primary key `v`.
    RelationIncludes {
        relation: RelationPath,
        value: Box<Expr>,
    },
    /// `record.comments.some(c => ...)` / `.every(...)`.
    Quantified {
        quantifier: Quantifier,
        relation: RelationPath,
        var: String,
        body: Box<Expr>,
    },
}

/// A to-many relation reached from a base through belongs-to hops: `record.author.posts`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationPath {
    pub base: RefBase,
    pub base_model: String,
    pub hops: Vec<String>,
    /// The model that declares `relation`.
    pub model: String,
    /// A has-many or many-to-many relation of `model`.
    pub relation: String,
    /// The relation's target model (the rows the quantifier ranges over).
    pub target: String,
}
