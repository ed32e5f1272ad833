//! Reading one node's entries: its properties (unknown, repeated and wrongly typed ones are
//! reported) and its arguments.

use crate::ast::{Arg, Node, Prop, Value};
use crate::validate::decls::{ExprSource, Spanned, Spot};
use crate::validate::read::{
    ANNOTATION, DUPLICATE_PROPERTY, INVALID_VALUE, MISSING_ARGUMENT, UNEXPECTED_ARGUMENT,
    UNEXPECTED_CHILDREN, UNKNOWN_PROPERTY,
};
use crate::validate::report::{Cx, Report, close_names, did_you_mean, list};

/// A node being read: its file and its properties, checked against the keys it allows.
pub struct NodeRead<'a> {
    pub file: usize,
    pub node: &'a Node,
    props: Vec<&'a Prop>,
}

impl<'a> NodeRead<'a> {
    /// Starts reading `node`: reports a type annotation, properties not in `allowed`, repeated
    /// properties, and a child block when `children` is false. `what` names the node in messages
    /// (`a field`, `the model node`).
    pub fn new(
        cx: &mut Cx,
        file: usize,
        node: &'a Node,
        what: &str,
        allowed: &[&str],
        children: bool,
    ) -> Self {
        if let Some(ann) = &node.annotation {
            annotation(cx, file, ann.span);
        }
        let mut props: Vec<&'a Prop> = Vec::new();
        for prop in &node.props {
            if let Some(ann) = &prop.value.annotation {
                annotation(cx, file, ann.span);
            }
            let key = prop.key.text.as_str();
            let at = Spot {
                file,
                span: prop.key.span,
            };
            if !allowed.contains(&key) {
                let help = if allowed.is_empty() {
                    format!("{what} takes no properties: remove `{key}=`")
                } else {
                    format!(
                        "{}{what} takes {}",
                        did_you_mean(&close_names(key, allowed.iter().copied())),
                        list(allowed)
                    )
                };
                cx.emit(
                    Report::error(
                        UNKNOWN_PROPERTY,
                        format!("unknown property `{key}` on {what}"),
                    )
                    .at(at, "not a property of this node")
                    .help(help),
                );
            } else if let Some(first) = props.iter().find(|p| p.key.text == key) {
                cx.emit(
                    Report::error(
                        DUPLICATE_PROPERTY,
                        format!("property `{key}` is given twice"),
                    )
                    .at(at, "given again here")
                    .related(
                        Spot {
                            file,
                            span: first.key.span,
                        },
                        "first given here",
                    )
                    .help(format!("keep one `{key}=`")),
                );
            } else {
                props.push(prop);
            }
        }
        if !children && let Some(nodes) = &node.children {
            let at = nodes.first().map(|n| n.span).unwrap_or(node.span);
            cx.emit(
                Report::error(
                    UNEXPECTED_CHILDREN,
                    format!("`{}` takes no child block", node.name.text),
                )
                .at(Spot { file, span: at }, "unexpected")
                .help("remove the `{ ... }` block"),
            );
        }
        NodeRead { file, node, props }
    }

    pub fn spot(&self) -> Spot {
        Spot {
            file: self.file,
            span: self.node.span,
        }
    }

    pub fn name(&self) -> Spanned<String> {
        Spanned {
            value: self.node.name.text.clone(),
            at: Spot {
                file: self.file,
                span: self.node.name.span,
            },
        }
    }

    fn prop(&self, key: &str) -> Option<&'a Prop> {
        self.props.iter().copied().find(|p| p.key.text == key)
    }

    fn value_spot(&self, prop: &Prop) -> Spot {
        Spot {
            file: self.file,
            span: prop.value.span,
        }
    }

    /// A boolean property: `Some(spot)` when it is `#true`. A value of another kind is reported
    /// and counts as `#true`, so one mistake does not cause others.
    pub fn flag(&self, cx: &mut Cx, key: &str) -> Option<Spot> {
        let prop = self.prop(key)?;
        let at = Spot {
            file: self.file,
            span: prop.span,
        };
        match prop.value.value {
            Value::Bool(true) => Some(at),
            Value::Bool(false) => None,
            ref other => {
                invalid(cx, self.value_spot(prop), key, "#true or #false", other);
                Some(at)
            }
        }
    }

    /// A string property (bare identifiers are strings).
    pub fn string(&self, cx: &mut Cx, key: &str) -> Option<Spanned<String>> {
        let prop = self.prop(key)?;
        match &prop.value.value {
            Value::String(s) => Some(Spanned {
                value: s.clone(),
                at: self.value_spot(prop),
            }),
            other => {
                invalid(cx, self.value_spot(prop), key, "a string", other);
                None
            }
        }
    }

    /// A number property, as decimal text.
    pub fn number(&self, cx: &mut Cx, key: &str) -> Option<Spanned<String>> {
        let prop = self.prop(key)?;
        match &prop.value.value {
            Value::Integer(n) => Some(Spanned {
                value: n.clone(),
                at: self.value_spot(prop),
            }),
            Value::Float(n) if n.parse::<f64>().is_ok_and(f64::is_finite) => Some(Spanned {
                value: n.clone(),
                at: self.value_spot(prop),
            }),
            other => {
                invalid(cx, self.value_spot(prop), key, "a finite number", other);
                None
            }
        }
    }

    /// A non-negative integer property.
    pub fn count(&self, cx: &mut Cx, key: &str) -> Option<Spanned<u32>> {
        let prop = self.prop(key)?;
        match &prop.value.value {
            Value::Integer(n) if n.parse::<u32>().is_ok() => Some(Spanned {
                value: n.parse().unwrap_or_default(),
                at: self.value_spot(prop),
            }),
            other => {
                invalid(
                    cx,
                    self.value_spot(prop),
                    key,
                    "a whole number from 0 to 4294967295",
                    other,
                );
                None
            }
        }
    }

    /// Any value.
    pub fn any(&self, key: &str) -> Option<Spanned<Value>> {
        let prop = self.prop(key)?;
        Some(Spanned {
            value: prop.value.value.clone(),
            at: self.value_spot(prop),
        })
    }

    /// An expression property (a string).
    pub fn expr(&self, cx: &mut Cx, key: &str) -> Option<ExprSource<'a>> {
        let prop = self.prop(key)?;
        if prop.value.as_str().is_none() {
            invalid(
                cx,
                self.value_spot(prop),
                key,
                "an expression in a string",
                &prop.value.value,
            );
            return None;
        }
        Some(ExprSource {
            file: self.file,
            arg: &prop.value,
        })
    }

    /// The arguments, after reporting fewer than `min` or (when `max` is given) more than `max`.
    /// `shape` shows how the node is written, for the help line.
    pub fn args(&self, cx: &mut Cx, min: usize, max: Option<usize>, shape: &str) -> &'a [Arg] {
        let args = &self.node.args;
        for arg in args {
            if let Some(ann) = &arg.annotation {
                annotation(cx, self.file, ann.span);
            }
        }
        let name = &self.node.name.text;
        if args.len() < min {
            cx.emit(
                Report::error(
                    MISSING_ARGUMENT,
                    format!(
                        "`{name}` is missing {}",
                        plural(min - args.len(), "argument")
                    ),
                )
                .at(self.spot(), "incomplete")
                .help(format!("write it as `{shape}`")),
            );
        }
        match max {
            Some(max) if args.len() > max => {
                for extra in &args[max..] {
                    cx.emit(
                        Report::error(
                            UNEXPECTED_ARGUMENT,
                            format!("unexpected argument {} to `{name}`", extra.value.describe()),
                        )
                        .at(
                            Spot {
                                file: self.file,
                                span: extra.span,
                            },
                            "not expected here",
                        )
                        .help(format!("write it as `{shape}`")),
                    );
                }
                &args[..max]
            }
            _ => args,
        }
    }
}

/// A string argument; anything else is reported.
pub fn string_arg(cx: &mut Cx, file: usize, arg: &Arg, what: &str) -> Option<Spanned<String>> {
    let at = Spot {
        file,
        span: arg.span,
    };
    match &arg.value {
        Value::String(s) => Some(Spanned {
            value: s.clone(),
            at: Spot {
                file,
                span: arg.content,
            },
        }),
        other => {
            invalid(cx, at, what, "a string", other);
            None
        }
    }
}

/// An expression argument (a string).
pub fn expr_arg<'a>(cx: &mut Cx, file: usize, arg: &'a Arg, what: &str) -> Option<ExprSource<'a>> {
    string_arg(cx, file, arg, what).map(|_| ExprSource { file, arg })
}

fn invalid(cx: &mut Cx, at: Spot, what: &str, expected: &str, got: &Value) {
    let help = match got {
        Value::String(s) if s == "true" || s == "false" => {
            format!("KDL 2.0 writes booleans as #{s}")
        }
        _ if expected.starts_with("#true") => {
            format!("write `{what}=#true`, or leave it out for #false")
        }
        Value::String(s) if expected.contains("number") => {
            format!("write the number without quotes: `{what}={s}`")
        }
        _ => format!("give `{what}` {expected}"),
    };
    cx.emit(
        Report::error(
            INVALID_VALUE,
            format!("`{what}` expects {expected}, not {}", got.kind()),
        )
        .at(at, format!("{} is {}", got.describe(), got.kind()))
        .help(help),
    );
}

fn annotation(cx: &mut Cx, file: usize, span: crate::SpanId) {
    cx.emit(
        Report::error(
            ANNOTATION,
            "type annotations have no meaning in a forge schema",
        )
        .at(Spot { file, span }, "annotation")
        .help("remove the `(...)`; a field's type is written after its name: `title string`"),
    );
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
