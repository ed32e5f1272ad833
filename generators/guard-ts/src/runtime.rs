//! The runtime helpers (`runtime.ts`), split into sections that a file includes only when it uses
//! them: a section is a run of lines between blank lines that declares one top-level name (after
//! its doc comment). The file's header, up to the first blank line, is not a section.

/// The runtime's source.
const SOURCE: &str = include_str!("runtime.ts");

/// One declaration of the runtime, with its doc comment.
pub(crate) struct Section {
    pub name: &'static str,
    pub lines: Vec<&'static str>,
}

/// The runtime's sections, in file order.
pub(crate) fn sections() -> Vec<Section> {
    let (_header, body) = SOURCE
        .split_once("\n\n")
        .expect("runtime.ts starts with a header");
    body.split("\n\n")
        .map(|chunk| {
            let lines: Vec<&str> = chunk.lines().collect();
            let name = lines
                .iter()
                .find_map(|line| declared_name(line))
                .unwrap_or_else(|| panic!("a runtime section declares nothing:\n{chunk}"));
            Section { name, lines }
        })
        .collect()
}

/// The name a top-level declaration line declares.
pub(crate) fn declared_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("export ").unwrap_or(line);
    let rest = ["function ", "const ", "type ", "interface "]
        .iter()
        .find_map(|keyword| rest.strip_prefix(keyword))?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::scan::identifiers;

    #[test]
    fn every_section_declares_exactly_one_distinct_name() {
        let sections = sections();
        let mut names = BTreeSet::new();
        for section in &sections {
            let declared: Vec<&str> = section
                .lines
                .iter()
                .filter_map(|l| declared_name(l))
                .collect();
            assert_eq!(declared, [section.name], "{:#?}", section.lines);
            assert!(names.insert(section.name), "{} twice", section.name);
            assert!(
                !section
                    .lines
                    .iter()
                    .any(|l| l.contains('`') && !l.trim_start().starts_with("/**")),
                "{}: no template literals",
                section.name
            );
        }
        assert!(sections.len() > 40, "{}", sections.len());
    }

    #[test]
    fn constants_use_no_other_section_when_the_module_loads() {
        // Constants are evaluated when the module loads, in file order: the runtime's are
        // literals (of type `Exact` at most), so the order of sections never matters.
        let sections = sections();
        let names: BTreeSet<&str> = sections.iter().map(|s| s.name).collect();
        for section in sections
            .iter()
            .filter(|s| s.lines.iter().any(|l| l.starts_with("const ")))
        {
            let text = section.lines.join("\n");
            let used: Vec<&str> = identifiers(&text)
                .into_iter()
                .filter(|n| *n != section.name && names.contains(n))
                .collect();
            assert!(
                used.iter().all(|n| *n == "Exact"),
                "{} uses {used:?} while loading",
                section.name
            );
        }
    }
}
