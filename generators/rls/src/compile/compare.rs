//! Comparisons and `in` under forge's missing-value rule, and the order rules.
//!
//! - `x == null` is `x IS NULL`, `x != null` is `x IS NOT NULL`; `null == null` is TRUE.
//! - Any other comparison (or `in`, or `includes`) with a missing operand is FALSE: the test is
//!   guarded with `x IS NOT NULL AND ...` when every operand that may be missing is cheap to
//!   repeat (a column, a parameter, an identity value), and wrapped in `COALESCE(..., FALSE)`
//!   otherwise (a lookup, which should not run twice). The guard form keeps `"col" = $1`
//!   a top-level conjunct that an index can serve.
//! - Strings order by code point: `COLLATE "C"`. Enums order by declaration (PostgreSQL's enums
//!   do), uuids as lower-case text (PostgreSQL compares their bytes, which is the same order),
//!   numbers numerically (exact for integer, bigint and decimal), datetimes in time order.

use forge_schemas::CmpOp;

use super::{Operand, Val};
use crate::sql::{Prec, Sql};

/// `left <cmp> right`.
pub(super) fn compare(cmp: CmpOp, left: &Operand, right: &Operand) -> Sql {
    let (a, b) = match (left, right) {
        (Operand::Null, Operand::Null) => return Sql::bool(cmp == CmpOp::Eq),
        (Operand::Null, Operand::Value(v)) | (Operand::Value(v), Operand::Null) => {
            return null_test(cmp, v);
        }
        (Operand::Value(a), Operand::Value(b)) => (a, b),
    };
    let op = match cmp {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    };
    let ordering = !matches!(cmp, CmpOp::Eq | CmpOp::Ne);
    let left_sql = if ordering && a.string && b.string {
        format!("{} COLLATE \"C\"", a.sql.operand())
    } else {
        a.sql.operand()
    };
    let test = Sql::new(format!("{left_sql} {op} {}", b.sql.operand()), Prec::Cmp);
    guarded(test, &[a, b])
}

/// `v == null`, `v != null`; any ordering with `null` is false.
fn null_test(cmp: CmpOp, v: &Val) -> Sql {
    match cmp {
        CmpOp::Eq if v.nullable => Sql::new(format!("{} IS NULL", v.sql.operand()), Prec::Cmp),
        CmpOp::Ne if v.nullable => Sql::new(format!("{} IS NOT NULL", v.sql.operand()), Prec::Cmp),
        // A value that cannot be missing is never null.
        CmpOp::Eq => Sql::bool(false),
        CmpOp::Ne => Sql::bool(true),
        _ => Sql::bool(false),
    }
}

/// `test` (which is NULL when one of `values` is) made TRUE or FALSE: FALSE when a value is missing.
pub(super) fn guarded(test: Sql, values: &[&Val]) -> Sql {
    let nullable: Vec<&&Val> = values.iter().filter(|v| v.nullable).collect();
    if nullable.is_empty() {
        return test;
    }
    if nullable.iter().all(|v| v.repeatable) {
        let mut parts: Vec<String> = nullable
            .iter()
            .map(|v| format!("{} IS NOT NULL", v.sql.operand()))
            .collect();
        parts.push(test.within(Prec::And));
        return Sql::new(parts.join(" AND "), Prec::And);
    }
    Sql::atom(format!("COALESCE({}, FALSE)", test.sql))
}

/// `value in [members]`: FALSE when the value is missing; a missing member matches nothing.
pub(super) fn in_list(value: &Operand, members: &[Operand]) -> Sql {
    let Operand::Value(v) = value else {
        return Sql::bool(false);
    };
    let members: Vec<&Val> = members
        .iter()
        .filter_map(|m| match m {
            Operand::Null => None,
            Operand::Value(m) => Some(m),
        })
        .collect();
    if members.is_empty() {
        return Sql::bool(false);
    }
    if members.iter().any(|m| m.nullable) {
        // A member that may be missing: one comparison each, each FALSE when its member is.
        let parts = members
            .iter()
            .map(|m| compare(CmpOp::Eq, value, &Operand::Value((*m).clone())))
            .collect();
        return crate::sql::or(parts);
    }
    let list: Vec<String> = members.iter().map(|m| m.sql.operand()).collect();
    let test = Sql::new(
        format!("{} IN ({})", v.sql.operand(), list.join(", ")),
        Prec::Cmp,
    );
    guarded(test, &[v])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(sql: &str, nullable: bool, repeatable: bool, string: bool) -> Operand {
        Operand::Value(Val {
            sql: Sql::atom(sql),
            nullable,
            repeatable,
            string,
        })
    }

    #[test]
    fn null_comparisons_test_presence() {
        let a = val("\"a\"", true, true, false);
        assert_eq!(compare(CmpOp::Eq, &a, &Operand::Null).sql, "\"a\" IS NULL");
        assert_eq!(
            compare(CmpOp::Ne, &Operand::Null, &a).sql,
            "\"a\" IS NOT NULL"
        );
        assert_eq!(compare(CmpOp::Lt, &a, &Operand::Null).sql, "FALSE");
        assert_eq!(
            compare(CmpOp::Eq, &Operand::Null, &Operand::Null).sql,
            "TRUE"
        );
        let required = val("\"b\"", false, true, false);
        assert_eq!(compare(CmpOp::Eq, &required, &Operand::Null).sql, "FALSE");
    }

    #[test]
    fn a_missing_operand_makes_the_comparison_false() {
        let col = val("\"owner_id\"", false, true, false);
        let user = val("(SELECT u())", true, true, false);
        assert_eq!(
            compare(CmpOp::Eq, &col, &user).sql,
            "(SELECT u()) IS NOT NULL AND \"owner_id\" = (SELECT u())"
        );
        let lookup = val("f(\"x\")", true, false, false);
        assert_eq!(
            compare(CmpOp::Ne, &lookup, &user).sql,
            "COALESCE(f(\"x\") <> (SELECT u()), FALSE)"
        );
    }

    #[test]
    fn strings_order_by_code_point() {
        let s = val("\"name\"", false, true, true);
        let lit = val("'m'", false, true, true);
        assert_eq!(
            compare(CmpOp::Lt, &s, &lit).sql,
            "\"name\" COLLATE \"C\" < 'm'"
        );
        assert_eq!(compare(CmpOp::Eq, &s, &lit).sql, "\"name\" = 'm'");
        let uuid = val("\"id\"", false, true, false);
        assert_eq!(compare(CmpOp::Lt, &lit, &uuid).sql, "'m' < \"id\"");
    }

    #[test]
    fn in_lists_guard_the_value_and_skip_null_members() {
        let x = val("\"x\"", true, true, false);
        let one = val("1", false, true, false);
        assert_eq!(
            in_list(&x, &[one.clone(), Operand::Null]).sql,
            "\"x\" IS NOT NULL AND \"x\" IN (1)"
        );
        assert_eq!(in_list(&x, &[Operand::Null]).sql, "FALSE");
        let y = val("\"y\"", true, true, false);
        assert_eq!(
            in_list(&x, &[one, y]).sql,
            "(\"x\" IS NOT NULL AND \"x\" = 1) OR (\"x\" IS NOT NULL AND \"y\" IS NOT NULL AND \"x\" = \"y\")"
        );
    }
}
