//! The identity helpers: functions in the schema `forge` that read the request's identity from
//! the setting `forge.user` (a JSON object, set by `set_config('forge.user', '<json>', true)`).
//!
//! A missing or empty setting is the anonymous identity. Malformed JSON (or JSON that is not an
//! object) is anonymous too, and a malformed value (a tenant id that is not a uuid, a role that is
//! not a string, a number out of range) is missing: nothing here ever raises an error. Only the
//! JSON parse needs an exception handler (PostgreSQL 15 has no `pg_input_is_valid`); every other
//! conversion checks its text with a regular expression or a range before it casts, in a nested
//! `CASE`, whose order PostgreSQL guarantees.
//!
//! Policies call the `user_*` helpers as `(SELECT "forge"."user_id"())`: an uncorrelated scalar
//! subquery, which PostgreSQL evaluates once per statement (an InitPlan), not once per row.

use forge_schemas::{FieldType, Ir, UserAttr, constraint_name};

use crate::sql::{ident, qualified, string};

/// The schema that holds every function `policies.sql` creates.
pub(crate) const SCHEMA: &str = "forge";

/// The setting that carries the identity.
pub(crate) const SETTING: &str = "forge.user";

/// A helper of the schema `forge`, quoted: `"forge"."<name>"`.
pub(crate) fn helper(name: &str) -> String {
    qualified(SCHEMA, name)
}

/// `user.<attr>` as policies read it: once per statement.
pub(crate) fn user_value(attr: &UserAttr) -> String {
    format!("(SELECT {}())", helper(&function_name(attr)))
}

/// The helper function that returns `attr`.
fn function_name(attr: &UserAttr) -> String {
    match attr {
        UserAttr::Id => "user_id".into(),
        UserAttr::TenantId => "user_tenant_id".into(),
        UserAttr::Roles => "user_roles".into(),
        UserAttr::Claims => "user_claims".into(),
        UserAttr::Attribute { name } => attribute_function(name),
    }
}

/// `user_attr_<name>`, cut to 63 bytes with a hash (like constraint names) when longer.
fn attribute_function(name: &str) -> String {
    constraint_name("user", &["attr"], name)
}

/// The statements that create the schema `forge` and every identity helper `ir.identity` needs.
pub(crate) fn helpers(ir: &Ir) -> Vec<String> {
    let mut lines = vec![
        format!("CREATE SCHEMA {};", ident(SCHEMA)),
        String::new(),
        "-- The identity as a JSON object; NULL when the setting is missing, empty, not JSON or not an object.".into(),
        format!(
            "CREATE FUNCTION {}() RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $forge$",
            helper("identity")
        ),
        "DECLARE".into(),
        format!("  raw text := current_setting({}, true);", string(SETTING)),
        "  parsed jsonb;".into(),
        "BEGIN".into(),
        "  IF raw IS NULL OR btrim(raw) = '' THEN".into(),
        "    RETURN NULL;".into(),
        "  END IF;".into(),
        "  BEGIN".into(),
        "    parsed := raw::jsonb;".into(),
        "  EXCEPTION WHEN OTHERS THEN".into(),
        "    RETURN NULL;".into(),
        "  END;".into(),
        "  IF jsonb_typeof(parsed) <> 'object' THEN".into(),
        "    RETURN NULL;".into(),
        "  END IF;".into(),
        "  RETURN parsed;".into(),
        "END".into(),
        "$forge$;".into(),
        String::new(),
        "-- One JSON value as a value of a forge type, or NULL when it is missing or malformed.".into(),
    ];
    for (name, returns, body) in CONVERTERS {
        lines.push(format!(
            "CREATE FUNCTION {}(jsonb) RETURNS {returns} LANGUAGE sql STABLE RETURN {body};",
            helper(name)
        ));
    }
    lines.push(String::new());
    lines.push(
        "-- user.*: once per statement when called as (SELECT \"forge\".\"user_id\"()).".into(),
    );
    let identity = &ir.identity;
    lines.push(user_function(ir, "user_id", "id", &identity.id));
    lines.push(user_function(
        ir,
        "user_tenant_id",
        "tenant_id",
        &identity.tenant_id,
    ));
    for (function, key) in [("user_roles", "roles"), ("user_claims", "claims")] {
        lines.push(format!(
            "CREATE FUNCTION {}() RETURNS text[] LANGUAGE sql STABLE RETURN {}({}() -> {});",
            helper(function),
            helper("json_string_list"),
            helper("identity"),
            string(key)
        ));
    }
    for attribute in &identity.attributes {
        lines.push(user_function(
            ir,
            &attribute_function(&attribute.name),
            &attribute.name,
            &attribute.ty,
        ));
    }
    lines
}

/// `CREATE FUNCTION "forge"."<function>"()` returning the identity's `key`, typed `ty`.
fn user_function(ir: &Ir, function: &str, key: &str, ty: &FieldType) -> String {
    let value = format!("{}() -> {}", helper("identity"), string(key));
    let (returns, body) = match ty {
        FieldType::Enum { name } => {
            let e = ir
                .enum_(name)
                .unwrap_or_else(|| panic!("enum `{name}` of the identity is not in the IR"));
            let enum_type = ident(&e.sql_name);
            let members: Vec<String> = e.values.iter().map(|v| string(v)).collect();
            let body = format!(
                "(SELECT CASE WHEN v IN ({}) THEN v::{enum_type} END FROM (SELECT {}({value}) AS v) AS s)",
                members.join(", "),
                helper("json_text")
            );
            (enum_type, body)
        }
        other => {
            let (converter, returns) = converter(other);
            (
                returns.to_string(),
                format!("{}({value})", helper(converter)),
            )
        }
    };
    format!(
        "CREATE FUNCTION {}() RETURNS {returns} LANGUAGE sql STABLE RETURN {body};",
        helper(function)
    )
}

/// The converter of a non-enum type, and the type it returns.
fn converter(ty: &FieldType) -> (&'static str, &'static str) {
    match ty {
        FieldType::Uuid => ("json_uuid", "uuid"),
        FieldType::String { .. } | FieldType::Text => ("json_text", "text"),
        FieldType::Integer => ("json_integer", "integer"),
        FieldType::Bigint => ("json_bigint", "bigint"),
        FieldType::Decimal { .. } => ("json_numeric", "numeric"),
        FieldType::Float => ("json_float", "double precision"),
        FieldType::Boolean => ("json_boolean", "boolean"),
        FieldType::Date => ("json_date", "date"),
        FieldType::Datetime => ("json_datetime", "timestamptz"),
        FieldType::Json => ("json_value", "jsonb"),
        FieldType::Bytes => ("json_bytes", "bytea"),
        FieldType::Enum { .. } => unreachable!("enums are converted by their own CASE"),
    }
}

#[cfg(test)]
/// A calendar date's text is valid: `YYYY-MM-DD` (year 0001 to 9999), a day the month has.
/// `$1` is the text; the month length comes from `make_date`, which cannot fail once the regular
/// expression holds.
const DATE_OK: &str = "substr($1 #>> '{}', 9, 2)::integer <= extract(day FROM make_date(substr($1 #>> '{}', 1, 4)::integer, substr($1 #>> '{}', 6, 2)::integer, 1) + interval '1 month' - interval '1 day')";

/// The converters: name, returned type, body (over `$1`, a jsonb value). JSON `null` is missing in
/// every one of them.
const CONVERTERS: [(&str, &str, &str); 12] = [
    (
        "json_text",
        "text",
        "CASE WHEN jsonb_typeof($1) = 'string' THEN $1 #>> '{}' END",
    ),
    (
        "json_uuid",
        "uuid",
        "CASE WHEN jsonb_typeof($1) = 'string' THEN CASE WHEN ($1 #>> '{}') ~ '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$' THEN ($1 #>> '{}')::uuid END END",
    ),
    (
        "json_integer",
        "integer",
        "CASE WHEN jsonb_typeof($1) = 'number' THEN CASE WHEN $1::numeric = trunc($1::numeric) AND $1::numeric BETWEEN -2147483648 AND 2147483647 THEN $1::numeric::integer END END",
    ),
    (
        "json_bigint",
        "bigint",
        "CASE jsonb_typeof($1) WHEN 'number' THEN CASE WHEN $1::numeric = trunc($1::numeric) AND $1::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN $1::numeric::bigint END WHEN 'string' THEN CASE WHEN ($1 #>> '{}') ~ '^-?[0-9]{1,19}$' THEN CASE WHEN ($1 #>> '{}')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN ($1 #>> '{}')::bigint END END END",
    ),
    (
        "json_numeric",
        "numeric",
        "CASE WHEN jsonb_typeof($1) = 'number' THEN $1::numeric END",
    ),
    (
        "json_float",
        "double precision",
        "CASE WHEN jsonb_typeof($1) = 'number' THEN CASE WHEN abs($1::numeric) <= 1.7976931348623157e308 AND ($1::numeric = 0 OR abs($1::numeric) >= 2.2250738585072014e-308) THEN $1::numeric::double precision END END",
    ),
    (
        "json_boolean",
        "boolean",
        "CASE WHEN jsonb_typeof($1) = 'boolean' THEN $1::boolean END",
    ),
    (
        "json_date",
        "date",
        // The regular expression, then DATE_OK (inlined: a const cannot be built with format!).
        "CASE WHEN jsonb_typeof($1) = 'string' THEN CASE WHEN ($1 #>> '{}') ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND substr($1 #>> '{}', 1, 4) <> '0000' THEN CASE WHEN substr($1 #>> '{}', 9, 2)::integer <= extract(day FROM make_date(substr($1 #>> '{}', 1, 4)::integer, substr($1 #>> '{}', 6, 2)::integer, 1) + interval '1 month' - interval '1 day') THEN ($1 #>> '{}')::date END END END",
    ),
    (
        "json_datetime",
        "timestamptz",
        "CASE WHEN jsonb_typeof($1) = 'string' THEN CASE WHEN ($1 #>> '{}') ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$' AND substr($1 #>> '{}', 1, 4) <> '0000' THEN CASE WHEN substr($1 #>> '{}', 9, 2)::integer <= extract(day FROM make_date(substr($1 #>> '{}', 1, 4)::integer, substr($1 #>> '{}', 6, 2)::integer, 1) + interval '1 month' - interval '1 day') THEN (regexp_replace(overlay(($1 #>> '{}') placing ' ' from 11 for 1), '([Zz]|[+-][0-9]{2}:[0-9]{2})$', '')::timestamp - CASE WHEN right($1 #>> '{}', 1) IN ('Z', 'z') THEN interval '0 minutes' ELSE (CASE WHEN left(right($1 #>> '{}', 6), 1) = '-' THEN -1 ELSE 1 END) * (substr(right($1 #>> '{}', 6), 2, 2)::integer * 60 + substr(right($1 #>> '{}', 6), 5, 2)::integer) * interval '1 minute' END) AT TIME ZONE 'UTC' END END END",
    ),
    (
        "json_value",
        "jsonb",
        "CASE WHEN jsonb_typeof($1) <> 'null' THEN $1 END",
    ),
    (
        "json_bytes",
        "bytea",
        "CASE WHEN jsonb_typeof($1) = 'string' THEN convert_to($1 #>> '{}', 'UTF8') END",
    ),
    (
        "json_string_list",
        "text[]",
        "ARRAY(SELECT e #>> '{}' FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1) = 'array' THEN $1 END) AS x(e) WHERE jsonb_typeof(e) = 'string')",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_check_is_the_one_inlined() {
        let (_, _, date) = CONVERTERS[7];
        assert!(date.contains(DATE_OK));
        let (_, _, datetime) = CONVERTERS[8];
        assert!(datetime.contains(DATE_OK));
    }

    #[test]
    fn attribute_helpers_are_quoted_and_short() {
        assert_eq!(
            user_value(&UserAttr::Attribute {
                name: "plan".into()
            }),
            "(SELECT \"forge\".\"user_attr_plan\"())"
        );
        let long = "a".repeat(70);
        assert!(attribute_function(&long).len() <= 63);
    }
}
