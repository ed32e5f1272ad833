//! Diagnostics family "cycles": required belongs-to relations that form a cycle (no row of any
//! model on it could ever be inserted). One error per cycle, naming it, at its first relation.

use crate::validate::decls::{RelationDecl, RelationDeclKind};
use crate::validate::draft::Drafts;
use crate::validate::report::{Cx, Report, article};

pub const REQUIRED_CYCLE: &str = "forge::required-cycle";

/// A required belongs-to edge.
struct Edge<'d> {
    to: usize,
    relation: &'d RelationDecl,
}

pub fn required_cycles(cx: &mut Cx, drafts: &Drafts) {
    let edges: Vec<Vec<Edge>> = drafts
        .list
        .iter()
        .map(|d| {
            d.relations()
                .filter(|r| matches!(r.kind, RelationDeclKind::BelongsTo { optional: None, .. }))
                .filter_map(|relation| {
                    Some(Edge {
                        to: drafts.find(&relation.target.value)?,
                        relation,
                    })
                })
                .collect()
        })
        .collect();
    for component in components(&edges) {
        let start = component[0];
        let Some(path) = cycle_from(start, &edges, &component) else {
            continue;
        };
        let mut names: Vec<&str> = path
            .iter()
            .map(|e| drafts.list[e.0].name.as_str())
            .collect();
        names.push(&drafts.list[start].name);
        let first = path[0].1;
        let mut report = Report::error(
            REQUIRED_CYCLE,
            format!(
                "required belongs-to relations form a cycle: {}",
                names.join(" -> ")
            ),
        )
        .at(
            first.node,
            format!(
                "`{}` requires {} `{}`",
                drafts.list[path[0].0].name,
                article(&first.target.value),
                first.target.value
            ),
        );
        for (from, relation) in &path[1..] {
            report = report.related(
                relation.node,
                format!(
                    "`{}` requires {} `{}`",
                    drafts.list[*from].name,
                    article(&relation.target.value),
                    relation.target.value
                ),
            );
        }
        cx.emit(report.help("no row on this cycle could ever be inserted first: make one of these relations optional with optional=#true"));
    }
}

/// Strongly connected components (Tarjan) that hold a cycle, each sorted, in order of their first
/// model.
fn components(edges: &[Vec<Edge>]) -> Vec<Vec<usize>> {
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        found: Vec<Vec<usize>>,
    }
    fn visit(v: usize, edges: &[Vec<Edge>], s: &mut State) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for e in &edges[v] {
            match s.index[e.to] {
                None => {
                    visit(e.to, edges, s);
                    s.low[v] = s.low[v].min(s.low[e.to]);
                }
                Some(i) if s.on_stack[e.to] => s.low[v] = s.low[v].min(i),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            let cyclic = component.len() > 1 || edges[v].iter().any(|e| e.to == v);
            if cyclic {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let n = edges.len();
    let mut s = State {
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(v, edges, &mut s);
        }
    }
    s.found.sort();
    s.found
}

/// The shortest cycle through `start` inside `component` (breadth first): the (model, relation)
/// of each step.
fn cycle_from<'d>(
    start: usize,
    edges: &[Vec<Edge<'d>>],
    component: &[usize],
) -> Option<Vec<(usize, &'d RelationDecl)>> {
    let mut came_from: Vec<Option<(usize, &'d RelationDecl)>> = vec![None; edges.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    let mut seen = vec![false; edges.len()];
    while let Some(v) = queue.pop_front() {
        for e in &edges[v] {
            if !component.contains(&e.to) {
                continue;
            }
            if e.to == start {
                let mut path = vec![(v, e.relation)];
                let mut at = v;
                while at != start {
                    let (prev, relation) = came_from[at]?;
                    path.push((prev, relation));
                    at = prev;
                }
                path.reverse();
                return Some(path);
            }
            if !seen[e.to] {
                seen[e.to] = true;
                came_from[e.to] = Some((v, e.relation));
                queue.push_back(e.to);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::{codes, messages};

    #[test]
    fn a_cycle_of_required_relations_is_named() {
        let text = "model A {\n id uuid pk=#true\n b belongs-to=B\n policy all \"true\"\n}\nmodel B {\n id uuid pk=#true\n c belongs-to=C\n policy all \"true\"\n}\nmodel C {\n id uuid pk=#true\n a belongs-to=A\n policy all \"true\"\n}\n";
        assert_eq!(
            messages(text),
            vec!["required belongs-to relations form a cycle: A -> B -> C -> A"]
        );
        assert!(codes(&text.replace("a belongs-to=A", "a belongs-to=A optional=#true")).is_empty());
    }

    #[test]
    fn a_required_self_relation_is_a_cycle() {
        let text =
            "model Node {\n id uuid pk=#true\n parent belongs-to=Node\n policy all \"true\"\n}\n";
        assert_eq!(codes(text), vec!["forge::required-cycle"]);
        assert!(codes(&text.replace("=Node\n", "=Node optional=#true\n")).is_empty());
    }
}
