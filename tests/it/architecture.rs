//! The rules of ARCHITECTURE.md that a reader of the source can check, checked on every test
//! run so that a change breaking them fails here rather than in a review: each layer imports
//! only the layers below it (`domain` nothing of ours, `db` the domain, `service` the domain, the
//! database and email, `export` the service's results, `web` and `cli` the service and below,
//! never `db`), and no two source files import each other, directly or round a loop.
//!
//! An import is any path `crate::a::b` or `super::a` in a file's code (comments left out),
//! including the braces of a `use` (`crate::web::{html, AppState}`); it names the file of the
//! longest prefix that is one (`crate::db::models::experts::on_panel` is `db/models/experts.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each top-level module may import besides itself. A module missing here imports nothing
/// of ours.
#[rustfmt::skip]
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("db", &["domain"]),
    ("i18n", &["domain"]),
    ("config", &["domain", "db"]),
    ("telemetry", &["config"]),
    ("email", &["domain", "config", "i18n", "telemetry"]),
    ("service", &["domain", "db", "email", "config", "i18n", "telemetry"]),
    ("export", &["domain", "service", "markdown", "i18n"]),
    ("web", &["domain", "service", "export", "email", "config", "i18n", "markdown", "telemetry"]),
    ("cli", &["domain", "service", "export", "email", "config", "i18n", "telemetry", "startup"]),
    ("startup", &["domain", "db", "service", "email", "config", "i18n", "telemetry", "web"]),
];

/// A module's path below the crate (`["web", "console", "rounds"]`), by its file.
type Module = Vec<String>;

struct Source {
    file: PathBuf,
    /// The code without comments.
    code: String,
}

fn sources() -> BTreeMap<Module, Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("src/ is readable") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&root).expect("below src/").with_extension("");
            let mut module: Module = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("a source file is text");
            let code = text
                .lines()
                .map(|line| line.split("//").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            found.insert(module, Source { file: path, code });
        }
    }
    found
}

/// The paths a file's code names after `crate::` or `super::`, resolved to modules: those of
/// `use x::{a, b}` each on its own.
fn paths(module: &Module, code: &str) -> Vec<Module> {
    let mut out = Vec::new();
    for (start, prefix) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        if code[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut base: Module = if prefix == "crate::" {
            Vec::new()
        } else {
            module[..module.len().saturating_sub(1)].to_vec()
        };
        let mut rest = &code[start + prefix.len()..];
        // `super::super::…`
        while let Some(after) = rest.strip_prefix("super::") {
            base.pop();
            rest = after;
        }
        let segments: Vec<&str> = rest
            .split("::")
            .map(|s| {
                s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default()
            })
            .take_while(|s| !s.is_empty())
            .collect();
        let consumed: usize = segments.iter().map(|s| s.len() + 2).sum();
        let mut full = base.clone();
        full.extend(segments.iter().map(|s| s.to_string()));
        out.push(full.clone());
        // `use crate::web::{html, AppState}`: each name in the braces.
        if let Some(group) = rest.get(consumed..).and_then(|r| r.strip_prefix('{')) {
            let inside = group.split('}').next().unwrap_or_default();
            for name in inside.split(',') {
                let first = name.trim().split("::").next().unwrap_or_default().trim();
                if !first.is_empty() && first.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    let mut named = full.clone();
                    named.push(first.to_string());
                    out.push(named);
                }
            }
        }
    }
    out
}

/// The file module a path points into: its longest prefix that is a file.
fn file_of<'a>(path: &[String], files: &'a BTreeMap<Module, Source>) -> Option<&'a Module> {
    (1..=path.len())
        .rev()
        .find_map(|n| files.get_key_value(&path[..n]).map(|(module, _)| module))
}

/// Each file's imports of other files, from its code before its tests.
fn imports(files: &BTreeMap<Module, Source>, tests_too: bool) -> BTreeMap<&Module, BTreeSet<&Module>> {
    let mut graph = BTreeMap::new();
    for (module, source) in files {
        let code = if tests_too {
            source.code.as_str()
        } else {
            source.code.split("#[cfg(test)]").next().unwrap_or_default()
        };
        let mut targets = BTreeSet::new();
        for path in paths(module, code) {
            // A file naming its own parent (`super::Thing`) is inside that module, not above it.
            if let Some(target) = file_of(&path, files).filter(|t| !module.starts_with(t)) {
                targets.insert(target);
            }
        }
        graph.insert(module, targets);
    }
    graph
}

fn name(module: &Module) -> String {
    module.join("::")
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let files = sources();
    let mut wrong = Vec::new();
    for (module, targets) in imports(&files, true) {
        let Some(layer) = module.first() else { continue };
        let allowed = ALLOWED
            .iter()
            .find(|(l, _)| l == layer)
            .map(|(_, a)| *a)
            .unwrap_or(&[]);
        for target in targets {
            let Some(other) = target.first() else { continue };
            if other != layer && !allowed.contains(&other.as_str()) {
                wrong.push(format!(
                    "{} imports {}",
                    files[module].file.display(),
                    name(target)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_files_import_each_other_even_round_a_loop() {
    let files = sources();
    let graph = imports(&files, false);
    // Tarjan's strongly connected components: a component of more than one file is a loop.
    struct Walk<'a> {
        graph: &'a BTreeMap<&'a Module, BTreeSet<&'a Module>>,
        index: BTreeMap<&'a Module, (usize, usize)>,
        stack: Vec<&'a Module>,
        loops: Vec<Vec<String>>,
    }
    fn visit<'a>(walk: &mut Walk<'a>, at: &'a Module) {
        let n = walk.index.len();
        walk.index.insert(at, (n, n));
        walk.stack.push(at);
        let graph = walk.graph;
        for next in graph.get(at).into_iter().flatten() {
            let low = match walk.index.get(next) {
                None => {
                    visit(walk, next);
                    walk.index[next].1
                }
                Some(&(index, _)) if walk.stack.contains(next) => index,
                Some(_) => continue,
            };
            let entry = walk.index.get_mut(at).expect("visited");
            entry.1 = entry.1.min(low);
        }
        let (index, low) = walk.index[at];
        if index == low {
            let from = walk.stack.iter().position(|m| *m == at).expect("on the stack");
            let component: Vec<String> = walk.stack.drain(from..).map(name).collect();
            if component.len() > 1 {
                walk.loops.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph: &graph,
        index: BTreeMap::new(),
        stack: Vec::new(),
        loops: Vec::new(),
    };
    for module in graph.keys() {
        if !walk.index.contains_key(module) {
            visit(&mut walk, module);
        }
    }
    assert!(
        walk.loops.is_empty(),
        "files importing each other: {:?}",
        walk.loops
    );
}

#[test]
fn the_checks_see_imports_in_braces_and_through_super() {
    let module: Module = vec!["web".into(), "console".into(), "mod_x".into()];
    let found = paths(
        &module,
        "use super::{html, AppState};\nlet x = crate::db::models::experts::on_panel();",
    );
    let names: Vec<String> = found.iter().map(name).collect();
    assert!(names.contains(&"web::console::html".to_string()), "{names:?}");
    assert!(
        names.contains(&"db::models::experts::on_panel".to_string()),
        "{names:?}"
    );
    // And a real file is found by its longest prefix.
    let files = sources();
    let file = file_of(
        &["db".into(), "models".into(), "experts".into(), "on_panel".into()],
        &files,
    );
    assert_eq!(file.map(name).as_deref(), Some("db::models::experts"));
}
