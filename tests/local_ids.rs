//! Ids on local pages: a local version's own HTML and Markdown may use any id (`main`, a
//! national heading's id, in single quotes, unquoted, as `{#id}`); on every built page of the
//! site, national and local, no id occurs twice.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{copy_dir, copy_dir_except, html_pages, root};

/// The shipped content without its local versions, plus tests/fixtures/local/ids.
fn content_with_ids(tmp: &Path) -> std::path::PathBuf {
    let content = tmp.join("content");
    copy_dir_except(&root().join("content"), &content, &|rel| {
        rel.starts_with("local")
    });
    copy_dir(
        &root().join("tests/fixtures/local/ids"),
        &content.join("local/ids"),
    );
    content
}

/// Every id that occurs more than once on a page, with its count.
fn repeated_ids(html: &str) -> BTreeMap<String, usize> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("[id]").expect("selector");
    let mut counts = BTreeMap::new();
    for el in doc.select(&sel) {
        if let Some(id) = el.value().attr("id") {
            *counts.entry(id.to_string()).or_insert(0usize) += 1;
        }
    }
    counts.retain(|_, n| *n > 1);
    counts
}

#[test]
fn no_id_occurs_twice_on_any_page_of_a_local_site() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with_ids(tmp.path());
    let out = tmp.path().join("site");
    common::build_content(&content, &out);

    let pages = html_pages(&out);
    let local: Vec<&String> = pages
        .iter()
        .filter(|(p, html)| p.starts_with("lokal/ids/") && html.contains("IDS-"))
        .map(|(p, _)| p)
        .collect();
    assert!(
        local.len() >= 2,
        "the local overlay and the inserted section are on local pages: {local:?}"
    );
    let mut problems = Vec::new();
    for (page, html) in &pages {
        for (id, n) in repeated_ids(html) {
            problems.push(format!("{page}: id `{id}` {n} times"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The local headings keep working as link targets: the in-page link reaches its heading.
    let (_, page) = pages
        .iter()
        .find(|(p, html)| p.starts_with("lokal/ids/") && html.contains("IDS-TILFOEJELSE"))
        .expect("the page with the added passage");
    let doc = scraper::Html::parse_document(page);
    let link = scraper::Selector::parse("a[href^='#']").expect("selector");
    for a in doc.select(&link) {
        let target = &a.value().attr("href").unwrap_or_default()[1..];
        let by_id = scraper::Selector::parse(&format!("[id='{target}']")).expect("selector");
        assert!(
            doc.select(&by_id).next().is_some(),
            "in-page link #{target} has no target"
        );
    }
}
