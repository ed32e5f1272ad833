//! Which relations the rules follow: for the record types (a model's type has the relations some
//! rule follows from its rows) and for each guard's documentation (the relations its caller must
//! load, as paths from the record: `record.author`, `record.comments[].author`).

use std::collections::BTreeSet;

use forge_schemas::{Expr, Ir, Model, RefBase, RelationPath};

/// The relations `exprs` follow: `(model, relation)` pairs, and the paths from the record.
#[derive(Default)]
pub(crate) struct Followed {
    pub relations: BTreeSet<(String, String)>,
    paths: BTreeSet<String>,
}

impl Followed {
    /// What `exprs`, rules about rows of some model, follow.
    pub fn of<'e>(ir: &Ir, exprs: impl IntoIterator<Item = &'e Expr>) -> Self {
        let mut walk = Walk {
            ir,
            followed: Followed::default(),
            vars: Vec::new(),
        };
        for expr in exprs {
            walk.expr(expr);
        }
        walk.followed
    }

    /// The paths to load, longest first where one extends another (`record.a.b` covers
    /// `record.a`), in order.
    pub fn loads(&self) -> Vec<String> {
        self.paths
            .iter()
            .filter(|p| {
                !self.paths.iter().any(|q| {
                    q.len() > p.len() && q.starts_with(p.as_str()) && q[p.len()..].starts_with('.')
                })
            })
            .map(|p| format!("record.{p}"))
            .collect()
    }
}

/// Every condition of `model`: its policies and its permission lines' conditions.
pub(crate) fn conditions(model: &Model) -> impl Iterator<Item = &Expr> {
    model.policies.iter().map(|p| &p.condition.expr).chain(
        model
            .permissions
            .iter()
            .filter_map(|p| p.condition.as_ref().map(|c| &c.expr)),
    )
}

struct Walk<'a> {
    ir: &'a Ir,
    followed: Followed,
    /// Lambda variables in scope and the path of the rows they range over.
    vars: Vec<(String, String)>,
}

impl Walk<'_> {
    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Literal { .. } | Expr::User { .. } => {}
            Expr::Field { field } => {
                self.hops(&field.base, &field.base_model, &field.hops);
            }
            Expr::Not { expr } => self.expr(expr),
            Expr::And { exprs } | Expr::Or { exprs } => exprs.iter().for_each(|e| self.expr(e)),
            Expr::Compare { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            Expr::In { value, list } => {
                self.expr(value);
                list.iter().for_each(|e| self.expr(e));
            }
            Expr::ListIncludes { list, value } => {
                self.expr(list);
                self.expr(value);
            }
            Expr::RelationIncludes { relation, value } => {
                self.relation(relation);
                self.expr(value);
            }
            Expr::Quantified {
                relation,
                var,
                body,
                ..
            } => {
                let rows = self.relation(relation);
                self.vars.push((var.clone(), rows));
                self.expr(body);
                self.vars.pop();
            }
        }
    }

    /// Follows `hops` from `base`; returns the path reached and its model's name.
    fn hops(&mut self, base: &RefBase, base_model: &str, hops: &[String]) -> (String, String) {
        let mut path = match base {
            RefBase::Record => String::new(),
            RefBase::Var { name } => self
                .vars
                .iter()
                .rev()
                .find(|(v, _)| v == name)
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| panic!("variable `{name}` is used outside its lambda")),
        };
        let mut model = base_model.to_string();
        for hop in hops {
            self.followed.relations.insert((model.clone(), hop.clone()));
            path = step(&path, hop);
            self.followed.paths.insert(path.clone());
            model = self
                .ir
                .model(&model)
                .and_then(|m| m.relation(hop))
                .map(|r| r.target.clone())
                .unwrap_or_else(|| panic!("`{hop}` is not a relation of {model}"));
        }
        (path, model)
    }

    /// Follows a to-many relation; returns the path of its rows (`comments[]`).
    fn relation(&mut self, relation: &RelationPath) -> String {
        let (path, model) = self.hops(&relation.base, &relation.base_model, &relation.hops);
        self.followed
            .relations
            .insert((model, relation.relation.clone()));
        let rows = format!("{}[]", step(&path, &relation.relation));
        self.followed.paths.insert(rows.clone());
        rows
    }
}

/// `path.name`, or `name` from the record itself.
fn step(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}
