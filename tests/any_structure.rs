//! A guideline shaped otherwise than the shipped one (`tests/fixtures/structure/`): declared
//! section kinds, untitled numbered recommendations, unnumbered chapters and an unnumbered
//! section with a parent, a lettered appendix with a part, and none of the optional data files
//! (roles, references, glossary, pathways, interventions, checklist, pages) nor an
//! accessibility statement. Loaded through the library and built with the binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use vejviser::base::diagnostics::Diagnostics;
use vejviser::model::outline::Outline;

fn fixture() -> PathBuf {
    common::root().join("tests/fixtures/structure")
}

/// Build `content` with the binary alone (its built-in theme) into a new temporary folder.
fn build(content: &Path) -> tempfile::TempDir {
    build_with(content, &[])
}

/// `build` with more arguments (e.g. a base URL, for a sitemap to look into).
fn build_with(content: &Path, args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .arg("build")
        .args(args)
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(&site)
        .output()
        .expect("run vejviser");
    assert!(
        run.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn sections_are_in_document_order_with_their_parents_and_depths() {
    let mut diags = Diagnostics::default();
    let g = vejviser::content::load(&fixture(), &mut diags).expect("loads");
    vejviser::check::validate(&g, &mut diags);
    let problems: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert!(!diags.has_errors(), "{}", problems.join("\n"));
    let ids: Vec<&str> = g.sections.iter().map(|s| s.id.as_str()).collect();
    // Numbered chapters first although `0-context.md` sorts first by file name; the unnumbered
    // chapters in file-name order, each followed by its unnumbered section; then the appendix
    // and its part.
    assert_eq!(
        ids,
        [
            "recommendations",
            "advice",
            "rec-1-1-1",
            "rec-1-1-2",
            "research",
            "context",
            "rationale",
            "rationale-advice",
            "appendix-search",
            "appendix-databases",
        ]
    );
    let outline = Outline::of(&g.sections);
    let index = |id: &str| ids.iter().position(|i| *i == id).expect("present");
    assert_eq!(
        outline.parent[index("rationale-advice")],
        Some(index("rationale"))
    );
    assert_eq!(
        outline.parent[index("appendix-databases")],
        Some(index("appendix-search"))
    );
    assert_eq!(outline.parent[index("rec-1-1-1")], Some(index("advice")));
    assert_eq!(outline.parent[index("context")], None);
    assert_eq!(outline.depth[index("rationale-advice")], 2);
    assert_eq!(outline.depth[index("rec-1-1-2")], 3);
    let s = |id: &str| g.section(id).expect("present");
    assert_eq!(s("appendix-databases").display_number("Bilag"), "Bilag A.1");
    assert_eq!(
        s("appendix-databases").display_number("Appendix"),
        "Appendix A.1"
    );
    assert_eq!(s("context").display_number("Bilag"), "");
    assert!(s("context").kind.is("context"));
    assert_eq!(s("rec-1-1-1").title, "");
    assert_eq!(
        s("rec-1-1-1").link_title(),
        "Offer people advice and information tailored to their…"
    );
    assert_eq!(
        s("rec-1-1-2").link_title(),
        "Do not offer imaging in a non-specialist setting."
    );
}

#[test]
fn the_site_has_no_broken_links_and_no_page_or_link_without_data() {
    let out = build(&fixture());
    let site = out.path().join("site");
    let (checked, broken) = common::broken_links(&site);
    assert!(checked > 50, "suspiciously few links checked: {checked}");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let files = common::read_tree(&site);
    for absent in [
        "roller.html",
        "ordliste.html",
        "referencer.html",
        "forloeb.html",
        "tjekliste.html",
        "tjekliste.fhir.json",
        "til-dig.html",
        "assets/checklist.js",
    ] {
        assert!(!files.contains_key(absent), "{absent} was made");
    }
    assert!(!files.keys().any(|f| f.starts_with("rolle-")));
    let html = common::html_pages(&site);
    for (page, text) in &html {
        for link in [
            "href=roller.html",
            "href=ordliste.html",
            "href=referencer.html",
            "href=forloeb.html",
            "href=tjekliste.html",
            "href=til-dig.html",
            "Tilgængelighedserklæring",
            "role-switcher",
            "roles.js",
            "Sundhedsstyrelsen",
        ] {
            assert!(!text.contains(link), "{page} has {link}");
        }
    }
    // The search page's role filter is hidden without roles.
    assert!(html["soeg.html"].contains("<div class=\"search-field search-field-role\" hidden>"));
    // The sitemap (written only with a base URL) lists none of the absent pages either.
    let with_base = build_with(
        &fixture(),
        &["--base-url", "https://guidelines.example.org/s/"],
    );
    let sitemap =
        std::fs::read_to_string(with_base.path().join("site/sitemap.xml")).expect("sitemap");
    for absent in ["roller", "ordliste", "referencer", "forloeb", "tjekliste"] {
        assert!(!sitemap.contains(absent), "sitemap lists {absent}");
    }
    assert!(sitemap.contains("rationale-advice.html"));
}

#[test]
fn untitled_unnumbered_and_lettered_sections_are_shown_as_they_are() {
    let out = build(&fixture());
    let site = out.path().join("site");
    let html = common::html_pages(&site);
    let text = |page: &str| common::visible_text(&html[page]);
    // An untitled recommendation: its number is its heading; lists show its first words.
    let rec = &html["rec-1-1-1.html"];
    assert!(
        rec.contains(
            "<h1 data-pagefind-meta=\"title:Offer people advice and information tailored to their…\" id=top><span class=num data-pagefind-meta=number>1.1.1</span> <a"
        ),
        "{rec}"
    );
    assert!(rec.contains("<title>1.1.1 Offer people advice and information tailored to their… – "));
    let toc = text("indhold.html");
    assert!(toc.contains("1.1.1 Offer people advice and information tailored to their…"));
    // An unnumbered chapter and section: the title alone, the parent in the breadcrumbs.
    let sub = &html["rationale-advice.html"];
    assert!(sub.contains("<li><a href=rationale.html>Rationale and impact</a></li>"));
    assert!(sub.contains("<h1 id=top><span data-pagefind-meta=title>Why advice matters</span>"));
    assert!(html["rationale.html"].contains("<a href=rationale-advice.html>Why advice matters</a>"));
    // A cross-reference to an unnumbered section without a text of its own shows its title.
    assert!(html["research.html"].contains(">1.1.1</a>"));
    // The lettered appendix and its part, with the interface's word.
    let part = &html["appendix-databases.html"];
    assert!(part.contains("<a href=appendix-search.html>Bilag A Search strategy</a>"));
    assert!(part.contains("<span class=num data-pagefind-meta=number>Bilag A.1</span>"));
    // The front page: the guideline's own introduction (two paragraphs), the unnumbered
    // chapters among the chapters, only the top-level appendix among the appendices.
    let index = &html["index.html"];
    assert!(index.contains(
        "<div class=lead><p>This guideline covers <em>testing</em> structure.</p><p>It has two paragraphs.</p></div>"
    ));
    assert!(index.contains("<li><a href=context.html>Context</a></li>"));
    assert!(!index.contains("href=appendix-databases.html"));
    // A declared kind is the section's class.
    assert!(html["context.html"].contains("kind-context"));
    // The JSON export: numbers as shown, parents by id, kinds as declared.
    let json: serde_json::Value =
        serde_json::from_slice(&common::read_tree(&site)["retningslinje.json"]).expect("json");
    let sections = json["sections"].as_array().expect("sections");
    let by_id = |id: &str| {
        sections
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(by_id("appendix-databases")["number"], "Bilag A.1");
    assert_eq!(by_id("appendix-databases")["parent"], "appendix-search");
    assert_eq!(by_id("rationale-advice")["parent"], "rationale");
    assert_eq!(by_id("rationale-advice")["number"], "");
    assert_eq!(by_id("context")["kind"], "context");
    assert_eq!(by_id("rec-1-1-1")["title"], "");
}

#[test]
fn empty_data_files_mean_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = dir.path().join("content");
    copy(&fixture(), &content);
    for (file, text) in [
        ("roles.yaml", "[]\n"),
        ("references.yaml", ""),
        ("glossary.yaml", "# nothing yet\n"),
        ("pathways.yaml", "[]\n"),
        ("interventions.yaml", "\n"),
        ("checklist.yaml", "# none\n"),
    ] {
        std::fs::write(content.join(file), text).expect("write");
    }
    let out = build(&content);
    let files = common::read_tree(&out.path().join("site"));
    for absent in [
        "roller.html",
        "ordliste.html",
        "referencer.html",
        "forloeb.html",
        "tjekliste.html",
    ] {
        assert!(!files.contains_key(absent), "{absent} was made");
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// With roles and pathways but no interventions: the roles and pathways pages and their links
/// are there, the interventions table is not, and every link still resolves.
#[test]
fn pages_come_with_their_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = dir.path().join("content");
    copy(&fixture(), &content);
    std::fs::write(
        content.join("roles.yaml"),
        "- id: gp\n  name: General practice\n- id: physio\n  name: Physiotherapy\n",
    )
    .expect("write");
    std::fs::write(
        content.join("pathways.yaml"),
        "- id: gp-to-physio\n  from: gp\n  to: physio\n  kind: referral\n  purpose: Exercise\n  channel: referral letter\n  section: rec-1-1-1\n",
    )
    .expect("write");
    let out = build(&content);
    let site = out.path().join("site");
    let (_, broken) = common::broken_links(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let html = common::html_pages(&site);
    for page in [
        "roller.html",
        "rolle-gp.html",
        "rolle-physio.html",
        "forloeb.html",
    ] {
        assert!(html.contains_key(page), "{page} is missing");
    }
    assert!(html["index.html"].contains("href=roller.html"));
    assert!(html["index.html"].contains("href=forloeb.html"));
    assert!(html["rec-1-1-1.html"].contains("role-switcher"));
    let pathways = &html["forloeb.html"];
    assert!(pathways.contains("<figure class=diagram"), "no diagram");
    assert!(
        !pathways.contains("id=figur-2"),
        "an interventions table without interventions"
    );
    assert!(!html.contains_key("ordliste.html") && !html.contains_key("referencer.html"));
}

/// In English the appendix word is the English interface's: "Appendix A.1", never "Bilag".
#[test]
fn an_english_guideline_numbers_its_appendices_in_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = dir.path().join("content");
    copy(&fixture(), &content);
    let yaml = std::fs::read_to_string(content.join("guideline.yaml")).expect("read");
    std::fs::write(
        content.join("guideline.yaml"),
        yaml.replace("language: da", "language: en"),
    )
    .expect("write");
    let out = build(&content);
    let html = common::html_pages(&out.path().join("site"));
    assert!(html["appendix-databases.html"]
        .contains("<span class=num data-pagefind-meta=number>Appendix A.1</span>"));
    for (page, text) in &html {
        assert!(!text.contains("Bilag"), "{page} says Bilag");
    }
}
