//! The shipped national guideline, built: fidelity to the source text, working links and
//! anchors, every numbered section present, no requests to other origins, determinism.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::{build_shipped, html_pages, read_tree, root, visible_text};

/// Words of a text for comparing wording: lower case, letters only (numbers, punctuation and
/// hyphens ignored; a hyphen at a line end joins the word halves).
fn words(text: &str) -> Vec<String> {
    // "be-⏎handling" is one word; "forebyggelses- ⏎og" keeps its real hyphen before a space.
    let joined = text.replace("- \n", " ").replace("-\n", "");
    joined
        .replace(['-', '\u{ad}'], "")
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The source text as streams of running text: page headers dropped, and each page's footnote
/// block (after the long run of spaces at the page bottom, up to the next page, whose first
/// line starts with a space) taken out as a stream of its own. Footnotes sit at page bottoms in
/// the PDF but after their section on the site; runs across that PDF artefact are not wording.
fn source_streams() -> Vec<String> {
    let raw = std::fs::read_to_string(root().join("tests/fixtures/national-source.txt"))
        .expect("source copy");
    let mut streams = Vec::new();
    let mut main = Vec::new();
    let mut notes: Vec<Vec<&str>> = Vec::new();
    let mut in_notes = false;
    for line in raw.lines() {
        if line.contains("ANBEFALINGER FOR") && line.contains("SIDE ") {
            continue;
        }
        if line.len() > 20 && line.trim().is_empty() {
            in_notes = true;
            notes.push(Vec::new());
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if in_notes && line.starts_with(' ') {
            in_notes = false;
        }
        if !in_notes && heading_of(line).is_some() {
            // A heading ends a section's running text; headings are checked on their own.
            streams.push(std::mem::take(&mut main).join("\n"));
            continue;
        }
        match (in_notes, notes.last_mut()) {
            (true, Some(block)) => block.push(without_bullet(line)),
            _ => main.push(without_bullet(line)),
        }
    }
    streams.push(main.join("\n"));
    streams.extend(notes.into_iter().map(|b| b.join("\n")));
    streams
}

#[test]
fn at_least_98_percent_of_source_six_word_runs_are_on_the_site() {
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let mut site_runs: HashSet<Vec<String>> = HashSet::new();
    for (_, html) in html_pages(out.path()) {
        // The print page holds the whole text in order, so runs across paragraphs match too.
        let w = words(&visible_text(&html));
        for run in w.windows(6) {
            site_runs.insert(run.to_vec());
        }
    }
    let streams: Vec<Vec<String>> = source_streams().iter().map(|s| words(s)).collect();
    let runs: Vec<&[String]> = streams.iter().flat_map(|w| w.windows(6)).collect();
    let missing: Vec<String> = runs
        .iter()
        .filter(|r| !site_runs.contains(**r))
        .map(|r| r.join(" "))
        .collect();
    let share = 1.0 - missing.len() as f64 / runs.len() as f64;
    println!(
        "fidelity: {:.2}% of {} six-word runs found ({} missing)",
        share * 100.0,
        runs.len(),
        missing.len()
    );
    assert!(runs.len() > 8000, "the source copy looks truncated");
    assert!(
        share >= 0.98,
        "only {:.2}% of the source's six-word runs are on the site; first missing:\n{}",
        share * 100.0,
        missing
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every `href`/`src` of every page points at a file of the site, and every `#fragment` at an
/// id in that file. Links to other origins are allowed only as plain `<a href>`.
#[test]
fn every_internal_link_and_anchor_resolves() {
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let (checked, broken) = common::broken_links(out.path());
    assert!(checked > 1000, "suspiciously few links checked: {checked}");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

fn without_bullet(line: &str) -> &str {
    let t = line.trim_start();
    t.strip_prefix("o ")
        .or_else(|| t.strip_prefix('\u{f0b7}'))
        .unwrap_or(t)
}

/// The heading on a source line, if it is one: "4.9.1.3 Henvisning til sygehus", " 2 Population",
/// " Bilag 1: …" (footnote lines such as "6 ADL står for …" have no leading space).
fn heading_of(line: &str) -> Option<(String, String)> {
    let l = line.trim_end();
    let t = l.trim_start();
    if let Some(rest) = t.strip_prefix("Bilag ") {
        let (n, title) = rest.split_once(": ")?;
        return Some((format!("Bilag {n}"), title.trim().to_string()));
    }
    let (num, title) = t.split_once(' ')?;
    let dotted = num.contains('.')
        && num
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let chapter = l.starts_with(' ') && num.len() == 1 && num.chars().all(|c| c.is_ascii_digit());
    let title_ok = title.chars().next().is_some_and(char::is_uppercase) && title.len() < 90;
    ((dotted || chapter) && title_ok).then(|| (num.to_string(), title.trim().to_string()))
}

fn source_headings() -> Vec<(String, String)> {
    let raw = std::fs::read_to_string(root().join("tests/fixtures/national-source.txt"))
        .expect("source copy");
    raw.lines().filter_map(heading_of).collect()
}

#[test]
fn every_numbered_section_of_the_source_has_a_page_with_its_number_and_title() {
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let h1 = scraper::Selector::parse("article.section h1").expect("selector");
    let mut on_site: BTreeSet<String> = BTreeSet::new();
    for (_, html) in html_pages(out.path()) {
        let doc = scraper::Html::parse_document(&html);
        for h in doc.select(&h1) {
            // The heading's text without its permalink ("#").
            let text: String = h.text().collect::<String>();
            let text = text.trim_end().trim_end_matches('#');
            on_site.insert(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    let headings = source_headings();
    assert!(
        headings.len() >= 65,
        "expected the source's 65 headings, parsed {}",
        headings.len()
    );
    let mut missing = Vec::new();
    for (num, title) in &headings {
        let want = format!("{num} {title}");
        let want = want.split_whitespace().collect::<Vec<_>>().join(" ");
        // Bilag 3's title runs over three lines in the source: its first line must start the title.
        if !on_site
            .iter()
            .any(|h| *h == want || (num.starts_with("Bilag") && h.starts_with(&want)))
        {
            missing.push(want);
        }
    }
    assert!(
        missing.is_empty(),
        "sections without a page of the same number and title:\n{}",
        missing.join("\n")
    );
}

#[test]
fn pages_are_danish_attributed_and_load_nothing_from_elsewhere() {
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let pages = html_pages(out.path());
    assert!(pages.len() > 70);
    for (page, html) in &pages {
        assert!(
            html.contains("<html lang=da>") || html.contains("<html lang=\"da\">"),
            "{page} lacks lang=da"
        );
        assert!(
            html.contains("Sundhedsstyrelsen"),
            "{page} lacks the attribution"
        );
        assert!(
            html.contains("Tilgængelighedserklæring"),
            "{page} lacks the accessibility statement link"
        );
        assert!(
            html.contains("Content-Security-Policy"),
            "{page} lacks a CSP"
        );
        assert!(
            !html.contains("//fonts.") && !html.contains("cdn"),
            "{page} names a CDN or web font"
        );
    }
    let files = read_tree(out.path());
    for required in [
        "index.html",
        "indhold.html",
        "ordliste.html",
        "referencer.html",
        "udskriv.html",
        "404.html",
        "robots.txt",
        "manifest.webmanifest",
        "figurer/icf-model.svg",
        "retningslinje.json",
        "retningslinje.schema.json",
        "tjekliste.fhir.json",
    ] {
        assert!(files.contains_key(required), "missing {required}");
    }
    // The stylesheet under its fingerprinted name (tests/publish.rs checks the hash).
    assert!(files
        .keys()
        .any(|p| p.starts_with("assets/style.") && p.ends_with(".css")));
    // The shipped guideline has no base_url: no sitemap (its URLs must be absolute; see
    // tests/publish.rs for the sitemap of a site with a base URL).
    assert!(!files.contains_key("sitemap.xml"));
}

#[test]
fn glossary_is_in_danish_order_and_print_page_has_every_section() {
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let pages = html_pages(out.path());
    let doc = scraper::Html::parse_document(&pages["ordliste.html"]);
    let dt = scraper::Selector::parse("dl.glossary dt").expect("selector");
    let terms: Vec<String> = doc
        .select(&dt)
        .map(|e| {
            e.text()
                .collect::<String>()
                .trim_end_matches('#')
                .trim()
                .to_string()
        })
        .collect();
    assert!(terms.len() >= 25, "glossary has {} terms", terms.len());
    let collator = vejviser::base::text::LanguageCollator::new("da");
    for pair in terms.windows(2) {
        assert_ne!(
            collator.compare(&pair[0], &pair[1]),
            std::cmp::Ordering::Greater,
            "{} before {}",
            pair[0],
            pair[1]
        );
    }
    for t in [
        "ICF",
        "ADL",
        "REF 01",
        "LÆ 165",
        "LÆ 265",
        "LÆ 285",
        "PainDetect",
    ] {
        assert!(terms.iter().any(|x| x == t), "glossary lacks {t}");
    }
    let sections = pages.keys().filter(|p| {
        let doc = scraper::Html::parse_document(&pages[p.as_str()]);
        doc.select(&scraper::Selector::parse("article.section").expect("selector"))
            .next()
            .is_some()
    });
    for p in sections {
        // Each site (national, and each local version in lokal/<slug>/) has its print page.
        let (dir, file) = p.rsplit_once('/').unwrap_or(("", p.as_str()));
        let print_path = if dir.is_empty() {
            "udskriv.html".to_string()
        } else {
            format!("{dir}/udskriv.html")
        };
        let print = &pages[&print_path];
        let id = file.trim_end_matches(".html");
        assert!(
            print.contains(&format!("id={id} "))
                || print.contains(&format!("id=\"{id}\""))
                || print.contains(&format!("id={id}>")),
            "print page lacks section {id}"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    build_shipped(a.path());
    build_shipped(b.path());
    let ta = read_tree(a.path());
    let tb = read_tree(b.path());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

/// With one worker thread (a one-core machine, or RAYON_NUM_THREADS=1) the build still finishes,
/// local versions and search indexes included, and writes the same site as with several.
#[test]
fn a_build_on_one_thread_finishes_with_the_same_site() {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(["build", "--content"])
        .arg(root().join("content"))
        .arg("--templates")
        .arg(root().join("templates"))
        .arg("--out")
        .arg(&site)
        .env("RAYON_NUM_THREADS", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run vejviser");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("a build with one rayon thread did not finish in 300 s (deadlock)");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "the one-thread build failed");
    let several = tempfile::tempdir().expect("tempdir");
    build_shipped(several.path());
    let one = read_tree(&site);
    let many = read_tree(several.path());
    assert!(
        one.keys().any(|p| p.starts_with("lokal/")),
        "no local version was built"
    );
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            bytes == &many[path],
            "{path} differs between one thread and several"
        );
    }
}
