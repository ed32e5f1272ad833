//! The blocks around the models: the enum members rules compare by position, each tenant-scoped
//! model's tenant guard, and the `guards` table that finds a model's guards by name.

use forge_schemas::{Action, Ir, Model};

use crate::assemble::Block;
use crate::compile::{equal, in_tenant, read_record, value_type};
use crate::js;
use crate::model::guard_name;

/// `const enumMembers`: each enum's members in declaration order (kept when a rule reads an enum).
pub(crate) fn enum_members(ir: &Ir) -> Block {
    let mut b = Block::optional("enumMembers");
    b.line("/** The members of each enum, in declaration order: their order in comparisons. */");
    b.line("const enumMembers = {");
    for e in &ir.enums {
        let members: Vec<String> = e.values.iter().map(|v| js::string(v)).collect();
        b.line(format!("  {}: [{}],", js::key(&e.name), members.join(", ")));
    }
    b.line("} as const;");
    b
}

/// `function inTenant<Model>`: the tenant guard of a tenant-scoped model's rows, used by its
/// rules and wherever a relation reaches its rows (kept when used).
pub(crate) fn tenant_guard(ir: &Ir, model: &Model) -> Option<Block> {
    let tenant = model.tenant.as_ref()?;
    let field = model
        .field(tenant)
        .unwrap_or_else(|| panic!("{} has no tenant column `{tenant}`", model.name));
    let ty = value_type(&field.ty);
    let row = read_record(&ty, &format!("get(row, {})", js::string(tenant)));
    let user = value_type(&ir.identity.tenant_id);
    let mut b = Block::optional(&in_tenant(model));
    b.lines([
        format!(
            "/** The tenant guard of {} rows: their tenant column equals `user.tenant_id` (both present). */",
            model.name
        ),
        format!("function {}(u: Who, row: unknown): boolean {{", in_tenant(model)),
        format!("  return {};", equal(ir, &row, &ty, "u.tenant_id", &user)),
        "}".into(),
    ]);
    b.origin(0, &model.name, Some(tenant.clone()), None);
    Some(b)
}

/// `export const guards`: every model's guards by model name and action.
pub(crate) fn guards_table(ir: &Ir) -> Block {
    let mut b = Block::new();
    b.lines([
        "/**".to_string(),
        " * Every model's guards, by model name and action, for callers that choose one at run time:".into(),
        " * `guards[\"Post\"].read(user, record)`, `guards[\"Post\"].update(user, before, after)`.".into(),
        " */".into(),
        "export const guards = {".into(),
    ]);
    for model in ir.models.iter().filter(|m| !m.stub) {
        let entries: Vec<String> = Action::CONCRETE
            .iter()
            .map(|a| format!("{}: {}", a.as_str(), guard_name(model, *a)))
            .collect();
        let start = b.next();
        b.line(format!(
            "  {}: {{ {} }},",
            js::key(&model.name),
            entries.join(", ")
        ));
        b.origin(start, &model.name, None, None);
    }
    b.line("} as const;");
    b
}
