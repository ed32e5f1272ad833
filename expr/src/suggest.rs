//! "Did you mean ...?": the candidates closest to a misspelt name.

/// The candidates within a small edit distance of `name` (or that `name` begins, when it is longer
/// than two characters), closest first (at most three).
pub fn close_names<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut close: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let candidate = c.to_lowercase();
            let d = distance(&lower, &candidate);
            (d <= limit || (lower.len() > 2 && candidate.starts_with(&lower))).then_some((d, c))
        })
        .collect();
    close.sort();
    close.dedup();
    close.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "did you mean `a`?", "did you mean `a` or `b`?", or `None` when nothing is close.
pub fn did_you_mean(close: &[&str]) -> Option<String> {
    let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

/// Edit distance over characters, counting a swap of two neighbours as one edit (optimal string
/// alignment), so `titel` is one edit from `title`.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_first() {
        assert_eq!(
            close_names("titel", ["title", "tags", "slug", "total"]),
            ["title"]
        );
        assert_eq!(
            close_names("author", ["author_id", "author", "authors"]),
            ["author", "authors", "author_id"]
        );
        assert!(close_names("zzz", ["title"]).is_empty());
        assert_eq!(close_names("strng", ["string", "text", "uuid"]), ["string"]);
        assert_eq!(close_names("Usr", ["User", "Post"]), ["User"]);
    }

    #[test]
    fn sentences() {
        assert_eq!(did_you_mean(&[]), None);
        assert_eq!(did_you_mean(&["a"]).unwrap(), "did you mean `a`?");
        assert_eq!(
            did_you_mean(&["a", "b", "c"]).unwrap(),
            "did you mean `a`, `b` or `c`?"
        );
    }
}
