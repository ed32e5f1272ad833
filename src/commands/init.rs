//! `forge init [DIR]`: a new project with a starter schema. Refuses to overwrite anything.

use std::path::PathBuf;

use anyhow::bail;

const FORGE_KDL: &str = r#"project app version="0.1.0"
schema "schema/*.kdl"
out "generated"

target sql dialects="postgres sqlite mysql"
sandbox sqlite
"#;

const APP_KDL: &str = r#"// The domain, written once. `forge build` derives the SQL (and more) from it.
roles admin member

model Team {
  id uuid pk=#true default=uuid
  name string max=120
  members has-many=Member via=team
  policy read "user.id != null"
  policy create "user.roles.includes('admin')"
  policy update "user.roles.includes('admin')"
  policy delete "user.roles.includes('admin')"
}

model Member {
  id uuid pk=#true default=uuid
  team belongs-to=Team on-delete=cascade
  email string unique=#true max=320
  joined_at datetime default=now
  policy read "record.id == user.id || user.roles.includes('admin')"
  policy create "user.roles.includes('admin')"
  policy update "record.id == user.id"
  policy delete "user.roles.includes('admin')"
}
"#;

pub fn run(dir: PathBuf) -> anyhow::Result<u8> {
    let files = [
        (dir.join("forge.kdl"), FORGE_KDL),
        (dir.join("schema").join("app.kdl"), APP_KDL),
    ];
    for (path, _) in &files {
        if path.exists() {
            bail!(
                "{} already exists; forge init never overwrites a file",
                path.display()
            );
        }
    }
    for (path, text) in &files {
        std::fs::create_dir_all(path.parent().expect("files have a parent"))?;
        std::fs::write(path, text)?;
    }
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(&gitignore, ".forge/\ngenerated/\n")?;
    }
    println!(
        "created a forge project in {}\nnext: forge build",
        dir.display()
    );
    Ok(0)
}
