//! Checks that no top-level module of `app` imports another that imports it back, directly or
//! through other modules.
//!
//! A top-level module is `src/<name>.rs` or everything under `src/<name>/`; `lib.rs`, the root
//! that declares and composes them, is left out. Module `a` uses module `b` when code in `a`
//! names `crate::b…` (also inside `use crate::{…}` groups) or a `super::` path that climbs out of
//! `a` to `b`. Comments, string literals and `#[cfg(test)]` modules don't count (tests may look
//! anywhere), nor does `crate::Item` for an item of `lib.rs`.
//!
//! Why: when the modules form layers, each new feature (search, feeds, notifications…) has one
//! obvious place to land, above whatever it uses. Modules in a cycle can't be understood, tested
//! or moved apart, and new code has no right place among them. On failure the test prints every
//! edge that lies on a cycle, in the shortest cycle through it (`a -> b -> a`), with a
//! `file:line` for each edge. With `--nocapture` it also prints the layer order.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

const SRC_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// Module -> the modules it uses, each with one `file:line` where it does.
type Graph = BTreeMap<String, BTreeMap<String, String>>;
/// A word or punctuation mark (`::` is one) and its line.
type Tok = (String, usize);

/// The tokens of Rust source, leaving out comments and string and char literals.
fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let find = |from: usize, ch: char| (from..c.len()).find(|&k| c[k] == ch).unwrap_or(c.len());
    let is_word = |k: usize| c[k].is_alphanumeric() || c[k] == '_';
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < c.len() {
        let start = i;
        i = match (c[i], at(i + 1)) {
            ('/', '/') => find(i, '\n'),
            ('/', '*') => {
                let (mut depth, mut k) = (0, i);
                while k < c.len() {
                    let step = (c[k], at(k + 1));
                    if step == ('/', '*') || step == ('*', '/') {
                        depth += if step.0 == '/' { 1 } else { -1 };
                        k += 1;
                    }
                    k += 1;
                    if depth == 0 {
                        break;
                    }
                }
                k
            }
            ('"', _) => skip_string(&c, i + 1, None),
            ('\'', '\\') => find(i + 3, '\'') + 1, // '\n', '\'', '\u{…}'
            ('\'', _) if at(i + 2) == '\'' => i + 3, // 'x'; otherwise a lifetime
            (':', ':') => {
                out.push(("::".to_string(), line));
                i + 2
            }
            _ if is_word(i) => {
                let end = (i..c.len()).find(|&k| !is_word(k)).unwrap_or(c.len());
                let word: String = c[i..end].iter().collect();
                let hashes = c[end..].iter().take_while(|&&h| h == '#').count();
                if matches!(word.as_str(), "r" | "br" | "cr") && at(end + hashes) == '"' {
                    skip_string(&c, end + hashes + 1, Some(hashes))
                } else {
                    out.push((word, line));
                    end
                }
            }
            (ch, _) => {
                if !ch.is_whitespace() {
                    out.push((ch.to_string(), line));
                }
                i + 1
            }
        }
        .min(c.len());
        line += c[start..i].iter().filter(|&&ch| ch == '\n').count();
    }
    out
}

/// The index just past the string whose text starts at `i`; `raw` is a raw string's `#` count.
fn skip_string(c: &[char], mut i: usize, raw: Option<usize>) -> usize {
    while i < c.len() {
        match (c[i], raw) {
            ('\\', None) => i += 2,
            ('"', None) => return i + 1,
            ('"', Some(n)) if c[i + 1..].iter().take_while(|&&h| h == '#').count() >= n => {
                return i + 1 + n
            }
            _ => i += 1,
        }
    }
    i
}

/// The index of the bracket that closes the one at `open` (brackets nest properly in Rust).
fn matching(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0;
    for (k, (t, _)) in toks.iter().enumerate().skip(open) {
        match t.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return k;
        }
    }
    toks.len() - 1
}

/// Drops each `#[cfg(test)] mod name { … }`; returns the rest, and the names from
/// `#[cfg(test)] mod name;`, whose files are test-only.
fn strip_test_modules(toks: &[Tok]) -> (Vec<Tok>, Vec<String>) {
    let name = |k: usize| toks.get(k).map_or("", |t| t.0.as_str());
    let (mut kept, mut test_children, mut i) = (Vec::new(), Vec::new(), 0);
    while i < toks.len() {
        if (i..i + 7)
            .map(name)
            .eq(["#", "[", "cfg", "(", "test", ")", "]"])
        {
            let mut j = i + 7; // skip further attributes and `pub`, `pub(…)`
            while name(j) == "#" || name(j) == "pub" {
                let bracket = matches!(name(j + 1), "[" | "(");
                j = if bracket {
                    matching(toks, j + 1) + 1
                } else {
                    j + 1
                };
            }
            if name(j) == "mod" && name(j + 2) == "{" {
                i = matching(toks, j + 2) + 1;
                continue;
            }
            if name(j) == "mod" && name(j + 2) == ";" {
                test_children.push(name(j + 1).to_string());
            }
        }
        kept.push(toks[i].clone());
        i += 1;
    }
    (kept, test_children)
}

/// The names (with lines) that `crate::` paths, and `super::` paths that climb out of the
/// top-level module, start with, in a file of module `path` (`documents::pages::view` is
/// `["documents", "pages", "view"]`).
fn references(path: &[String], toks: &[Tok]) -> Vec<Tok> {
    let name = |k: usize| toks.get(k).map_or("", |t| t.0.as_str());
    let mut found = Vec::new();
    for i in 0..toks.len() {
        if name(i.wrapping_sub(1)) == "::" || name(i + 1) != "::" {
            continue; // not the first segment of a path
        }
        let mut j = i + 2;
        match name(i) {
            "crate" => {}
            "super" => {
                let mut ups = 1; // `super` in a::b::c is a::b
                while name(j) == "super" && name(j + 1) == "::" {
                    (ups, j) = (ups + 1, j + 2);
                }
                if ups != path.len() {
                    continue; // stays inside its top-level module
                }
            }
            _ => continue,
        }
        if name(j) != "{" {
            found.extend(toks.get(j).cloned());
            continue;
        }
        // In `{a, b::{c, d}, self}`, the first word of each item at the outer level.
        let (mut depth, mut item_start) = (0, true);
        for (t, line) in &toks[j..=matching(toks, j)] {
            match t.as_str() {
                "{" => (depth, item_start) = (depth + 1, true),
                "}" => depth -= 1,
                "," => item_start = true,
                _ if item_start && depth == 1 => {
                    found.push((t.clone(), *line));
                    item_start = false;
                }
                _ => item_start = false,
            }
        }
    }
    found
}

/// The top-level modules and their uses, from (path under `src`, source) pairs.
fn build_graph(files: &[(String, String)]) -> Graph {
    let mut test_only: Vec<Vec<String>> = Vec::new();
    let mut parsed = Vec::new();
    for (rel, src) in files {
        // `foo/mod.rs` is module foo and `foo/bar.rs` is foo::bar; the crate root is [].
        let mut path: Vec<String> = rel
            .trim_end_matches(".rs")
            .split('/')
            .map(String::from)
            .collect();
        if path.last().is_some_and(|p| p == "mod") || rel == "lib.rs" || rel == "main.rs" {
            path.pop();
        }
        let (toks, test_children) = strip_test_modules(&tokens(src));
        test_only.extend(
            test_children
                .into_iter()
                .map(|c| [&path[..], &[c]].concat()),
        );
        parsed.push((rel, path, toks));
    }
    parsed
        .retain(|(_, path, _)| !path.is_empty() && !test_only.iter().any(|t| path.starts_with(t)));
    let mut graph: Graph = parsed
        .iter()
        .map(|(_, path, _)| (path[0].clone(), BTreeMap::new()))
        .collect();
    for (rel, path, toks) in &parsed {
        for (used, line) in references(path, toks) {
            if used != path[0] && graph.contains_key(&used) {
                let uses = graph.get_mut(&path[0]).unwrap();
                uses.entry(used)
                    .or_insert_with(|| format!("src/{rel}:{line}"));
            }
        }
    }
    graph
}

/// Breadth-first from `start`: each module it reaches (itself included) mapped to the module
/// it was reached from, so following the map back from a module gives a shortest path to it.
fn reached<'g>(graph: &'g Graph, start: &'g str) -> BTreeMap<&'g str, &'g str> {
    let mut from = BTreeMap::from([(start, start)]);
    let mut queue = VecDeque::from([start]);
    while let Some(x) = queue.pop_front() {
        for y in graph[x].keys().map(String::as_str) {
            if !from.contains_key(y) {
                from.insert(y, x);
                queue.push_back(y);
            }
        }
    }
    from
}

/// The strongly connected components (modules that reach each other), each after every
/// component it uses: sorted by how many modules they reach.
fn layers(graph: &Graph) -> Vec<Vec<String>> {
    let reach: BTreeMap<&str, _> = graph
        .keys()
        .map(|m| (m.as_str(), reached(graph, m)))
        .collect();
    let mut components: Vec<(usize, Vec<String>)> = reach
        .iter()
        .map(|(m, r)| {
            (
                r.len(),
                r.keys()
                    .filter(|w| reach[*w].contains_key(m))
                    .map(|w| w.to_string())
                    .collect(),
            )
        })
        .collect();
    components.sort();
    components.dedup();
    components
        .into_iter()
        .map(|(_, component)| component)
        .collect()
}

/// Every use that lies on a cycle, shown in the shortest cycle through it, shortest cycles
/// first, with a `file:line` for each use; empty when there are no cycles.
fn cycle_report(graph: &Graph) -> String {
    let mut cycles = BTreeSet::new();
    for (a, uses) in graph {
        for b in uses.keys() {
            let back = reached(graph, b);
            if !back.contains_key(a.as_str()) {
                continue;
            }
            let mut cycle = vec![a.as_str()]; // a, …, b: the way back from b, reversed
            while cycle.last() != Some(&b.as_str()) {
                cycle.push(back[cycle.last().unwrap()]);
            }
            cycle.reverse();
            let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap();
            cycle.rotate_left(first);
            cycle.push(cycle[0]);
            cycles.insert((cycle.len(), cycle));
        }
    }
    let mut report = String::new();
    for (_, cycle) in cycles {
        report += &format!("cycle: {}\n", cycle.join(" -> "));
        for pair in cycle.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            report += &format!("    {a} -> {b}  at {}\n", graph[a][b]);
        }
    }
    report
}

/// Every `.rs` file under `dir`, as (path under `src`, source).
fn read_sources(dir: &Path, prefix: &str, files: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = format!("{prefix}{}", path.file_name().unwrap().to_string_lossy());
        if path.is_dir() {
            read_sources(&path, &format!("{rel}/"), files);
        } else if rel.ends_with(".rs") {
            files.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn top_level_modules_do_not_import_each_other_back() {
    let mut files = Vec::new();
    read_sources(Path::new(SRC_DIR), "", &mut files);
    let graph = build_graph(&files);
    println!("Layer order, lowest first (each module may use only those listed before it):");
    for layer in layers(&graph) {
        let note = if layer.len() > 1 { "  <- a cycle" } else { "" };
        println!("  {}{note}", layer.join(", "));
    }
    let report = cycle_report(&graph);
    assert!(
        report.is_empty(),
        "top-level modules import each other back:\n{report}"
    );
}

/// The graph of in-memory files, each introduced by a `--- path` line.
fn graph_of(files: &str) -> Graph {
    let files: Vec<(String, String)> = files
        .split("--- ")
        .skip(1)
        .map(|f| {
            f.split_once('\n')
                .map(|(p, s)| (p.to_string(), s.to_string()))
                .unwrap()
        })
        .collect();
    build_graph(&files)
}

#[test]
fn scanner_counts_real_references_and_nothing_else() {
    let uses = |g: &Graph, m: &str| g[m].keys().cloned().collect::<Vec<_>>();

    // a -> b -> a is a cycle, reported with evidence; a -> a and a -> the root are not.
    let g = graph_of(
        "--- lib.rs
pub mod a; pub mod b; pub struct Root;
--- a.rs
use crate::a::x;
use crate::b::Thing;
--- b/mod.rs
fn f() {
    crate::a::g(crate::Root)
}
",
    );
    let expected = "cycle: a -> b -> a\n    a -> b  at src/a.rs:2\n    b -> a  at src/b/mod.rs:2\n";
    assert_eq!(cycle_report(&g), expected);
    assert_eq!(layers(&g), [["a", "b"]]);

    // Comments, strings, chars and #[cfg(test)] modules and files don't count.
    let g = graph_of(
        r##"--- a.rs
//! crate::b
/* crate::b /* nested */ crate::b */ /// crate::b
fn f<'x>(_: &'x str) -> [&'x str; 2] {
    let _ = ('\"', "crate::b", '"', "crate::b", '\'', '\u{7b}', b'"');
    [r#"crate::b " crate::b"#, "crate::b \" crate::b"]
}
#[cfg(test)]
#[allow(unused)]
mod tests { use crate::b; fn g() { { crate::b::f() } } }
#[cfg(test)] pub(crate) mod fixtures;
--- a/fixtures.rs
use crate::b::Everything;
--- b.rs
"##,
    );
    assert!(uses(&g, "a").is_empty(), "{g:?}");

    // `use crate::{…}` over several lines with nested groups yields only its first names.
    let g = graph_of(
        "--- a.rs
use crate::{
    b, c::{d, e::{self, F}},
    self as root,
};
--- b.rs\n--- c.rs\n--- d.rs\n--- e.rs\n--- f.rs
",
    );
    assert_eq!(uses(&g, "a"), ["b", "c"]);
    assert_eq!(layers(&g), [["b"], ["c"], ["d"], ["e"], ["f"], ["a"]]);

    // `super` climbs one module per step: in a::p::deep, super::super is a.
    let g = graph_of(
        "--- a/nested.rs
use super::super::x::Y; use super::local;
--- a/p/mod.rs
use super::super::{y, z};
--- a/p/deep.rs
use super::super::local; use super::super::super::w;
--- local.rs\n--- w.rs\n--- x.rs\n--- y.rs\n--- z.rs
",
    );
    assert_eq!(uses(&g, "a"), ["w", "x", "y", "z"]);
}
