//! `forge explain`: the node, generator, inputs and cache state behind an artifact; the schema
//! line behind one line of it; and which input changed when the node last re-ran.

mod support;

use support::{TestProject, redact};

#[test]
fn explain_names_the_node_generator_inputs_and_cache_state() {
    let p = TestProject::fixture("tiny");
    p.build();
    let run = p.forge(&["explain", "generated/sql/postgres/schema.sql", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("explain_file_json", redact(&run.stdout, p.path()));
    let json = run.json();
    assert_eq!(json["node"], "gen:sql/postgres");
    assert_eq!(json["cache_hit"], false);
    p.build();
    let again = p
        .forge(&["explain", "generated/sql/postgres/schema.sql", "--json"])
        .json();
    assert_eq!(again["cache_hit"], true);
}

#[test]
fn explain_of_a_line_points_at_the_schema_span_behind_it() {
    let p = TestProject::fixture("tiny");
    p.build();
    let sql = p.read("generated/sql/postgres/schema.sql");
    let line = sql
        .lines()
        .position(|l| l.contains("\"title\" varchar(200)"))
        .expect("title column")
        + 1;
    let run = p.forge(&[
        "explain",
        &format!("generated/sql/postgres/schema.sql:{line}"),
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["line"]["model"], "Note");
    assert_eq!(json["line"]["field"], "title");
    let source = &json["line"]["source"];
    assert_eq!(source["file"], "schema/notes.kdl");
    assert_eq!(source["line"], 5);
    assert_eq!(source["column"], 3);
    assert_eq!(source["text"], "  title string min=1 max=200");
}

#[test]
fn explain_of_a_line_stays_right_after_a_comment_only_edit() {
    let p = TestProject::fixture("tiny");
    p.build();
    p.write(
        "schema/notes.kdl",
        &format!("// one\n// two\n{}", p.read("schema/notes.kdl")),
    );
    assert_eq!(p.executed(), ["parse:schema/notes.kdl"]);
    let sql = p.read("generated/sql/sqlite/schema.sql");
    let line = sql
        .lines()
        .position(|l| l.contains("\"title\""))
        .expect("title column")
        + 1;
    let json = p
        .forge(&[
            "explain",
            &format!("generated/sql/sqlite/schema.sql:{line}"),
            "--json",
        ])
        .json();
    assert_eq!(
        json["line"]["source"]["line"], 7,
        "two lines were added above the field"
    );
}

#[test]
fn why_rebuilt_names_the_input_whose_digest_changed() {
    let p = TestProject::fixture("tiny");
    p.build();
    p.write(
        "schema/notes.kdl",
        &p.read("schema/notes.kdl").replace("max=200", "max=250"),
    );
    p.build();
    let json = p
        .forge(&[
            "explain",
            "generated/sql/mysql/schema.sql",
            "--why-rebuilt",
            "--json",
        ])
        .json();
    let why: Vec<&str> = json["why_rebuilt"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(why, ["gen:sql/mysql:Note", "validate"]);
}

#[test]
fn explain_in_text_form_reads_well() {
    let p = TestProject::fixture("tiny");
    p.build();
    let run = p.forge(&["explain", "generated/sql/sqlite/schema.sql:1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = redact(&run.stdout, p.path());
    let text: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("built:") {
                "  built:      [TIME]"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("explain_text", text);
}

#[test]
fn explain_of_an_unknown_file_says_so() {
    let p = TestProject::fixture("tiny");
    p.build();
    let run = p.forge(&["explain", "generated/nope.sql"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no artifact generated/nope.sql"),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_of_a_policy_line_points_at_the_policy_in_the_schema() {
    let p = TestProject::fixture("tiny");
    p.write("forge.kdl", &format!("{}target rls\n", p.read("forge.kdl")));
    p.build();
    let sql = p.read("generated/rls/policies.sql");
    let line_of = |needle: &str| {
        sql.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}"))
            + 1
    };
    let read = line_of("CREATE POLICY \"account_read\"");
    let json = p
        .forge(&[
            "explain",
            &format!("generated/rls/policies.sql:{read}"),
            "--json",
        ])
        .json();
    assert_eq!(json["node"], "gen:rls");
    assert_eq!(json["line"]["element"], "policy:read");
    assert_eq!(json["line"]["source"]["file"], "schema/accounts.kdl");
    assert!(
        json["line"]["source"]["text"]
            .as_str()
            .unwrap()
            .starts_with("  policy read "),
        "{json}"
    );
    // Note has only an `all` policy: its update policy comes from there.
    let update = line_of("CREATE POLICY \"note_update\"");
    let json = p
        .forge(&[
            "explain",
            &format!("generated/rls/policies.sql:{update}"),
            "--json",
        ])
        .json();
    assert_eq!(json["line"]["element"], "policy:all");
    assert!(
        json["line"]["source"]["text"]
            .as_str()
            .unwrap()
            .starts_with("  policy all "),
        "{json}"
    );
}
