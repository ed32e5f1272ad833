//! The fixed domain every batch uses, as KDL: shared models (`Org`, `User`, `Team`, `Project`,
//! `Tag`) and any number of copies of a task model (`Task0`, `Task1`, ...), each with its own
//! notes model (`Note0`, ...) and its own random rules. A copy is tenant-scoped or not; every
//! other model is tenant-scoped but `Org`, which every tenant shares.
//!
//! | model | columns and relations |
//! | --- | --- |
//! | `Org` | `name`, `tier` integer |
//! | `User` | `email`, `age` integer?, `active` boolean, `level` Level? |
//! | `Team` | `name`, `org` -> Org?, `lead` -> User?, `projects` has-many Project |
//! | `Project` | `name`, `budget` decimal?, `archived` boolean?, `team` -> Team?, `owner` -> User, `members` many-to-many User |
//! | `Tag` | `name`, `weight` integer |
//! | `TaskN` | every column type (`?`: optional), `project` -> Project, `assignee` -> User?, `parent` -> TaskN?, `notes` has-many NoteN, `subtasks` has-many TaskN, `tags` many-to-many Tag |
//! | `NoteN` | `task` -> TaskN, `author` -> User?, `body`, `score` integer?, `visible` boolean |

use forge_frontend::{Diagnostic, parse_file, validate};
use forge_schemas::Ir;

use crate::rule::RuleSet;

/// Declared roles. One holds a quote, which every target must carry as data.
pub const ROLES: [&str; 4] = ["admin", "editor", "member", "o'brien"];

/// Declared claims.
pub const CLAIMS: [&str; 2] = ["tasks.read", "tasks.write"];

/// The members of `enum Level`, in order.
pub const LEVELS: [&str; 3] = ["low", "mid", "high"];

/// The members of `enum Plan`, in order.
pub const PLANS: [&str; 3] = ["free", "pro", "enterprise"];

/// The shared part of the schema: vocabulary, identity, enums and the shared models.
const SHARED: &str = r#"roles admin editor member "o'brien"
claims "tasks.read" "tasks.write"

enum Level low mid high
enum Plan free pro enterprise

identity {
  plan Plan
  region string optional=#true
  level integer
  quota bigint
  credit decimal
  weight float
  since datetime
  birthday date
  verified boolean
  org uuid
  rank Level
}

model Org {
  id uuid pk=#true
  name string max=40
  tier integer
}

model User {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  email string max=40
  age integer optional=#true
  active boolean
  level Level optional=#true
}

model Team {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string max=40
  org belongs-to=Org optional=#true
  lead belongs-to=User optional=#true
  projects has-many=Project
}

model Project {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string max=40
  budget decimal precision=12 scale=2 optional=#true
  archived boolean optional=#true
  team belongs-to=Team optional=#true
  owner belongs-to=User
  members many-to-many=User
}

model Tag {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string max=40
  weight integer
}
"#;

/// One copy of the task model: its number, whether it has a tenant column, and its rules.
#[derive(Clone, Debug)]
pub struct Copy {
    pub n: usize,
    pub tenant: bool,
    pub rules: RuleSet,
}

impl Copy {
    /// `Task<n>`.
    pub fn model(&self) -> String {
        format!("Task{}", self.n)
    }

    /// `task<n>`.
    pub fn table(&self) -> String {
        format!("task{}", self.n)
    }

    /// `Note<n>`.
    pub fn notes_model(&self) -> String {
        format!("Note{}", self.n)
    }

    /// `note<n>`.
    pub fn notes_table(&self) -> String {
        format!("note{}", self.n)
    }

    /// The join table of `tags`: `task<n>_tags`.
    pub fn tags_table(&self) -> String {
        format!("task{}_tags", self.n)
    }

    /// The file that holds the copy: its two models and its permissions.
    pub fn file(&self) -> (String, String) {
        (format!("schema/task{}.kdl", self.n), self.kdl())
    }

    fn kdl(&self) -> String {
        let n = self.n;
        let tenant = if self.tenant {
            "  tenant_id uuid tenant=#true\n"
        } else {
            ""
        };
        let mut out = format!(
            "model Task{n} {{
  id uuid pk=#true
{tenant}  title string max=40
  body text optional=#true
  priority integer optional=#true
  points bigint optional=#true
  cost decimal precision=14 scale=4 optional=#true
  ratio float optional=#true
  level Level optional=#true
  done boolean
  flag boolean optional=#true
  due datetime optional=#true
  day date optional=#true
  owner_id uuid optional=#true
  meta json optional=#true
  blob bytes optional=#true
  project belongs-to=Project
  assignee belongs-to=User optional=#true
  parent belongs-to=Task{n} optional=#true
  notes has-many=Note{n}
  subtasks has-many=Task{n} via=parent
  tags many-to-many=Tag
"
        );
        for (action, cond) in &self.rules.policies {
            out.push_str(&format!(
                "  policy {} {}\n",
                action.as_str(),
                kdl_string(&cond.to_string())
            ));
        }
        out.push_str(&format!(
            "}}

model Note{n} {{
  id uuid pk=#true
  tenant_id uuid tenant=#true
  task belongs-to=Task{n}
  author belongs-to=User optional=#true
  body string max=40
  score integer optional=#true
  visible boolean
}}
"
        ));
        if !self.rules.permissions.is_empty() {
            out.push_str(&format!("\npermissions {{\n  Task{n} {{\n"));
            for line in &self.rules.permissions {
                let mut text = format!("    {}", line.action.as_str());
                for role in &line.roles {
                    text.push(' ');
                    text.push_str(&kdl_string(role));
                }
                if let Some(cond) = &line.condition {
                    text.push_str(&format!(" if={}", kdl_string(&cond.to_string())));
                }
                out.push_str(&text);
                out.push('\n');
            }
            out.push_str("  }\n}\n");
        }
        out
    }
}

/// The schema files of a batch: the shared file, then one file per copy.
pub fn files(copies: &[Copy]) -> Vec<(String, String)> {
    let mut files = vec![("schema/shared.kdl".to_string(), SHARED.to_string())];
    files.extend(copies.iter().map(Copy::file));
    files
}

/// The IR of `files` through the real front end, or its errors.
pub fn compile(files: &[(String, String)]) -> Result<Ir, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let parsed: Vec<_> = files
        .iter()
        .map(|(path, text)| {
            let (parsed, diagnostics) = parse_file(path, text);
            errors.extend(diagnostics.into_iter().filter(Diagnostic::is_error));
            parsed
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let refs: Vec<_> = parsed.iter().collect();
    let validated = validate(&refs);
    match validated.ir {
        Some(ir) => Ok(ir),
        None => Err(validated
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect()),
    }
}

/// `text` as a KDL string: `"` and `\` escaped, and every control character.
pub fn kdl_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
