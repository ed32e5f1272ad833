//! The guards of join tables (`joinGuards`), which follow the model that declares the relation, as
//! in PostgreSQL:
//!
//! - read: the link's tenant guard (between two tenant-scoped models), and the declaring row
//!   (passed in the link under the model's name, with the key the link names) is readable;
//! - create, delete: the same, and the declaring row may be updated (its update rule holds);
//! - update: denied (a link is deleted and created, never changed).

use forge_schemas::{Action, Ir, JoinTable, Model};

use crate::assemble::Block;
use crate::compile::{equal, read_record, value_type};
use crate::js;
use crate::rules::{has_rule, rule_name};
use crate::types::declaring;

/// `export const joinGuards`.
pub(crate) fn join_guards(ir: &Ir) -> Block {
    let mut b = Block::new();
    b.lines([
        "/**".to_string(),
        " * The guards of join tables, by table name: `joinGuards[\"post_tags\"].create(user, link)`. A link".into(),
        " * follows the row of the model that declares the relation, passed in the link under that".into(),
        " * model's name: read when that row is readable, create and delete when it may be updated.".into(),
        " */".into(),
        "export const joinGuards = {".into(),
    ]);
    for join in &ir.join_tables {
        let (decl, other) = declaring(join);
        let model = ir.model(&decl.model).unwrap_or_else(|| {
            panic!(
                "model `{}` of join table {} is not in the IR",
                decl.model, join.name
            )
        });
        let start = b.next();
        b.line(format!(
            "  // join table {} of {}.{} (to {})",
            js::string(&join.name),
            model.name,
            decl.relation.as_deref().unwrap_or_default(),
            other.model
        ));
        b.line(format!("  {}: {{", js::key(&join.name)));
        let readable = has_rule(model, Action::Read);
        let updatable = readable && has_rule(model, Action::Update);
        entry(
            &mut b,
            ir,
            join,
            model,
            "read",
            readable.then_some(&[Action::Read][..]),
        );
        entry(
            &mut b,
            ir,
            join,
            model,
            "create",
            updatable.then_some(&[Action::Read, Action::Update][..]),
        );
        let row = format!("JoinRecords[{}]", js::string(&join.name));
        b.line(format!(
            "    update: (_user: Maybe<Identity>, _before: {row}, _after: {row}): boolean => false,"
        ));
        entry(
            &mut b,
            ir,
            join,
            model,
            "delete",
            updatable.then_some(&[Action::Read, Action::Update][..]),
        );
        b.line("  },");
        b.origin(start, &model.name, None, None);
    }
    b.line("} as const;");
    b
}

/// One guard of `join`: the link is allowed when its tenant guard holds, the declaring row is the
/// one it names, and `rules` of `model` hold on that row; denied when `rules` is `None`.
fn entry(
    b: &mut Block,
    ir: &Ir,
    join: &JoinTable,
    model: &Model,
    action: &str,
    rules: Option<&[Action]>,
) {
    let row = format!("JoinRecords[{}]", js::string(&join.name));
    let Some(rules) = rules else {
        b.line(format!(
            "    {action}: (_user: Maybe<Identity>, _link: {row}): boolean => false,"
        ));
        return;
    };
    let (decl, _) = declaring(join);
    let mut tests = Vec::new();
    if let Some(tenant) = &join.tenant {
        let ty = value_type(&tenant.ty);
        let column = read_record(&ty, &format!("get(link, {})", js::string(&tenant.column)));
        tests.push(equal(
            ir,
            &column,
            &ty,
            "u.tenant_id",
            &value_type(&ir.identity.tenant_id),
        ));
    }
    let key_type = value_type(&decl.ty);
    let read = |row: &str, column: &str| {
        read_record(&key_type, &format!("get({row}, {})", js::string(column)))
    };
    tests.push(equal(
        ir,
        &read("d", &decl.references),
        &key_type,
        &read("link", &decl.column),
        &key_type,
    ));
    tests.extend(
        rules
            .iter()
            .map(|a| format!("{}(u, d)", rule_name(model, *a))),
    );
    b.lines([
        format!("    {action}: (user: Maybe<Identity>, link: {row}): boolean => {{"),
        "      const u = who(user);".into(),
        format!("      const d = get(link, {});", js::string(&model.name)),
        format!("      return {};", tests.join(" && ")),
        "    },".into(),
    ]);
}
