//! Random rules: proptest strategies over the expression language's grammar, typed by what the
//! catalog says a row reaches (so most rules type-check), with a few ill-typed comparisons and
//! undeclared roles thrown in (the front end rejects those, and the test counts them).

use std::collections::BTreeMap;
use std::sync::Arc;

use forge_differential::catalog::{Catalog, Class};
use forge_differential::domain::{CLAIMS, ROLES};
use forge_differential::rule::{Base, Cond, Literal, Op, Operand, Path, PermissionLine, RuleSet};
use forge_schemas::Action;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;

use crate::data;

/// What a condition may name: `record` of a model, and the variables of the quantifiers it is
/// inside.
#[derive(Clone)]
struct Scope {
    catalog: Arc<Catalog>,
    record: String,
    /// Variables, innermost last, with the model each ranges over.
    vars: Vec<(String, String)>,
}

/// Variable names, one per nesting level.
const VARS: [&str; 4] = ["x", "y", "z", "w"];

/// A value of the scope that is not a literal, with how many hops it takes.
struct Named {
    operand: Operand,
    hops: usize,
}

impl Scope {
    /// Every base of the scope with its model.
    fn bases(&self) -> Vec<(Base, String)> {
        let mut out = vec![(Base::Record, self.record.clone())];
        out.extend(
            self.vars
                .iter()
                .map(|(v, m)| (Base::Var(v.clone()), m.clone())),
        );
        out
    }

    /// Columns reachable from the bases, and `user.*`, by class.
    fn named(&self) -> BTreeMap<Class, Vec<Named>> {
        let mut out: BTreeMap<Class, Vec<Named>> = BTreeMap::new();
        for (base, model) in self.bases() {
            for reach in self.catalog.values(&model) {
                out.entry(Class::of(&reach.ty)).or_default().push(Named {
                    hops: reach.hops.len(),
                    operand: Operand::Field {
                        base: base.clone(),
                        hops: reach.hops,
                        field: reach.field,
                    },
                });
            }
        }
        for (attr, ty) in self.catalog.identity() {
            out.entry(Class::of(ty)).or_default().push(Named {
                hops: 0,
                operand: Operand::User(attr.clone()),
            });
        }
        out
    }

    /// To-many relations reachable from the bases.
    fn relations(&self) -> Vec<(Path, String)> {
        self.bases()
            .into_iter()
            .flat_map(|(base, model)| {
                self.catalog.relations(&model).into_iter().map(move |r| {
                    let path = Path {
                        base: base.clone(),
                        hops: r.hops,
                        relation: r.relation,
                    };
                    (path, r.target)
                })
            })
            .collect()
    }
}

/// One of `named`, fewer hops being likelier (there are many more long chains than short ones).
fn pick_named(named: &[Named]) -> BoxedStrategy<Operand> {
    let mut options: Vec<(u32, BoxedStrategy<Operand>)> = Vec::new();
    for (hops, weight) in [(0, 12), (1, 6), (2, 3), (3, 2), (4, 1)] {
        let at: Vec<Operand> = named
            .iter()
            .filter(|n| n.hops == hops)
            .map(|n| n.operand.clone())
            .collect();
        if !at.is_empty() {
            options.push((weight, select(at).boxed()));
        }
    }
    Union::new_weighted(options).boxed()
}

/// A literal of `class`, as written in a rule.
fn literal(class: &Class) -> BoxedStrategy<Operand> {
    let texts: Vec<Literal> = match class {
        Class::Number => data::NUMBER_LITERALS
            .iter()
            .map(|n| Literal::Number((*n).into()))
            .collect(),
        Class::String => data::STRINGS
            .iter()
            .map(|s| Literal::String((*s).into()))
            .collect(),
        Class::Uuid => data::uuid_pool()
            .into_iter()
            .map(|(id, case)| Literal::String(forge_differential::value::cased(&id, case)))
            .collect(),
        Class::Boolean => vec![Literal::Bool(true), Literal::Bool(false)],
        Class::Date => data::DATES
            .iter()
            .map(|d| Literal::String((*d).into()))
            .collect(),
        Class::Datetime => data::DATETIME_LITERALS
            .iter()
            .map(|d| Literal::String((*d).into()))
            .collect(),
        Class::Enum(name) => data::members(name)
            .iter()
            .map(|m| Literal::String((*m).into()))
            .collect(),
        Class::Json | Class::Bytes => panic!("json and bytes compare only with null"),
    };
    select(texts).prop_map(Operand::Literal).boxed()
}

/// A value of `class`: a column or `user.*` (`named`), or a literal.
fn value(class: &Class, named: &[Named], literals: u32) -> BoxedStrategy<Operand> {
    if named.is_empty() {
        return literal(class);
    }
    Union::new_weighted(vec![(10, pick_named(named)), (literals, literal(class))]).boxed()
}

/// A comparison of two values of one class (a column first, mostly).
fn comparison(named: &BTreeMap<Class, Vec<Named>>) -> BoxedStrategy<Cond> {
    let classes: Vec<Class> = named.keys().filter(|c| c.compares()).cloned().collect();
    let named: Arc<BTreeMap<Class, Vec<Named>>> = Arc::new(
        named
            .iter()
            .map(|(c, list)| {
                let copy = list
                    .iter()
                    .map(|n| Named {
                        operand: n.operand.clone(),
                        hops: n.hops,
                    })
                    .collect();
                (c.clone(), copy)
            })
            .collect(),
    );
    select(classes)
        .prop_flat_map(move |class| {
            let list = &named[&class];
            let ops: Vec<Op> = Op::ALL
                .into_iter()
                .filter(|op| op.is_equality() || class.orders())
                .collect();
            (select(ops), value(&class, list, 2), value(&class, list, 12))
                .prop_map(|(op, left, right)| Cond::Compare(op, left, right))
        })
        .boxed()
}

/// Two values of any classes compared with any operator: mostly ill-typed, for the front end
/// to reject.
fn any_comparison(named: &BTreeMap<Class, Vec<Named>>) -> BoxedStrategy<Cond> {
    let all: Vec<Operand> = named
        .values()
        .flat_map(|list| {
            list.iter()
                .filter(|n| n.hops < 2)
                .map(|n| n.operand.clone())
        })
        .collect();
    (select(Op::ALL.to_vec()), select(all.clone()), select(all))
        .prop_map(|(op, left, right)| Cond::Compare(op, left, right))
        .boxed()
}

/// `x == null`, `x != null`, `null === x`, ...: any value, of any class.
fn null_test(named: &BTreeMap<Class, Vec<Named>>) -> BoxedStrategy<Cond> {
    let all: Vec<Named> = named
        .values()
        .flat_map(|list| {
            list.iter().map(|n| Named {
                operand: n.operand.clone(),
                hops: n.hops,
            })
        })
        .collect();
    let ops = vec![Op::Eq, Op::StrictEq, Op::Ne, Op::StrictNe];
    (select(ops), pick_named(&all), any::<bool>())
        .prop_map(|(op, value, flipped)| {
            let null = Operand::Literal(Literal::Null);
            if flipped {
                Cond::Compare(op, null, value)
            } else {
                Cond::Compare(op, value, null)
            }
        })
        .boxed()
}

/// `x in [a, b, ...]` over one class.
fn in_list(named: &BTreeMap<Class, Vec<Named>>) -> BoxedStrategy<Cond> {
    let mut options = Vec::new();
    for (class, list) in named {
        if class.compares() {
            let member = value(class, list, 20);
            let strategy = (pick_named(list), proptest::collection::vec(member, 1..=3))
                .prop_map(|(v, members)| Cond::In(v, members));
            options.push((1, strategy.boxed()));
        }
    }
    Union::new_weighted(options).boxed()
}

/// `user.roles.includes(...)` or `user.claims.includes(...)`: a declared name mostly, sometimes
/// an undeclared one (an error) or a string value of the scope.
fn list_includes(named: &BTreeMap<Class, Vec<Named>>) -> BoxedStrategy<Cond> {
    let strings = pick_named(&named[&Class::String]);
    let names = |declared: &[&str]| {
        let names: Vec<Literal> = declared
            .iter()
            .map(|n| Literal::String((*n).into()))
            .collect();
        let undeclared = Just(Operand::Literal(Literal::String("root".into())));
        Union::new_weighted(vec![
            (30, select(names).prop_map(Operand::Literal).boxed()),
            (1, undeclared.boxed()),
        ])
    };
    let roles = Union::new_weighted(vec![(8, names(&ROLES).boxed()), (1, strings.clone())]);
    let claims = Union::new_weighted(vec![(8, names(&CLAIMS).boxed()), (1, strings)]);
    prop_oneof![
        2 => roles.prop_map(|value| Cond::ListIncludes { claims: false, value }),
        1 => claims.prop_map(|value| Cond::ListIncludes { claims: true, value }),
    ]
    .boxed()
}

/// A condition over `scope`, nesting at most `depth` more levels.
fn cond(scope: Scope, depth: u32) -> BoxedStrategy<Cond> {
    let named = scope.named();
    let booleans = pick_named(&named[&Class::Boolean]);
    let relations = scope.relations();
    let uuids = value(&Class::Uuid, &named[&Class::Uuid], 6);
    let mut options: Vec<(u32, BoxedStrategy<Cond>)> = vec![
        (30, comparison(&named)),
        (8, null_test(&named)),
        (6, in_list(&named)),
        (5, booleans.prop_map(Cond::Truthy).boxed()),
        (7, list_includes(&named)),
        (
            3,
            (select(relations.clone()), uuids)
                .prop_map(|((path, _), v)| Cond::RelIncludes(path, v))
                .boxed(),
        ),
        (2, any::<bool>().prop_map(Cond::Bool).boxed()),
        (1, any_comparison(&named)),
    ];
    if depth > 0 {
        let inner = cond(scope.clone(), depth - 1);
        let level = scope.vars.len();
        let quantified = select(relations).prop_flat_map(move |(path, target)| {
            let var = VARS[level % VARS.len()].to_string();
            let mut inside = scope.clone();
            inside.vars.push((var.clone(), target));
            (any::<bool>(), cond(inside, depth - 1)).prop_map(move |(every, body)| {
                Cond::Quantified {
                    every,
                    path: path.clone(),
                    var: var.clone(),
                    body: Box::new(body),
                }
            })
        });
        options.extend([
            (
                6,
                inner.clone().prop_map(|c| Cond::Not(Box::new(c))).boxed(),
            ),
            (
                8,
                proptest::collection::vec(inner.clone(), 2..=3)
                    .prop_map(Cond::And)
                    .boxed(),
            ),
            (
                8,
                proptest::collection::vec(inner, 2..=3)
                    .prop_map(Cond::Or)
                    .boxed(),
            ),
            (7, quantified.boxed()),
        ]);
    }
    Union::new_weighted(options).boxed()
}

/// The rules of task model `model` (as `catalog` knows it): a policy per action most of the
/// time, an `all` policy sometimes, and up to three permission lines.
pub fn rule_set(catalog: Arc<Catalog>, model: &str) -> BoxedStrategy<RuleSet> {
    let scope = Scope {
        catalog,
        record: model.to_string(),
        vars: Vec::new(),
    };
    let top = cond(scope, 3);
    let policy = |action: Action, probability: f64| {
        proptest::option::weighted(probability, top.clone())
            .prop_map(move |c| c.map(|c| (action, c)))
    };
    let roles: Vec<String> = ROLES.iter().map(|r| (*r).to_string()).collect();
    let line = (
        select(vec![
            Action::Read,
            Action::Create,
            Action::Update,
            Action::Delete,
        ]),
        proptest::sample::subsequence(roles, 1..=3),
        proptest::bool::weighted(0.02),
        proptest::option::weighted(0.6, top.clone()),
    )
        .prop_map(|(action, mut roles, undeclared, condition)| {
            if undeclared {
                roles.push("root".into());
            }
            PermissionLine {
                action,
                roles,
                condition,
            }
        });
    (
        policy(Action::Read, 0.85),
        policy(Action::Create, 0.7),
        policy(Action::Update, 0.7),
        policy(Action::Delete, 0.6),
        policy(Action::All, 0.2),
        proptest::collection::vec(line, 0..=3),
    )
        .prop_map(|(read, create, update, delete, all, permissions)| RuleSet {
            policies: [read, create, update, delete, all]
                .into_iter()
                .flatten()
                .collect(),
            permissions,
        })
        .boxed()
}
