//! Canonical JSON: object keys sorted, no insignificant white space, so that equal values give equal
//! bytes and equal digests on every machine.

use serde::Serialize;
use serde_json::Value;

/// A blake3 digest, printed as 64 lowercase hex characters.
pub type Digest = String;

/// Serializes `value` to canonical JSON bytes: keys of every object sorted by code point, no white
/// space. Struct fields are emitted in declaration order by serde, so the value is first turned into
/// a `serde_json::Value` (whose maps are sorted) and written from there.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let value = serde_json::to_value(value).expect("IR values always serialize");
    let mut out = Vec::with_capacity(256);
    write_value(&value, &mut out);
    out
}

/// blake3 of [`canonical_json`], as hex.
pub fn digest_json<T: Serialize + ?Sized>(value: &T) -> Digest {
    blake3::hash(&canonical_json(value)).to_hex().to_string()
}

fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            out.push(b'{');
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key).expect("strings serialize");
                out.push(b':');
                write_value(&map[key], out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        scalar => serde_json::to_writer(&mut *out, scalar).expect("scalars serialize"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let v: Value =
            serde_json::from_str(r#"{"b":1,"a":{"z":[{"y":1,"x":2}],"c":null}}"#).unwrap();
        assert_eq!(
            String::from_utf8(canonical_json(&v)).unwrap(),
            r#"{"a":{"c":null,"z":[{"x":2,"y":1}]},"b":1}"#
        );
    }
}
