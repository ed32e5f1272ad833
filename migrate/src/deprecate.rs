//! The names the fallback gives what it keeps: `_forge_deprecated_<name>`, then `_2`, `_3`, ...
//! when that is taken, cut to 63 bytes with a hash like every name forge makes. A schema name
//! cannot start with `_`, so these never meet a declared table or column.

use forge_schemas::MAX_IDENT_BYTES;

/// What every deprecated table and column name starts with.
pub const DEPRECATED_PREFIX: &str = "_forge_deprecated_";

/// The first free deprecated name for `name`; `taken` says whether a name is in use.
pub(crate) fn deprecated_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| {
            let full = if n == 1 {
                format!("{DEPRECATED_PREFIX}{name}")
            } else {
                format!("{DEPRECATED_PREFIX}{name}_{n}")
            };
            fit(full)
        })
        .find(|candidate| !taken(candidate))
        .expect("some numbered name is free")
}

/// `name`, or when it is longer than 63 bytes its first bytes and a hash of the whole.
pub(crate) fn fit(name: String) -> String {
    if name.len() <= MAX_IDENT_BYTES {
        return name;
    }
    let hash = blake3::hash(name.as_bytes()).to_hex();
    let tail = format!("_{}", &hash[..8]);
    let mut cut = MAX_IDENT_BYTES - tail.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{tail}", &name[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_numbered_when_taken_and_cut_when_long() {
        assert_eq!(deprecated_name("body", |_| false), "_forge_deprecated_body");
        assert_eq!(
            deprecated_name("body", |n| n == "_forge_deprecated_body"),
            "_forge_deprecated_body_2"
        );
        let long = deprecated_name(&"x".repeat(60), |_| false);
        assert_eq!(long.len(), MAX_IDENT_BYTES);
        assert_ne!(long, deprecated_name(&"x".repeat(61), |_| false));
    }
}
