//! The house has no import circles: between the modules of one parent (the children of
//! `crate`, of `crate::extract`, of `crate::extract::table`...), the "uses" relation is
//! acyclic, so each module can be read, tested and replaced from the bottom floor up
//! (ARCHITECTURE.md). A use is any path in code (not in comments) that names another
//! module: `crate::a::b`, `super::b`, `self::b`.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src is readable") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a source file (`src/extract/table/grid.rs` → `extract::table::grid`;
/// `mod.rs` names its folder; `lib.rs` and `main.rs` are the root).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Code without comments: `//` to the end of the line (outside strings, roughly) dropped.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") {
                ""
            } else if let Some(i) = l.find(" // ") {
                &l[..i]
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module (path) referenced by `text`, written in module `me`, resolved against the
/// set of existing modules (the longest existing prefix of the path).
fn uses(me: &[String], text: &str, modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let path = Regex::new(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)").unwrap();
    // `use super::{a, b}` groups: each name counts.
    let group =
        Regex::new(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^}]*)\}").unwrap();
    let mut raw: Vec<(String, Vec<String>)> = Vec::new();
    for c in path.captures_iter(text) {
        raw.push((
            c[1].to_string(),
            c[2].split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        ));
    }
    for c in group.captures_iter(text) {
        let base: Vec<String> = c[2]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        for name in c[3].split(',') {
            let name = name.trim().split("::").next().unwrap_or("").trim();
            if name.is_empty() || name == "self" {
                continue;
            }
            let mut p = base.clone();
            p.push(name.to_string());
            raw.push((c[1].to_string(), p));
        }
    }
    // `self` is the module itself (a mod.rs's module is its folder); `super` its parent.
    let mut out = BTreeSet::new();
    for (root, rest) in raw {
        let mut p: Vec<String> = match root.as_str() {
            "crate" => Vec::new(),
            "self" => me.to_vec(),
            _ => me[..me.len().saturating_sub(1)].to_vec(),
        };
        p.extend(rest);
        while !p.is_empty() && !modules.contains(&p) {
            p.pop();
        }
        if !p.is_empty() && p != me {
            out.insert(p);
        }
    }
    out
}

/// The circles among siblings: for each use `a → b` (a and b not one inside the other),
/// the edge between the children of their common ancestor that hold them.
fn circles(edges: &BTreeSet<(Vec<String>, Vec<String>)>) -> Vec<Vec<Vec<String>>> {
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (a, b) in edges {
        let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        if common == a.len() || common == b.len() {
            continue; // a module and its own ancestor or descendant
        }
        let (x, y) = (a[..=common].to_vec(), b[..=common].to_vec());
        graph.entry(x).or_default().insert(y);
    }
    // Tarjan's strongly connected components.
    struct T<'g> {
        g: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<Vec<String>, usize>,
        low: BTreeMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        on: BTreeSet<Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit(t: &mut T<'_>, v: &Vec<String>) {
        let i = t.index.len();
        t.index.insert(v.clone(), i);
        t.low.insert(v.clone(), i);
        t.stack.push(v.clone());
        t.on.insert(v.clone());
        let next: Vec<Vec<String>> = t.g.get(v).into_iter().flatten().cloned().collect();
        for w in &next {
            if !t.index.contains_key(w) {
                visit(t, w);
                let l = t.low[v].min(t.low[w]);
                t.low.insert(v.clone(), l);
            } else if t.on.contains(w) {
                let l = t.low[v].min(t.index[w]);
                t.low.insert(v.clone(), l);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = &w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    let nodes: Vec<Vec<String>> = graph.keys().cloned().collect();
    for v in &nodes {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn house_edges() -> BTreeSet<(Vec<String>, Vec<String>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    // The binary is not part of the library's house.
    all.retain(|f| {
        let m = module_of(&src, f);
        m.first().is_none_or(|x| x != "cli") && !f.ends_with("main.rs")
    });
    let modules: BTreeSet<Vec<String>> = all.iter().map(|f| module_of(&src, f)).collect();
    let mut edges = BTreeSet::new();
    for f in &all {
        let me = module_of(&src, f);
        let text = code(&std::fs::read_to_string(f).expect("readable"));
        for u in uses(&me, &text, &modules) {
            edges.insert((me.clone(), u));
        }
    }
    edges
}

/// Circles known and not yet broken, each with why. The list only shrinks: a new circle
/// fails the test, and so does a listed one that is gone (take it off the list).
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn the_house_has_no_import_circles() {
    let found = circles(&house_edges());
    let show: Vec<String> = found
        .iter()
        .map(|c| {
            c.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    let same = |a: &str, b: &str| {
        let mut x: Vec<&str> = a.split(" ↔ ").collect();
        let mut y: Vec<&str> = b.split(" ↔ ").collect();
        x.sort_unstable();
        y.sort_unstable();
        x == y
    };
    let new: Vec<&String> = show
        .iter()
        .filter(|c| !KNOWN.iter().any(|(k, _)| same(k, c)))
        .collect();
    assert!(new.is_empty(), "import circles: {new:#?}");
    for (k, why) in KNOWN {
        assert!(
            show.iter().any(|c| same(k, c)),
            "the circle {k} ({why}) is gone: take it off KNOWN"
        );
    }
}

/// The check itself finds a circle when there is one (two siblings using each other, and
/// a circle of three through a child module).
#[test]
fn a_circle_is_found() {
    let m = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    let mut e = BTreeSet::new();
    e.insert((m("a::x"), m("a::y::inner")));
    e.insert((m("a::y"), m("a::x")));
    e.insert((m("b"), m("c")));
    let c = circles(&e);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].len(), 2);
    let mut e = BTreeSet::new();
    e.insert((m("p"), m("q::r")));
    e.insert((m("q::s"), m("t")));
    e.insert((m("t"), m("p")));
    assert_eq!(circles(&e).len(), 1);
    // A module using its own child or parent is not a circle.
    let mut e = BTreeSet::new();
    e.insert((m("p"), m("p::c")));
    e.insert((m("p::c"), m("p")));
    assert!(circles(&e).is_empty());
}

/// No library code names a language: behaviour that differs by language is a property of the
/// language's profile (`data/lang/<code>.toml`), so adding a language is adding data. Tests
/// (after `#[cfg(test)]`) and doc comments may name one.
#[test]
fn no_library_code_names_a_language() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let naming = Regex::new(r#"Lang::(of\(|Vi\b|En\b|Ru\b)|from_code\("[a-z]{2}"\)"#).unwrap();
    let mut found = Vec::new();
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap();
        let lib = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, l) in code(lib).lines().enumerate() {
            if naming.is_match(l) && !l.trim_start().starts_with("pub fn of(") {
                found.push(format!("{}:{}: {}", f.display(), n + 1, l.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "library code names a language:\n{}",
        found.join("\n")
    );
}

/// Every language of the registry has a file for every engine that reads per-language data.
#[test]
fn every_language_has_every_engines_file() {
    use annals::text::lang::Lang;
    for &l in Lang::all() {
        for engine in [
            "lang", "time", "quantity", "event", "question", "series", "table", "meta", "ui",
        ] {
            assert!(
                annals::data::lang_file(engine, l.code()).is_some(),
                "data/{engine}/{}.toml is missing",
                l.code()
            );
        }
    }
}

/// `knowledge` is the bottom floor: outside its tests it imports only `text`, `data` and
/// itself, so every engine can share a piece of knowledge without importing another engine.
#[test]
fn knowledge_stands_on_text_and_data_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let modules: BTreeSet<Vec<String>> = all.iter().map(|f| module_of(&src, f)).collect();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for f in &all {
        let me = module_of(&src, f);
        if me.first().is_none_or(|m| m != "knowledge") {
            continue;
        }
        seen += 1;
        let text = std::fs::read_to_string(f).expect("readable");
        let lib = code(text.split("#[cfg(test)]").next().unwrap_or(""));
        for u in uses(&me, &lib, &modules) {
            if !matches!(
                u.first().map(String::as_str),
                Some("text" | "data" | "knowledge")
            ) {
                wrong.push(format!("{} uses {}", me.join("::"), u.join("::")));
            }
        }
    }
    assert!(seen >= 5, "the knowledge module was not found");
    assert!(
        wrong.is_empty(),
        "knowledge imports an upper floor: {wrong:#?}"
    );
}
