//! The second guideline, `examples/cdc-hepatitis-c-screening/` (CDC, English, public domain),
//! built by the binary alone from an empty working folder (no templates folder anywhere): the
//! site has no broken links, speaks English, and contains none of the shipped guideline's words
//! and no Danish interface text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{broken_links, html_pages, root};

fn example_content() -> PathBuf {
    root().join("examples/cdc-hepatitis-c-screening/content")
}

/// Build the example with the binary, run from an empty temporary folder; returns the site.
fn build_example(work: &Path) -> PathBuf {
    let site = work.join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .current_dir(work)
        .arg("build")
        .arg("--content")
        .arg(example_content())
        .arg("--out")
        .arg(&site)
        .output()
        .expect("run vejviser");
    assert!(
        output.status.success(),
        "the example must build with the binary alone:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    site
}

/// Words of the shipped guideline (publisher, condition, figure and chapter references, the
/// Danish word for appendix); compared case-insensitively.
const SHIPPED_WORDS: &[&str] = &[
    "sundhedsstyrelsen",
    "lænderyg",
    "kapitel 6",
    "figur 2",
    "bilag",
    "region midtjylland",
];

/// Danish interface text, from the values of the theme's Danish strings.
const DANISH_UI: &[&str] = &[
    "Indholdsfortegnelse",
    "Forrige",
    "Næste",
    "Fodnoter",
    "Ordliste",
    "Gå til indhold",
    "Forside",
    "Hovedmenu",
    "Brødkrummesti",
    "Udgiver",
    "Tilgængelighedserklæring",
    "ikke angivet",
    "Søg i anbefalingerne",
    "Henvist til fra",
    "Hele teksten",
];

#[test]
fn the_example_builds_with_the_binary_alone_and_has_no_broken_links() {
    let work = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        std::fs::read_dir(work.path()).expect("read").count(),
        0,
        "the working folder starts empty"
    );
    let site = build_example(work.path());
    let pages = html_pages(&site);
    assert!(
        pages.contains_key("summary.html") && pages.contains_key("recommendations.html"),
        "a page per section: {:?}",
        pages.keys().collect::<Vec<_>>()
    );
    let (checked, broken) = broken_links(&site);
    assert!(checked >= 20, "suspiciously few links checked: {checked}");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn the_example_names_nothing_of_the_shipped_guideline_and_speaks_english() {
    let work = tempfile::tempdir().expect("tempdir");
    let site = build_example(work.path());
    let pages = html_pages(&site);
    assert!(!pages.is_empty());
    let mut found = Vec::new();
    for (page, html) in &pages {
        let lower = html.to_lowercase();
        for word in SHIPPED_WORDS {
            if lower.contains(word) {
                found.push(format!("{page}: shipped guideline's `{word}`"));
            }
        }
        for word in DANISH_UI {
            if html.contains(word) {
                found.push(format!("{page}: Danish interface text `{word}`"));
            }
        }
        if !html.contains("<html lang=en") {
            found.push(format!("{page}: not marked lang=en"));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The recommendations are on their page, word for word.
    let recs = &pages["recommendations.html"];
    assert!(recs.contains("Hepatitis C screening at least once in a lifetime for all adults"));
}
