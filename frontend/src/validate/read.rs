//! Diagnostics family "shape": reading the generic AST into declarations. Reports unknown nodes
//! and properties, missing and unexpected arguments, values of the wrong kind, child blocks where
//! none belong, and names that are not identifiers.

mod model;
mod props;

use rayon::prelude::*;

use crate::ast::Node;
use crate::validate::decls::{
    AttributeDecl, Decls, EnumDecl, PermissionLineDecl, PermissionModelDecl, Spanned,
};
use crate::validate::report::{Cx, Report, close_names, did_you_mean};

use props::{NodeRead, string_arg};

pub const UNKNOWN_NODE: &str = "forge::unknown-node";
pub const UNKNOWN_PROPERTY: &str = "forge::unknown-property";
pub const DUPLICATE_PROPERTY: &str = "forge::duplicate-property";
pub const INVALID_VALUE: &str = "forge::invalid-value";
pub const MISSING_ARGUMENT: &str = "forge::missing-argument";
pub const UNEXPECTED_ARGUMENT: &str = "forge::unexpected-argument";
pub const UNEXPECTED_CHILDREN: &str = "forge::unexpected-children";
pub const ANNOTATION: &str = "forge::type-annotation";
pub const INVALID_NAME: &str = "forge::invalid-name";

const TOP_LEVEL: [&str; 6] = [
    "model",
    "enum",
    "roles",
    "claims",
    "identity",
    "permissions",
];

/// Reads every file's top-level nodes: each file on its own (in parallel), its declarations and
/// diagnostics then taken in file order, as a sequential reading gives them.
pub fn read<'a>(cx: &mut Cx<'a>) -> Decls<'a> {
    let (files, recording) = (cx.files, cx.recording());
    let per_file: Vec<(Cx<'a>, Decls<'a>)> = files
        .par_iter()
        .enumerate()
        .map(|(file, parsed)| {
            let mut own = Cx::new(files, recording);
            let mut decls = Decls::default();
            for node in &parsed.ast.nodes {
                top_level(&mut own, &mut decls, file, node);
            }
            (own, decls)
        })
        .collect();
    let mut decls = Decls::default();
    for (own, file_decls) in per_file {
        cx.merge(own);
        decls.append(file_decls);
    }
    decls
}

fn top_level<'a>(cx: &mut Cx, decls: &mut Decls<'a>, file: usize, node: &'a Node) {
    match node.name.text.as_str() {
        "model" => {
            if let Some(model) = model::model(cx, file, node) {
                decls.models.push(model);
            }
        }
        "enum" => {
            let r = NodeRead::new(cx, file, node, "an enum", &[], false);
            let args = r.args(cx, 2, None, "enum Name member1 member2");
            let mut strings = args.iter().filter_map(|a| string_arg(cx, file, a, "enum"));
            if let Some(name) = strings.next() {
                decls.enums.push(EnumDecl {
                    node: r.spot(),
                    name,
                    members: strings.collect(),
                });
            }
        }
        kind @ ("roles" | "claims") => {
            let r = NodeRead::new(cx, file, node, &format!("`{kind}`"), &[], false);
            let args = r.args(cx, 1, None, &format!("{kind} \"name\" \"other\""));
            let names = args.iter().filter_map(|a| string_arg(cx, file, a, kind));
            if kind == "roles" {
                decls.roles.extend(names)
            } else {
                decls.claims.extend(names)
            }
        }
        "identity" => {
            let r = NodeRead::new(cx, file, node, "the identity block", &[], true);
            r.args(cx, 0, Some(0), "identity { plan string }");
            for child in node.children.iter().flatten() {
                let c = NodeRead::new(
                    cx,
                    file,
                    child,
                    "an identity attribute",
                    &["optional"],
                    false,
                );
                let ty = c.args(cx, 1, Some(1), "name type [optional=#true]").first();
                let name = c.name();
                identifier(cx, &name, "an identity attribute");
                decls.identity.push(AttributeDecl {
                    node: c.spot(),
                    name,
                    ty: ty.and_then(|t| string_arg(cx, file, t, "type")),
                    optional: c.flag(cx, "optional").is_some(),
                });
            }
        }
        "permissions" => {
            let r = NodeRead::new(cx, file, node, "the permissions block", &[], true);
            r.args(cx, 0, Some(0), "permissions { Post { create editor } }");
            for child in node.children.iter().flatten() {
                decls.permissions.push(permission_model(cx, file, child));
            }
        }
        other => {
            let close = close_names(other, TOP_LEVEL);
            cx.emit(
                Report::error(UNKNOWN_NODE, format!("unknown top-level node `{other}`"))
                    .at(crate::validate::decls::Spot { file, span: node.name.span }, "not a schema node")
                    .help(format!(
                        "{}a schema file holds `model`, `enum`, `roles`, `claims`, `identity` and `permissions` nodes",
                        did_you_mean(&close)
                    )),
            );
        }
    }
}

fn permission_model<'a>(cx: &mut Cx, file: usize, node: &'a Node) -> PermissionModelDecl<'a> {
    let r = NodeRead::new(cx, file, node, "a permissions entry", &[], true);
    r.args(cx, 0, Some(0), "Post { create editor admin }");
    let lines = node
        .children
        .iter()
        .flatten()
        .map(|line| {
            let l = NodeRead::new(cx, file, line, "a permission line", &["if"], false);
            let roles = l.args(cx, 0, None, "create editor admin if=\"...\"");
            PermissionLineDecl {
                node: l.spot(),
                action: l.name(),
                roles: roles
                    .iter()
                    .filter_map(|a| string_arg(cx, file, a, "role"))
                    .collect(),
                condition: l.expr(cx, "if"),
            }
        })
        .collect();
    PermissionModelDecl {
        model: r.name(),
        lines,
    }
}

/// Reports a name that is not an identifier: a letter or `_`, then letters, digits or `_`
/// (letters of any script).
pub fn identifier(cx: &mut Cx, name: &Spanned<String>, what: &str) {
    let mut chars = name.value.chars();
    let ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if !ok {
        cx.emit(
            Report::error(INVALID_NAME, format!("`{}` is not a valid name for {what}", name.value))
                .at(name.at, "not an identifier")
                .help("names start with a letter or `_` and go on with letters, digits or `_` (snake_case is usual)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes;

    #[test]
    fn unknown_nodes_and_properties_are_errors() {
        assert_eq!(codes("modle Post {}\n"), vec!["forge::unknown-node"]);
        let got = codes("model Post {\n id uuid pk=#true colour=red\n}\n");
        assert!(
            got.contains(&"forge::unknown-property".to_string()),
            "{got:?}"
        );
    }

    #[test]
    fn wrongly_typed_values_are_errors_without_knock_on_effects() {
        let got = codes("model Post {\n id uuid pk=\"yes\"\n policy all \"true\"\n}\n");
        assert_eq!(got, vec!["forge::invalid-value"]);
    }

    #[test]
    fn repeated_properties_and_annotations_are_errors() {
        let got = codes(
            "model Post {\n id uuid pk=#true pk=#true\n (x)name string\n policy all \"true\"\n}\n",
        );
        assert_eq!(
            got,
            vec!["forge::duplicate-property", "forge::type-annotation"]
        );
    }

    #[test]
    fn missing_and_extra_arguments_are_errors() {
        let got =
            codes("enum Status\nmodel Post {\n id uuid string pk=#true\n policy all \"true\"\n}\n");
        assert_eq!(
            got,
            vec!["forge::missing-argument", "forge::unexpected-argument"]
        );
    }

    #[test]
    fn names_must_be_identifiers() {
        let got = codes(
            "model Post {\n id uuid pk=#true\n \"my field\" string\n policy all \"true\"\n}\n",
        );
        assert_eq!(got, vec!["forge::invalid-name"]);
    }
}
