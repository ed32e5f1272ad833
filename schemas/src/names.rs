//! Naming rules shared by the front end and the generators: snake_case table names and
//! deterministic constraint names that fit in 63 bytes.

/// The longest identifier forge emits, in bytes (PostgreSQL's limit; MySQL's is 64).
pub const MAX_IDENT_BYTES: usize = 63;

/// The snake_case of a PascalCase name: a new word starts at a lower-to-upper change and before
/// the last capital of a run of capitals (`BlogPost` -> `blog_post`, `HTTPLog` -> `http_log`).
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let starts_word = match prev {
                None => false,
                Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                Some(_) => false,
            };
            if starts_word {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `<table>_<parts joined by _>_<suffix>`, cut to [`MAX_IDENT_BYTES`] with a short hash of the full
/// name at the end when it is longer, so that two different long names never collide.
pub fn constraint_name(table: &str, parts: &[&str], suffix: &str) -> String {
    let mut full = String::from(table);
    for part in parts {
        full.push('_');
        full.push_str(part);
    }
    full.push('_');
    full.push_str(suffix);
    if full.len() <= MAX_IDENT_BYTES {
        return full;
    }
    let hash = blake3::hash(full.as_bytes()).to_hex();
    let tail = format!("_{}", &hash[..8]);
    let mut cut = MAX_IDENT_BYTES - tail.len();
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", &full[..cut], tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_the_language_rules() {
        assert_eq!(snake_case("BlogPost"), "blog_post");
        assert_eq!(snake_case("HTTPLog"), "http_log");
        assert_eq!(snake_case("Post"), "post");
        assert_eq!(snake_case("OAuth2Token"), "o_auth2_token");
        assert_eq!(snake_case("UserAPIKey"), "user_api_key");
        assert_eq!(snake_case("Café"), "café");
    }

    #[test]
    fn long_constraint_names_are_cut_with_a_hash() {
        let long = "a".repeat(40);
        let a = constraint_name(&long, &["first_column", "second_column"], "key");
        let b = constraint_name(&long, &["first_column", "second_columm"], "key");
        assert_eq!(a.len(), MAX_IDENT_BYTES);
        assert_ne!(a, b);
        assert_eq!(
            constraint_name("post", &["tenant_id", "slug"], "key"),
            "post_tenant_id_slug_key"
        );
    }
}
