//! The first pass over the models: each model's table, its plain fields typed, its primary key as
//! written and its tenant column. Relations are resolved from drafts, since a `belongs-to` column
//! takes the type of its target's primary key.

use std::collections::BTreeMap;

use forge_schemas::{Field, FieldType, snake_case};
use rayon::prelude::*;

use crate::validate::decls::{ColumnDecl, ModelDecl, RelationDecl, RelationDeclKind};
use crate::validate::report::Cx;
use crate::validate::vocabulary::Vocabulary;
use crate::validate::{fields, keys, names, types};

/// One model after the first pass.
pub struct Draft<'d, 'a> {
    pub decl: &'d ModelDecl<'a>,
    pub name: String,
    pub table: String,
    /// Per column declaration: false for a repeated name (reported, then ignored).
    pub first: Vec<bool>,
    /// Per column declaration: the IR field of a plain field whose type resolved.
    pub plain: Vec<Option<Field>>,
    /// The primary key as written (field or belongs-to names), when there is one.
    pub pk: Option<keys::PkDecl>,
    pub tenant: Option<String>,
}

impl<'d, 'a> Draft<'d, 'a> {
    /// The column declarations that count (first of their name).
    pub fn columns(&self) -> impl Iterator<Item = (usize, &'d ColumnDecl)> + '_ {
        self.decl
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| self.first[*i])
    }

    /// The relations that count.
    pub fn relations(&self) -> impl Iterator<Item = &'d RelationDecl> + '_ {
        self.columns().filter_map(|(_, c)| match c {
            ColumnDecl::Relation(r) => Some(r),
            ColumnDecl::Field(_) => None,
        })
    }

    /// The belongs-to relation called `name`.
    pub fn belongs_to(&self, name: &str) -> Option<&'d RelationDecl> {
        self.relations()
            .find(|r| r.name.value == name && matches!(r.kind, RelationDeclKind::BelongsTo { .. }))
    }

    /// The plain field called `name`.
    pub fn plain_field(&self, name: &str) -> Option<&Field> {
        self.plain.iter().flatten().find(|f| f.name == name)
    }
}

/// What a model's primary key is, as seen by a reference to it.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyInfo {
    Single {
        column: String,
        ty: FieldType,
    },
    Composite,
    /// Missing or broken (reported where it is declared).
    Unknown,
}

/// Every model's draft, sorted by name.
pub struct Drafts<'d, 'a> {
    pub list: Vec<Draft<'d, 'a>>,
    index: BTreeMap<String, usize>,
}

impl<'d, 'a> Drafts<'d, 'a> {
    pub fn build(cx: &mut Cx, models: &[&'d ModelDecl<'a>], vocabulary: &Vocabulary) -> Self {
        let model_names: Vec<&str> = models.iter().map(|m| m.name.value.as_str()).collect();
        // Each model on its own (in parallel), its diagnostics and provenance merged back in model
        // order, as a sequential pass gives them.
        let (files, recording) = (cx.files, cx.recording());
        let drafted: Vec<(Cx, Draft)> = models
            .par_iter()
            .map(|&decl| {
                let mut own = Cx::new(files, recording);
                let cx = &mut own;
                let name = decl.name.value.clone();
                cx.provenance(|| name.clone(), decl.node);
                let table = decl
                    .table
                    .as_ref()
                    .map_or_else(|| snake_case(&name), |t| t.value.clone());
                let first = names::columns(cx, decl);
                let plain = decl
                    .columns
                    .iter()
                    .map(|column| {
                        let ColumnDecl::Field(f) = column else {
                            return None;
                        };
                        let ty = types::resolve(cx, &f.ty, vocabulary, &model_names)?;
                        let ty = types::decimal(cx, f, ty);
                        Some(fields::field(cx, f, ty, vocabulary))
                    })
                    .collect();
                let tenant = fields::tenant(cx, decl);
                let pk = keys::pk_decl(cx, decl);
                let draft = Draft {
                    decl,
                    name,
                    table,
                    first,
                    plain,
                    pk,
                    tenant,
                };
                (own, draft)
            })
            .collect();
        let list: Vec<Draft> = drafted
            .into_iter()
            .map(|(own, draft)| {
                cx.merge(own);
                draft
            })
            .collect();
        let index = list
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.clone(), i))
            .collect();
        Drafts { list, index }
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|d| d.name.as_str())
    }

    /// The primary key of model `i`, following a key that is itself a belongs-to column.
    pub fn key(&self, i: usize) -> KeyInfo {
        self.key_at_depth(i, 0)
    }

    fn key_at_depth(&self, i: usize, depth: usize) -> KeyInfo {
        let draft = &self.list[i];
        let Some(pk) = &draft.pk else {
            return KeyInfo::Unknown;
        };
        let [column] = pk.columns.as_slice() else {
            return KeyInfo::Composite;
        };
        if let Some(field) = draft.plain_field(&column.value) {
            return KeyInfo::Single {
                column: field.name.clone(),
                ty: field.ty.clone(),
            };
        }
        let Some(relation) = draft.belongs_to(&column.value) else {
            return KeyInfo::Unknown;
        };
        match self.find(&relation.target.value) {
            Some(target) if depth < self.list.len() => match self.key_at_depth(target, depth + 1) {
                KeyInfo::Single { ty, .. } => KeyInfo::Single {
                    column: format!("{}_id", relation.name.value),
                    ty,
                },
                _ => KeyInfo::Unknown,
            },
            _ => KeyInfo::Unknown,
        }
    }
}
