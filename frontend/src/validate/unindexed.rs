//! Warnings family "unindexed": a column of a model's own table that its read rules filter on and
//! no index covers (`forge::unindexed-policy-column`, one warning per model, naming every such
//! column and the `index` line to add).
//!
//! The read rule (the `all` policy, the read policy and the read permission lines) is what filters
//! a query that lists rows, so it is what an index must serve; a create is checked on the new row,
//! and an update or a delete finds its rows by the statement's own condition (then also checks the
//! read rule). A condition can use an index when it compares a column of the row with a constant
//! (a literal or `user.*`) by `==`, `in`, `<`, `<=`, `>`, `>=` or `== null`. What it needs follows
//! the condition's shape:
//!
//! - `a && b`: one operand served is enough (the index finds the rows, the rest is checked);
//! - `a || b`: every operand must be served; one that no index can serve (a belongs-to hop, `some`,
//!   `every`, `!=`, a negation, a boolean column) means a scan whatever is indexed, so nothing is
//!   asked; an operand that reads only the identity (`user.roles.includes(...)`) asks nothing;
//! - the tenant guard is not counted as narrowing: a tenant may hold most of the rows.
//!
//! A column is covered by the primary key, a unique key or a plain btree index of the table
//! (including the indexes the policies need, which `policy_indexes.rs` has added by then),
//! starting with it (with the tenant column, in any order, on a tenant-scoped model), as
//! [`key_serves`] decides.

use forge_schemas::{Action, CmpOp, Expr, Model, RefBase, UserAttr, existing_keys, key_serves};

use crate::validate::decls::Spot;
use crate::validate::report::{Cx, Report, and_list};
use crate::validate::rules::{Rule, parts};

pub const UNINDEXED_POLICY_COLUMN: &str = "forge::unindexed-policy-column";

/// A column an index would let a rule use, and where the rule is written.
struct Need<'m> {
    column: &'m str,
    rule: Spot,
}

/// What it takes for the rows a condition selects to be found through an index.
enum Plan<'m> {
    /// The condition reads no column: it selects every row or none.
    Free,
    /// No index of the table can serve it.
    Scan,
    /// Served once these columns are indexed (none: served already).
    Index(Vec<Need<'m>>),
}

/// Warns when the read rules of `model` filter on columns no index covers.
pub fn unindexed(cx: &mut Cx, model: &Model, rules: &[Rule]) {
    let covered = |column: &str| {
        let mut lookup: Vec<String> = model.tenant.iter().cloned().collect();
        lookup.push(column.to_string());
        existing_keys(model)
            .iter()
            .any(|k| key_serves(k, &lookup, model))
    };
    let parts: Vec<Plan> = parts(rules, Action::Read)
        .iter()
        .map(|part| {
            any(part
                .rules
                .iter()
                .map(|r| plan(&r.condition, model, r.at, &covered))
                .collect())
        })
        .collect();
    let Plan::Index(needs) = all(parts) else {
        return;
    };
    let Some(first) = needs.first() else {
        return;
    };
    let table_columns: Vec<String> = needs
        .iter()
        .map(|n| format!("`{}.{}`", model.table, n.column))
        .collect();
    let index_lines: Vec<String> = needs
        .iter()
        .map(|n| format!("`{}`", index_line(model, n.column)))
        .collect();
    let filters = |rule: Spot| {
        let columns: Vec<String> = needs
            .iter()
            .filter(|n| n.rule == rule)
            .map(|n| format!("`{}`", n.column))
            .collect();
        format!("filters on {}", columns.join(", "))
    };
    let mut report = Report::warning(
        UNINDEXED_POLICY_COLUMN,
        format!(
            "the read rules of `{}` filter on {}, which no index covers",
            model.name,
            and_list(&table_columns)
        ),
    )
    .at(first.rule, filters(first.rule));
    let mut seen = vec![first.rule];
    for need in &needs {
        if !seen.contains(&need.rule) {
            seen.push(need.rule);
            report = report.related(need.rule, filters(need.rule));
        }
    }
    let scope = if model.tenant.is_some() {
        "every row of the tenant"
    } else {
        "every row"
    };
    cx.emit(report.help(format!(
        "add {} to `{}`: a query that lists rows is filtered by these rules, and without an index it reads {scope}",
        and_list(&index_lines),
        model.name
    )));
}

/// The `index` line that covers `column` (a belongs-to's key column is written as the relation).
fn index_line(model: &Model, column: &str) -> String {
    let name = |c: &str| {
        model
            .field(c)
            .and_then(|f| f.relation.clone())
            .unwrap_or_else(|| c.to_string())
    };
    match &model.tenant {
        Some(tenant) => format!("index {} {}", name(tenant), name(column)),
        None => format!("index {}", name(column)),
    }
}

/// The plan of `expr`, a condition about `model`'s rows of the rule written at `rule`.
fn plan<'m>(expr: &'m Expr, model: &Model, rule: Spot, covered: &dyn Fn(&str) -> bool) -> Plan<'m> {
    let need = |column: &'m str| {
        if model.tenant.as_deref() == Some(column) || covered(column) {
            Plan::Index(Vec::new())
        } else {
            Plan::Index(vec![Need { column, rule }])
        }
    };
    let fallback = || {
        if reads_row(expr) {
            Plan::Scan
        } else {
            Plan::Free
        }
    };
    match expr {
        Expr::And { exprs } => all(exprs
            .iter()
            .map(|e| plan(e, model, rule, covered))
            .collect()),
        Expr::Or { exprs } => any(exprs
            .iter()
            .map(|e| plan(e, model, rule, covered))
            .collect()),
        Expr::Compare { cmp, left, right } if *cmp != CmpOp::Ne => {
            match (own_column(left), own_column(right)) {
                (Some(column), None) if constant(right) => need(column),
                (None, Some(column)) if constant(left) => need(column),
                _ => fallback(),
            }
        }
        Expr::In { value, list } => match own_column(value) {
            Some(column) if list.iter().all(constant) => need(column),
            _ => fallback(),
        },
        _ => fallback(),
    }
}

/// The plan of `a && b && ...`: an operand already served serves it; otherwise the operand that
/// needs the fewest columns (the first of those).
fn all(plans: Vec<Plan>) -> Plan {
    let mut best: Option<Vec<Need>> = None;
    let mut scan = false;
    for plan in plans {
        match plan {
            Plan::Index(needs) if best.as_ref().is_none_or(|b| needs.len() < b.len()) => {
                best = Some(needs);
            }
            Plan::Scan => scan = true,
            Plan::Index(_) | Plan::Free => {}
        }
    }
    match best {
        Some(needs) => Plan::Index(needs),
        None if scan => Plan::Scan,
        None => Plan::Free,
    }
}

/// The plan of `a || b || ...`: every operand that reads the row must be served.
fn any(plans: Vec<Plan>) -> Plan {
    let mut needs: Option<Vec<Need>> = None;
    for plan in plans {
        match plan {
            Plan::Scan => return Plan::Scan,
            Plan::Index(more) => {
                let list = needs.get_or_insert_with(Vec::new);
                for need in more {
                    if !list.iter().any(|n| n.column == need.column) {
                        list.push(need);
                    }
                }
            }
            Plan::Free => {}
        }
    }
    needs.map_or(Plan::Free, Plan::Index)
}

/// `record.<column>` of the row itself (no hop).
fn own_column(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Field { field } if field.base == RefBase::Record && field.hops.is_empty() => {
            Some(&field.field)
        }
        _ => None,
    }
}

/// A value that is the same for every row of a statement: a literal or an identity attribute.
fn constant(expr: &Expr) -> bool {
    match expr {
        Expr::Literal { .. } => true,
        Expr::User { attr, .. } => !matches!(attr, UserAttr::Roles | UserAttr::Claims),
        _ => false,
    }
}

/// Whether `expr` reads the row (a column, a relation).
fn reads_row(expr: &Expr) -> bool {
    match expr {
        Expr::Field { .. } | Expr::RelationIncludes { .. } | Expr::Quantified { .. } => true,
        Expr::Literal { .. } | Expr::User { .. } => false,
        Expr::Not { expr } => reads_row(expr),
        Expr::And { exprs } | Expr::Or { exprs } => exprs.iter().any(reads_row),
        Expr::Compare { left, right, .. } => reads_row(left) || reads_row(right),
        Expr::In { value, list } => reads_row(value) || list.iter().any(reads_row),
        Expr::ListIncludes { list, value } => reads_row(list) || reads_row(value),
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::warnings;

    /// The unindexed-column warnings of a model `Doc` with the given rules (and `extra` lines).
    fn doc(extra: &str, tenant: bool) -> Vec<String> {
        let tenant = if tenant { " t uuid tenant=#true\n" } else { "" };
        warnings(&format!(
            "roles admin\nmodel Doc {{\n id uuid pk=#true\n{tenant} owner_id uuid\n status string\n level integer\n group belongs-to=Group\n{extra}\n}}\nmodel Group {{\n id uuid pk=#true\n public boolean\n policy all \"true\"\n}}\n"
        ))
        .into_iter()
        .filter(|w| w.contains("no index covers"))
        .collect()
    }

    #[test]
    fn a_filtered_column_without_an_index_is_named() {
        assert_eq!(
            doc(" policy read \"record.status == 'open'\"", false),
            ["the read rules of `Doc` filter on `doc.status`, which no index covers"]
        );
        assert_eq!(
            doc(
                " policy all \"record.level > 3 || record.status in ['a', 'b']\"",
                true
            ),
            [
                "the read rules of `Doc` filter on `doc.level` and `doc.status`, which no index covers"
            ]
        );
    }

    #[test]
    fn covered_or_unservable_filters_are_not_named() {
        for (rule, extra) in [
            // The primary key, a unique key, an index starting with the column.
            ("record.id == user.id", ""),
            ("record.status == 'open'", " unique status level"),
            ("record.status == 'open'", " index status"),
            // The row-level security generator indexes owner rules.
            ("record.owner_id == user.id", ""),
            // One operand of `&&` served is enough.
            ("record.owner_id == user.id && record.status == 'open'", ""),
            // Identity-only operands ask nothing, and a scan is a scan whatever is indexed.
            ("user.roles.includes('admin') || user.id == null", ""),
            ("record.status == 'open' || record.group.public", ""),
            ("record.status != 'open'", ""),
            ("!(record.status == 'open')", ""),
        ] {
            let rules = format!(" policy read \"{rule}\"\n{extra}");
            assert!(doc(&rules, false).is_empty(), "{rule} {extra}");
        }
        // Only the read rules count.
        assert!(
            doc(
                " policy read \"true\"\n policy update \"record.status == 'open'\"",
                false
            )
            .is_empty()
        );
    }

    #[test]
    fn the_tenant_column_leads_the_index_to_add() {
        let text = "model Doc {\n id uuid pk=#true\n t uuid tenant=#true\n group belongs-to=Group\n policy read \"record.group_id == 'e3b0c442-98fc-4c14-9afb-4c8996fb9242'\"\n}\nmodel Group {\n id uuid pk=#true\n t uuid tenant=#true\n policy all \"true\"\n}\n";
        let project = crate::validate::tests::diagnostics(text);
        let warning = project
            .iter()
            .find(|d| d.code == super::UNINDEXED_POLICY_COLUMN)
            .expect("a warning");
        assert_eq!(
            warning.help.as_deref(),
            Some(
                "add `index t group` to `Doc`: a query that lists rows is filtered by these rules, and without an index it reads every row of the tenant"
            )
        );
    }
}
