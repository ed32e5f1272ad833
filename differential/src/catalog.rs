//! What a rule may name, read from the IR: the values reachable from a row through belongs-to
//! hops (with the class the type checker compares them by), the to-many relations, and the
//! identity's attributes. The generators of rules and rows draw from it, so they follow the
//! domain as the front end sees it.

use std::collections::BTreeMap;

use forge_schemas::{FieldType, Ir, RelationKind};

/// What the language compares a value with: numbers mix, every other class only with itself.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Number,
    String,
    Uuid,
    Boolean,
    Date,
    Datetime,
    Enum(String),
    Json,
    Bytes,
}

impl Class {
    /// The class of a column type.
    pub fn of(ty: &FieldType) -> Class {
        match ty {
            FieldType::Uuid => Class::Uuid,
            FieldType::String { .. } | FieldType::Text => Class::String,
            FieldType::Integer
            | FieldType::Bigint
            | FieldType::Decimal { .. }
            | FieldType::Float => Class::Number,
            FieldType::Boolean => Class::Boolean,
            FieldType::Date => Class::Date,
            FieldType::Datetime => Class::Datetime,
            FieldType::Json => Class::Json,
            FieldType::Bytes => Class::Bytes,
            FieldType::Enum { name } => Class::Enum(name.clone()),
        }
    }

    /// True when `<`, `<=`, `>`, `>=` apply.
    pub fn orders(&self) -> bool {
        !matches!(self, Class::Boolean | Class::Json | Class::Bytes)
    }

    /// True when the value can be compared with something other than `null`.
    pub fn compares(&self) -> bool {
        !matches!(self, Class::Json | Class::Bytes)
    }
}

/// A value reachable from a row: belongs-to hops, then a column.
#[derive(Clone, Debug, PartialEq)]
pub struct Reach {
    pub hops: Vec<String>,
    pub field: String,
    pub ty: FieldType,
}

/// A to-many relation reachable from a row: belongs-to hops, the relation, its target model.
#[derive(Clone, Debug, PartialEq)]
pub struct ManyReach {
    pub hops: Vec<String>,
    pub relation: String,
    pub target: String,
}

/// One model as rules see it.
#[derive(Clone, Debug, Default)]
struct Shape {
    /// Every column, with its type.
    fields: Vec<(String, FieldType)>,
    /// Belongs-to relations and their targets.
    belongs_to: Vec<(String, String)>,
    /// Has-many and many-to-many relations and their targets.
    to_many: Vec<(String, String)>,
}

/// The models and identity of an IR, for drawing rules.
#[derive(Clone, Debug)]
pub struct Catalog {
    models: BTreeMap<String, Shape>,
    identity: Vec<(String, FieldType)>,
}

/// The most belongs-to hops a reference may take.
pub const MAX_HOPS: usize = 4;

impl Catalog {
    pub fn new(ir: &Ir) -> Catalog {
        let models = ir
            .models
            .iter()
            .map(|m| {
                let mut shape = Shape {
                    fields: m
                        .fields
                        .iter()
                        .map(|f| (f.name.clone(), f.ty.clone()))
                        .collect(),
                    ..Shape::default()
                };
                for r in &m.relations {
                    let entry = (r.name.clone(), r.target.clone());
                    match r.kind {
                        RelationKind::BelongsTo { .. } => shape.belongs_to.push(entry),
                        _ => shape.to_many.push(entry),
                    }
                }
                (m.name.clone(), shape)
            })
            .collect();
        let mut identity = vec![
            ("id".to_string(), ir.identity.id.clone()),
            ("tenant_id".to_string(), ir.identity.tenant_id.clone()),
        ];
        identity.extend(
            ir.identity
                .attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone())),
        );
        Catalog { models, identity }
    }

    fn shape(&self, model: &str) -> &Shape {
        self.models
            .get(model)
            .unwrap_or_else(|| panic!("no model `{model}` in the catalog"))
    }

    /// The models reachable from `model` through at most `max` belongs-to hops, with the hops.
    fn hops(&self, model: &str, max: usize) -> Vec<(Vec<String>, String)> {
        let mut out = vec![(Vec::new(), model.to_string())];
        let mut frontier = out.clone();
        for _ in 0..max {
            let mut next = Vec::new();
            for (hops, at) in &frontier {
                for (relation, target) in &self.shape(at).belongs_to {
                    let mut longer = hops.clone();
                    longer.push(relation.clone());
                    next.push((longer, target.clone()));
                }
            }
            out.extend(next.iter().cloned());
            frontier = next;
        }
        out
    }

    /// Every value reachable from a row of `model`: its columns, and those of the rows its
    /// belongs-to chains (up to [`MAX_HOPS`]) reach.
    pub fn values(&self, model: &str) -> Vec<Reach> {
        self.hops(model, MAX_HOPS)
            .into_iter()
            .flat_map(|(hops, at)| {
                self.shape(&at)
                    .fields
                    .iter()
                    .map(move |(field, ty)| Reach {
                        hops: hops.clone(),
                        field: field.clone(),
                        ty: ty.clone(),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every to-many relation reachable from a row of `model` (up to [`MAX_HOPS`] hops first).
    pub fn relations(&self, model: &str) -> Vec<ManyReach> {
        self.hops(model, MAX_HOPS)
            .into_iter()
            .flat_map(|(hops, at)| {
                self.shape(&at)
                    .to_many
                    .iter()
                    .map(move |(relation, target)| ManyReach {
                        hops: hops.clone(),
                        relation: relation.clone(),
                        target: target.clone(),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// `user.*` attributes but `roles` and `claims`, with their types.
    pub fn identity(&self) -> &[(String, FieldType)] {
        &self.identity
    }
}
