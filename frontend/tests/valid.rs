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
