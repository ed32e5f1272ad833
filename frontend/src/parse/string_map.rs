//! Where a string's text sits in the source: the content between its quotes, and the map from
//! offsets in the decoded string to offsets in that content (escapes and multi-line dedent move
//! them apart). Expression errors are reported in decoded offsets; this map puts their underline
//! on the right characters of the file.

/// The content of a string value written as `repr` (its range relative to the start of `repr`)
/// and the text map (see [`crate::ast::Arg::text_map`]). `decoded` is the value kdl decoded; when
/// the map cannot reproduce it exactly, the map is left empty (offsets then match up to the first
/// escape, which is the best that can be said).
pub fn string_content(repr: &str, decoded: &str) -> (usize, usize, Vec<(u32, u32)>) {
    let hashes = repr.bytes().take_while(|&b| b == b'#').count();
    let rest = &repr[hashes..];
    if !rest.starts_with('"') {
        return (0, repr.len(), Vec::new());
    }
    let raw = hashes > 0;
    let quotes = if rest.starts_with("\"\"\"") && rest.len() >= 6 + hashes {
        3
    } else {
        1
    };
    let start = hashes + quotes;
    let end = repr.len().saturating_sub(hashes + quotes).max(start);
    let content = &repr[start..end];
    let mut walk = Walk::default();
    if quotes == 3 {
        walk.multi_line(content, raw);
    } else {
        walk.segment(content, 0, raw);
    }
    let map = if walk.out == decoded {
        walk.map
    } else {
        Vec::new()
    };
    (start, end - start, map)
}

/// Decodes a string's content while recording breakpoints.
#[derive(Default)]
struct Walk {
    out: String,
    map: Vec<(u32, u32)>,
}

impl Walk {
    /// Records that decoded offset `out.len()` is content offset `source`, unless the current
    /// breakpoints already say so.
    fn mark(&mut self, source: usize) {
        let decoded = self.out.len() as i64;
        let delta = source as i64 - decoded;
        let current = self
            .map
            .last()
            .map(|&(d, s)| s as i64 - d as i64)
            .unwrap_or(0);
        if delta != current {
            self.map.push((decoded as u32, source as u32));
        }
    }

    /// One stretch of content starting at content offset `base`.
    fn segment(&mut self, text: &str, base: usize, raw: bool) {
        self.mark(base);
        let mut chars = text.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if c != '\\' || raw {
                self.out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, e)) if e.is_whitespace() => {
                    while chars.peek().is_some_and(|&(_, w)| w.is_whitespace()) {
                        chars.next();
                    }
                }
                Some((_, 'u')) => {
                    let mut hex = String::new();
                    if chars.peek().is_some_and(|&(_, b)| b == '{') {
                        chars.next();
                        for (_, h) in chars.by_ref() {
                            if h == '}' {
                                break;
                            }
                            hex.push(h);
                        }
                    }
                    let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    self.out.push(decoded.unwrap_or('\u{fffd}'));
                }
                Some((_, e)) => self.out.push(match e {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    's' => ' ',
                    other => other,
                }),
                None => self.out.push('\\'),
            }
            let next = chars.peek().map(|&(j, _)| j).unwrap_or(text.len());
            self.mark(base + next);
        }
    }

    /// A `"""` string: the first line is empty, the last holds the indentation that every other
    /// line loses; white-space-only lines become empty.
    fn multi_line(&mut self, content: &str, raw: bool) {
        let lines: Vec<(usize, &str)> = line_starts(content);
        let Some(&(_, prefix)) = lines.last() else {
            return;
        };
        if lines.len() < 2 || !prefix.chars().all(char::is_whitespace) {
            return;
        }
        for (k, &(at, line)) in lines[1..lines.len() - 1].iter().enumerate() {
            if k > 0 {
                self.out.push('\n');
            }
            if line.chars().all(char::is_whitespace) {
                continue;
            }
            let body = line.strip_prefix(prefix).unwrap_or(line);
            self.segment(body, at + (line.len() - body.len()), raw);
        }
    }
}

/// The lines of `text` (split at `\n`, a trailing `\r` dropped) with their start offsets.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        out.push((at, line.strip_suffix('\r').unwrap_or(line)));
        at += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::string_content;

    #[test]
    fn bare_and_plain_strings_map_to_themselves() {
        assert_eq!(string_content("draft", "draft"), (0, 5, vec![]));
        assert_eq!(string_content("\"a == b\"", "a == b"), (1, 6, vec![]));
    }

    #[test]
    fn raw_strings_skip_their_hashes() {
        assert_eq!(string_content("#\"a \"b\"\"#", "a \"b\""), (2, 5, vec![]));
    }

    #[test]
    fn escapes_shift_later_offsets() {
        // `a\"b` decodes to `a"b`: decoded 2 (`b`) is content 3.
        let (start, len, map) = string_content("\"a\\\"b\"", "a\"b");
        assert_eq!((start, len), (1, 4));
        assert_eq!(map, vec![(2, 3)]);
    }

    #[test]
    fn multi_line_strings_map_each_line() {
        let repr = "\"\"\"\n    a\n      b\n    \"\"\"";
        let (start, _, map) = string_content(repr, "a\n  b");
        assert_eq!(start, 3);
        // `a` is at content 5; the second line's `  b` starts at content 11.
        assert_eq!(map, vec![(0, 5), (2, 11)]);
    }

    #[test]
    fn a_map_that_does_not_reproduce_the_value_is_dropped() {
        assert_eq!(string_content("\"x\"", "y"), (1, 1, vec![]));
    }
}
