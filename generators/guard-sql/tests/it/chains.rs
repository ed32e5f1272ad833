//! Belongs-to chains (up to 4 hops) read other rows directly: a missing hop (optional, or a row
//! of another tenant) is a missing value; a model without a tenant column is reached without a
//! tenant test; a filter that reads its own table still deletes on MySQL (checked first).

use forge_schemas::Action;

use crate::setup::{App, Outcome, apps, ir, uuid, who};

const SCHEMA: &str = r#"
model Org {
  id uuid pk=#true
  name string
  policy read "true"
}

model Team {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  org belongs-to=Org optional=#true
  lead_id uuid optional=#true
  name string
  policy read "true"
}

model Project {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  team belongs-to=Team
  parent belongs-to=Project optional=#true
  name string
  policy read "true"
  policy delete "record.parent.team.lead_id == user.id"
}

model Task {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  project belongs-to=Project
  title string
  policy read "record.project.team.lead_id == user.id || record.project.team.org.name == 'acme' || record.project.parent.team.org.name == 'deep'"
  policy update "!(record.project.team.lead_id == user.id)"
}
"#;

const T1: u64 = 9001;
const T2: u64 = 9002;

/// Orgs acme (1) and deep (2). Teams (tenant 1): 11 (acme, lead 101), 12 (no org, lead 102),
/// 13 (deep, no lead); team 14 in tenant 2 (acme, lead 101). Projects: 21 (team 11), 22 (team 12,
/// parent 23), 23 (team 13), 24 (tenant 2, team 14). Tasks (tenant 1): 31 on 21, 32 on 22, 33
/// on 23, and 34 on project 24 of tenant 2 (a reference across tenants, foreign keys off).
fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        let (off, on) = match app.dialect() {
            forge_gen_sql::Dialect::Mysql => ("SET FOREIGN_KEY_CHECKS = 0;", ""),
            _ => ("PRAGMA foreign_keys = OFF;", "PRAGMA foreign_keys = ON;"),
        };
        let t1 = uuid(T1);
        let t2 = uuid(T2);
        let u = uuid;
        app.admin(&format!(
            "{off}
             INSERT INTO org (id, name) VALUES ('{}', 'acme'), ('{}', 'deep');
             INSERT INTO team (id, tenant_id, org_id, lead_id, name) VALUES
               ('{}', '{t1}', '{}', '{}', 'a'), ('{}', '{t1}', NULL, '{}', 'b'),
               ('{}', '{t1}', '{}', NULL, 'c'), ('{}', '{t2}', '{}', '{}', 'd');
             INSERT INTO project (id, tenant_id, team_id, parent_id, name) VALUES
               ('{}', '{t1}', '{}', NULL, 'p21'), ('{}', '{t1}', '{}', '{}', 'p22'),
               ('{}', '{t1}', '{}', NULL, 'p23'), ('{}', '{t2}', '{}', NULL, 'p24');
             INSERT INTO task (id, tenant_id, project_id, title) VALUES
               ('{}', '{t1}', '{}', 'on 21'), ('{}', '{t1}', '{}', 'on 22'),
               ('{}', '{t1}', '{}', 'on 23'), ('{}', '{t1}', '{}', 'across');
             {on}",
            u(1),
            u(2),
            u(11),
            u(1),
            u(101),
            u(12),
            u(102),
            u(13),
            u(2),
            u(14),
            u(1),
            u(101),
            u(21),
            u(11),
            u(22),
            u(12),
            u(23),
            u(23),
            u(13),
            u(24),
            u(14),
            u(31),
            u(21),
            u(32),
            u(22),
            u(33),
            u(23),
            u(34),
            u(24),
        ));
    }
    apps
}

#[test]
fn chains_follow_belongs_to_relations_inside_the_tenant() {
    for app in seeded("chains_read") {
        let titles = |user: u64| app.rows("Task", "title", &who(user, T1, &[]));
        // 101 leads team a (task on 21); acme is team a's org (on 21); project 22's parent 23 is
        // team c's, whose org is deep (on 22, four hops). Task 34's project is another tenant's:
        // missing, although its team's lead is 101 and its org acme.
        assert_eq!(titles(101), ["on 21", "on 22"], "{}", app.dialect());
        // 102 leads team b: no org, so only its lead rule.
        assert_eq!(titles(102), ["on 21", "on 22"]);
        // An identity without an id: the lead rule is false, the org rules still hold.
        assert_eq!(
            app.rows(
                "Task",
                "title",
                &format!("{{\"tenant_id\":\"{}\"}}", uuid(T1))
            ),
            ["on 21", "on 22"]
        );
        // Tenant 2 sees no task (they are all tenant 1's).
        assert!(app.rows("Task", "title", &who(101, T2, &[])).is_empty());
    }
}

#[test]
fn a_negated_chain_is_true_when_a_hop_is_missing() {
    for app in seeded("chains_negated") {
        // Update: readable and not led by the user. Task 33's team has no lead: `!(missing ==
        // id)` is true, yet the task is not readable for 103 (no rule reads it) - so no update.
        let may = |user: u64, task: u64| {
            app.allows("Task", Action::Update, &who(user, T1, &[]), &[&uuid(task)])
        };
        assert!(!may(101, 31), "led by 101");
        assert!(may(102, 31), "readable through acme, not led by 102");
        assert!(may(101, 32), "readable through the four hops, led by 102");
        assert!(!may(103, 33), "not readable");
        assert!(!may(101, 34), "another tenant's project");
    }
}

#[test]
fn a_filter_that_reads_its_own_table_deletes() {
    for app in seeded("chains_self") {
        let filter = app
            .guards
            .table("Project")
            .expect("Project")
            .delete
            .filter
            .clone();
        let filter = filter.expect("a filter");
        assert_eq!(filter.reads, ["project", "team"], "{}", app.dialect());
        // Project 22's parent (23) is team c's, which has no lead; give it one.
        app.admin(&format!(
            "UPDATE team SET lead_id = '{}' WHERE id = '{}';",
            uuid(103),
            uuid(13)
        ));
        app.admin(&format!("DELETE FROM task WHERE id = '{}';", uuid(32)));
        let me = who(103, T1, &[]);
        assert_eq!(app.delete("Project", &me, &[&uuid(23)]), Outcome::Denied);
        assert_eq!(
            app.delete("Project", &who(101, T1, &[]), &[&uuid(22)]),
            Outcome::Denied
        );
        assert_eq!(app.delete("Project", &me, &[&uuid(22)]), Outcome::Done);
        assert_eq!(
            app.admin_rows("SELECT name FROM project ORDER BY name"),
            ["p21", "p23", "p24"]
        );
    }
}
