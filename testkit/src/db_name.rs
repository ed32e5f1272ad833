//! Database names for tests, and the server URLs from the environment.

/// The longest database name used: PostgreSQL allows 63 bytes, MySQL 64 characters.
const MAX_NAME: usize = 63;

/// `forge_test_<test name>` in lowercase ASCII letters, digits and `_`; a long name is cut and
/// ends in a hash of the full one, so two tests never share a database.
pub(crate) fn db_name(test_name: &str) -> String {
    let cleaned: String = test_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let full = format!("forge_test_{cleaned}");
    if full.len() <= MAX_NAME && cleaned == test_name {
        return full;
    }
    let hash = blake3::hash(test_name.as_bytes()).to_hex();
    let keep = full.len().min(MAX_NAME - 9);
    format!("{}_{}", &full[..keep], &hash[..8])
}

/// The value of `var`, or a panic that says how to start the servers.
pub(crate) fn server_url(var: &str) -> String {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{var} is not set: this test needs a real database server. Run the tests through \
             `ci/test`, or start throwaway servers first with `eval \"$(ci/db.sh start)\"` \
             (and `ci/db.sh stop` afterwards)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_distinct() {
        assert_eq!(db_name("applies_schema"), "forge_test_applies_schema");
        let a = db_name("Mixed-Case");
        let b = db_name("mixed_case");
        assert_ne!(a, b);
        assert!(a.starts_with("forge_test_mixed_case_"));
        let long = db_name(&"x".repeat(100));
        assert!(long.len() <= MAX_NAME);
        assert_ne!(long, db_name(&"x".repeat(101)));
    }

    #[test]
    #[should_panic(expected = "ci/db.sh start")]
    fn a_missing_url_says_how_to_start_the_servers() {
        server_url("FORGE_TEST_SURELY_UNSET_URL");
    }
}
