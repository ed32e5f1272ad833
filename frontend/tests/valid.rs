//! Valid schemas: the language brief's example gives an IR with no error, names that are SQL
//! reserved words or not ASCII are accepted, and comment-only edits keep the digest.

mod common;

use common::{Project, fixture};
use forge_frontend::{Severity, parse_file};

#[test]
fn the_language_example_validates_into_the_expected_ir() {
    let project = Project::new(&[("schema/example.kdl", &fixture("valid/example.kdl"))]);
    assert!(project.parse_diagnostics.is_empty());
    let validated = project.validate();
    let errors: Vec<_> = validated
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{}", project.render_all());
    insta::assert_json_snapshot!("example_ir", validated.ir.expect("no errors, so an IR"));
    insta::assert_snapshot!("example_warnings", project.render_all());
    insta::assert_json_snapshot!(
        "example_provenance_keys",
        validated.provenance.entries.keys().collect::<Vec<_>>()
    );
}

#[test]
fn reserved_words_and_unicode_names_are_accepted() {
    let text = "model Order {\n  id uuid pk=#true\n  order integer\n  user string\n  group string\n  table text\n  prénom string\n  名前 string optional=#true\n  policy all \"record.order > 0\"\n}\nmodel Café {\n  id uuid pk=#true\n  policy all \"true\"\n}\nmodel Group {\n  id uuid pk=#true\n  user belongs-to=Order\n  policy all \"true\"\n}\n";
    let project = Project::new(&[("names.kdl", text)]);
    let validated = project.validate();
    let ir = validated
        .ir
        .unwrap_or_else(|| panic!("{}", project.render_all()));
    let order = ir.model("Order").unwrap();
    assert_eq!(order.table, "order");
    let fields: Vec<&str> = order.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        fields,
        ["id", "order", "user", "group", "table", "prénom", "名前"]
    );
    assert_eq!(ir.model("Café").unwrap().table, "café");
    assert_eq!(ir.model("Group").unwrap().fields[1].name, "user_id");
}

#[test]
fn a_comment_only_edit_keeps_the_ast_and_the_digest() {
    let original = fixture("valid/example.kdl");
    let edited = format!(
        "// the blog's schema\n\n{}",
        original.replace(
            "title string min=1 max=200",
            "/* shown in lists */ title   string min=1  max=200 // required"
        )
    );
    assert_ne!(original, edited);
    let (a, _) = parse_file("schema/example.kdl", &original);
    let (b, _) = parse_file("schema/example.kdl", &edited);
    assert!(a.ast == b.ast, "the ASTs differ");
    assert_eq!(a.digest(), b.digest());
    assert_ne!(a.spans, b.spans);
}

#[test]
fn provenance_points_at_the_current_lines_after_a_comment_edit() {
    let original = fixture("valid/example.kdl");
    let edited = format!("// moved down one line\n{original}");
    let project = Project::new(&[("schema/example.kdl", &edited)]);
    let validated = project.validate();
    let loc = &validated.provenance.entries["Post.title"];
    let (text, parsed) = &project.files["schema/example.kdl"];
    let (start, len) = parsed.spans.get(loc.span);
    assert_eq!(&text[start..start + len], "title string min=1 max=200");
}

#[test]
fn files_are_merged_and_the_output_is_deterministic() {
    let example = fixture("valid/example.kdl");
    let (head, models) = example.split_at(example.find("model Tenant").unwrap());
    let one = Project::new(&[("a.kdl", head), ("b.kdl", models)]);
    let first = one.validate();
    let second = one.validate();
    assert_eq!(first, second);
    let whole = Project::new(&[("schema/example.kdl", &example)]).validate();
    assert_eq!(first.ir, whole.ir);
}

/// Every constraint and index name of an IR, with its table.
fn constraint_names(ir: &forge_schemas::Ir) -> Vec<(String, String)> {
    let mut names = Vec::new();
    for m in &ir.models {
        let t = &m.table;
        names.push((t.clone(), m.primary_key.name.clone()));
        names.extend(m.uniques.iter().map(|k| (t.clone(), k.name.clone())));
        names.extend(m.foreign_keys.iter().map(|k| (t.clone(), k.name.clone())));
        names.extend(m.indexes.iter().map(|k| (t.clone(), k.name.clone())));
        names.extend(m.checks.iter().map(|k| (t.clone(), k.name.clone())));
    }
    for j in &ir.join_tables {
        let t = &j.name;
        names.push((t.clone(), j.primary_key.name.clone()));
        names.extend(j.foreign_keys.iter().map(|k| (t.clone(), k.name.clone())));
        names.extend(j.indexes.iter().map(|k| (t.clone(), k.name.clone())));
    }
    names
}

#[test]
fn the_examples_have_database_wide_unique_constraint_names() {
    for example in ["blog", "clinic"] {
        let dir = format!(
            "{}/../examples/{example}/schema",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "kdl"))
            .collect();
        paths.sort();
        let files: Vec<(String, String)> = paths
            .iter()
            .map(|p| {
                let name = format!("schema/{}", p.file_name().unwrap().to_string_lossy());
                (name, std::fs::read_to_string(p).unwrap())
            })
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let project = Project::new(&files);
        let ir = project
            .validate()
            .ir
            .unwrap_or_else(|| panic!("{example}:\n{}", project.render_all()));
        let names = constraint_names(&ir);
        let mut seen = std::collections::BTreeMap::new();
        for (table, name) in &names {
            if let Some(first) = seen.insert(name.as_str(), table.as_str()) {
                panic!("{example}: `{name}` is used by `{first}` and `{table}`");
            }
        }
        let tables: Vec<&str> = ir
            .models
            .iter()
            .map(|m| m.table.as_str())
            .chain(ir.join_tables.iter().map(|j| j.name.as_str()))
            .collect();
        for (_, name) in &names {
            assert!(
                !tables.contains(&name.as_str()),
                "{example}: `{name}` is a table"
            );
            assert!(
                name.len() <= forge_schemas::MAX_IDENT_BYTES,
                "{example}: {name}"
            );
        }
        assert!(names.len() > 20, "{example}: {} names", names.len());
    }
}

#[test]
fn a_name_two_tables_compute_alike_is_made_unique_in_the_ir() {
    // Model A indexes `b_c`, model AB (table `a_b`) indexes `c`: both would be `a_b_c_idx`.
    let text = "model A {\n  id uuid pk=#true\n  b_c string index=#true\n  policy all \"true\"\n}\n\
                model AB table=\"a_b\" {\n  id uuid pk=#true\n  c string index=#true\n  policy all \"true\"\n}\n";
    let project = Project::new(&[("schema.kdl", text)]);
    let ir = project.validate().ir.expect("valid");
    let names: Vec<String> = constraint_names(&ir).into_iter().map(|(_, n)| n).collect();
    let unique: std::collections::BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:#?}");
    let (a, ab) = (&ir.models[0].indexes[0].name, &ir.models[1].indexes[0].name);
    assert_ne!(a, ab);
    for name in [a, ab] {
        assert!(
            name.starts_with("a_b_c_") && name.ends_with("_idx") && name.len() == 18,
            "{name}"
        );
    }
}
