//! What PostgreSQL has beside tables and SQLite lacks: the enum types of `current_schema()` with
//! their values in order, each table's row-level security and policies, views and triggers,
//! and the functions of the schema `forge` (the row-level security's helpers and lookups).

use forge_migrate::{LivePolicy, LiveSchema};

use super::{Catalog, Tables, object};
use crate::HISTORY_TABLE;
use crate::error::DbError;

/// The schema of the functions `rls/policies.sql` creates.
const RLS_SCHEMA: &str = "forge";

/// Enums, policies, views, triggers and functions of the connection's schema into `live` and
/// `tables`.
pub(super) fn objects(
    catalog: &mut Catalog<'_>,
    tables: &mut Tables,
    live: &mut LiveSchema,
) -> Result<(), DbError> {
    let sql = "SELECT t.typname::text, e.enumlabel::text FROM pg_catalog.pg_type t \
               JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
               LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid \
               WHERE n.nspname = current_schema() AND t.typtype = 'e' \
               ORDER BY t.typname, e.enumsortorder";
    for row in catalog.rows("the enum types", sql, &[])? {
        let values = live.enums.entry(row.text(0)).or_default();
        values.extend(row.get(1));
    }
    policies(catalog, tables)?;
    let sql = "SELECT c.relname::text, c.relkind::text, pg_catalog.pg_get_viewdef(c.oid) \
               FROM pg_catalog.pg_class c \
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
               WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm') \
               ORDER BY c.relname";
    for row in catalog.rows("the views", sql, &[])? {
        let kind = if row.text(1) == "m" {
            "materialized view"
        } else {
            "view"
        };
        live.others.insert(row.text(0), object(kind, row.text(2)));
    }
    let sql = "SELECT c.relname::text, g.tgname::text, pg_catalog.pg_get_triggerdef(g.oid) \
               FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid \
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
               WHERE n.nspname = current_schema() AND NOT g.tgisinternal \
               ORDER BY c.relname, g.tgname";
    for row in catalog.rows("the triggers", sql, &[])? {
        if row.text(0) != HISTORY_TABLE {
            let name = format!("{}.{}", row.text(0), row.text(1));
            live.others.insert(name, object("trigger", row.text(2)));
        }
    }
    // Aggregates and window functions have no definition to show.
    let sql = "SELECT p.proname::text || '(' \
                 || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', \
                 pg_catalog.pg_get_functiondef(p.oid) \
               FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
               WHERE n.nspname = $1 AND p.prokind IN ('f', 'p') ORDER BY 1";
    for row in catalog.rows("the functions", sql, &[RLS_SCHEMA])? {
        let name = format!("{RLS_SCHEMA}.{}", row.text(0));
        live.others.insert(name, object("function", row.text(1)));
    }
    Ok(())
}

fn policies(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<(), DbError> {
    const FROM: &str = "FROM pg_catalog.pg_policy p \
                        JOIN pg_catalog.pg_class c ON c.oid = p.polrelid \
                        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
    let sql = format!(
        "SELECT c.relname::text, p.polname::text, p.polcmd::text, p.polpermissive::text, \
           pg_catalog.pg_get_expr(p.polqual, p.polrelid), \
           pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) \
         {FROM} WHERE n.nspname = current_schema() ORDER BY c.relname, p.polname"
    );
    for row in catalog.rows("the policies", &sql, &[])? {
        let Some(table) = tables.get(&row.text(0)) else {
            continue;
        };
        let command = match row.text(2).as_str() {
            "r" => "SELECT",
            "a" => "INSERT",
            "w" => "UPDATE",
            "d" => "DELETE",
            _ => "ALL",
        };
        let policy = LivePolicy {
            command: command.to_string(),
            permissive: row.flag(3),
            roles: Vec::new(),
            using: row.get(4),
            with_check: row.get(5),
        };
        table.policies.insert(row.text(1), policy);
    }
    // Role 0 is PUBLIC: every role.
    let sql = format!(
        "SELECT c.relname::text, p.polname::text, \
           CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.oid)::text END \
         {FROM} CROSS JOIN LATERAL unnest(p.polroles) AS r(oid) \
         WHERE n.nspname = current_schema() ORDER BY 1, 2, 3"
    );
    for row in catalog.rows("the policies' roles", &sql, &[])? {
        let policy = tables
            .get(&row.text(0))
            .and_then(|table| table.policies.get_mut(&row.text(1)));
        if let Some(policy) = policy {
            policy.roles.push(row.text(2));
            policy.roles.sort();
        }
    }
    Ok(())
}
