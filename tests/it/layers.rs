//! The layers of the binary crate, held by a test: a module may import (`crate::…` or
//! `super::…`) only modules of a lower layer, and no two files import each other, directly or
//! around a circle. The crate boundaries (core ← aws ← binary) hold the rest. Test code
//! (`#[cfg(test)] mod … { … }`, `tests*.rs`, `*_tests*.rs`) is left out: a test may reach
//! anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The binary's top-level modules, lowest layer first: each may import only those before it.
const LAYERS: &[&str] = &[
    "logging",   // log files and the secret scrubber on them
    "history",   // the history store (SQLite)
    "workflows", // forms, validation, plans, the journal
    "source",    // what reaches the UI: poll answers, change outcomes, the journal
    "view",      // view models: tables, overview, timeline, topology (no ratatui)
    "report",    // text and JSON reports of view models
    "audit",     // the read-only audit
    "cli",       // the command line's shape
    "config",    // config files → runtime settings (keymap, theme, policies)
    "action",    // everything that can happen to the app
    "app",       // app state and the pure update (its starting estate is passed in)
    "demo",      // the embedded estate, a poll source of its own (above the app it feeds)
    "ui",        // ratatui drawing of the app and its view models
    "tui",       // the terminal: raw mode, alternate screen, restored on panic
    "event",     // the event loop: terminal, sources, effects
    "run",       // the subcommands, wiring it all
];

/// One source file: its module path and the module paths it names.
struct File {
    module: Vec<String>,
    uses: Vec<Vec<String>>,
}

/// Drops comments and test code (a `#[cfg(test)]` item, a whole `mod … { … }` when it is one).
fn without_tests(src: &str) -> String {
    let code: String = src
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        rest = &rest[i + "#[cfg(test)]".len()..];
        let item_end = match (rest.find('{'), rest.find(';')) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => matching_brace(rest, b),
            (None, Some(s)) => s + 1,
            (None, None) => rest.len(),
        };
        rest = &rest[item_end..];
    }
    out.push_str(rest);
    out
}

/// The index just past the brace that closes the one at `open`.
fn matching_brace(s: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// Paths after `at` in `s`, with `use a::{b, c::{d}}` groups expanded, each prefixed by `base`.
fn paths(s: &str, base: &[String]) -> Vec<Vec<String>> {
    let mut segs = base.to_vec();
    let mut rest = s.trim_start();
    loop {
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !ident.is_empty() {
            segs.push(ident.clone());
            rest = &rest[ident.len()..];
            match rest.strip_prefix("::") {
                Some(r) => rest = r.trim_start(),
                None => return vec![segs],
            }
        } else if rest.starts_with('{') {
            let end = matching_brace(rest, 0);
            let inner = &rest[1..end - 1];
            let mut out = vec![];
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices().chain([(inner.len(), ',')]) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !inner[start..i].trim().is_empty() {
                            out.extend(paths(&inner[start..i], &segs));
                        }
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            return out;
        } else {
            return vec![segs];
        }
    }
}

/// The module paths a file names through `crate::` and `super::`.
fn uses(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = vec![];
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        out.extend(paths(&code[i + "crate::".len()..], &[]));
    }
    let mut i = 0;
    while let Some(j) = code[i..].find("super::") {
        let start = i + j;
        let mut up = 0;
        let mut k = start;
        while code[k..].starts_with("super::") {
            up += 1;
            k += "super::".len();
        }
        let base = &module[..module.len().saturating_sub(up)];
        out.extend(paths(&code[k..], base));
        i = k;
    }
    out
}

fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap().with_extension("");
    let mut m: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into()).collect();
    if matches!(m.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        m.pop();
    }
    m
}

fn is_test_file(name: &str) -> bool {
    name.starts_with("tests") || name.contains("_tests")
}

fn read_tree(root: &Path) -> Vec<File> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = vec![];
    walk(root, &mut files);
    files
        .into_iter()
        .filter(|f| !is_test_file(&f.file_stem().unwrap().to_string_lossy()))
        .map(|f| {
            let module = module_of(root, &f);
            let code = without_tests(&std::fs::read_to_string(&f).unwrap());
            File {
                uses: uses(&code, &module),
                module,
            }
        })
        .collect()
}

/// The longest module of `known` that `path` starts with.
fn resolve<'a>(known: &'a BTreeSet<Vec<String>>, path: &[String]) -> Option<&'a Vec<String>> {
    (1..=path.len()).rev().find_map(|n| known.get(&path[..n]))
}

/// Every import that goes against [`LAYERS`], as `from → to (what)`.
fn wrong_way(files: &[File]) -> Vec<String> {
    let rank = |m: &[String]| {
        LAYERS
            .iter()
            .position(|l| m.first().is_some_and(|f| f == l))
    };
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let mut out = BTreeSet::new();
    for f in files {
        for u in &f.uses {
            let Some(to) = resolve(&known, u) else {
                continue;
            };
            match (rank(&f.module), rank(to)) {
                (Some(a), Some(b)) if a < b => {
                    out.insert(format!("{} → {}", f.module.join("::"), u.join("::")));
                }
                (None, Some(_)) if !f.module.is_empty() => {
                    out.insert(format!("{} is in no layer", f.module.join("::")));
                }
                _ => {}
            }
        }
    }
    out.into_iter().collect()
}

/// The circles of files that import each other (strongly connected components of two or
/// more). A child's use of its parent's items is not an edge: a parent declares and
/// re-exports its children.
fn circles(files: &[File]) -> Vec<Vec<String>> {
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let from = f.module.join("::");
        for u in &f.uses {
            if let Some(to) = resolve(&known, u)
                && to != &f.module
                && !f.module.starts_with(to)
            {
                edges.entry(from.clone()).or_default().insert(to.join("::"));
            }
        }
    }
    // Kosaraju: finish order on the graph, then components on its reverse.
    let nodes: Vec<String> = known.iter().map(|m| m.join("::")).collect();
    let mut seen = BTreeSet::new();
    let mut order = vec![];
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        order: &mut Vec<String>,
    ) {
        if !seen.insert(n.to_string()) {
            return;
        }
        for m in edges.get(n).into_iter().flatten() {
            visit(m, edges, seen, order);
        }
        order.push(n.to_string());
    }
    for n in &nodes {
        visit(n, &edges, &mut seen, &mut order);
    }
    let mut reverse: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, bs) in &edges {
        for b in bs {
            reverse.entry(b.clone()).or_default().insert(a.clone());
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = vec![];
    for n in order.iter().rev() {
        let mut comp = vec![];
        visit(n, &reverse, &mut assigned, &mut comp);
        if comp.len() > 1 {
            comp.sort();
            out.push(comp);
        }
    }
    out
}

fn crate_root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn the_binary_imports_only_downwards_and_no_module_imports_in_a_circle() {
    let files = read_tree(&crate_root("src"));
    assert!(files.len() > 50, "read {} files", files.len());
    let wrong = wrong_way(&files);
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
    let c = circles(&files);
    assert!(c.is_empty(), "modules importing each other: {c:?}");
}

#[test]
fn no_module_of_the_core_or_aws_crate_imports_in_a_circle() {
    for root in ["crates/core/src", "crates/aws/src"] {
        let c = circles(&read_tree(&crate_root(root)));
        assert!(c.is_empty(), "{root}: modules importing each other: {c:?}");
    }
}

#[test]
fn the_checker_sees_a_wrong_way_import_and_a_circle() {
    let file = |m: &str, code: &str| {
        let module: Vec<String> = m.split("::").map(String::from).collect();
        File {
            uses: uses(&without_tests(code), &module),
            module,
        }
    };
    let files = [
        file("view", "use crate::{app::{App, Mode}, model};"),
        file("app", "pub fn f() {}"),
        file(
            "workflows::a",
            "use super::b::X; #[cfg(test)] mod tests { use crate::ui; }",
        ),
        file("workflows::b", "fn g() { crate::workflows::a::h() }"),
        file("workflows", ""),
    ];
    assert_eq!(wrong_way(&files), ["view → app::App", "view → app::Mode"]);
    assert_eq!(
        circles(&files),
        [vec!["workflows::a".to_string(), "workflows::b".to_string()]]
    );
}
