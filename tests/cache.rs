//! The build cache: after any sequence of cached builds the site is byte for byte what a clean
//! build makes; a build re-renders only what changed; a damaged or foreign cache is ignored
//! and never served.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::read_tree;
use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{build_cached, BuildPaths, Outcome, Versions};

/// A project folder: `content/`, `templates/` (absent until a test writes it), `site/` and
/// the cache.
struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    /// A project with a generated guideline of `sections` sections.
    fn generated(sections: usize) -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        vejviser::corpus::generate(
            &common::root().join("content"),
            &root.join("content"),
            sections,
            7,
        )
        .expect("corpus");
        Project { _dir: dir, root }
    }

    fn paths(&self, out: &str) -> BuildPaths {
        BuildPaths {
            content: self.root.join("content"),
            templates: self.root.join("templates"),
            out: self.root.join(out),
        }
    }

    fn cache_dir(&self) -> PathBuf {
        self.root.join(".vejviser-cache")
    }

    /// A cached build into `site/`; panics on errors.
    fn build(&self) -> Outcome {
        let mut diags = Diagnostics::default();
        let outcome = build_cached(
            &self.paths("site"),
            &Versions::All,
            None,
            Some(&self.cache_dir()),
            &mut diags,
        );
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert!(outcome != Outcome::Failed, "{}", messages.join("\n"));
        outcome
    }

    /// A clean build without the cache into a new folder; its files.
    fn clean(&self) -> BTreeMap<String, Vec<u8>> {
        let out = self.root.join("clean");
        let _ = std::fs::remove_dir_all(&out);
        let mut diags = Diagnostics::default();
        let outcome = build_cached(&self.paths("clean"), &Versions::All, None, None, &mut diags);
        assert!(outcome != Outcome::Failed, "the clean build failed");
        let files = read_tree(&out);
        std::fs::remove_dir_all(&out).expect("remove clean");
        files
    }

    /// `site/` is what a clean build makes, byte for byte.
    fn assert_clean(&self, after: &str) {
        let site = read_tree(&self.root.join("site"));
        let clean = self.clean();
        assert_eq!(
            site.keys().collect::<Vec<_>>(),
            clean.keys().collect::<Vec<_>>(),
            "after {after}: other files than a clean build"
        );
        for (path, bytes) in &site {
            assert!(clean[path] == *bytes, "after {after}: {path} differs");
        }
    }

    fn sections(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.root.join("content/sections"))
            .expect("sections")
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        files
    }

    fn record(&self) -> PathBuf {
        std::fs::read_dir(self.cache_dir())
            .expect("cache folder")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "record"))
            .expect("a record")
    }
}

fn made(outcome: &Outcome) -> (usize, usize) {
    match outcome {
        Outcome::Built { reused, made, .. } => (*reused, *made),
        other => panic!("expected a build, got {other:?}"),
    }
}

fn note(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Built { note, .. } => note.clone().unwrap_or_default(),
        other => panic!("expected a build, got {other:?}"),
    }
}

fn append(file: &Path, text: &str) {
    let old = std::fs::read_to_string(file).expect("read");
    std::fs::write(file, old + text).expect("write");
}

/// Add a chapter after the last one, which no section links to; its file.
fn add_chapter(p: &Project) -> PathBuf {
    let last = p
        .sections()
        .iter()
        .filter_map(|f| {
            let name = f.file_name()?.to_string_lossy().into_owned();
            name.split(['-', '.']).next()?.parse::<u32>().ok()
        })
        .max()
        .expect("a chapter");
    let file = p
        .root
        .join(format!("content/sections/{}-cache-ny.md", last + 1));
    let text = format!(
        "---\nid: cache-ny\nnumber: \"{}\"\ntitle: Et nyt kapitel\nkind: intervention\n---\nEt kapitel, der kommer og går igen.\n",
        last + 1
    );
    std::fs::write(&file, text).expect("write");
    file
}

#[test]
fn any_sequence_of_cached_builds_writes_the_bytes_of_a_clean_build() {
    let p = Project::generated(40);
    let first = p.build();
    assert_eq!(made(&first).0, 0, "nothing to reuse the first time");
    p.assert_clean("the first build");

    assert_eq!(p.build(), Outcome::UpToDate, "nothing changed");
    p.assert_clean("a build with nothing changed");

    // One section's text: its page, the print page and the search index, not the rest.
    let sections = p.sections();
    append(&sections[5], "\nCACHE-EDIT-ONE: en ny sætning.\n");
    let (reused, remade) = made(&p.build());
    assert!(remade <= 6, "{remade} made afresh after one edit");
    assert!(reused >= 40, "only {reused} taken from the previous build");
    p.assert_clean("an edit of one section");

    // A new section, deleted again below.
    let added = add_chapter(&p);
    p.build();
    p.assert_clean("a new section");

    // A section's title: its neighbours, parents and every list of sections change.
    let text = std::fs::read_to_string(&sections[9]).expect("read");
    let retitled = text.replacen("title: ", "title: Omdøbt ", 1);
    std::fs::write(&sections[9], retitled).expect("write");
    p.build();
    p.assert_clean("a new title");

    // A section's file renamed (the same section), and a section deleted.
    let renamed = sections[12].with_file_name("omdoebt-fil.md");
    std::fs::rename(&sections[12], &renamed).expect("rename");
    p.build();
    p.assert_clean("a renamed file");
    std::fs::remove_file(added).expect("delete");
    p.build();
    p.assert_clean("a deleted section");

    // What links in bodies show besides the sections: a reference's label (citations) and a
    // glossary term (links to the glossary), so every body is made again.
    let refs = p.root.join("content/references.yaml");
    let text = std::fs::read_to_string(&refs).expect("references");
    assert!(text.contains("label: "), "references.yaml has no label");
    std::fs::write(&refs, text.replace("label: ", "label: Nyt navn ")).expect("write");
    p.build();
    p.assert_clean("new reference labels");
    let glossary = p.root.join("content/glossary.yaml");
    let text = std::fs::read_to_string(&glossary).expect("glossary");
    let first_term = text.find("- term: ").expect("a glossary term");
    let mut edited = text.clone();
    edited.insert_str(first_term + "- term: ".len(), "Ny ");
    std::fs::write(&glossary, edited).expect("write");
    p.build();
    p.assert_clean("a glossary term changed");

    // The print page's block template overridden: every block is made again.
    let partials = p.root.join("templates/partials");
    std::fs::create_dir_all(&partials).expect("partials");
    let block = vejviser::base::theme::Theme::built_in_file("partials/print-section.html")
        .expect("the print block's template");
    let marked =
        String::from_utf8_lossy(block).replacen("</section>", "<p>CACHE-BLOCK</p></section>", 1);
    assert!(
        marked.contains("CACHE-BLOCK"),
        "print-section.html has no </section>"
    );
    std::fs::write(partials.join("print-section.html"), marked).expect("write");
    p.build();
    p.assert_clean("an overridden print block");
    std::fs::remove_dir_all(p.root.join("templates")).expect("remove");
    p.build();
    p.assert_clean("the print block's override taken away");

    // A template of the theme overridden, changed, and taken away again.
    let templates = p.root.join("templates");
    std::fs::create_dir_all(&templates).expect("templates");
    let section = vejviser::base::theme::Theme::built_in_file("section.html").expect("section");
    let changed = String::from_utf8_lossy(section).replacen(
        "</article>",
        "<p>CACHE-TEMPLATE</p></article>",
        1,
    );
    assert!(
        changed.contains("CACHE-TEMPLATE"),
        "section.html has no </article>"
    );
    std::fs::write(templates.join("section.html"), &changed).expect("write");
    p.build();
    p.assert_clean("an overridden template");
    std::fs::write(
        templates.join("section.html"),
        changed.replace("CACHE-TEMPLATE", "CACHE-TEMPLATE-2"),
    )
    .expect("write");
    p.build();
    p.assert_clean("an edited template");
    std::fs::remove_file(templates.join("section.html")).expect("remove");
    p.build();
    p.assert_clean("a template override taken away");
    assert_eq!(p.build(), Outcome::UpToDate);
}

#[test]
fn search_indexes_of_unchanged_slices_are_taken_from_the_previous_build() {
    // Over 500 pages: more than one search index.
    let p = Project::generated(560);
    p.build();
    let pagefind = |p: &Project| read_tree(&p.root.join("site/pagefind"));
    let before = pagefind(&p);
    append(&p.sections()[3], "\nCACHE-SEARCH-EDIT\n");
    let (reused, remade) = made(&p.build());
    assert!(remade <= 6, "{remade} made afresh after one edit");
    assert!(reused > 500, "only {reused} reused");
    let after = pagefind(&p);
    // The edited page's slice is indexed afresh; the other slice's files are as they were.
    let slice_of = |path: &str| match path.starts_with("1/") {
        true => 1,
        false => 0,
    };
    let lists = ["precache.json", "merge.json"];
    let mut changed = [false, false];
    for (path, bytes) in before.iter().chain(after.iter()) {
        if !lists.contains(&path.as_str())
            && (before.get(path) != Some(bytes) || after.get(path) != Some(bytes))
        {
            changed[slice_of(path)] = true;
        }
    }
    assert!(
        after.keys().any(|k| k.starts_with("1/")),
        "one search index only"
    );
    assert_eq!(
        changed.iter().filter(|c| **c).count(),
        1,
        "not exactly the edited page's search index changed: {changed:?}"
    );
    p.assert_clean("an edit in a site of two search indexes");
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_never_served() {
    let p = Project::generated(30);
    p.build();
    let record = p.record();
    let sections = p.sections();

    // Cut short: ignored, the next build is right.
    let text = std::fs::read_to_string(&record).expect("record");
    std::fs::write(&record, &text[..text.len() / 2]).expect("truncate");
    append(&sections[2], "\nCACHE-DAMAGE-1\n");
    let outcome = p.build();
    assert!(note(&outcome).contains("was ignored"), "{outcome:?}");
    assert_eq!(made(&outcome).0, 0, "a truncated record was used");
    p.assert_clean("a truncated record");

    // An entry edited (a file's digest): the record no longer matches its own digest.
    let text = std::fs::read_to_string(p.record()).expect("record");
    let line = text
        .lines()
        .find(|l| l.starts_with("file "))
        .expect("a file line");
    let edited = text.replacen(&line[5..9], "0000", 1);
    assert_ne!(edited, text);
    std::fs::write(p.record(), edited).expect("edit");
    append(&sections[3], "\nCACHE-DAMAGE-2\n");
    let outcome = p.build();
    assert!(note(&outcome).contains("changed or damaged"), "{outcome:?}");
    p.assert_clean("an edited record");

    // Another version's record, whole and consistent: ignored.
    let text = std::fs::read_to_string(p.record()).expect("record");
    let record_now = vejviser::cache::Record::from_text(&text, vejviser::cache::BUILD_ID)
        .expect("this build's record");
    std::fs::write(p.record(), record_now.to_text("0.0.1+another")).expect("write");
    append(&sections[4], "\nCACHE-DAMAGE-3\n");
    let outcome = p.build();
    assert!(note(&outcome).contains("0.0.1+another"), "{outcome:?}");
    assert_eq!(made(&outcome).0, 0, "another version's record was used");
    p.assert_clean("another version's record");

    // A file of the previous site changed by hand: not taken as up to date, not reused.
    let site = p.root.join("site");
    let page = read_tree(&site)
        .into_keys()
        .find(|k| k.starts_with("s1-") && k.ends_with(".html"))
        .expect("a section page");
    append(&site.join(&page), "<!-- edited by hand -->");
    let outcome = p.build();
    assert_ne!(
        outcome,
        Outcome::UpToDate,
        "an edited site taken as up to date"
    );
    p.assert_clean("a page of the site edited by hand");
    // A file of the site deleted, and one added: not up to date either.
    std::fs::remove_file(site.join(&page)).expect("delete");
    assert_ne!(p.build(), Outcome::UpToDate);
    p.assert_clean("a page of the site deleted");
    std::fs::write(site.join("extra.html"), "x").expect("add");
    assert_ne!(p.build(), Outcome::UpToDate);
    p.assert_clean("a file added to the site");
}

/// Change one letter near the middle of `file` (a block of the print page, an entry of the
/// export), keeping it UTF-8 and its length.
fn damage_middle(file: &Path) {
    let mut bytes = std::fs::read(file).expect("read");
    let middle = bytes.len() / 2;
    let at = (middle..bytes.len())
        .find(|&i| bytes[i] == b'e')
        .expect("an e after the middle");
    bytes[at] = b'x';
    std::fs::write(file, bytes).expect("write");
}

#[test]
fn print_blocks_and_export_entries_are_taken_from_the_previous_build_when_intact() {
    let p = Project::generated(40);
    p.build();
    let sections = p.sections().len();
    append(&p.sections()[5], "\nOne more sentence.\n");
    let (reused, remade) = made(&p.build());
    // The page, its print block, its export entry and its search index.
    assert!(remade <= 4, "{remade} made afresh after one edit");
    assert!(
        reused >= 3 * (sections - 1),
        "only {reused} taken from the previous build ({sections} sections: pages, print blocks and export entries)"
    );
    p.assert_clean("one edit with blocks and entries taken from the previous build");

    // A block of the print page and an entry of the export changed by hand: each is made
    // afresh (its own digest no longer matches), the rest is still taken.
    let site = p.root.join("site");
    damage_middle(&site.join("udskriv.html"));
    damage_middle(&site.join("retningslinje.json"));
    append(&p.sections()[6], "\nAnother sentence.\n");
    let (reused, remade) = made(&p.build());
    assert!(
        remade >= 5,
        "the damaged block and entry were used ({remade} made)"
    );
    assert!(reused >= 3 * (sections - 2), "only {reused} reused");
    p.assert_clean("a damaged print page and export");
}
