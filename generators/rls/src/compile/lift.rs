//! Lookup functions: how a policy reads another row without querying another table's policies.
//!
//! A policy that needs another row (a belongs-to hop, `some`, `every`, `includes` on a relation)
//! calls a function of the schema `forge` instead of querying the table:
//!
//! ```sql
//! CREATE FUNCTION "forge"."lookup_patient_primary_doctor_user_id"(uuid) RETURNS uuid
//!   LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp
//!   RETURN (SELECT "t2"."user_id" FROM "patient" AS "t1", "doctor" AS "t2" WHERE ...);
//! ```
//!
//! - SECURITY DEFINER: it runs as its owner, the role that applied `policies.sql`, which must be a
//!   superuser or have BYPASSRLS (`policies.sql` checks), so the query inside ignores the other
//!   table's policies. Policies that look at each other's tables (a patient readable by the
//!   doctor of one of its visits, a visit readable by its patient's doctor) therefore never
//!   recurse, neither when PostgreSQL expands policies nor while it runs them.
//! - The body is an SQL-standard body (`RETURN ...`), parsed when the function is created: its
//!   tables are bound then, so `search_path` (pinned to `pg_catalog, pg_temp`) cannot redirect them.
//! - Its parameters are the columns of the policy's row that it needs; the identity it reads
//!   itself, and every tenant-scoped row it reaches must be in the caller's tenant.
//! - A value lookup (one parameter: the first hop's key) is STRICT: a missing key is a missing value.
//! - A set lookup (no parameter, `RETURNS SETOF`, a `BEGIN ATOMIC` body) returns the keys a
//!   policy's row must have, when what it asks depends on nothing else of the row (`rows.rs`): the
//!   policy tests `"<key>" IN (SELECT "forge"."lookup_..."())`, which PostgreSQL computes once per
//!   statement and probes per row, where a value or condition lookup is called per row.
//!
//! Identical lookups (same parameter types, result and body) are created once and shared.

use std::collections::{BTreeMap, BTreeSet};

use forge_gen_sql::{Dialect, column_type};
use forge_schemas::{Expr, FieldRef, constraint_name};

use super::rows::Keys;
use super::{Compiler, Record};
use crate::identity::helper;
use crate::sql::Sql;

/// One lookup function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lookup {
    /// Its name in the schema `forge` (unquoted).
    pub name: String,
    /// The `CREATE FUNCTION` statement, one line per clause.
    pub lines: Vec<String>,
}

/// Every lookup function the policies need, in creation order.
#[derive(Default)]
pub(crate) struct Lookups {
    functions: Vec<Lookup>,
    /// Signature and body -> index in `functions`.
    by_body: BTreeMap<String, usize>,
    /// Every name given.
    names: BTreeSet<String>,
    /// How many of `functions` were handed out by [`Lookups::take_new`].
    taken: usize,
}

impl Lookups {
    /// The functions added since the last call, to be created before the policies that use them.
    pub fn take_new(&mut self) -> Vec<Lookup> {
        let new = self.functions[self.taken..].to_vec();
        self.taken = self.functions.len();
        new
    }

    /// The name of the function with these parts, creating it when it is new. Its name is
    /// `lookup_<stem>`, followed by `_2`, `_3`, ... when `numbered` or when the name is taken, and
    /// cut to 63 bytes with a hash (like constraint names) when longer.
    fn add(
        &mut self,
        stem: &[&str],
        numbered: bool,
        signature: Signature<'_>,
        body: &str,
    ) -> String {
        let Signature {
            params,
            returns,
            strict,
        } = signature;
        let key = format!("({}) {returns} {strict} {body}", params.join(", "));
        if let Some(&i) = self.by_body.get(&key) {
            return self.functions[i].name.clone();
        }
        let first = if numbered { 1 } else { 0 };
        let name = (first..)
            .map(|n| {
                let mut parts = vec!["lookup"];
                parts.extend_from_slice(&stem[..stem.len() - 1]);
                let last = stem[stem.len() - 1];
                match n {
                    0 => constraint_name(&parts.join("_"), &[], last),
                    n => constraint_name(&parts.join("_"), &[last], &n.to_string()),
                }
            })
            .find(|name| !self.names.contains(name))
            .expect("an endless supply of names");
        let strict = if strict { " STRICT" } else { "" };
        let lines = vec![
            format!(
                "CREATE FUNCTION {}({}) RETURNS {returns}",
                helper(&name),
                params.join(", ")
            ),
            format!(
                "  LANGUAGE sql STABLE{strict} SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
            ),
            // A set is returned by a query: `RETURN` takes one value.
            if returns.starts_with("SETOF ") {
                format!("  BEGIN ATOMIC {body}; END;")
            } else {
                format!("  RETURN {body};")
            },
        ];
        self.names.insert(name.clone());
        self.by_body.insert(key, self.functions.len());
        self.functions.push(Lookup {
            name: name.clone(),
            lines,
        });
        name
    }
}

/// A lookup's parameter types, result type, and whether it is STRICT.
struct Signature<'s> {
    params: &'s [String],
    returns: &'s str,
    strict: bool,
}

/// What is lifted into a lookup.
enum Lifted<'e> {
    /// A column of another row: the function returns it.
    Value(&'e FieldRef),
    /// A condition over other rows: the function returns it (never NULL).
    Condition(&'e Expr),
}

impl Compiler<'_, '_> {
    /// `record.a.b.field` in a policy: a call of a value lookup.
    pub(super) fn lift_value(&mut self, field: &FieldRef) -> Sql {
        self.lift(Lifted::Value(field))
    }

    /// `some`, `every` or `includes` on a relation of `record`, in a policy: the row's key in
    /// the keys a set lookup returns when the condition reads nothing else of the row (and sets
    /// are used: see [`Compiler::key_sets`]); a call of a condition lookup otherwise.
    pub(super) fn lift_condition(&mut self, expr: &Expr) -> Sql {
        if !self.key_sets() {
            return self.lift(Lifted::Condition(expr));
        }
        let mut inner = Compiler::direct(self.ir, self.model);
        let (keys, every) = inner.related_keys(expr);
        match &inner.record {
            Record::Params(params) if params.is_empty() => self.in_keys(&keys, every),
            _ => self.lift(Lifted::Condition(expr)),
        }
    }

    /// The set lookup that returns `keys` (no parameter), named `lookup_<stem>_<n>`: see
    /// [`Keys::stem`].
    pub(super) fn lift_keys(&mut self, keys: &Keys) -> String {
        let lifter = self
            .lifter
            .as_mut()
            .expect("lookups are lifted in policy mode only");
        let policy = [lifter.table.as_str(), lifter.action];
        let stem: Vec<&str> = match &keys.stem {
            Some(path) => path.iter().map(String::as_str).collect(),
            None => policy.to_vec(),
        };
        let returns = format!("SETOF {}", keys.sql_type);
        let signature = Signature {
            params: &[],
            returns: &returns,
            strict: false,
        };
        lifter.lookups.add(&stem, true, signature, &keys.select)
    }

    fn lift(&mut self, what: Lifted<'_>) -> Sql {
        let ir = self.ir;
        let mut inner = Compiler::direct(ir, self.model);
        // A value lookup is named after the row it starts from and the path it follows
        // (`lookup_patient_primary_doctor_user_id`); a condition after its policy
        // (`lookup_post_delete_1`).
        let mut stem: Vec<String> = Vec::new();
        let (body, returns, strict) = match what {
            Lifted::Value(field) => {
                let model = self.model_named(&field.model);
                let ty = &model
                    .field(&field.field)
                    .unwrap_or_else(|| panic!("{} has no field `{}`", model.name, field.field))
                    .ty;
                let first = self
                    .model
                    .relation(&field.hops[0])
                    .map(|r| self.model_named(&r.target).table.clone())
                    .unwrap_or_default();
                stem.push(first);
                stem.extend(field.hops[1..].iter().cloned());
                stem.push(field.field.clone());
                (
                    inner.hop_value(field),
                    column_type(Dialect::Postgres, ty, &ir.enums),
                    true,
                )
            }
            Lifted::Condition(expr) => {
                let lifter = self.lifter.as_ref().expect("policy mode");
                stem.push(lifter.table.clone());
                stem.push(lifter.action.to_string());
                (inner.cond(expr), "boolean".to_string(), false)
            }
        };
        let Record::Params(params) = inner.record else {
            unreachable!("a direct compiler binds `record` to parameters");
        };
        let types: Vec<String> = params
            .iter()
            .map(|column| {
                let field = self
                    .model
                    .field(column)
                    .unwrap_or_else(|| panic!("{} has no column `{column}`", self.model.name));
                column_type(Dialect::Postgres, &field.ty, &ir.enums)
            })
            .collect();
        // A STRICT function of no argument would always run; only value lookups have one.
        let strict = strict && !params.is_empty();
        let numbered = !strict;
        let lifter = self
            .lifter
            .as_mut()
            .expect("lookups are lifted in policy mode only");
        let stem: Vec<&str> = stem.iter().map(String::as_str).collect();
        let signature = Signature {
            params: &types,
            returns: &returns,
            strict,
        };
        let name = lifter.lookups.add(&stem, numbered, signature, &body.sql);
        let args: Vec<String> = params.iter().map(|c| self.record_column(c)).collect();
        Sql::atom(format!("{}({})", helper(&name), args.join(", ")))
    }
}
