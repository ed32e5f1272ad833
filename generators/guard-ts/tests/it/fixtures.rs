//! Schemas written for these tests: one rule of each kind (`SEMANTICS`), and names and strings
//! that must not break the file (`NASTY`).

/// Items readable by a role per condition (`read <role> if=...`): with one role, exactly one
/// condition decides (besides the tenant guard). Relations of every kind, a model without a tenant
/// column, and identity attributes of every type.
pub const SEMANTICS: &str = r#"
roles code astral level big amount mixed ratio count at day ref same notteam neteam flag notflag presence inlist chain org parts allparts labels labelsome claim lits lvl quota budget uratio born seen active extra
claims "docs.publish"

enum Level low mid high

identity {
  team string optional=#true
  level Level optional=#true
  quota bigint optional=#true
  budget decimal optional=#true
  ratio float optional=#true
  born date optional=#true
  seen datetime optional=#true
  active boolean optional=#true
  org uuid optional=#true
  extra json optional=#true
  limit integer optional=#true
}

// Not tenant-scoped: readable when public, or when one of its teams in the caller's tenant is
// named core.
model Org {
  id uuid pk=#true
  name string
  public boolean
  teams has-many=Team via=org
  policy read "record.public || record.teams.some(t => t.name == 'core')"
}

model Team {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  org belongs-to=Org optional=#true
  lead belongs-to=Member optional=#true
  policy read "true"
}

model Member {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  policy read "true"
  policy update "false"
}

model Label {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  policy read "true"
}

model Part {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  item belongs-to=Item
  weight integer
  policy read "true"
}

model Item {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  code string
  level Level
  big bigint
  amount decimal precision=30 scale=2
  ratio float
  count integer
  at datetime
  day date
  ref uuid
  flag boolean optional=#true
  note string optional=#true
  data json optional=#true
  blob bytes optional=#true
  team belongs-to=Team optional=#true
  labels many-to-many=Label
  parts has-many=Part
  policy read "true"
}

permissions {
  Item {
    read code if="record.code < 'b'"
    read astral if="record.code > '～'"
    read level if="record.level >= 'mid'"
    read big if="record.big > 9007199254740992"
    read amount if="record.amount > 12345678901234567890.5"
    read mixed if="record.count in [7, record.ratio]"
    read ratio if="record.ratio > record.count"
    read count if="record.count >= user.limit"
    read at if="record.at < '2024-01-01T00:30:00+01:00'"
    read day if="record.day >= '2024-02-29'"
    read ref if="record.ref < 'A0000000-0000-0000-0000-000000000000'"
    read same if="record.ref == user.org"
    read notteam if="!(record.note == user.team)"
    read neteam if="record.note != user.team"
    read flag if="record.flag"
    read notflag if="!record.flag"
    read presence if="record.data != null && record.blob == null"
    read inlist if="record.name in ['a', user.team]"
    read chain if="record.team.lead.name == 'boss'"
    read org if="record.team.org.public"
    read parts if="record.parts.some(p => p.weight > 10)"
    read allparts if="record.parts.every(p => p.weight > 10)"
    read labels if="record.labels.includes('00000000-0000-0000-0000-0000000000aa')"
    read labelsome if="record.labels.some(l => l.name == 'red')"
    read claim if="user.claims.includes('docs.publish')"
    read lits if="'a' < 'b' && 1 < 2 && true == true && null == null && !(1 == null)"
    read lvl if="user.level > 'low'"
    read quota if="user.quota > 9007199254740992"
    read budget if="user.budget >= 0.1"
    read uratio if="user.ratio < 1"
    read born if="user.born < '2000-01-01'"
    read seen if="user.seen > '2020-01-01T00:00:00Z'"
    read active if="user.active"
    read extra if="user.extra != null"
  }
}
"#;

/// Reserved words of JavaScript and SQL as names, names of any script, a model named like
/// TypeScript's global types, and role and claim names made to break string literals and comments.
pub const NASTY: &str = "
roles \"a'b\\\"c\\u{2028}d\" \"*/ x /*\" \"</script>\" \"\\\\\" \"${x}\" \"\\u{202e}rtl\"
claims \"line\\nbreak\" \"😀\"

enum Kind default class

model Record {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  class string
  default Kind
  constructor json optional=#true
  prénom string
  名前 string optional=#true
  delete boolean optional=#true
  function belongs-to=Café optional=#true
  policy read \"record.class == 'x' || user.roles.includes('a\\\\'b\\\"c\\u{2028}d') || record.名前 == '名' || record.constructor != null\"
  policy update \"record.default > 'default' && !record.delete\"
  policy delete \"record.function.prénom == '*/' || user.claims.includes('line\\nbreak')\"
}

model Café {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  prénom string
  records has-many=Record via=function
  tags many-to-many=Record table=\"__proto__\"
  policy read \"record.records.some(r => r.class == '</script>')\"
  policy update \"user.roles.includes('*/ x /*')\"
}
";

/// An identity whose id and tenant are bigints (the tenant column follows), and a decimal
/// attribute compared with a decimal column.
pub const BIGINT_IDS: &str = r#"
identity {
  id bigint
  tenant_id bigint
  credit decimal optional=#true
}

model Account {
  id bigint pk=#true
  tenant_id bigint tenant=#true
  owner_id bigint
  balance decimal precision=20 scale=2
  policy read "record.owner_id == user.id"
  policy update "record.balance <= user.credit"
}
"#;
