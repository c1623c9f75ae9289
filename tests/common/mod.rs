//! Helpers shared by the integration tests: build the shipped guideline, read a built site.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{build, BuildPaths};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the shipped content (with the built-in theme) into `out`; panics with the
/// diagnostics on failure.
pub fn build_shipped(out: &Path) {
    build_content(&root().join("content"), out);
}

/// Build `content` (with the built-in theme) into `out`; panics with the diagnostics on
/// failure.
pub fn build_content(content: &Path, out: &Path) {
    let paths = BuildPaths {
        content: content.to_path_buf(),
        templates: root().join("templates"),
        out: out.to_path_buf(),
    };
    let mut diags = Diagnostics::default();
    let ok = build(&paths, &mut diags);
    let messages: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert!(
        ok,
        "{} must build:\n{}",
        content.display(),
        messages.join("\n")
    );
}

/// Copy the folder `from` (everything in it) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_except(from, to, &|_| false);
}

/// Copy the folder `from` to `to`, leaving out the entries whose path relative to `from`
/// `skip` picks.
pub fn copy_dir_except(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable");
        let rel = entry.path().strip_prefix(from).expect("inside");
        if skip(rel) {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// [`read_tree`] of a folder another process may be writing: None when a file went away
/// between listing and reading it (a preview server's temporary file, renamed into place).
pub fn try_read_tree(dir: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.ok()?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).ok()?);
        }
    }
    Some(files)
}

/// Every file of a site: relative path → bytes, in sorted order.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("readable site");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("inside site")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).expect("readable file"));
        }
    }
    files
}

/// The HTML pages of a site: relative path → text.
pub fn html_pages(dir: &Path) -> BTreeMap<String, String> {
    read_tree(dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("pages are UTF-8")))
        .collect()
}

/// The visible text of a page (no script/style, no tags).
pub fn visible_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse("body").expect("selector");
    let mut out = String::new();
    for b in doc.select(&body) {
        collect_text(*b, &mut out);
    }
    out
}

fn collect_text(node: ego_tree::NodeRef<'_, scraper::Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            scraper::Node::Text(t) => {
                out.push_str(t);
            }
            scraper::Node::Element(e) => {
                if matches!(e.name(), "script" | "style" | "template") {
                    continue;
                }
                let block = matches!(
                    e.name(),
                    "p" | "li"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "dt"
                        | "dd"
                        | "td"
                        | "th"
                        | "div"
                        | "section"
                        | "figcaption"
                        | "br"
                );
                if block {
                    out.push('\n');
                }
                collect_text(child, out);
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

/// `url` (a relative path, maybe with `..`) as seen from `page`, as a path from the site root.
fn resolve(page: &str, url: &str) -> String {
    if url.is_empty() {
        return page.to_string();
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    if url.starts_with('/') {
        // An absolute path (the 404 page's links), from the root of the built site.
        parts.clear();
    }
    for seg in url.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The links of the built site in `site` that do not resolve: every `href`/`src` of every page
/// must point at a file of the site, and every `#fragment` at an id in that file; links to
/// other origins are allowed only as plain `<a href>`. Also how many internal links there were.
pub fn broken_links(site: &Path) -> (usize, Vec<String>) {
    let files = read_tree(site);
    let pages = html_pages(site);
    let id_sel = scraper::Selector::parse("[id]").expect("selector");
    let ids: BTreeMap<&str, std::collections::HashSet<String>> = pages
        .iter()
        .map(|(p, html)| {
            let doc = scraper::Html::parse_document(html);
            let set = doc
                .select(&id_sel)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            (p.as_str(), set)
        })
        .collect();
    let link_sel = scraper::Selector::parse(
        "a[href], link[href], img[src], script[src], iframe[src], source[src]",
    )
    .expect("selector");
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, html) in &pages {
        let doc = scraper::Html::parse_document(html);
        for el in doc.select(&link_sel) {
            let v = el.value();
            let url = v.attr("href").or(v.attr("src")).unwrap_or_default();
            if url.starts_with("http://")
                || url.starts_with("https://")
                || url.starts_with("mailto:")
            {
                if v.name() != "a" {
                    broken.push(format!(
                        "{page}: <{}> loads from another origin: {url}",
                        v.name()
                    ));
                }
                continue;
            }
            checked += 1;
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            // Relative to the page's folder (local versions live in lokal/<slug>/).
            let resolved = resolve(page, path);
            let target = resolved.as_str();
            if !files.contains_key(target) {
                broken.push(format!("{page}: link to missing file {url}"));
                continue;
            }
            if let Some(f) = fragment {
                let ok = ids.get(target).is_some_and(|set| set.contains(f));
                if !ok {
                    broken.push(format!("{page}: link to missing anchor {url}"));
                }
            }
        }
    }
    (checked, broken)
}
