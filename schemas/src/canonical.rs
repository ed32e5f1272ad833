//! Canonical JSON for hashing: equal values give equal bytes, and equal digests, on every machine.
//!
//! serde writes struct fields in declaration order and a `BTreeMap`'s entries in key order, and
//! every type forge hashes is made of structs, enums, vectors and `BTreeMap`s (never a `HashMap`
//! or a `serde_json::Value`), so serializing directly is already canonical. It is also several
//! times faster than sorting through `serde_json::Value`, which matters for a 1,000-model IR.

use serde::Serialize;

/// A blake3 digest, printed as 64 lowercase hex characters.
pub type Digest = String;

/// Serializes `value` to canonical JSON bytes (no white space; see the module doc for the order).
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("forge's values always serialize")
}

/// blake3 of [`canonical_json`], as hex, without holding the bytes.
pub fn digest_json<T: Serialize + ?Sized>(value: &T) -> Digest {
    let mut hasher = blake3::Hasher::new();
    // serde_json writes many tiny pieces; blake3 is fastest fed in large ones.
    let mut writer = std::io::BufWriter::with_capacity(16 * 1024, HashWriter(&mut hasher));
    serde_json::to_writer(&mut writer, value).expect("forge's values always serialize");
    std::io::Write::flush(&mut writer).expect("hashing never fails");
    drop(writer);
    hasher.finalize().to_hex().to_string()
}

/// Feeds serialized bytes straight into the hasher.
struct HashWriter<'h>(&'h mut blake3::Hasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Serialize)]
    struct Node {
        name: &'static str,
        inputs: BTreeMap<&'static str, u32>,
    }

    #[test]
    fn maps_are_in_key_order_whatever_the_insertion_order() {
        let mut a = BTreeMap::new();
        a.insert("z", 1);
        a.insert("a", 2);
        let mut b = BTreeMap::new();
        b.insert("a", 2);
        b.insert("z", 1);
        let (a, b) = (
            Node {
                name: "n",
                inputs: a,
            },
            Node {
                name: "n",
                inputs: b,
            },
        );
        assert_eq!(
            canonical_json(&a),
            br#"{"name":"n","inputs":{"a":2,"z":1}}"#
        );
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(
            digest_json(&a),
            blake3::hash(&canonical_json(&b)).to_hex().to_string()
        );
    }
}
