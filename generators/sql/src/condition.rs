//! Conditions: the typed expressions of `check "..."` and partial-index `where=` compiled to SQL
//! that follows forge's missing-value rule instead of SQL's three-valued logic.
//!
//! Every compiled condition is TRUE or FALSE, never NULL: `x == null` is `x IS NULL`, `x != null`
//! is `x IS NOT NULL`, any other comparison or `in` with a missing operand is FALSE (so the
//! optional column is guarded: `("a" IS NOT NULL AND "a" = 'x')`), and a missing boolean is FALSE.
//! Since nothing is NULL, `NOT` is plain negation: `!(a == b)` is TRUE when `a` is missing. Enum
//! members order by declaration and strings by code point in every dialect.

use forge_schemas::{CmpOp, Enum, Expr, FieldRef, Literal, ValueType};

use crate::Dialect;
use crate::literal::{datetime_literal, literal};
use crate::types::enum_of;

/// `expr` as an SQL condition that is never NULL. Only literals, the record's own columns (no
/// relation hops), comparisons, `in`, `!`, `&&` and `||` appear in checks and index conditions;
/// the front end rejects anything else there.
pub(crate) fn condition(dialect: Dialect, enums: &[Enum], expr: &Expr) -> String {
    Compiler { dialect, enums }.cond(expr).sql
}

/// How tightly a piece of SQL binds, to know when it needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prec {
    /// A column, a literal, a comparison, a function call.
    Atom,
    Not,
    And,
    Or,
}

struct Sql {
    sql: String,
    prec: Prec,
}

impl Sql {
    fn atom(sql: impl Into<String>) -> Sql {
        Sql {
            sql: sql.into(),
            prec: Prec::Atom,
        }
    }

    /// The SQL, in parentheses unless it is an atom.
    fn operand(self) -> String {
        match self.prec {
            Prec::Atom => self.sql,
            _ => format!("({})", self.sql),
        }
    }
}

/// One side of a comparison.
#[derive(Clone)]
enum Operand<'e> {
    /// The literal `null`.
    Null,
    Literal(&'e Literal),
    Column(&'e FieldRef),
    /// A boolean sub-expression: never NULL.
    Condition(String),
}

struct Compiler<'a> {
    dialect: Dialect,
    enums: &'a [Enum],
}

impl Compiler<'_> {
    fn cond(&self, expr: &Expr) -> Sql {
        match expr {
            Expr::Literal {
                value: Literal::Bool(b),
            } => Sql::atom(if *b { "TRUE" } else { "FALSE" }),
            // A missing value used as a condition is false.
            Expr::Literal { .. } => Sql::atom("FALSE"),
            Expr::Field { field } => {
                let column = self.column(field);
                if field.optional {
                    Sql::atom(format!("COALESCE({column}, FALSE)"))
                } else {
                    Sql::atom(column)
                }
            }
            Expr::Not { expr } => Sql {
                sql: format!("NOT {}", self.cond(expr).operand()),
                prec: Prec::Not,
            },
            Expr::And { exprs } => self.join(exprs, "AND", Prec::And),
            Expr::Or { exprs } => self.join(exprs, "OR", Prec::Or),
            Expr::Compare { cmp, left, right } => {
                self.compare(*cmp, self.operand(left), self.operand(right))
            }
            Expr::In { value, list } => self.in_list(value, list),
            other => panic!(
                "a check or index condition holds only literals, the record's own columns, \
                 comparisons, in, !, && and ||; the front end let through {other:?}"
            ),
        }
    }

    fn join(&self, exprs: &[Expr], op: &str, prec: Prec) -> Sql {
        match exprs {
            [] => Sql::atom(if prec == Prec::And { "TRUE" } else { "FALSE" }),
            [one] => self.cond(one),
            _ => {
                let parts: Vec<String> = exprs
                    .iter()
                    .map(|e| {
                        // `a AND (b AND c)` is `a AND b AND c`; a mix of AND and OR keeps its parentheses.
                        let sql = self.cond(e);
                        if sql.prec == prec || !matches!(sql.prec, Prec::And | Prec::Or) {
                            sql.sql
                        } else {
                            format!("({})", sql.sql)
                        }
                    })
                    .collect();
                Sql {
                    sql: parts.join(&format!(" {op} ")),
                    prec,
                }
            }
        }
    }

    fn column(&self, field: &FieldRef) -> String {
        assert!(
            field.hops.is_empty(),
            "a check or index condition reads only the record's own columns, not `{}` through {:?}",
            field.field,
            field.hops
        );
        self.dialect.ident(&field.field)
    }

    fn operand<'e>(&self, expr: &'e Expr) -> Operand<'e> {
        match expr {
            Expr::Literal {
                value: Literal::Null,
            } => Operand::Null,
            Expr::Literal { value } => Operand::Literal(value),
            Expr::Field { field } => Operand::Column(field),
            other => Operand::Condition(self.cond(other).operand()),
        }
    }

    fn compare(&self, cmp: CmpOp, left: Operand<'_>, right: Operand<'_>) -> Sql {
        match (&left, &right) {
            (Operand::Null, Operand::Null) => return Sql::atom(bool_sql(cmp == CmpOp::Eq)),
            (Operand::Null, other) | (other, Operand::Null) => return self.null_test(cmp, other),
            _ => {}
        }
        let enum_order = match cmp {
            CmpOp::Eq | CmpOp::Ne => None,
            _ => self.ordered_enum(&left, &right),
        };
        let datetime = [&left, &right]
            .iter()
            .any(|s| matches!(s, Operand::Column(f) if f.ty == ValueType::Datetime));
        let mut guards = Vec::new();
        let mut sides = Vec::new();
        for side in [&left, &right] {
            if let Operand::Column(field) = side
                && field.optional
            {
                guards.push(format!("{} IS NOT NULL", self.column(field)));
            }
            sides.push(match (enum_order, side) {
                (Some(e), _) => self.enum_rank(e, side),
                (None, Operand::Literal(Literal::String(text))) if datetime => {
                    datetime_literal(self.dialect, text)
                }
                (None, _) => self.value(side),
            });
        }
        // Strings order by code point: PostgreSQL's "C" collation does that for UTF-8.
        if self.dialect == Dialect::Postgres
            && matches!(cmp, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
            && [&left, &right]
                .iter()
                .any(|s| matches!(s, Operand::Column(f) if f.ty == ValueType::String))
        {
            sides[0] = format!("{} COLLATE \"C\"", sides[0]);
        }
        let op = match cmp {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        };
        guards.push(format!("{} {op} {}", sides[0], sides[1]));
        guarded(guards)
    }

    /// `x == null` and `x != null`; any other comparison with `null` is false.
    fn null_test(&self, cmp: CmpOp, other: &Operand<'_>) -> Sql {
        let present = match other {
            Operand::Column(field) => {
                let column = self.column(field);
                return Sql::atom(match cmp {
                    CmpOp::Eq => format!("{column} IS NULL"),
                    CmpOp::Ne => format!("{column} IS NOT NULL"),
                    _ => "FALSE".into(),
                });
            }
            Operand::Null => false,
            Operand::Literal(_) | Operand::Condition(_) => true,
        };
        Sql::atom(match cmp {
            CmpOp::Eq => bool_sql(!present),
            CmpOp::Ne => bool_sql(present),
            _ => "FALSE",
        })
    }

    /// The enum whose declaration order an ordering comparison needs, where the dialect does not
    /// order enums by declaration itself (PostgreSQL does).
    fn ordered_enum(&self, left: &Operand<'_>, right: &Operand<'_>) -> Option<&Enum> {
        if self.dialect == Dialect::Postgres {
            return None;
        }
        [left, right].into_iter().find_map(|side| match side {
            Operand::Column(FieldRef {
                ty: ValueType::Enum { name },
                ..
            }) => Some(enum_of(self.enums, name)),
            _ => None,
        })
    }

    /// An enum operand as its position in the declaration.
    fn enum_rank(&self, e: &Enum, side: &Operand<'_>) -> String {
        match side {
            Operand::Literal(Literal::String(member)) => {
                match e.values.iter().position(|v| v == member) {
                    Some(i) => i.to_string(),
                    None => panic!("`{member}` is not a member of enum {}", e.name),
                }
            }
            Operand::Column(field) => {
                let arms: Vec<String> = e
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| format!("WHEN {} THEN {i}", self.dialect.string(v)))
                    .collect();
                format!("(CASE {} {} END)", self.column(field), arms.join(" "))
            }
            other => self.value(other),
        }
    }

    fn value(&self, side: &Operand<'_>) -> String {
        match side {
            Operand::Null => "NULL".into(),
            Operand::Literal(value) => literal(self.dialect, value),
            Operand::Column(field) => self.column(field),
            Operand::Condition(sql) => sql.clone(),
        }
    }

    /// `x in [a, b]`: false when `x` is missing; `null` members match nothing.
    fn in_list(&self, value: &Expr, list: &[Expr]) -> Sql {
        let members: Vec<&Expr> = list
            .iter()
            .filter(|e| {
                !matches!(
                    e,
                    Expr::Literal {
                        value: Literal::Null
                    }
                )
            })
            .collect();
        let value = self.operand(value);
        if matches!(value, Operand::Null) || members.is_empty() {
            return Sql::atom("FALSE");
        }
        if members.iter().any(|e| !matches!(e, Expr::Literal { .. })) {
            // Members that are not literals may be missing themselves: one comparison each.
            let parts: Vec<String> = members
                .iter()
                .map(|m| {
                    let sql = self.compare(CmpOp::Eq, value.clone(), self.operand(m));
                    if sql.prec == Prec::Atom {
                        sql.sql
                    } else {
                        format!("({})", sql.sql)
                    }
                })
                .collect();
            return Sql {
                sql: parts.join(" OR "),
                prec: if parts.len() > 1 {
                    Prec::Or
                } else {
                    Prec::Atom
                },
            };
        }
        let datetime = matches!(&value, Operand::Column(f) if f.ty == ValueType::Datetime);
        let items: Vec<String> = members
            .iter()
            .map(|m| match (datetime, self.operand(m)) {
                (true, Operand::Literal(Literal::String(text))) => {
                    datetime_literal(self.dialect, text)
                }
                (_, operand) => self.value(&operand),
            })
            .collect();
        let mut guards = Vec::new();
        if let Operand::Column(field) = &value
            && field.optional
        {
            guards.push(format!("{} IS NOT NULL", self.column(field)));
        }
        guards.push(format!("{} IN ({})", self.value(&value), items.join(", ")));
        guarded(guards)
    }
}

fn bool_sql(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

/// Conditions joined by AND: the null guards, then the test itself.
fn guarded(parts: Vec<String>) -> Sql {
    let prec = if parts.len() > 1 {
        Prec::And
    } else {
        Prec::Atom
    };
    Sql {
        sql: parts.join(" AND "),
        prec,
    }
}

#[cfg(test)]
mod tests {
    use forge_schemas::{FieldRef, RefBase};

    use super::*;

    fn col(name: &str, ty: ValueType, optional: bool) -> Expr {
        Expr::Field {
            field: FieldRef {
                base: RefBase::Record,
                base_model: "M".into(),
                hops: Vec::new(),
                model: "M".into(),
                field: name.into(),
                ty,
                optional,
            },
        }
    }

    fn lit(value: Literal) -> Expr {
        Expr::Literal { value }
    }

    fn cmp(cmp: CmpOp, left: Expr, right: Expr) -> Expr {
        Expr::Compare {
            cmp,
            left: Box::new(left),
            right: Box::new(right),
        }
    }

    fn pg(expr: &Expr) -> String {
        condition(Dialect::Postgres, &[], expr)
    }

    #[test]
    fn null_comparisons_test_presence() {
        let a = || col("a", ValueType::Integer, true);
        assert_eq!(
            pg(&cmp(CmpOp::Eq, a(), lit(Literal::Null))),
            "\"a\" IS NULL"
        );
        assert_eq!(
            pg(&cmp(CmpOp::Ne, lit(Literal::Null), a())),
            "\"a\" IS NOT NULL"
        );
        assert_eq!(pg(&cmp(CmpOp::Lt, a(), lit(Literal::Null))), "FALSE");
        assert_eq!(
            pg(&cmp(CmpOp::Eq, lit(Literal::Null), lit(Literal::Null))),
            "TRUE"
        );
    }

    #[test]
    fn a_missing_operand_makes_a_comparison_false() {
        let eq = cmp(
            CmpOp::Eq,
            col("a", ValueType::String, true),
            col("b", ValueType::String, true),
        );
        assert_eq!(
            pg(&eq),
            "\"a\" IS NOT NULL AND \"b\" IS NOT NULL AND \"a\" = \"b\""
        );
        let not = Expr::Not { expr: Box::new(eq) };
        assert_eq!(
            pg(&not),
            "NOT (\"a\" IS NOT NULL AND \"b\" IS NOT NULL AND \"a\" = \"b\")"
        );
        let required = cmp(
            CmpOp::Ne,
            col("a", ValueType::Integer, false),
            lit(Literal::Number("1".into())),
        );
        assert_eq!(pg(&required), "\"a\" <> 1");
    }

    #[test]
    fn a_missing_boolean_is_false() {
        assert_eq!(
            pg(&col("flag", ValueType::Boolean, true)),
            "COALESCE(\"flag\", FALSE)"
        );
        assert_eq!(pg(&col("flag", ValueType::Boolean, false)), "\"flag\"");
    }

    #[test]
    fn strings_order_by_code_point_in_postgres() {
        let lt = cmp(
            CmpOp::Lt,
            col("s", ValueType::String, false),
            lit(Literal::String("m".into())),
        );
        assert_eq!(pg(&lt), "\"s\" COLLATE \"C\" < 'm'");
        assert_eq!(condition(Dialect::Sqlite, &[], &lt), "\"s\" < 'm'");
    }

    #[test]
    fn enums_order_by_declaration() {
        let enums = [Enum {
            name: "E".into(),
            sql_name: "e".into(),
            values: vec!["b".into(), "a".into()],
        }];
        let ge = cmp(
            CmpOp::Ge,
            lit(Literal::String("a".into())),
            col("e", ValueType::Enum { name: "E".into() }, false),
        );
        assert_eq!(condition(Dialect::Postgres, &enums, &ge), "'a' >= \"e\"");
        assert_eq!(
            condition(Dialect::Mysql, &enums, &ge),
            "1 >= (CASE `e` WHEN 'b' THEN 0 WHEN 'a' THEN 1 END)"
        );
    }

    #[test]
    fn in_lists_skip_null_members_and_guard_the_value() {
        let list = |items: Vec<Expr>| Expr::In {
            value: Box::new(col("x", ValueType::Integer, true)),
            list: items,
        };
        let one = || lit(Literal::Number("1".into()));
        assert_eq!(
            pg(&list(vec![one(), lit(Literal::Null)])),
            "\"x\" IS NOT NULL AND \"x\" IN (1)"
        );
        assert_eq!(pg(&list(vec![lit(Literal::Null)])), "FALSE");
        assert_eq!(
            pg(&list(vec![one(), col("y", ValueType::Integer, true)])),
            "(\"x\" IS NOT NULL AND \"x\" = 1) OR (\"x\" IS NOT NULL AND \"y\" IS NOT NULL AND \"x\" = \"y\")"
        );
    }

    #[test]
    fn and_and_or_nest_with_parentheses_only_where_needed() {
        let flag = |n: &str| col(n, ValueType::Boolean, false);
        let e = Expr::Or {
            exprs: vec![
                flag("a"),
                Expr::Or {
                    exprs: vec![
                        flag("b"),
                        Expr::And {
                            exprs: vec![
                                flag("c"),
                                Expr::And {
                                    exprs: vec![flag("d"), flag("e")],
                                },
                            ],
                        },
                    ],
                },
            ],
        };
        assert_eq!(pg(&e), "\"a\" OR \"b\" OR (\"c\" AND \"d\" AND \"e\")");
    }
}
