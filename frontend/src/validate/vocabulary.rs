//! Diagnostics family "vocabulary": roles, claims, enums and the identity block. Reports a role,
//! claim, enum, enum member or identity attribute declared twice, and identity attributes that
//! redefine `roles`/`claims` or have an unknown type.

use forge_schemas::{Enum, Identity, IdentityAttribute, snake_case};

use crate::validate::decls::{Decls, Spanned, Spot};
use crate::validate::report::{Cx, Report};
use crate::validate::types;

pub const DUPLICATE_ROLE: &str = "forge::duplicate-role";
pub const DUPLICATE_CLAIM: &str = "forge::duplicate-claim";
pub const DUPLICATE_ENUM: &str = "forge::duplicate-enum";
pub const DUPLICATE_ENUM_MEMBER: &str = "forge::duplicate-enum-member";
pub const DUPLICATE_IDENTITY_ATTRIBUTE: &str = "forge::duplicate-identity-attribute";
pub const RESERVED_IDENTITY_ATTRIBUTE: &str = "forge::reserved-identity-attribute";

/// The declared vocabulary, as it goes into the IR.
pub struct Vocabulary {
    pub roles: Vec<String>,
    pub claims: Vec<String>,
    pub enums: Vec<Enum>,
    pub identity: Identity,
}

impl Vocabulary {
    pub fn enum_(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }
}

pub fn vocabulary(cx: &mut Cx, decls: &Decls) -> Vocabulary {
    let roles = declared(cx, &decls.roles, DUPLICATE_ROLE, "role");
    for (role, spot) in &roles {
        cx.provenance(|| format!("role:{role}"), *spot);
    }
    let claims = declared(cx, &decls.claims, DUPLICATE_CLAIM, "claim");
    for (claim, spot) in &claims {
        cx.provenance(|| format!("claim:{claim}"), *spot);
    }
    let mut enums: Vec<Enum> = Vec::new();
    let mut enum_spots: Vec<Spot> = Vec::new();
    for decl in &decls.enums {
        if let Some(i) = enums.iter().position(|e| e.name == decl.name.value) {
            cx.emit(
                Report::error(
                    DUPLICATE_ENUM,
                    format!("enum `{}` is declared twice", decl.name.value),
                )
                .at(decl.name.at, "declared again here")
                .related(enum_spots[i], "first declared here")
                .help("rename one of them, or merge their members into one declaration"),
            );
            continue;
        }
        let members = declared(cx, &decl.members, DUPLICATE_ENUM_MEMBER, "enum member");
        cx.provenance(|| format!("enum:{}", decl.name.value), decl.node);
        enums.push(Enum {
            name: decl.name.value.clone(),
            sql_name: snake_case(&decl.name.value),
            values: members.into_iter().map(|(m, _)| m).collect(),
        });
        enum_spots.push(decl.name.at);
    }
    let vocabulary = Vocabulary {
        roles: names(roles),
        claims: names(claims),
        enums,
        identity: Identity::default(),
    };
    let identity = identity(cx, decls, &vocabulary);
    Vocabulary {
        identity,
        ..vocabulary
    }
}

fn names(list: Vec<(String, Spot)>) -> Vec<String> {
    list.into_iter().map(|(n, _)| n).collect()
}

/// The names of `list` in order, each once; a repeat is reported.
fn declared(
    cx: &mut Cx,
    list: &[Spanned<String>],
    code: &'static str,
    what: &str,
) -> Vec<(String, Spot)> {
    let mut out: Vec<(String, Spot)> = Vec::new();
    for item in list {
        if let Some((_, first)) = out.iter().find(|(n, _)| *n == item.value) {
            cx.emit(
                Report::error(code, format!("{what} `{}` is declared twice", item.value))
                    .at(item.at, "declared again here")
                    .related(*first, "first declared here")
                    .help(format!(
                        "remove one of the two declarations of `{}`",
                        item.value
                    )),
            );
        } else {
            out.push((item.value.clone(), item.at));
        }
    }
    out
}

fn identity(cx: &mut Cx, decls: &Decls, vocabulary: &Vocabulary) -> Identity {
    let mut identity = Identity::default();
    let mut seen: Vec<(String, Spot)> = Vec::new();
    for attr in &decls.identity {
        let name = attr.name.value.as_str();
        if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
            cx.emit(
                Report::error(
                    DUPLICATE_IDENTITY_ATTRIBUTE,
                    format!("identity attribute `{name}` is declared twice"),
                )
                .at(attr.name.at, "declared again here")
                .related(*first, "first declared here")
                .help("declare each identity attribute once"),
            );
            continue;
        }
        seen.push((name.to_string(), attr.name.at));
        if name == "roles" || name == "claims" {
            cx.emit(
                Report::error(RESERVED_IDENTITY_ATTRIBUTE, format!("`user.{name}` is built in and cannot be redeclared"))
                    .at(attr.name.at, "built in")
                    .help(format!("`user.{name}` is always a list of strings; declare its values with `{name} ...` at the top level")),
            );
            continue;
        }
        let Some(ty) = attr
            .ty
            .as_ref()
            .and_then(|ty| types::resolve(cx, ty, vocabulary, &[]))
        else {
            continue;
        };
        cx.provenance(|| format!("identity.{name}"), attr.node);
        match name {
            "id" => identity.id = ty,
            "tenant_id" => identity.tenant_id = ty,
            _ => identity.attributes.push(IdentityAttribute {
                name: name.to_string(),
                ty,
                optional: attr.optional,
            }),
        }
    }
    identity
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes;

    const MODEL: &str = "model Post {\n id uuid pk=#true\n policy all \"true\"\n}\n";

    #[test]
    fn repeated_declarations_are_errors() {
        let text =
            format!("roles a b a\nclaims \"x\"\nclaims \"x\"\nenum S a b a\nenum S c\n{MODEL}");
        assert_eq!(
            codes(&text),
            vec![
                "forge::duplicate-role",
                "forge::duplicate-claim",
                "forge::duplicate-enum-member",
                "forge::duplicate-enum"
            ]
        );
    }

    #[test]
    fn identity_attributes_are_checked() {
        let text = format!(
            "identity {{\n plan string\n plan text\n roles string\n region strng\n id bigint\n}}\n{MODEL}"
        );
        assert_eq!(
            codes(&text),
            vec![
                "forge::duplicate-identity-attribute",
                "forge::reserved-identity-attribute",
                "forge::unknown-type"
            ]
        );
    }
}
