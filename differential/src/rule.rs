//! Rules as the test generates them: an AST of forge's expression language that prints as the
//! text a user would write (the front end then parses and type-checks it like any schema), and
//! the one-step simplifications a failing case is shrunk with.

use std::fmt;

use forge_schemas::Action;

/// The rules of one task model: its policies and its permission lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSet {
    /// `policy <action> "<cond>"`, at most one per action.
    pub policies: Vec<(Action, Cond)>,
    pub permissions: Vec<PermissionLine>,
}

/// `<action> <role>... [if="<cond>"]` in the `permissions` block.
#[derive(Clone, Debug, PartialEq)]
pub struct PermissionLine {
    pub action: Action,
    pub roles: Vec<String>,
    pub condition: Option<Cond>,
}

/// A condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Bool(bool),
    /// A boolean value used as a condition: `record.done`.
    Truthy(Operand),
    Compare(Op, Operand, Operand),
    /// `value in [members]`.
    In(Operand, Vec<Operand>),
    /// `user.roles.includes(v)` (`claims`: false) .
    ListIncludes {
        claims: bool,
        value: Operand,
    },
    /// `record.tags.includes(v)`.
    RelIncludes(Path, Operand),
    /// `record.notes.some(x => body)` (`every`: true).
    Quantified {
        every: bool,
        path: Path,
        var: String,
        body: Box<Cond>,
    },
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

/// A comparison operator, as written (`===` is `==`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    StrictEq,
    Ne,
    StrictNe,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    /// Every operator.
    pub const ALL: [Op; 8] = [
        Op::Eq,
        Op::StrictEq,
        Op::Ne,
        Op::StrictNe,
        Op::Lt,
        Op::Le,
        Op::Gt,
        Op::Ge,
    ];

    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::StrictEq => "===",
            Op::Ne => "!=",
            Op::StrictNe => "!==",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    /// True for `==`, `!=` and their strict forms.
    pub fn is_equality(self) -> bool {
        matches!(self, Op::Eq | Op::StrictEq | Op::Ne | Op::StrictNe)
    }
}

/// Where a reference starts: `record`, or the variable of an enclosing quantifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    Record,
    Var(String),
}

/// One side of a comparison, a member of a list, or an argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `record.project.team.name`: a base, belongs-to hops, a column.
    Field {
        base: Base,
        hops: Vec<String>,
        field: String,
    },
    /// `user.<attribute>`.
    User(String),
    Literal(Literal),
}

/// A literal as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    /// A number's text: `-1`, `2.5`.
    Number(String),
    String(String),
}

/// A to-many relation: a base, belongs-to hops, the relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub base: Base,
    pub hops: Vec<String>,
    pub relation: String,
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base::Record => f.write_str("record"),
            Base::Var(name) => f.write_str(name),
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.base)?;
        for hop in &self.hops {
            write!(f, ".{hop}")?;
        }
        write!(f, ".{}", self.relation)
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Number(text) => f.write_str(text),
            Literal::String(text) => {
                f.write_str("'")?;
                for c in text.chars() {
                    match c {
                        '\'' => f.write_str("\\'")?,
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        '\t' => f.write_str("\\t")?,
                        c => write!(f, "{c}")?,
                    }
                }
                f.write_str("'")
            }
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Field { base, hops, field } => {
                write!(f, "{base}")?;
                for hop in hops {
                    write!(f, ".{hop}")?;
                }
                write!(f, ".{field}")
            }
            Operand::User(attr) => write!(f, "user.{attr}"),
            Operand::Literal(literal) => write!(f, "{literal}"),
        }
    }
}

/// Binding strength, loosest first, as in the language's grammar.
const OR: u8 = 1;
const AND: u8 = 2;
const EQUALITY: u8 = 3;
const RELATIONAL: u8 = 4;
const UNARY: u8 = 5;
const ATOM: u8 = 6;

impl Cond {
    fn level(&self) -> u8 {
        match self {
            Cond::Or(_) => OR,
            Cond::And(_) => AND,
            Cond::Compare(op, ..) if op.is_equality() => EQUALITY,
            Cond::Compare(..) | Cond::In(..) => RELATIONAL,
            Cond::Not(_) => UNARY,
            _ => ATOM,
        }
    }

    /// `self` written where at least `level` binds: in parentheses when it binds less.
    fn write_at(&self, f: &mut fmt::Formatter<'_>, level: u8) -> fmt::Result {
        if self.level() < level {
            write!(f, "({self})")
        } else {
            write!(f, "{self}")
        }
    }

    /// How many nodes the condition has (operands count one each, constants none, the parts of
    /// `&&` and `||` one more each): the size
    /// shrinking reduces, which every step of [`Cond::simpler`] does.
    pub fn size(&self) -> usize {
        match self {
            Cond::Bool(_) => 0,
            Cond::Truthy(_) | Cond::ListIncludes { .. } => 1,
            Cond::Compare(..) | Cond::RelIncludes(..) => 2,
            Cond::In(_, members) => 1 + members.len(),
            Cond::Quantified { body, .. } => 1 + body.size(),
            Cond::Not(inner) => 1 + inner.size(),
            Cond::And(parts) | Cond::Or(parts) => {
                1 + parts.iter().map(|p| 1 + p.size()).sum::<usize>()
            }
        }
    }

    /// The conditions one step simpler than `self`, simplest first: a constant, a part in place
    /// of the whole, a part dropped, a part simplified.
    pub fn simpler(&self) -> Vec<Cond> {
        let mut out = Vec::new();
        if !matches!(self, Cond::Bool(_)) {
            out.extend([Cond::Bool(false), Cond::Bool(true)]);
        }
        match self {
            Cond::Bool(_)
            | Cond::Truthy(_)
            | Cond::Compare(..)
            | Cond::ListIncludes { .. }
            | Cond::RelIncludes(..) => {}
            Cond::In(value, members) if members.len() > 1 => {
                for i in 0..members.len() {
                    let mut fewer = members.clone();
                    fewer.remove(i);
                    out.push(Cond::In(value.clone(), fewer));
                }
            }
            Cond::In(..) => {}
            Cond::Quantified {
                every,
                path,
                var,
                body,
            } => {
                for simpler in body.simpler() {
                    out.push(Cond::Quantified {
                        every: *every,
                        path: path.clone(),
                        var: var.clone(),
                        body: Box::new(simpler),
                    });
                }
            }
            Cond::Not(inner) => {
                out.push((**inner).clone());
                out.extend(inner.simpler().into_iter().map(|c| Cond::Not(Box::new(c))));
            }
            Cond::And(parts) | Cond::Or(parts) => {
                let rebuild = |parts: Vec<Cond>| match self {
                    Cond::And(_) => Cond::And(parts),
                    _ => Cond::Or(parts),
                };
                out.extend(parts.iter().cloned());
                if parts.len() > 2 {
                    for i in 0..parts.len() {
                        let mut fewer = parts.clone();
                        fewer.remove(i);
                        out.push(rebuild(fewer));
                    }
                }
                for (i, part) in parts.iter().enumerate() {
                    for simpler in part.simpler() {
                        let mut changed = parts.clone();
                        changed[i] = simpler;
                        out.push(rebuild(changed));
                    }
                }
            }
        }
        out
    }
}

impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cond::Bool(b) => write!(f, "{b}"),
            Cond::Truthy(value) => write!(f, "{value}"),
            Cond::Compare(op, left, right) => write!(f, "{left} {} {right}", op.symbol()),
            Cond::In(value, members) => {
                write!(f, "{value} in [")?;
                for (i, member) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{member}")?;
                }
                f.write_str("]")
            }
            Cond::ListIncludes { claims, value } => {
                let list = if *claims { "claims" } else { "roles" };
                write!(f, "user.{list}.includes({value})")
            }
            Cond::RelIncludes(path, value) => write!(f, "{path}.includes({value})"),
            Cond::Quantified {
                every,
                path,
                var,
                body,
            } => {
                let name = if *every { "every" } else { "some" };
                write!(f, "{path}.{name}({var} => {body})")
            }
            Cond::Not(inner) => {
                f.write_str("!")?;
                inner.write_at(f, UNARY)
            }
            Cond::And(parts) | Cond::Or(parts) => {
                let (level, symbol) = match self {
                    Cond::And(_) => (AND, " && "),
                    _ => (OR, " || "),
                };
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(symbol)?;
                    }
                    // `a && (b && c)` means `a && b && c`: only looser parts need parentheses.
                    part.write_at(f, level)?;
                }
                Ok(())
            }
        }
    }
}

impl RuleSet {
    /// How many nodes its conditions have, plus one per rule.
    pub fn size(&self) -> usize {
        let policies: usize = self.policies.iter().map(|(_, c)| 1 + c.size()).sum();
        let lines: usize = self
            .permissions
            .iter()
            .map(|l| 1 + l.roles.len() + l.condition.as_ref().map_or(0, |c| 1 + c.size()))
            .sum();
        policies + lines
    }

    /// The rule sets one step simpler than `self`, simplest first: a rule dropped, a permission
    /// line's condition or roles dropped, a condition simplified.
    pub fn simpler(&self) -> Vec<RuleSet> {
        let mut out = Vec::new();
        for i in 0..self.policies.len() {
            let mut fewer = self.clone();
            fewer.policies.remove(i);
            out.push(fewer);
        }
        for i in 0..self.permissions.len() {
            let mut fewer = self.clone();
            fewer.permissions.remove(i);
            out.push(fewer);
        }
        for (i, line) in self.permissions.iter().enumerate() {
            if line.condition.is_some() {
                let mut changed = self.clone();
                changed.permissions[i].condition = None;
                out.push(changed);
            }
            if line.roles.len() > 1 {
                for r in 0..line.roles.len() {
                    let mut changed = self.clone();
                    changed.permissions[i].roles.remove(r);
                    out.push(changed);
                }
            }
        }
        for (i, (_, cond)) in self.policies.iter().enumerate() {
            for simpler in cond.simpler() {
                let mut changed = self.clone();
                changed.policies[i].1 = simpler;
                out.push(changed);
            }
        }
        for (i, line) in self.permissions.iter().enumerate() {
            for simpler in line.condition.iter().flat_map(Cond::simpler) {
                let mut changed = self.clone();
                changed.permissions[i].condition = Some(simpler);
                out.push(changed);
            }
        }
        out
    }
}

impl fmt::Display for RuleSet {
    /// The rules as the schema holds them, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (action, cond) in &self.policies {
            writeln!(f, "policy {} \"{cond}\"", action.as_str())?;
        }
        for line in &self.permissions {
            write!(
                f,
                "permission {} {}",
                line.action.as_str(),
                line.roles.join(" ")
            )?;
            if let Some(cond) = &line.condition {
                write!(f, " if=\"{cond}\"")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Operand {
        Operand::Field {
            base: Base::Record,
            hops: Vec::new(),
            field: name.into(),
        }
    }

    #[test]
    fn conditions_print_with_the_parentheses_precedence_needs() {
        let eq = Cond::Compare(Op::Eq, field("a"), Operand::Literal(Literal::Null));
        let lt = Cond::Compare(
            Op::Lt,
            field("b"),
            Operand::Literal(Literal::String("it's".into())),
        );
        let or = Cond::Or(vec![eq.clone(), lt.clone()]);
        let cond = Cond::And(vec![
            Cond::Not(Box::new(eq.clone())),
            or,
            Cond::Not(Box::new(Cond::Truthy(field("done")))),
        ]);
        assert_eq!(
            cond.to_string(),
            r"!(record.a == null) && (record.a == null || record.b < 'it\'s') && !record.done"
        );
        assert_eq!(cond.size(), 16);
    }

    #[test]
    fn simpler_conditions_are_smaller() {
        let cond = Cond::Or(vec![
            Cond::Truthy(field("a")),
            Cond::Not(Box::new(Cond::Truthy(field("b")))),
            Cond::Bool(true),
        ]);
        let simpler = cond.simpler();
        assert_eq!(simpler[0], Cond::Bool(false));
        assert!(simpler.iter().all(|c| c.size() < cond.size()));
        assert!(simpler.contains(&Cond::Or(vec![
            Cond::Truthy(field("a")),
            Cond::Truthy(field("b")),
            Cond::Bool(true),
        ])));
    }
}
