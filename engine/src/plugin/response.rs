//! Checking what a plugin answered before anything of it is used: the JSON must be a valid
//! response, every path a plain relative path inside the generator's out folder (no absolute
//! path, no `..`, no `.`, no empty part, no backslash, no duplicates), and no path may lead through
//! a symbolic link that already exists in the out folder.

use std::collections::BTreeSet;
use std::path::Path;

use forge_schemas::Response;

use super::failure::FailureKind;

/// Decodes a one-shot answer.
pub(crate) fn decode(bytes: &[u8]) -> Result<Response, FailureKind> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FailureKind::InvalidJson("it printed nothing".into()));
    }
    serde_json::from_slice(bytes).map_err(|e| FailureKind::InvalidJson(e.to_string()))
}

/// Checks every file's path; `folder` is the generator's out folder on disk.
pub(crate) fn check_paths(response: &Response, folder: &Path) -> Result<(), FailureKind> {
    let mut seen = BTreeSet::new();
    for file in &response.files {
        let path = file.path.as_str();
        if let Some(problem) = path_problem(path) {
            return Err(FailureKind::Protocol(format!(
                "it answered a file path it may not write, `{}`: {problem}",
                path.escape_debug()
            )));
        }
        if !seen.insert(path) {
            return Err(FailureKind::Protocol(format!(
                "it answered the file `{path}` twice"
            )));
        }
        if let Some(link) = symlink_on_the_way(folder, path) {
            return Err(FailureKind::Protocol(format!(
                "its file `{path}` would be written through the symbolic link `{link}`"
            )));
        }
    }
    Ok(())
}

/// Why `path` is not a plain relative path, if it is not.
fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("it is empty");
    }
    if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        return Some("it is absolute");
    }
    if path.contains('\\') {
        return Some("it contains a backslash; use `/`");
    }
    if path.contains('\0') {
        return Some("it contains a NUL character");
    }
    for part in path.split('/') {
        match part {
            "" => return Some("it has an empty part"),
            "." => return Some("it has a `.` part"),
            ".." => return Some("it climbs out with `..`"),
            _ => {}
        }
    }
    None
}

/// The first existing symbolic link among the folder and the parts of `path` below it.
fn symlink_on_the_way(folder: &Path, path: &str) -> Option<String> {
    let mut current = folder.to_path_buf();
    let is_link = |p: &Path| {
        std::fs::symlink_metadata(p)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false)
    };
    if is_link(&current) {
        return Some(current.display().to_string());
    }
    let mut shown = String::new();
    for part in path.split('/') {
        current.push(part);
        if !shown.is_empty() {
            shown.push('/');
        }
        shown.push_str(part);
        if is_link(&current) {
            return Some(shown);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        for good in ["a.py", "models/post.py", "ünïcode/ñ.txt", "a..b/c"] {
            assert_eq!(path_problem(good), None, "{good}");
        }
        for (bad, why) in [
            ("", "it is empty"),
            ("/etc/passwd", "it is absolute"),
            ("C:/x", "it is absolute"),
            ("../x", "it climbs out with `..`"),
            ("a/../../x", "it climbs out with `..`"),
            ("a//b", "it has an empty part"),
            ("./a", "it has a `.` part"),
            ("a\\b", "it contains a backslash; use `/`"),
        ] {
            assert_eq!(path_problem(bad), Some(why), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_path_through_an_existing_symlink_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("out/gen");
        std::fs::create_dir_all(&folder).unwrap();
        std::os::unix::fs::symlink(dir.path(), folder.join("escape")).unwrap();
        let response = |path: &str| Response {
            files: vec![forge_schemas::OutputFile {
                path: path.into(),
                content: String::new(),
                origins: Vec::new(),
            }],
            diagnostics: Vec::new(),
        };
        assert!(check_paths(&response("fine/x.txt"), &folder).is_ok());
        let err = check_paths(&response("escape/x.txt"), &folder).unwrap_err();
        assert_eq!(
            err,
            FailureKind::Protocol(
                "its file `escape/x.txt` would be written through the symbolic link `escape`"
                    .into()
            )
        );
    }

    #[test]
    fn answers_that_are_not_responses_are_invalid() {
        assert!(matches!(decode(b""), Err(FailureKind::InvalidJson(_))));
        assert!(matches!(
            decode(b"{\"files\": 3}"),
            Err(FailureKind::InvalidJson(_))
        ));
        assert!(matches!(
            decode(b"{\"files\": [], \"extra\": 1}"),
            Err(FailureKind::InvalidJson(_))
        ));
        assert!(decode(b"{\"files\": []}").is_ok());
    }
}
