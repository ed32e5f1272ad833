//! Relation chains: rules that follow belongs-to relations up to four hops, with optional hops
//! that may be missing (a missing value makes a comparison false, and its negation true).

use crate::setup::{App, app, ir, uuid, who};

const SCHEMA: &str = r#"
model Org {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  owner_id uuid
  policy read "true"
}

model Team {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  org belongs-to=Org
  lead_id uuid optional=#true
  policy read "true"
}

model Project {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  team belongs-to=Team optional=#true on-delete=set-null
  policy read "true"
}

model Task {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  project belongs-to=Project
  title string
  // Three hops, and two.
  policy read "record.project.team.org.owner_id == user.id || record.project.team.lead_id == user.id"
  // A task outside any led team (no team, or no lead, or another lead) may be deleted by anyone
  // who can read it.
  policy delete "!(record.project.team.lead_id == user.id)"
}

model Comment {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  task belongs-to=Task
  body string
  // Four hops.
  policy read "record.task.project.team.org.owner_id == user.id"
}
"#;

const T: u64 = 9001;
const OWNER: u64 = 100;
const LEAD: u64 = 200;

/// Org 1 (owner 100); team 2 (lead 200) and team 3 (no lead) in org 1; project 4 in team 2,
/// project 5 in team 3, project 6 in no team; task 7 in project 4, 8 in 5, 9 in 6; a comment on
/// each task (17, 18, 19).
fn seeded(test: &str) -> App {
    let app = app(test, &ir(SCHEMA));
    let t = uuid(T);
    app.admin(&format!(
        "INSERT INTO org VALUES ('{o}', '{t}', '{owner}');
         INSERT INTO team VALUES ('{t2}', '{t}', '{o}', '{lead}'), ('{t3}', '{t}', '{o}', NULL);
         INSERT INTO project VALUES ('{p4}', '{t}', '{t2}'), ('{p5}', '{t}', '{t3}'), ('{p6}', '{t}', NULL);
         INSERT INTO task VALUES ('{k7}', '{t}', '{p4}', 'seven'), ('{k8}', '{t}', '{p5}', 'eight'), ('{k9}', '{t}', '{p6}', 'nine');
         INSERT INTO comment VALUES ('{c17}', '{t}', '{k7}', 'on seven'), ('{c18}', '{t}', '{k8}', 'on eight'), ('{c19}', '{t}', '{k9}', 'on nine');",
        o = uuid(1),
        owner = uuid(OWNER),
        lead = uuid(LEAD),
        t2 = uuid(2),
        t3 = uuid(3),
        p4 = uuid(4),
        p5 = uuid(5),
        p6 = uuid(6),
        k7 = uuid(7),
        k8 = uuid(8),
        k9 = uuid(9),
        c17 = uuid(17),
        c18 = uuid(18),
        c19 = uuid(19),
    ));
    app
}

fn user(n: u64) -> String {
    who(&uuid(n), &uuid(T), &[])
}

#[test]
fn chains_of_two_three_and_four_hops() {
    let app = seeded("chains_read");
    let tasks = "SELECT title FROM task ORDER BY title;";
    // The org owner reaches tasks through project -> team -> org; the task without a team is out.
    assert_eq!(app.rows(&user(OWNER), tasks), ["eight", "seven"]);
    // The lead reaches the tasks of their team only.
    assert_eq!(app.rows(&user(LEAD), tasks), ["seven"]);
    assert!(app.rows(&user(300), tasks).is_empty());
    let comments = "SELECT body FROM comment ORDER BY body;";
    assert_eq!(app.rows(&user(OWNER), comments), ["on eight", "on seven"]);
    assert!(app.rows(&user(LEAD), comments).is_empty());
}

#[test]
fn a_missing_hop_makes_the_comparison_false_and_its_negation_true() {
    let app = seeded("chains_missing");
    app.admin("DELETE FROM comment;");
    app.as_user(&user(LEAD), "DELETE FROM task;");
    // The lead reads only seven, whose team they lead: nothing is deleted.
    assert_eq!(app.admin_rows("SELECT count(*) FROM task"), "3");
    app.as_user(&user(OWNER), "DELETE FROM task;");
    // Seven (lead 200 != owner) and eight (team without a lead: missing, so `!(... == ...)` is
    // true) are deleted; nine cannot be read by the owner.
    assert_eq!(app.admin_rows("SELECT title FROM task"), "nine");
}
