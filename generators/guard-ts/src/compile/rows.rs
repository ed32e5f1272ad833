//! Other rows, reached through the relations loaded in the record: belongs-to chains
//! (`one(...)`), and the rows of a has-many or many-to-many relation for `some`, `every` and
//! `includes` (`many(...)`).
//!
//! A row of a tenant-scoped model counts only when it belongs to the caller's tenant (its tenant
//! column equals `user.tenant_id`, both present), as PostgreSQL's lookups only see the caller's
//! tenant: a row outside it is missing, and with no tenant in the identity every tenant-scoped
//! row is. A relation that is not loaded (or not an object / an array) reaches nothing.

use forge_schemas::{Expr, FieldRef, Model, Quantifier, RefBase, RelationKind, RelationPath};

use super::domain::{read_record, value_type};
use super::{Compiler, Operand, emit, meet};
use crate::js;
use crate::scan::mentions;

/// `inTenant<Model>`: the tenant guard of `model`'s rows, as a function of the identity and a row.
pub(crate) fn in_tenant(model: &Model) -> String {
    format!("inTenant{}", js::ident_part(&model.name))
}

/// The function that says which of `model`'s rows a relation reaches.
pub(crate) fn keep(model: &Model) -> String {
    match model.tenant {
        Some(_) => in_tenant(model),
        None => "anyRow".into(),
    }
}

impl<'a> Compiler<'a> {
    /// The model called `name`.
    fn model_named(&self, name: &str) -> &'a Model {
        let ir = self.ir;
        ir.model(name)
            .unwrap_or_else(|| panic!("model `{name}` is not in the IR"))
    }

    /// The JavaScript expression of a reference's base row.
    fn base(&self, base: &RefBase) -> String {
        match base {
            RefBase::Record => self.record.clone(),
            RefBase::Var { name } => self
                .vars
                .iter()
                .rev()
                .find(|(forge, _)| forge == name)
                .map(|(_, js)| js.clone())
                .unwrap_or_else(|| panic!("variable `{name}` is used outside its lambda")),
        }
    }

    /// The row reached from `base` (a row of `base_model`) through belongs-to `hops`.
    fn follow(&self, base: &RefBase, base_model: &str, hops: &[String]) -> (String, &'a Model) {
        let mut row = self.base(base);
        let mut model = self.model_named(base_model);
        for hop in hops {
            let relation = model
                .relation(hop)
                .unwrap_or_else(|| panic!("`{hop}` is not a relation of {}", model.name));
            assert!(
                matches!(relation.kind, RelationKind::BelongsTo { .. }),
                "hop `{hop}` of {} is not a belongs-to",
                model.name
            );
            let target = self.model_named(&relation.target);
            row = format!("one(u, get({row}, {}), {})", js::string(hop), keep(target));
            model = target;
        }
        (row, model)
    }

    /// A column of `record` or of a variable's row, possibly through belongs-to hops, read.
    pub(super) fn field(&self, field: &FieldRef) -> String {
        let (row, _) = self.follow(&field.base, &field.base_model, &field.hops);
        read_record(
            &field.ty,
            &format!("get({row}, {})", js::string(&field.field)),
        )
    }

    /// The rows of the to-many relation of `path` that count, and their model.
    fn rows(&self, path: &RelationPath) -> (String, &'a Model) {
        let (row, owner) = self.follow(&path.base, &path.base_model, &path.hops);
        let relation = owner
            .relation(&path.relation)
            .unwrap_or_else(|| panic!("`{}` is not a relation of {}", path.relation, owner.name));
        assert!(
            !matches!(relation.kind, RelationKind::BelongsTo { .. }),
            "`{}` is a belongs-to, not a to-many relation",
            path.relation
        );
        let target = self.model_named(&relation.target);
        let rows = format!(
            "many(u, get({row}, {}), {})",
            js::string(&path.relation),
            keep(target)
        );
        (rows, target)
    }

    /// The parameter of a lambda over rows, in scope as `var` while `body` compiles.
    fn lambda(&mut self, var: &str, body: impl FnOnce(&mut Self, &str) -> String) -> String {
        let param = format!("x{}", self.vars.len() + 1);
        self.vars.push((var.to_string(), param.clone()));
        let body = body(self, &param);
        self.vars.pop();
        let param = if mentions(&body, &param) {
            param
        } else {
            format!("_{param}")
        };
        format!("({param}) => {body}")
    }

    /// `record.<relation>.some(x => ...)` / `.every(...)`: false / true over no rows.
    pub(super) fn quantified(
        &mut self,
        quantifier: Quantifier,
        relation: &RelationPath,
        var: &str,
        body: &Expr,
    ) -> String {
        let (rows, _) = self.rows(relation);
        let method = match quantifier {
            Quantifier::Some => "some",
            Quantifier::Every => "every",
        };
        let lambda = self.lambda(var, |c, _| c.cond(body));
        format!("{rows}.{method}({lambda})")
    }

    /// `record.<relation>.includes(v)`: some row of the relation has primary key `v`.
    pub(super) fn relation_includes(&mut self, relation: &RelationPath, value: &Expr) -> String {
        let value = self.operand(value);
        if matches!(value, Operand::Null) {
            return "false".into();
        }
        let (rows, target) = self.rows(relation);
        let key = match target.primary_key.columns.as_slice() {
            [key] => target
                .field(key)
                .unwrap_or_else(|| panic!("{} has no column `{key}`", target.name)),
            _ => panic!(
                "`includes` on {}: its primary key is not one column",
                target.name
            ),
        };
        let ir = self.ir;
        // The lambda binds no forge variable: its parameter is the related row.
        let lambda = self.lambda("", |_, param| {
            let key = Operand::Value {
                js: read_record(
                    &value_type(&key.ty),
                    &format!("get({param}, {})", js::string(&key.name)),
                ),
                ty: value_type(&key.ty),
            };
            let domain = meet(&key, &value);
            format!(
                "eq({}, {}, {})",
                emit(&key, &domain, ir),
                emit(&value, &domain, ir),
                domain.order()
            )
        });
        format!("{rows}.some({lambda})")
    }
}
