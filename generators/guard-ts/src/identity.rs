//! The identity: the exported type callers pass (`Identity`, the JSON object services also hand
//! to PostgreSQL as `forge.user`), and how guards read it (`who`, into `Who`).
//!
//! Reading follows PostgreSQL's helpers (`forge.identity()`, `forge.json_<type>()`): anything but
//! an object is the anonymous identity, and so is an object PostgreSQL's jsonb cannot hold (a
//! string with U+0000 or a lone surrogate, where `forge.identity()` fails to parse the setting);
//! a value that does not fit its type (a tenant id that is not a uuid, a role that is not a
//! string) is missing. Nothing throws.

use forge_schemas::{FieldType, Ir};

use crate::assemble::Block;
use crate::compile::{read_identity, read_type};
use crate::js;
use crate::types::identity_input_type;

/// `export interface Identity`.
pub(crate) fn identity_type(ir: &Ir) -> Block {
    let mut b = Block::new();
    b.lines([
        "/**".to_string(),
        " * The identity a request carries (`user.*` in rules): the object services pass to PostgreSQL as".into(),
        " * `forge.user`. Every value may be missing; one that does not fit its type counts as missing.".into(),
        " */".into(),
        "export interface Identity {".into(),
    ]);
    let identity = &ir.identity;
    b.line(property("id", &identity_input_type(ir, &identity.id)));
    b.line(property(
        "tenant_id",
        &identity_input_type(ir, &identity.tenant_id),
    ));
    b.line(property("roles", "readonly string[]"));
    b.line(property("claims", "readonly string[]"));
    for attribute in &identity.attributes {
        b.line(property(
            &attribute.name,
            &identity_input_type(ir, &attribute.ty),
        ));
    }
    b.line("  readonly [key: string]: unknown;");
    b.line("}");
    b
}

/// `readonly "<name>"?: Maybe<ty>;`
fn property(name: &str, ty: &str) -> String {
    format!("  readonly {}?: Maybe<{ty}>;", js::string(name))
}

/// `interface Who` and `function who`, each kept only when a guard reads the identity.
pub(crate) fn who(ir: &Ir) -> [Block; 2] {
    let identity = &ir.identity;
    let read = |ty: &FieldType| match read_type(ty) {
        "unknown" => "unknown".to_string(),
        other => format!("{other} | undefined"),
    };

    let mut shape = Block::optional("Who");
    shape.lines([
        "/** The identity as rules read it: every value read as its type, missing when it does not fit. */".to_string(),
        "interface Who {".into(),
        format!("  readonly id: {};", read(&identity.id)),
        format!("  readonly tenant_id: {};", read(&identity.tenant_id)),
        "  readonly roles: readonly string[];".into(),
        "  readonly claims: readonly string[];".into(),
        "  readonly attrs: {".into(),
    ]);
    for attribute in &identity.attributes {
        shape.line(format!(
            "    readonly {}: {};",
            js::string(&attribute.name),
            read(&attribute.ty)
        ));
    }
    shape.lines(["  };".to_string(), "}".into()]);

    let mut reader = Block::optional("who");
    reader.lines([
        "/** Reads the identity (once per guard call); anonymous when PostgreSQL would read it as anonymous. */".to_string(),
        "function who(user: unknown): Who {".into(),
        "  const known = isRow(user) && storable(user);".into(),
        "  const at = (key: string): unknown => (known ? get(user, key) : undefined);".into(),
        "  return {".into(),
        format!("    id: {},", read_identity(&identity.id, "at(\"id\")")),
        format!(
            "    tenant_id: {},",
            read_identity(&identity.tenant_id, "at(\"tenant_id\")")
        ),
        "    roles: asStrings(at(\"roles\")),".into(),
        "    claims: asStrings(at(\"claims\")),".into(),
        "    attrs: {".into(),
    ]);
    for attribute in &identity.attributes {
        reader.line(format!(
            "      {}: {},",
            js::key(&attribute.name),
            read_identity(
                &attribute.ty,
                &format!("at({})", js::string(&attribute.name))
            )
        ));
    }
    reader.lines(["    },".to_string(), "  };".into(), "}".into()]);
    [shape, reader]
}
