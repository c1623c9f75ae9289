//! Role pages decided by the content: `role_page:` on a section (inherited by its subsections)
//! and `role_activity_kinds:` in guideline.yaml choose what a role page lists, whatever the
//! sections' numbers; a part the guideline has no source for is left out, heading and all.

mod common;

use std::fs;
use std::path::Path;

use common::{html_pages, root};

/// Copy `tests/fixtures/minimal/` to `dir/content`, then write `files` (path, text) over it.
fn content_with(dir: &Path, files: &[(&str, &str)]) -> std::path::PathBuf {
    let content = dir.join("content");
    for entry in walkdir::WalkDir::new(root().join("tests/fixtures/minimal")) {
        let entry = entry.expect("walk the fixture");
        let rel = entry
            .path()
            .strip_prefix(root().join("tests/fixtures/minimal"))
            .expect("inside the fixture");
        let target = content.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
    for (path, text) in files {
        fs::write(content.join(path), text).expect("write a fixture file");
    }
    content
}

/// Build `content` into `dir/site` and return its pages (relative path → HTML).
fn build_pages(
    dir: &Path,
    content: std::path::PathBuf,
) -> std::collections::BTreeMap<String, String> {
    let out = dir.join("site");
    common::build_content(&content, &out);
    html_pages(&out)
}

/// The `href`s of the links in the list that follows the `<h2 id=…>` heading, up to the next
/// `<h2`; `None` when the page has no such heading.
fn links_under(html: &str, heading_id: &str) -> Option<Vec<String>> {
    let doc = scraper::Html::parse_document(html);
    let h2 = scraper::Selector::parse("h2, h2 ~ *").expect("selector");
    let mut inside = false;
    let mut found = false;
    let mut links = Vec::new();
    let a = scraper::Selector::parse("a").expect("selector");
    for el in doc.select(&h2) {
        if el.value().name() == "h2" {
            inside = el.value().id() == Some(heading_id);
            found |= inside;
            continue;
        }
        if inside {
            links.extend(
                el.select(&a)
                    .filter_map(|l| l.value().attr("href").map(String::from)),
            );
        }
    }
    found.then_some(links)
}

const GUIDELINE: &str = "title: Testvejledning
publisher: Testforlaget
language: da
source: En kort kilde til test.
accessibility_statement: tilgaengelighed.html
role_activity_kinds: [assessment]
";

fn section(id: &str, number: &str, kind: &str, extra: &str) -> String {
    format!("---\nid: {id}\nnumber: \"{number}\"\ntitle: Afsnit {number}\nkind: {kind}\n{extra}---\nTekst.\n")
}

#[test]
fn responsibilities_communication_and_activities_come_from_the_sections_the_content_marks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = [
        ("guideline.yaml", GUIDELINE.to_string()),
        (
            "sections/2-opgaver.md",
            section(
                "opgaver",
                "2",
                "organisation",
                "role_page: responsibilities\n",
            ),
        ),
        (
            "sections/2.1-laege.md",
            section("laege", "2.1", "organisation", "roles: [almen-praksis]\n"),
        ),
        (
            "sections/2.2-samarbejde.md",
            section(
                "samarbejde",
                "2.2",
                "referral",
                "roles: [kommune, almen-praksis]\nrole_page: communication\n",
            ),
        ),
        (
            "sections/2.3-opfoelgning.md",
            section(
                "opfoelgning",
                "2.3",
                "follow-up",
                "roles: [almen-praksis]\nrole_page: follow-up\n",
            ),
        ),
        (
            "sections/3-vurdering.md",
            section("vurdering", "3", "assessment", "roles: [kommune]\n"),
        ),
        (
            "sections/4-behandling.md",
            section("behandling", "4", "intervention", "roles: [kommune]\n"),
        ),
        (
            "sections/6-organisering.md",
            section("organisering", "6", "organisation", "roles: [kommune]\n"),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let content = content_with(dir.path(), &files);
    let pages = build_pages(dir.path(), content);
    let gp = &pages["rolle-almen-praksis.html"];
    let municipality = &pages["rolle-kommune.html"];

    // 2.1 inherits `responsibilities` from 2; 2.2 and 2.3 set a part of their own.
    assert_eq!(
        links_under(gp, "ansvar"),
        Some(vec!["laege.html".to_string()])
    );
    assert_eq!(
        links_under(gp, "kommunikation"),
        Some(vec![
            "samarbejde.html".to_string(),
            "opfoelgning.html".to_string()
        ])
    );
    // Chapter 6 is not special any more; the municipality has no responsibilities.
    assert_eq!(links_under(municipality, "ansvar"), Some(vec![]));
    assert!(municipality.contains("Teksten beskriver ingen."));
    // role_activity_kinds: [assessment] counts chapter 3, not the intervention chapter 4.
    assert_eq!(
        links_under(municipality, "indsatser"),
        Some(vec!["vurdering.html".to_string()])
    );
    assert_eq!(
        links_under(municipality, "kommunikation"),
        Some(vec!["samarbejde.html".to_string()])
    );
    // No pathways: no referral diagram and no empty referral tables.
    assert_eq!(links_under(gp, "henvisninger"), None);
    assert!(!gp.contains("<svg"));
}

#[test]
fn a_guideline_without_role_sources_gets_role_pages_without_empty_headings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = content_with(dir.path(), &[]);
    let pages = build_pages(dir.path(), content);
    for page in ["rolle-almen-praksis.html", "rolle-kommune.html"] {
        let html = &pages[page];
        for id in ["ansvar", "indsatser", "henvisninger", "kommunikation"] {
            assert_eq!(links_under(html, id), None, "{page} has a heading #{id}");
        }
        assert!(!html.contains("<h3"), "{page} has a sub-heading");
        assert!(
            !html.contains("Teksten beskriver ingen."),
            "{page} says it has nothing to show"
        );
        assert!(html.contains("<h1>"), "{page} is a role page");
    }
}
