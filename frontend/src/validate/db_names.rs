//! Constraint and index names, unique in the whole database.
//!
//! PostgreSQL and SQLite keep index names (and the indexes behind PRIMARY KEY and UNIQUE) in one
//! namespace per schema, beside the tables; MySQL 8 keeps foreign key and check constraint names
//! per database. Names are computed per table (`<table>_<columns>_<kind>`), so two tables can
//! arrive at one name: model `A` with an index on `b_c` and a model with table `a_b` indexed on `c`
//! both give `a_b_c_idx`. After every name is computed, each name that is used twice, or that is a
//! table's name, gets a deterministic suffix: `_` and the first 8 hex digits of the blake3 hash of
//! `<table>.<name>`, placed before the kind (`a_b_c_1f0e3d2c_idx`) and cut to 63 bytes by the rule
//! of [`constraint_name`]. Every name of the group changes, so no name depends on which table
//! sorts first.
//!
//! The names the SQL generator adds outside the IR (the `<table>_<column>_fkey` that carries a
//! tenant-scoped `on-delete=set-null` in SQLite and MySQL) are kept free as well.

// foldhash, not the standard SipHash: tens of thousands of short names are hashed on every build,
// and a schema's own names need no defence against chosen keys.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use forge_schemas::{Ir, constraint_name};

use crate::validate::report::Cx;

/// The kinds a computed name ends with, longest first where one ends another.
const KINDS: [&str; 5] = ["pkey", "fkey", "key", "idx", "check"];

/// Which list of a table a name belongs to, for renaming its provenance.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Primary,
    Unique,
    Foreign,
    Index,
    Check,
}

/// One constraint or index name: its table (and model, for provenance) and where it is.
struct Entry<'i> {
    model: Option<&'i str>,
    table: &'i str,
    kind: Kind,
    /// (is a join table, table position, position in its list).
    at: (bool, usize, usize),
    name: &'i str,
}

/// A name to change: where it is, its model (for provenance), its old and new name.
struct Rename {
    model: Option<String>,
    kind: Kind,
    at: (bool, usize, usize),
    old: String,
    new: String,
}

/// Gives every constraint and index name that is not unique in the database a suffix (see the
/// module documentation), and moves the provenance of renamed names along.
pub fn make_unique(cx: &mut Cx, ir: &mut Ir) {
    let renames = renames(ir);
    for rename in renames {
        apply(cx, ir, rename);
    }
    debug_assert!(
        {
            let names: Vec<&str> = entries(ir).into_iter().map(|e| e.name).collect();
            let unique: HashSet<&str> = names.iter().copied().collect();
            unique.len() == names.len()
        },
        "constraint and index names are unique in the database"
    );
}

/// The renames that make every name unique, in IR order. Lookups go through hash sets of
/// borrowed names (a large schema has tens of thousands); the order comes from the entries.
fn renames(ir: &Ir) -> Vec<Rename> {
    let entries = entries(ir);
    let mut reserved: HashSet<&str> = ir.models.iter().map(|m| m.table.as_str()).collect();
    reserved.extend(ir.join_tables.iter().map(|j| j.name.as_str()));
    let set_null: Vec<String> = ir
        .models
        .iter()
        .flat_map(|model| {
            model
                .foreign_keys
                .iter()
                .filter(|k| !k.set_null_columns.is_empty())
                .map(|fk| {
                    let parts: Vec<&str> = fk.set_null_columns.iter().map(String::as_str).collect();
                    constraint_name(&model.table, &parts, "fkey")
                })
        })
        .collect();
    reserved.extend(set_null.iter().map(String::as_str));
    let mut count: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    for entry in &entries {
        *count.entry(entry.name).or_default() += 1;
    }
    let colliding = |name: &str| count.get(name).is_some_and(|n| *n > 1) || reserved.contains(name);
    let mut taken: HashSet<&str> = entries
        .iter()
        .map(|e| e.name)
        .filter(|name| !colliding(name))
        .collect();
    taken.extend(reserved.iter().copied());
    let mut added: HashSet<String> = HashSet::new();
    let mut renames = Vec::new();
    for entry in entries.iter().filter(|e| colliding(e.name)) {
        let new = (0..)
            .map(|attempt| suffixed(entry.table, entry.name, attempt))
            .find(|candidate| !taken.contains(candidate.as_str()) && !added.contains(candidate))
            .expect("an endless supply of candidates");
        added.insert(new.clone());
        renames.push(Rename {
            model: entry.model.map(str::to_string),
            kind: entry.kind,
            at: entry.at,
            old: entry.name.to_string(),
            new,
        });
    }
    renames
}

/// `name` with `_<8 hex of blake3("<table>.<name>")>` before its kind, cut to 63 bytes; a later
/// `attempt` hashes `<table>.<name>.<attempt>` instead.
fn suffixed(table: &str, name: &str, attempt: usize) -> String {
    let key = match attempt {
        0 => format!("{table}.{name}"),
        n => format!("{table}.{name}.{n}"),
    };
    let hash = blake3::hash(key.as_bytes()).to_hex();
    let hash = &hash[..8];
    let split = KINDS.iter().find_map(|kind| {
        let stem = name.strip_suffix(kind)?.strip_suffix('_')?;
        (!stem.is_empty()).then_some((stem, *kind))
    });
    match split {
        Some((stem, kind)) => constraint_name(stem, &[hash], kind),
        // A name already cut to 63 bytes ends in a hash, not a kind.
        None => constraint_name(name, &[], hash),
    }
}

/// Every constraint and index name of the IR, in IR order: models, then join tables.
fn entries<'i>(ir: &'i Ir) -> Vec<Entry<'i>> {
    let mut out = Vec::new();
    for (t, m) in ir.models.iter().enumerate() {
        let table = Table {
            model: Some(&m.name),
            table: &m.table,
            at: (false, t),
        };
        table.list(&mut out, Kind::Primary, [m.primary_key.name.as_str()]);
        table.list(
            &mut out,
            Kind::Unique,
            m.uniques.iter().map(|k| k.name.as_str()),
        );
        table.list(
            &mut out,
            Kind::Foreign,
            m.foreign_keys.iter().map(|k| k.name.as_str()),
        );
        table.list(
            &mut out,
            Kind::Index,
            m.indexes.iter().map(|k| k.name.as_str()),
        );
        table.list(
            &mut out,
            Kind::Check,
            m.checks.iter().map(|k| k.name.as_str()),
        );
    }
    for (t, j) in ir.join_tables.iter().enumerate() {
        let table = Table {
            model: None,
            table: &j.name,
            at: (true, t),
        };
        table.list(&mut out, Kind::Primary, [j.primary_key.name.as_str()]);
        table.list(
            &mut out,
            Kind::Foreign,
            j.foreign_keys.iter().map(|k| k.name.as_str()),
        );
        table.list(
            &mut out,
            Kind::Index,
            j.indexes.iter().map(|k| k.name.as_str()),
        );
    }
    out
}

/// A model's table or a join table, whose names [`entries`] lists.
struct Table<'i> {
    model: Option<&'i str>,
    table: &'i str,
    /// (is a join table, table position).
    at: (bool, usize),
}

impl<'i> Table<'i> {
    /// Adds an entry for each name of one of the table's lists (`kind`), in order.
    fn list(&self, out: &mut Vec<Entry<'i>>, kind: Kind, names: impl IntoIterator<Item = &'i str>) {
        out.extend(names.into_iter().enumerate().map(|(i, name)| Entry {
            model: self.model,
            table: self.table,
            kind,
            at: (self.at.0, self.at.1, i),
            name,
        }));
    }
}

fn apply(cx: &mut Cx, ir: &mut Ir, rename: Rename) {
    let (join, t, i) = rename.at;
    let slot = if join {
        let j = &mut ir.join_tables[t];
        match rename.kind {
            Kind::Primary => &mut j.primary_key.name,
            Kind::Foreign => &mut j.foreign_keys[i].name,
            Kind::Index => &mut j.indexes[i].name,
            Kind::Unique | Kind::Check => unreachable!("join tables have no unique keys or checks"),
        }
    } else {
        let m = &mut ir.models[t];
        match rename.kind {
            Kind::Primary => &mut m.primary_key.name,
            Kind::Unique => &mut m.uniques[i].name,
            Kind::Foreign => &mut m.foreign_keys[i].name,
            Kind::Index => &mut m.indexes[i].name,
            Kind::Check => &mut m.checks[i].name,
        }
    };
    *slot = rename.new.clone();
    let label = match rename.kind {
        Kind::Unique => "unique",
        Kind::Index => "index",
        Kind::Check => "check",
        Kind::Primary | Kind::Foreign => return,
    };
    if let Some(model) = &rename.model
        && let Some(loc) = cx
            .provenance
            .remove(&format!("{model}#{label}:{}", rename.old))
    {
        cx.provenance
            .insert(format!("{model}#{label}:{}", rename.new), loc);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use forge_schemas::Ir;

    use super::suffixed;
    use crate::validate::tests::ir_of;

    /// Every constraint and index name of the IR.
    pub fn names(ir: &Ir) -> Vec<String> {
        super::entries(ir)
            .into_iter()
            .map(|e| e.name.to_string())
            .collect()
    }

    fn assert_unique(ir: &Ir) {
        let names = names(ir);
        let unique: BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:#?}");
        for table in ir.models.iter().map(|m| &m.table) {
            assert!(!names.contains(table), "{table}");
        }
    }

    const ALL: &str = " policy all \"true\"\n";

    #[test]
    fn index_names_that_meet_across_tables_get_a_suffix() {
        let ir = ir_of(&format!(
            "model A {{\n id uuid pk=#true\n b_c string index=#true\n{ALL}}}\nmodel AB table=\"a_b\" {{\n id uuid pk=#true\n c string index=#true\n{ALL}}}\n"
        ));
        assert_unique(&ir);
        let a = &ir.model("A").unwrap().indexes[0].name;
        let ab = &ir.model("AB").unwrap().indexes[0].name;
        assert_eq!(a, &suffixed("a", "a_b_c_idx", 0));
        assert_eq!(ab, &suffixed("a_b", "a_b_c_idx", 0));
        assert!(a.starts_with("a_b_c_") && a.ends_with("_idx"), "{a}");
        // As docs/language.md shows them.
        assert_eq!(
            (a.as_str(), ab.as_str()),
            ("a_b_c_bba5657d_idx", "a_b_c_99bd74dd_idx")
        );
        assert_ne!(a, ab);
        // Names that meet no other keep their name.
        assert_eq!(ir.model("A").unwrap().primary_key.name, "a_pkey");
        assert_eq!(ir.model("AB").unwrap().primary_key.name, "a_b_pkey");
    }

    #[test]
    fn every_kind_of_name_is_unique_in_the_database() {
        // `a_b_c_key`, `a_b_x_id_fkey` and `a_b_c_check` twice each; a table named like a pkey.
        let ir = ir_of(&format!(
            "model C {{\n id uuid pk=#true\n{ALL}}}\n\
             model A {{\n id uuid pk=#true\n b_c string unique=#true\n b_x belongs-to=C\n check \"true\" name=b_c\n{ALL}}}\n\
             model AB table=\"a_b\" {{\n id uuid pk=#true\n c string unique=#true\n x belongs-to=C\n check \"true\" name=c\n{ALL}}}\n\
             model ABPkey table=\"a_b_pkey\" {{\n id uuid pk=#true\n{ALL}}}\n"
        ));
        assert_unique(&ir);
        let (a, ab) = (ir.model("A").unwrap(), ir.model("AB").unwrap());
        for (name, kind) in [
            (&ab.primary_key.name, "_pkey"),
            (&ab.uniques[0].name, "_key"),
            (&a.uniques[0].name, "_key"),
            (&ab.foreign_keys[0].name, "_fkey"),
            (&a.foreign_keys[0].name, "_fkey"),
            (&ab.checks[0].name, "_check"),
            (&a.checks[0].name, "_check"),
        ] {
            assert!(name.ends_with(kind), "{name}");
        }
        let names = names(&ir);
        for original in ["a_b_c_key", "a_b_x_id_fkey", "a_b_c_check", "a_b_pkey"] {
            assert!(!names.iter().any(|n| n == original), "{original}");
        }
        assert_eq!(a.primary_key.name, "a_pkey");
        assert_eq!(ir.model("C").unwrap().primary_key.name, "c_pkey");
    }

    #[test]
    fn join_table_names_take_part() {
        // The join table `post_tags` indexes `tag_id`: `post_tags_tag_id_idx`, like Post's own
        // index on `tags_tag_id`.
        let ir = ir_of(&format!(
            "model Post {{\n id uuid pk=#true\n tags many-to-many=Tag\n tags_tag_id uuid index=#true\n{ALL}}}\n\
             model Tag {{\n id uuid pk=#true\n{ALL}}}\n"
        ));
        assert_unique(&ir);
        let join = &ir.join_tables[0];
        assert_eq!(join.primary_key.name, "post_tags_pkey");
        assert_eq!(
            join.indexes[0].name,
            suffixed("post_tags", "post_tags_tag_id_idx", 0)
        );
        assert_eq!(
            ir.model("Post").unwrap().indexes[0].name,
            suffixed("post", "post_tags_tag_id_idx", 0)
        );
    }

    #[test]
    fn a_name_already_cut_to_63_bytes_is_cut_again() {
        let cut = "a".repeat(54) + "_12345678";
        let new = suffixed("t", &cut, 0);
        assert_eq!(new.len(), 63);
        assert_ne!(new, cut);
        assert_ne!(suffixed("t", &cut, 1), new);
    }

    #[test]
    fn provenance_follows_a_renamed_name() {
        let text = format!(
            "model A {{\n id uuid pk=#true\n b_c string index=#true\n{ALL}}}\nmodel AB table=\"a_b\" {{\n id uuid pk=#true\n c string index=#true\n{ALL}}}\n"
        );
        let (parsed, _) = crate::parse_file("schema.kdl", &text);
        let validated = crate::validate(&[&parsed]);
        let ir = validated.ir.expect("valid");
        for model in &ir.models {
            for index in &model.indexes {
                let key = format!("{}#index:{}", model.name, index.name);
                assert!(validated.provenance.entries.contains_key(&key), "{key}");
            }
        }
    }
}
