//! The file itself: its path, determinism, origins, what it leaves out, and that it compiles under
//! `tsc --strict --noEmit` with the stricter options projects turn on (unused locals and
//! parameters, unchecked indexed access, exact optional properties, ...).

use forge_schemas::{Ir, OutputFile};
use forge_testkit::{TSC_OPTIONS, run_tsc, scratch_dir};

use crate::fixtures::{BIGINT_IDS, NASTY, SEMANTICS};
use crate::support::{example, ir};

fn guards(ir: &Ir) -> OutputFile {
    forge_gen_guard_ts::guards_ts(ir)
}

#[test]
fn the_file_is_guards_ts_and_a_pure_function_of_the_ir() {
    let blog = guards(&example("blog"));
    assert_eq!(blog.path, "guards.ts");
    assert_eq!(blog.path, forge_gen_guard_ts::PATH);
    assert!(blog.content.starts_with(forge_gen_guard_ts::HEADER));
    assert!(blog.content.ends_with("} as const;\n"));
    assert_eq!(blog, guards(&example("blog")), "the same IR, built again");
    let clinic = guards(&example("clinic"));
    assert_eq!(clinic, guards(&example("clinic")));
    assert_ne!(blog.content, clinic.content);
}

#[test]
fn it_compiles_under_strict_settings() {
    let dir = scratch_dir("guards-strict");
    let files = [
        ("blog.ts", guards(&example("blog"))),
        ("clinic.ts", guards(&example("clinic"))),
        ("semantics.ts", guards(&ir(SEMANTICS))),
        ("nasty.ts", guards(&ir(NASTY))),
        ("bigint_ids.ts", guards(&ir(BIGINT_IDS))),
        ("empty.ts", guards(&Ir::empty())),
    ];
    for (name, file) in &files {
        std::fs::write(dir.join(name), &file.content).unwrap();
    }
    let mut args: Vec<&str> = TSC_OPTIONS.to_vec();
    args.extend([
        "--noEmit",
        "--noUnusedLocals",
        "--noUnusedParameters",
        "--noImplicitReturns",
        "--noUncheckedIndexedAccess",
        "--exactOptionalPropertyTypes",
        "--noPropertyAccessFromIndexSignature",
        "--isolatedModules",
        "--verbatimModuleSyntax",
        "--allowUnreachableCode",
        "false",
    ]);
    args.extend(files.iter().map(|(name, _)| *name));
    let result = run_tsc(&dir, &args);
    std::fs::remove_dir_all(&dir).unwrap();
    if let Err(e) = result {
        panic!("tsc:\n{e}");
    }
}

#[test]
fn helpers_nothing_uses_are_left_out() {
    let empty = guards(&Ir::empty()).content;
    assert!(empty.contains("export interface Identity {"), "{empty}");
    assert!(
        empty.contains("export const guards = {\n} as const;"),
        "{empty}"
    );
    assert!(!empty.contains("function who("), "{empty}");
    assert!(!empty.contains("function eq<"), "{empty}");
    let blog = guards(&example("blog")).content;
    assert!(blog.contains("function orderExact("));
    assert!(
        !blog.contains("function asFloatJson("),
        "no float in the blog's rules"
    );
    let semantics = guards(&ir(SEMANTICS)).content;
    for helper in [
        "asFloatJson",
        "orderFloat",
        "toFloat",
        "asDatetime",
        "micros",
        "asBytes",
    ] {
        assert!(
            semantics.contains(&format!("function {helper}(")),
            "{helper}"
        );
    }
}

/// The text of lines `lines[0]..=lines[1]` (1-based) of `content`.
fn lines(content: &str, lines: [u32; 2]) -> Vec<&str> {
    let all: Vec<&str> = content.lines().collect();
    let (first, last) = (lines[0] as usize, lines[1] as usize);
    assert!(
        first >= 1 && first <= last && last <= all.len(),
        "{lines:?}"
    );
    all[first - 1..last].to_vec()
}

#[test]
fn origins_map_blocks_to_models_and_lines_to_rules() {
    let ir = example("blog");
    let file = guards(&ir);
    let origin_lines = |model: &str, element: Option<&str>| -> Vec<Vec<&str>> {
        file.origins
            .iter()
            .filter(|o| {
                o.model.as_deref() == Some(model)
                    && o.element.as_deref() == element
                    && o.field.is_none()
            })
            .map(|o| lines(&file.content, o.lines))
            .collect()
    };
    // Every model: its record type, its block (rules and guards), its entry in `guards`.
    for model in &ir.models {
        let blocks = origin_lines(&model.name, None);
        let has =
            |line: usize, text: String| blocks.iter().any(|b| b.get(line) == Some(&text.as_str()));
        assert!(
            has(0, format!("// {} (table \"{}\")", model.name, model.table)),
            "{}",
            model.name
        );
        assert!(
            has(1, format!("export interface {}Record {{", model.name)),
            "{}",
            model.name
        );
        let entry = format!(
            "  \"{0}\": {{ read: can{0}Read, create: can{0}Create, update: can{0}Update, delete: can{0}Delete }},",
            model.name
        );
        assert!(
            blocks.iter().any(|b| b == &[entry.as_str()]),
            "{}",
            model.name
        );
    }
    let post_read = origin_lines("Post", Some("policy:read"));
    assert_eq!(post_read.len(), 1);
    assert!(post_read[0][0].starts_with("  // policy read \"record.status == 'published'"));
    assert!(post_read[0][1].starts_with("  if (!("));
    let member_create = origin_lines("Post", Some("permission:create:1"));
    assert_eq!(member_create.len(), 1);
    assert_eq!(
        member_create[0][0],
        "    // permission create \"member\" if=\"record.status == 'draft'\""
    );
    let tenant: Vec<_> = file
        .origins
        .iter()
        .filter(|o| o.model.as_deref() == Some("Post") && o.field.as_deref() == Some("tenant_id"))
        .map(|o| lines(&file.content, o.lines))
        .collect();
    assert!(
        tenant
            .iter()
            .any(|l| l[1] == "function inTenantPost(u: Who, row: unknown): boolean {")
    );
    assert!(
        tenant
            .iter()
            .any(|l| l == &["  if (!inTenantPost(u, r)) return false; // the tenant guard"])
    );
    // A join table's parts map to the model that declares the relation.
    let post = origin_lines("Post", None);
    assert!(post.iter().any(|b| b[0] == "  readonly \"post_tags\": {"));
    assert!(
        post.iter()
            .any(|b| b[0] == "  // join table \"post_tags\" of Post.tags (to Tag)")
    );
    // Origins are sorted by first line, a block before the parts inside it.
    let keys: Vec<_> = file
        .origins
        .iter()
        .map(|o| (o.lines[0], std::cmp::Reverse(o.lines[1])))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
