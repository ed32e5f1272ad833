//! Comparisons and `in` under forge's missing-value rule, and the order rules, in SQLite and
//! MySQL.
//!
//! - `x == null` is `x IS NULL`, `x != null` is `x IS NOT NULL`; `null == null` is TRUE.
//! - Any other comparison (or `in`) with a missing operand is FALSE. `a == b` where only one side
//!   may be missing is a null-safe equality (`IS` in SQLite, `<=>` in MySQL: FALSE against NULL,
//!   and still served by an index, as the tenant guard needs). Otherwise every operand that may be
//!   missing and is cheap to repeat (a column, a literal, an identity value) is tested with
//!   `x IS NOT NULL AND ...`, and the test is wrapped in `COALESCE(..., FALSE)` when one is not
//!   (a subquery, which should not run twice).
//! - Strings compare by code point: UTF-8 bytes, so `COLLATE BINARY` in SQLite (whatever the
//!   column's collation) and binary strings in MySQL (`utf8mb4_bin` ignores trailing spaces).
//! - Enum members order by declaration: both sides become their position (`CASE`), since SQLite
//!   stores the name. Uuids are lower-case text in both (ordering as text is the language's
//!   order). Datetimes: SQLite holds canonical UTC text, which sorts in time order; MySQL a
//!   `DATETIME(6)` in UTC, so literals become one.
//! - Numbers compare numerically; an integer or bigint against a literal with a fraction compares
//!   with the integer next to it (`x < 2.5` is `x <= 2`), which stays exact beyond 2^53 where
//!   SQLite would round the literal to a double.

use forge_gen_sql::{Dialect, datetime_literal};
use forge_schemas::{CmpOp, Enum, Literal, ValueType};

use super::Compiler;
use crate::identity::{binary, text_left};
use crate::sql::{Prec, Sql, or};

/// A value: its SQL and what the missing-value rule needs to know about it.
#[derive(Clone)]
pub(crate) struct Val {
    pub sql: Sql,
    /// It can be NULL (missing).
    pub nullable: bool,
    /// Cheap to write twice: a null test may repeat it.
    pub repeatable: bool,
    pub ty: ValueType,
    /// The literal it is, rendered for the type it meets.
    pub literal: Option<Literal>,
}

/// One side of a comparison.
#[derive(Clone)]
pub(crate) enum Operand {
    /// The literal `null`.
    Null,
    Value(Val),
}

/// How two values compare.
enum Kind<'e> {
    /// Strings, by code point.
    Text,
    /// Enum members, by declaration when ordering.
    Enum(&'e Enum),
    Datetime,
    Date,
    /// A float against a number: both as doubles, as PostgreSQL compares them (an integer beyond
    /// 2^53 loses its last digits, exactly as there).
    Float,
    /// Anything else: numbers, booleans, uuids, with the dialect's own operators.
    Plain,
}

impl<'a> Compiler<'a> {
    /// `left <cmp> right`.
    pub(crate) fn compare(&mut self, cmp: CmpOp, left: Operand, right: Operand) -> Sql {
        let (a, b) = match (left, right) {
            (Operand::Null, Operand::Null) => return Sql::bool(cmp == CmpOp::Eq),
            (Operand::Null, Operand::Value(v)) | (Operand::Value(v), Operand::Null) => {
                return null_test(cmp, &v);
            }
            (Operand::Value(a), Operand::Value(b)) => (a, b),
        };
        if let Some(sql) = self.against_fraction(cmp, &a, &b) {
            return sql;
        }
        let kind = self.kind(&a.ty, &b.ty);
        let ordering = !matches!(cmp, CmpOp::Eq | CmpOp::Ne);
        let left = self.render(&a, &kind, ordering, true);
        let right = self.render(&b, &kind, ordering, false);
        if cmp == CmpOp::Eq && (a.nullable || b.nullable) {
            let null_safe = match self.dialect() {
                Dialect::Mysql => "<=>",
                _ => "IS",
            };
            let test = Sql::new(format!("{left} {null_safe} {right}"), Prec::Cmp);
            // One side is never NULL: the null-safe equality is FALSE against a missing value.
            if !(a.nullable && b.nullable) {
                return test;
            }
            if let Some(guard) = [&a, &b].into_iter().find(|v| v.repeatable) {
                return crate::sql::and(vec![present(guard), test]);
            }
        }
        let op = match cmp {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        };
        let test = Sql::new(format!("{left} {op} {right}"), Prec::Cmp);
        guarded(test, &[&a, &b])
    }

    /// `value in [members]`: FALSE when the value is missing; a missing member matches nothing.
    pub(crate) fn in_list(&mut self, value: Operand, members: Vec<Operand>) -> Sql {
        let Operand::Value(v) = value else {
            return Sql::bool(false);
        };
        let integral = is_integral(&v.ty);
        let members: Vec<Val> = members
            .into_iter()
            .filter_map(|m| match m {
                Operand::Null => None,
                Operand::Value(m) => Some(m),
            })
            // An integer is never equal to a number with a fraction.
            .filter(|m| !(integral && fraction(m).is_some()))
            .collect();
        if members.is_empty() {
            return Sql::bool(false);
        }
        if members.iter().any(|m| m.nullable) {
            // Members that may be missing: one comparison each, each FALSE when its member is.
            let parts = members
                .into_iter()
                .map(|m| self.compare(CmpOp::Eq, Operand::Value(v.clone()), Operand::Value(m)))
                .collect();
            return or(parts);
        }
        let kind = self.kind(&v.ty, &members[0].ty);
        let list: Vec<String> = members
            .iter()
            .map(|m| self.render(m, &kind, false, false))
            .collect();
        let test = Sql::new(
            format!(
                "{} IN ({})",
                self.render(&v, &kind, false, true),
                list.join(", ")
            ),
            Prec::Cmp,
        );
        guarded(test, &[&v])
    }

    /// How values of types `a` and `b` compare (a string literal takes the other side's type).
    fn kind(&self, a: &ValueType, b: &ValueType) -> Kind<'a> {
        let either = |f: fn(&ValueType) -> bool| f(a) || f(b);
        if let Some(name) = [a, b].into_iter().find_map(|t| match t {
            ValueType::Enum { name } => Some(name),
            _ => None,
        }) {
            return Kind::Enum(self.enum_named(name));
        }
        if either(|t| *t == ValueType::Datetime) {
            Kind::Datetime
        } else if either(|t| *t == ValueType::Date) {
            Kind::Date
        } else if *a == ValueType::String && *b == ValueType::String {
            Kind::Text
        } else if either(|t| *t == ValueType::Float) {
            Kind::Float
        } else {
            Kind::Plain
        }
    }

    /// `v` as an operand of a comparison of `kind` (`left`: the left operand).
    fn render(&self, v: &Val, kind: &Kind<'_>, ordering: bool, left: bool) -> String {
        let d = self.dialect();
        match (&v.literal, kind) {
            (Some(Literal::String(member)), Kind::Enum(e)) if ordering => {
                rank(e, member).to_string()
            }
            (None, Kind::Enum(e)) if ordering => {
                let arms: Vec<String> = e
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, m)| format!("WHEN {} THEN {i}", d.string(m)))
                    .collect();
                format!("CASE {} {} END", v.sql.operand(), arms.join(" "))
            }
            (Some(Literal::String(text)), Kind::Datetime) if d == Dialect::Mysql => {
                format!("CAST({} AS DATETIME(6))", datetime_literal(d, text))
            }
            (Some(Literal::String(text)), Kind::Date) if d == Dialect::Mysql => {
                format!("CAST({} AS DATE)", d.string(text))
            }
            (_, Kind::Float) if v.ty != ValueType::Float => {
                let double = if d == Dialect::Mysql {
                    "DOUBLE"
                } else {
                    "REAL"
                };
                format!("CAST({} AS {double})", v.sql.operand())
            }
            (_, Kind::Text) if left => text_left(d, &v.sql.operand()),
            (_, Kind::Text) => binary(d, &v.sql.operand()),
            _ => v.sql.operand(),
        }
    }

    /// The enum called `name`.
    fn enum_named(&self, name: &str) -> &'a Enum {
        let ir: &'a forge_schemas::Ir = self.ir;
        ir.enum_(name)
            .unwrap_or_else(|| panic!("enum `{name}` is not in the IR"))
    }

    /// An integer or bigint against a number literal with a fraction: the comparison with the
    /// integer next to the literal, or `None` when no side is such a pair.
    fn against_fraction(&mut self, cmp: CmpOp, a: &Val, b: &Val) -> Option<Sql> {
        let (value, text, cmp) = if is_integral(&a.ty) {
            (a, fraction(b)?, cmp)
        } else if is_integral(&b.ty) {
            (b, fraction(a)?, mirror(cmp))
        } else {
            return None;
        };
        let (whole, _) = text.split_once('.')?;
        // Beyond i128 the literal is beyond every bigint: SQL compares it exactly as it is.
        let truncated: i128 = whole.parse().ok()?;
        let negative = text.starts_with('-');
        let (floor, ceil) = if negative {
            (truncated - 1, truncated)
        } else {
            (truncated, truncated + 1)
        };
        let bound = |n: i128| {
            let literal = Literal::Number(n.to_string());
            Operand::Value(self.literal(&literal))
        };
        let value = Operand::Value(value.clone());
        Some(match cmp {
            CmpOp::Eq => Sql::bool(false),
            CmpOp::Ne => match &value {
                Operand::Value(v) if v.nullable => present(v),
                _ => Sql::bool(true),
            },
            CmpOp::Lt | CmpOp::Le => {
                let floor = bound(floor);
                self.compare(CmpOp::Le, value, floor)
            }
            CmpOp::Gt | CmpOp::Ge => {
                let ceil = bound(ceil);
                self.compare(CmpOp::Ge, value, ceil)
            }
        })
    }
}

/// `v == null`, `v != null`; any ordering with `null` is false.
fn null_test(cmp: CmpOp, v: &Val) -> Sql {
    match cmp {
        CmpOp::Eq if v.nullable => Sql::new(format!("{} IS NULL", v.sql.operand()), Prec::Cmp),
        CmpOp::Ne if v.nullable => present(v),
        // A value that cannot be missing is never null.
        CmpOp::Eq => Sql::bool(false),
        CmpOp::Ne => Sql::bool(true),
        _ => Sql::bool(false),
    }
}

/// `v IS NOT NULL`.
fn present(v: &Val) -> Sql {
    Sql::new(format!("{} IS NOT NULL", v.sql.operand()), Prec::Cmp)
}

/// `test` (NULL when one of `values` is) made TRUE or FALSE: FALSE when a value is missing.
fn guarded(test: Sql, values: &[&Val]) -> Sql {
    let nullable: Vec<&&Val> = values.iter().filter(|v| v.nullable).collect();
    if nullable.is_empty() {
        return test;
    }
    if nullable.iter().all(|v| v.repeatable) {
        let mut parts: Vec<Sql> = nullable.iter().map(|v| present(v)).collect();
        parts.push(test);
        return crate::sql::and(parts);
    }
    Sql::atom(format!("COALESCE({}, FALSE)", test.text))
}

/// The text of a number literal with a fraction (canonical: its fraction is never all zeros).
fn fraction(v: &Val) -> Option<&str> {
    match &v.literal {
        Some(Literal::Number(text)) if text.contains('.') => Some(text),
        _ => None,
    }
}

fn is_integral(ty: &ValueType) -> bool {
    matches!(ty, ValueType::Integer | ValueType::Bigint)
}

/// `a <cmp> b` as `b <mirror> a`.
fn mirror(cmp: CmpOp) -> CmpOp {
    match cmp {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        same => same,
    }
}

/// The position of `member` in `e`'s declaration.
fn rank(e: &Enum, member: &str) -> usize {
    e.values
        .iter()
        .position(|v| v == member)
        .unwrap_or_else(|| panic!("`{member}` is not a member of enum {}", e.name))
}
