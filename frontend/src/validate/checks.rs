//! Check constraints: one `Bounds` check per field with `min`/`max`, and `check "<expr>"`
//! conditions (type-checked in the check context, over the record's own columns); plus the
//! `where=` conditions of partial indexes. Named `<table>_<name>_check`, where the name is
//! `name=` or the columns the condition reads; a repeated name gets `_2`, `_3`, ... before
//! `_check`.

use forge_expr::Context;
use forge_schemas::{Check, CheckKind, Condition, Expr, FieldType, Ir, Model, RefBase};

use crate::validate::decls::{ColumnDecl, ExprSource, Spot};
use crate::validate::draft::Draft;
use crate::validate::expressions::condition;
use crate::validate::keys::unique_name;
use crate::validate::report::Cx;

/// Adds the bounds checks of the model's fields.
pub fn bounds(cx: &mut Cx, draft: &Draft, model: &mut Model) {
    for (_, column) in draft.columns() {
        let ColumnDecl::Field(decl) = column else {
            continue;
        };
        let Some(field) = model.field(&decl.name.value) else {
            continue;
        };
        if field.min.is_none() && field.max.is_none() {
            continue;
        }
        let kind = CheckKind::Bounds {
            field: field.name.clone(),
            min: field.min.clone(),
            max: field.max.clone(),
            length: matches!(field.ty, FieldType::String { .. } | FieldType::Text),
        };
        add(cx, model, &[&decl.name.value], kind, decl.node);
    }
}

/// Typed `check` and `where=` conditions of one model, to add with [`attach`].
pub struct Typed {
    checks: Vec<(Option<String>, Condition, Spot)>,
    wheres: Vec<(usize, Condition)>,
}

/// Type-checks the model's `check` nodes and the pending index conditions against `ir`.
pub fn typed(cx: &mut Cx, ir: &Ir, draft: &Draft, wheres: &[(usize, ExprSource<'_>)]) -> Typed {
    let checks = draft
        .decl
        .checks
        .iter()
        .filter_map(|c| {
            let typed = condition(cx, ir, &draft.name, c.expr, Context::Check)?;
            Some((c.name.as_ref().map(|n| n.value.clone()), typed, c.node))
        })
        .collect();
    let wheres = wheres
        .iter()
        .filter_map(|(at, expr)| {
            Some((*at, condition(cx, ir, &draft.name, *expr, Context::Check)?))
        })
        .collect();
    Typed { checks, wheres }
}

/// Adds typed conditions to the model.
pub fn attach(cx: &mut Cx, model: &mut Model, typed: Typed) {
    for (at, condition) in typed.wheres {
        model.indexes[at].r#where = Some(condition);
    }
    for (name, condition, spot) in typed.checks {
        let columns = name.map_or_else(|| columns_read(&condition.expr), |n| vec![n]);
        let parts: Vec<&str> = columns.iter().map(String::as_str).collect();
        add(cx, model, &parts, CheckKind::Expr { condition }, spot);
    }
}

fn add(cx: &mut Cx, model: &mut Model, parts: &[&str], kind: CheckKind, spot: Spot) {
    let taken: Vec<&str> = model.checks.iter().map(|c| c.name.as_str()).collect();
    let name = unique_name(&model.table, parts, "check", &taken);
    cx.provenance(|| format!("{}#check:{name}", model.name), spot);
    model.checks.push(Check { name, kind });
}

/// The record's columns an expression reads, in order of first use.
fn columns_read(expr: &Expr) -> Vec<String> {
    fn walk(expr: &Expr, out: &mut Vec<String>) {
        match expr {
            Expr::Literal { .. } | Expr::User { .. } => {}
            Expr::Field { field } => {
                if field.base == RefBase::Record
                    && field.hops.is_empty()
                    && !out.contains(&field.field)
                {
                    out.push(field.field.clone());
                }
            }
            Expr::Not { expr } => walk(expr, out),
            Expr::And { exprs } | Expr::Or { exprs } => exprs.iter().for_each(|e| walk(e, out)),
            Expr::Compare { left, right, .. } => {
                walk(left, out);
                walk(right, out);
            }
            Expr::In { value, list } => {
                walk(value, out);
                list.iter().for_each(|e| walk(e, out));
            }
            Expr::ListIncludes { list, value } => {
                walk(list, out);
                walk(value, out);
            }
            Expr::RelationIncludes { value, .. } => walk(value, out),
            Expr::Quantified { body, .. } => walk(body, out),
        }
    }
    let mut out = Vec::new();
    walk(expr, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use forge_schemas::CheckKind;

    use crate::validate::tests::ir_of;

    #[test]
    fn checks_are_named_after_their_columns_and_deduplicated() {
        let ir = ir_of(
            "model Event {\n id uuid pk=#true\n starts_at datetime\n ends_at datetime\n n integer min=0\n check \"ends_at > starts_at\"\n check \"n < 10\"\n check \"n != 5\" name=\"not_five\"\n policy all \"true\"\n}\n",
        );
        let names: Vec<&str> = ir.models[0]
            .checks
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            names,
            vec![
                "event_n_check",
                "event_ends_at_starts_at_check",
                "event_n_2_check",
                "event_not_five_check"
            ]
        );
        assert!(
            matches!(&ir.models[0].checks[0].kind, CheckKind::Bounds { min: Some(m), length: false, .. } if m == "0")
        );
    }

    #[test]
    fn partial_indexes_keep_their_condition() {
        let ir = ir_of(
            "model Post {\n id uuid pk=#true\n published boolean\n index id where=\"published\"\n policy all \"true\"\n}\n",
        );
        assert_eq!(
            ir.models[0].indexes[0]
                .r#where
                .as_ref()
                .map(|c| c.source.as_str()),
            Some("published")
        );
    }
}
