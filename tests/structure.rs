//! The shape of the code, checked from its source: the layers import only downwards, the model
//! imports nothing but the base, sibling files do not import each other in a circle, and no
//! file or function grows past the sizes a newcomer can read (ARCHITECTURE.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's top-level modules, lowest layer first. A module may use only modules of
/// earlier entries (and its own submodules). A new top-level module must be placed here.
const LAYERS: &[&str] = &[
    "base",     // source files, origins, YAML, diagnostics, text, hashing, output folder
    "cache",    // the build cache: digests, the record of the previous build
    "model",    // the types of a guideline: types only
    "markdown", // Markdown analysis and rendering, role and glossary matching
    "content",  // loading content/ into the model
    "check",    // validating the model as a whole
    "local",    // transforms: a local version of the national model
    "pathways", // renderer: the referral diagram (SVG)
    "fhir",     // renderer: the checklist as a FHIR Questionnaire
    "search",   // renderer: the search index (Pagefind)
    "export",   // renderer: the JSON export
    "render",   // renderer: the HTML site
    "build",    // one build: load, check, transform, render, write
    "corpus",   // synthetic guidelines for benchmarks
    "serve",    // the preview server
];

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 120;

/// One source file of the library: its module path (`local::pin`) and its code outside tests.
struct Unit {
    path: PathBuf,
    module: Vec<String>,
    code: String,
    lines: usize,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The code before `#[cfg(test)]`, without comments and string contents.
fn code_outside_tests(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut in_string = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_string = !in_string;
                out.push('"');
            } else if !in_string {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

fn library_units() -> Vec<Unit> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).expect("under src").to_path_buf();
            let parts: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // The binaries are not part of the library's layers.
            if matches!(parts[0].as_str(), "main" | "cmd" | "bin" | "lib") {
                return None;
            }
            let mut module = parts;
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("read source");
            Some(Unit {
                lines: text.lines().count(),
                code: code_outside_tests(&text),
                path: rel,
                module,
            })
        })
        .collect()
}

/// The modules a unit names through `crate::…` (absolute) and `super::…` (relative), each as
/// a full module path of up to two parts (`local`, `local::pin`).
fn imports(unit: &Unit) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    let code = &unit.code;
    let mut push_path = |start: Vec<String>, rest: &str| {
        // `rest` follows the `::`: `a::b::c`, possibly ending in a `{…}` group of names.
        let mut module = start;
        let mut rest = rest;
        loop {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                break;
            }
            module.push(name.clone());
            match rest[name.len()..].strip_prefix("::") {
                Some(next) => rest = next,
                None => {
                    rest = "";
                    break;
                }
            }
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "self" {
                    let mut m = module.clone();
                    m.push(name);
                    found.insert(m);
                }
            }
        }
        if !module.is_empty() {
            found.insert(module);
        }
    };
    for (i, _) in code.match_indices("crate::") {
        push_path(Vec::new(), &code[i + "crate::".len()..]);
    }
    let parent: Vec<String> = unit.module[..unit.module.len().saturating_sub(1)].to_vec();
    for (i, _) in code.match_indices("super::") {
        if code[..i].ends_with("::") {
            continue; // `super::super::` is counted at the first `super`
        }
        push_path(parent.clone(), &code[i + "super::".len()..]);
    }
    found
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

#[test]
fn every_top_level_module_has_a_layer() {
    let units = library_units();
    assert!(units.len() > 20, "found only {} source files", units.len());
    let unplaced: BTreeSet<&str> = units
        .iter()
        .map(|u| u.module[0].as_str())
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules without a layer in tests/structure.rs: {unplaced:?}"
    );
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let mut wrong = Vec::new();
    for unit in library_units() {
        let Some(own) = layer_of(&unit.module[0]) else {
            continue;
        };
        for import in imports(&unit) {
            let Some(top) = import.first() else { continue };
            let Some(theirs) = layer_of(top) else {
                continue; // an item of the crate root or a name, not a module
            };
            if theirs > own {
                wrong.push(format!(
                    "{} ({}) uses {} ({})",
                    unit.path.display(),
                    LAYERS[own],
                    import.join("::"),
                    LAYERS[theirs]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "imports upwards:\n{}", wrong.join("\n"));
}

#[test]
fn the_model_imports_nothing_but_the_base() {
    let mut wrong = Vec::new();
    for unit in library_units().iter().filter(|u| u.module[0] == "model") {
        for import in imports(unit) {
            if !matches!(import[0].as_str(), "base" | "model") {
                wrong.push(format!(
                    "{} uses {}",
                    unit.path.display(),
                    import.join("::")
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Sibling files of one folder (not their `mod.rs`) must not use each other in a circle.
#[test]
fn sibling_files_form_no_circle() {
    let units = library_units();
    let files: BTreeSet<Vec<String>> = units.iter().map(|u| u.module.clone()).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for unit in &units {
        for import in imports(unit) {
            // The longest known file module the import names.
            let target = (1..=import.len())
                .rev()
                .map(|n| import[..n].to_vec())
                .find(|m| files.contains(m));
            if let Some(t) = target {
                let siblings = t.len() == unit.module.len()
                    && t.len() > 1
                    && t[..t.len() - 1] == unit.module[..unit.module.len() - 1];
                if siblings && t != unit.module {
                    edges.entry(unit.module.clone()).or_default().insert(t);
                }
            }
        }
    }
    let mut circles = Vec::new();
    for (from, tos) in &edges {
        for to in tos {
            // A path back from `to` to `from`?
            let mut stack = vec![to.clone()];
            let mut seen = BTreeSet::new();
            while let Some(m) = stack.pop() {
                if &m == from {
                    circles.push(format!("{} <-> {}", from.join("::"), to.join("::")));
                    break;
                }
                if seen.insert(m.clone()) {
                    stack.extend(edges.get(&m).into_iter().flatten().cloned());
                }
            }
        }
    }
    assert!(circles.is_empty(), "circles: {circles:?}");
}

#[test]
fn no_file_is_over_800_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).ok()?.lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{} has {n} lines", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
    // The check itself sees the library's files.
    assert!(library_units().iter().all(|u| u.lines > 0));
}

/// Function lengths from the rustfmt layout: a `fn` line and the first line after it that is
/// its indentation followed by `}`.
fn long_functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text
        .split("#[cfg(test)]")
        .next()
        .unwrap_or("")
        .lines()
        .collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "async fn ",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p))
            || trimmed.starts_with("pub async fn ");
        if !is_fn || trimmed.ends_with(';') {
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let close = format!("{indent}}}");
        if let Some(len) = lines[i + 1..].iter().position(|l| *l == close) {
            if len + 2 > MAX_FN_LINES {
                let name: String = trimmed
                    .split("fn ")
                    .nth(1)
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((name, len + 2));
            }
        }
    }
    out
}

#[test]
fn no_function_is_over_120_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut long = Vec::new();
    for p in &files {
        let text = std::fs::read_to_string(p).expect("read source");
        for (name, n) in long_functions(&text) {
            long.push(format!("{}: fn {name} has {n} lines", p.display()));
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn the_checks_see_what_they_look_for() {
    // An upward import, a long function: the helpers find them.
    let unit = Unit {
        path: PathBuf::from("model/x.rs"),
        module: vec!["model".into(), "x".into()],
        code: code_outside_tests(
            "use crate::render::{views, Prepared};\nuse super::Section; // crate::serve\n",
        ),
        lines: 2,
    };
    let found = imports(&unit);
    assert!(found.contains(&vec!["render".to_string(), "views".to_string()]));
    assert!(found.contains(&vec!["model".to_string(), "Section".to_string()]));
    assert!(
        !found.iter().any(|m| m[0] == "serve"),
        "comments are code: {found:?}"
    );
    let body = format!("fn big() {{\n{}}}\n", "    x();\n".repeat(130));
    assert_eq!(long_functions(&body), [("big".to_string(), 132)]);
}
