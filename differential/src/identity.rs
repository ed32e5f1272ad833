//! Identities as the test writes them: JSON text kept exactly as written (numbers such as `1e2`
//! or `7.0`, escapes such as `\u0000`, duplicate keys), with the structure shrinking needs.

use std::fmt;

/// An identity: the text of the setting `forge.user`.
#[derive(Clone, Debug, PartialEq)]
pub enum Identity {
    /// Any JSON text that is not an object (`null`, `[]`, `"admin"`): the anonymous identity.
    Other(String),
    /// An object: its entries in order (a key may come twice).
    Object(Vec<(String, Entry)>),
}

/// The value of an entry of an identity object.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// JSON text, as written.
    Json(String),
    /// A list, each item JSON text as written.
    List(Vec<String>),
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::Other(text) => f.write_str(text),
            Identity::Object(entries) => {
                f.write_str("{")?;
                for (i, (key, entry)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: ", serde_json::Value::String(key.clone()))?;
                    match entry {
                        Entry::Json(text) => f.write_str(text)?,
                        Entry::List(items) => write!(f, "[{}]", items.join(", "))?,
                    }
                }
                f.write_str("}")
            }
        }
    }
}

impl Identity {
    /// The identities one step simpler: an entry left out, or an item of a list.
    pub fn simpler(&self) -> Vec<Identity> {
        let Identity::Object(entries) = self else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for i in 0..entries.len() {
            let mut fewer = entries.clone();
            fewer.remove(i);
            out.push(Identity::Object(fewer));
        }
        for (i, (_, entry)) in entries.iter().enumerate() {
            if let Entry::List(items) = entry {
                for j in 0..items.len() {
                    let mut changed = entries.clone();
                    let mut fewer = items.clone();
                    fewer.remove(j);
                    changed[i].1 = Entry::List(fewer);
                    out.push(Identity::Object(changed));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_print_as_written_and_lose_one_part_at_a_time() {
        let identity = Identity::Object(vec![
            ("id".into(), Entry::Json("\"x\"".into())),
            ("level".into(), Entry::Json("1e2".into())),
            (
                "roles".into(),
                Entry::List(vec!["\"a\"".into(), "\"\\u0000\"".into()]),
            ),
        ]);
        assert_eq!(
            identity.to_string(),
            r#"{"id": "x", "level": 1e2, "roles": ["a", "\u0000"]}"#
        );
        let simpler: Vec<String> = identity.simpler().iter().map(|i| i.to_string()).collect();
        assert_eq!(
            simpler,
            [
                r#"{"level": 1e2, "roles": ["a", "\u0000"]}"#,
                r#"{"id": "x", "roles": ["a", "\u0000"]}"#,
                r#"{"id": "x", "level": 1e2}"#,
                r#"{"id": "x", "level": 1e2, "roles": ["\u0000"]}"#,
                r#"{"id": "x", "level": 1e2, "roles": ["a"]}"#,
            ]
        );
        assert!(Identity::Other("null".into()).simpler().is_empty());
    }
}
