//! CHECK constraints on the real databases: bounds, expressions under forge's missing-value rule,
//! enum order, and the column checks that keep a value to its type.

use forge_gen_sql::Dialect;

use crate::databases::{T1, U1, datetime, ok, open, rejected, seed};
use crate::each_dialect;

each_dialect!(checks_reject_bad_rows);

/// An insert of a post of T1 by U1, numbered `n` (for its id and slug), with `columns` set or
/// overridden.
fn post(n: u32, columns: &[(&str, &str)]) -> String {
    let id = format!("'31000000-0000-4000-8000-{n:012}'");
    let slug = format!("'slug-{n}'");
    let mut set: Vec<(&str, &str)> = vec![
        ("id", &id),
        ("tenant_id", T1),
        ("author_id", U1),
        ("title", "'Title'"),
        ("slug", &slug),
    ];
    for &(column, value) in columns {
        match set.iter_mut().find(|(c, _)| *c == column) {
            Some(entry) => entry.1 = value,
            None => set.push((column, value)),
        }
    }
    let names: Vec<String> = set.iter().map(|(c, _)| format!("\"{c}\"")).collect();
    let values: Vec<&str> = set.iter().map(|(_, v)| *v).collect();
    format!(
        "INSERT INTO \"post\" ({}) VALUES ({});",
        names.join(", "),
        values.join(", ")
    )
}

fn checks_reject_bad_rows(d: Dialect) {
    let db = open(d, "checks_reject_bad_rows");
    let db = &*db;
    seed(db, d);
    let at = datetime(d);
    let long_title = format!("'{}'", "x".repeat(201));
    let long_slug = format!("'{}'", "x".repeat(256));
    let wide_title = format!("'{}'", "é".repeat(200));
    let bad: &[&[(&str, &str)]] = &[
        &[("title", "''")],
        &[("title", &long_title)],
        &[("slug", &long_slug)],
        &[("views", "-1")],
        // published needs published_at
        &[("published", "TRUE")],
        // published needs a status at or after review, in declaration order
        &[
            ("published", "TRUE"),
            ("published_at", at),
            ("status", "'draft'"),
        ],
        &[("rating", "7")],
        &[("rating", "-0.5")],
        // !(subtitle == title)
        &[("subtitle", "'Title'")],
        &[("status", "'nope'")],
        &[("published", "2")],
        &[("metadata", "'{'")],
    ];
    for (n, columns) in bad.iter().enumerate() {
        rejected(db, d, &post(100 + n as u32, columns));
    }
    let good: &[&[(&str, &str)]] = &[
        &[],
        &[("title", "'é'")],
        // lengths count characters, not bytes
        &[("title", &wide_title)],
        &[("rating", "NULL")],
        &[("rating", "4.5")],
        // a missing subtitle makes `subtitle == title` false, so the negation holds
        &[("subtitle", "NULL")],
        &[("subtitle", "'Other'")],
        // 'published' sorts before 'review' as text, but comes after it as a member
        &[
            ("published", "TRUE"),
            ("published_at", at),
            ("status", "'published'"),
        ],
        &[
            ("published", "TRUE"),
            ("published_at", at),
            ("status", "'review'"),
        ],
        &[("metadata", r#"'{"a": [1, 2]}'"#)],
    ];
    for (n, columns) in good.iter().enumerate() {
        ok(db, d, &post(200 + n as u32, columns));
    }

    // `size in [...]` with a missing size is false.
    let cafe = |size: &str| {
        format!(
            r#"INSERT INTO "café" ("tenant_id", "prénom", "size") VALUES ({T1}, 'Zoë', {size});"#
        )
    };
    rejected(db, d, &cafe("NULL"));
    rejected(db, d, &cafe("'xl'"));
    ok(db, d, &cafe("'m'"));

    rejected(db, d, r#"INSERT INTO "tenant" ("name") VALUES ('');"#);
    rejected(
        db,
        d,
        &format!(
            r#"INSERT INTO "user" ("tenant_id", "email", "display_name") VALUES ({T1}, 'ab', 'X');"#
        ),
    );
    let order = |id: u32, total: &str| {
        format!(
            r#"INSERT INTO "order" ("id", "tenant_id", "user_id", "total") VALUES ({id}, {T1}, {U1}, {total});"#
        )
    };
    rejected(db, d, &order(1, "-1"));
    rejected(db, d, &order(2, "100000000"));
    ok(db, d, &order(3, "99999999.99"));
}
