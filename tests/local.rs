//! Local versions: each overlay kind lands where it should and is marked local, national
//! numbering is untouched, removing the overlay folder gives back the national site byte for
//! byte, a changed national section makes exactly its overlays stale, and bad overlays fail
//! with located errors.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{html_pages, read_tree, root, visible_text};
use vejviser::build::{build, check_only, BuildPaths};
use vejviser::diagnostics::{Diagnostics, Severity};

/// A copy of the shipped content without its local versions, plus the named fixtures from
/// tests/fixtures/local/.
fn content_with(tmp: &Path, fixtures: &[&str]) -> PathBuf {
    let content = tmp.join("content");
    copy_dir(&root().join("content"), &content, &|p| {
        p.starts_with("local")
    });
    for f in fixtures {
        copy_dir(
            &root().join("tests/fixtures/local").join(f),
            &content.join("local").join(f),
            &|_| false,
        );
    }
    content
}

fn copy_dir(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) {
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

fn paths(content: &Path, out: &Path) -> BuildPaths {
    BuildPaths {
        content: content.to_path_buf(),
        templates: root().join("templates"),
        out: out.to_path_buf(),
    }
}

fn build_ok(content: &Path, out: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let ok = build(&paths(content, out), &mut diags);
    let text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert!(ok, "build failed:\n{}", text.join("\n"));
    diags
}

/// Run the CLI; (success, stderr).
fn cli(args: &[&str], cwd: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run vejviser");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn main_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let main = scraper::Selector::parse("main").expect("selector");
    doc.select(&main)
        .next()
        .map(|m| m.html())
        .unwrap_or_default()
}

#[test]
fn each_overlay_kind_appears_where_it_should_marked_local() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let out = tmp.path().join("site");
    build_ok(&content, &out);
    let local = out.join("lokal/testby");
    let pages = html_pages(&local);

    // add: after the named passage (the LÆ 165 paragraph), before the next one, marked.
    let page = &pages["henvisning-til-kommunale-tilbud.html"];
    let text = visible_text(page);
    let passage = text.find("LÆ 165").expect("national passage kept");
    let added = text.find("TESTBY-TILFØJELSE").expect("added text shown");
    let next = text
        .find("Det anbefales, at det fremgår")
        .expect("next passage kept");
    assert!(
        passage < added && added < next,
        "added text must follow its passage"
    );
    assert!(
        page.contains("local-part local-add"),
        "added text is in a local box"
    );
    assert!(main_text(page).contains("Testby Kommune"), "owner named");
    assert!(page.contains(r#"data-pagefind-meta="lokal:Testby Kommune""#));
    assert!(
        page.contains("data-pagefind-meta=lokal_type:tilpasning"),
        "search marks the adaptation"
    );

    // insert: its own page with a local label, after chapter 6 and its subsections.
    let inserted = &pages["testby-tilbud.html"];
    assert!(visible_text(inserted).contains("TESTBY-AFSNIT"));
    assert!(inserted.contains("L1"), "local label shown");
    assert!(inserted.contains("local-section-banner"));
    assert!(inserted.contains(r#"lokal_type:afsnit"#));
    assert!(local.join("filer/logo.svg").is_file(), "local files copied");
    assert!(local.join("assets/lokal-logo.svg").is_file(), "logo copied");
    let toc = visible_text(&pages["indhold.html"]);
    let after_61 = toc.find("6.1.6").expect("6.1.6 in toc");
    let l1 = toc
        .find("L1 Tilbud i Testby")
        .expect("local section in toc");
    let bilag = toc.find("Bilag 1").expect("appendix in toc");
    assert!(
        after_61 < l1 && l1 < bilag,
        "inserted after 6 and its subsections"
    );

    // replace: the national passage only inside the "national text" details, reason shown.
    let replaced = &pages["opfoelgning-i-kommune.html"];
    assert!(replaced.contains("TESTBY-ERSTATNING"));
    assert!(replaced.contains("I Testby samles opfølgningen i ét team (test)."));
    let doc = scraper::Html::parse_document(replaced);
    let body = scraper::Selector::parse("article .body").expect("selector");
    let mut outside = String::new();
    for b in doc.select(&body) {
        let mut html = b.html();
        if let (Some(s), Some(e)) = (html.find("<details"), html.find("</details>")) {
            html.replace_range(s..e, "");
        }
        outside.push_str(&html);
    }
    assert!(
        !outside.contains("Derfor bør kommunen vurdere alle procedurer"),
        "the replaced passage is not shown as current text"
    );
    assert!(
        replaced.contains("Derfor bør kommunen vurdere alle procedurer"),
        "kept for comparison"
    );

    // The deviations page: every deviation, side by side, a real diff for the replacement.
    let dev = &pages["lokale-tilpasninger.html"];
    let dev_doc = scraper::Html::parse_document(dev);
    for id in ["afvigelse-1", "afvigelse-2", "afvigelse-3"] {
        let sel =
            scraper::Selector::parse(&format!("section#{id} .side-by-side")).expect("selector");
        assert!(
            dev_doc.select(&sel).next().is_some(),
            "{id} listed side by side"
        );
    }
    assert!(
        dev.contains("<del>") && dev.contains("<ins>"),
        "word diff for the replacement"
    );
    assert!(dev.contains("side-by-side"));

    // Role page, pathway page, print page, JSON export: all mark local material.
    let role = &pages["rolle-kommune.html"];
    assert!(role.contains("Tilbud i Testby") && role.contains("tag-local"));
    assert!(
        role.contains("TESTBY-KANAL"),
        "local route on the role page"
    );
    let forloeb = &pages["forloeb.html"];
    assert!(forloeb.contains("TESTBY-KANAL") && forloeb.contains("Lokalt · Testby Kommune"));
    let print = &pages["udskriv.html"];
    assert!(print.contains("TESTBY-TILFØJELSE") && print.contains("TESTBY-AFSNIT"));
    assert!(print.contains("TESTBY-ERSTATNING") && print.contains("local-part"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(local.join("retningslinje.json")).expect("export"))
            .expect("json");
    assert_eq!(json["local"]["owner"], "Testby Kommune");
    assert_eq!(
        json["local"]["deviations"].as_array().map(Vec::len),
        Some(3)
    );
    let sections = json["sections"].as_array().expect("sections");
    let ins = sections
        .iter()
        .find(|s| s["id"] == "testby-tilbud")
        .expect("local section in JSON");
    assert_eq!(ins["local"]["label"], "L1");
    let rep = sections
        .iter()
        .find(|s| s["id"] == "opfoelgning-i-kommune")
        .expect("5.2");
    assert_eq!(rep["localParts"][0]["kind"], "replace");
    let routes = json["pathways"].as_array().expect("pathways");
    assert!(routes.iter().any(|p| p["local"] == "Testby Kommune"));
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schema/guideline.schema.json")).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "local export must match the schema: {errors:?}"
    );

    // The national site is untouched: no local material in it.
    let national = html_pages(&out);
    assert!(national
        .iter()
        .filter(|(p, _)| !p.starts_with("lokal/"))
        .all(|(_, html)| !html.contains("TESTBY")));
}

#[test]
fn national_numbering_is_identical_in_national_and_local_builds() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let out = tmp.path().join("site");
    build_ok(&content, &out);
    let numbers = |path: &Path| -> Vec<(String, String)> {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).expect("export")).expect("json");
        v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| s["local"].is_null())
            .map(|s| (s["id"].to_string(), s["number"].to_string()))
            .collect()
    };
    let national = numbers(&out.join("retningslinje.json"));
    let local = numbers(&out.join("lokal/testby/retningslinje.json"));
    assert_eq!(national.len(), 65);
    assert_eq!(national, local);
}

#[test]
fn removing_the_overlay_folder_gives_back_the_national_site_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let with_local = tmp.path().join("with");
    build_ok(&content, &with_local);
    std::fs::remove_dir_all(content.join("local")).expect("remove overlays");
    let without = tmp.path().join("without");
    build_ok(&content, &without);
    let a: Vec<(String, Vec<u8>)> = read_tree(&with_local)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("lokal/"))
        .collect();
    let b: Vec<(String, Vec<u8>)> = read_tree(&without).into_iter().collect();
    assert_eq!(a.len(), b.len(), "same files");
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs");
    }
    assert!(read_tree(&with_local)
        .keys()
        .any(|p| p.starts_with("lokal/testby/")));
}

#[test]
fn a_changed_national_section_makes_exactly_its_overlays_stale() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let (ok, err) = cli(&["pin", "testby", "--content", "content"], tmp.path());
    assert!(ok, "pin failed: {err}");
    let check = |content: &Path| {
        let mut diags = Diagnostics::default();
        assert!(check_only(&paths(content, Path::new("")), &mut diags));
        diags
            .iter()
            .filter(|d| d.severity == Severity::Warning && d.message.contains("overlay"))
            .map(|d| {
                (
                    d.path.clone(),
                    d.line,
                    d.message.clone(),
                    d.help.clone().unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(
        check(&content).is_empty(),
        "freshly pinned overlays are not stale"
    );

    // Change the national section the replace overlay concerns.
    let file = content.join("sections/5.2-opfoelgning-i-kommune.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace(
            "bør behovet for opfølgning vurderes",
            "skal behovet for opfølgning altid vurderes",
        ),
    )
    .expect("write");
    let stale = check(&content);
    assert_eq!(stale.len(), 1, "exactly one overlay is stale: {stale:?}");
    let (path, line, message, help) = &stale[0];
    assert!(path.ends_with("local/testby/replace.md"), "{path:?}");
    assert_eq!(*line, 4, "at the pin: line (written after section:)");
    assert!(message.contains("5.2 Opfølgning i kommune"), "{message}");
    assert!(
        help.contains("- ") && help.contains("+ ") && help.contains("altid vurderes"),
        "diff shown: {help}"
    );
    assert!(
        help.contains("vejviser pin testby replace.md"),
        "says how to re-pin: {help}"
    );

    // The deviations page says so, and re-pinning clears it.
    let out = tmp.path().join("site");
    build_ok(&content, &out);
    let dev =
        std::fs::read_to_string(out.join("lokal/testby/lokale-tilpasninger.html")).expect("page");
    assert!(dev.contains("stale-flag"));
    let (ok, err) = cli(
        &["pin", "testby", "replace.md", "--content", "content"],
        tmp.path(),
    );
    assert!(ok && err.contains("re-pinned"), "{err}");
    assert!(
        check(&content).is_empty(),
        "re-pinned overlay is no longer stale"
    );
}

/// Build with one broken local version; the run fails with a message at `file:line`.
fn fails_with(setup: &dyn Fn(&Path), wanted: &[&str]) {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    setup(&content.join("local/testby"));
    let (ok, err) = cli(
        &[
            "build",
            "--content",
            "content",
            "--templates",
            root().join("templates").to_str().expect("utf-8"),
            "--out",
            "site",
        ],
        tmp.path(),
    );
    assert!(!ok, "build must fail");
    for w in wanted {
        assert!(err.contains(w), "expected `{w}` in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!tmp.path().join("site").exists(), "nothing written");
}

fn rewrite(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write");
}

#[test]
fn an_overlay_targeting_an_unknown_section_fails_located() {
    fails_with(
        &|d| {
            rewrite(
                &d.join("add.md"),
                "section: henvisning-til-kommunale-tilbud",
                "section: findes-ikke",
            )
        },
        &["local/testby/add.md:3:10: error: overlay targets unknown section `findes-ikke`"],
    );
}

#[test]
fn a_replace_without_reason_fails_located() {
    fails_with(
        &|d| {
            rewrite(
                &d.join("replace.md"),
                "reason: \"I Testby samles opfølgningen i ét team (test).\"\n",
                "",
            )
        },
        &["local/testby/replace.md:2:10: error: a replace overlay must state its reason"],
    );
}

#[test]
fn a_path_escape_fails_located() {
    fails_with(
        &|d| {
            rewrite(
                &d.join("insert.md"),
                "(filer/logo.svg)",
                "(../../../guideline.yaml)",
            )
        },
        &["local/testby/insert.md:10:", "leaves the local folder"],
    );
    fails_with(
        &|d| rewrite(&d.join("insert.md"), "(filer/logo.svg)", "(/etc/passwd)"),
        &["local/testby/insert.md:10:", "absolute path"],
    );
    fails_with(
        &|d| {
            rewrite(
                &d.join("lokal.yaml"),
                "logo: logo.svg",
                "logo: ../../../figurer/icf-model.svg",
            )
        },
        &["local/testby/lokal.yaml:9:", "leaves the local folder"],
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_escape_fails_located() {
    fails_with(
        &|d| {
            std::fs::remove_file(d.join("filer/logo.svg")).expect("rm");
            std::os::unix::fs::symlink("/etc/passwd", d.join("filer/logo.svg")).expect("symlink");
        },
        &["local/testby/filer/logo.svg: error: symbolic link in filer/"],
    );
    fails_with(
        &|d| {
            std::os::unix::fs::symlink("/etc/hostname", d.join("evil.md")).expect("symlink");
        },
        &["local/testby/evil.md: error: symbolic links are refused in a local version"],
    );
}

#[test]
fn a_slug_that_is_not_plain_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    std::fs::rename(content.join("local/testby"), content.join("local/Test By")).expect("rename");
    let (ok, err) = cli(
        &[
            "check",
            "--content",
            "content",
            "--templates",
            root().join("templates").to_str().expect("utf-8"),
        ],
        tmp.path(),
    );
    assert!(
        !ok && err.contains("local version folder `Test By` is not a plain slug"),
        "{err}"
    );
    let (ok, err) = cli(&["new-local", "../ud", "--content", "content"], tmp.path());
    assert!(!ok && err.contains("not a plain slug"), "{err}");
    let (ok, err) = cli(
        &["build", "--local", "x/../../y", "--content", "content"],
        tmp.path(),
    );
    assert!(!ok && err.contains("not a plain slug"), "{err}");
}

#[test]
fn new_local_scaffolds_a_version_that_builds_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &[]);
    let (ok, err) = cli(
        &[
            "new-local",
            "region-test",
            "--owner",
            "Region Test",
            "--content",
            "content",
        ],
        tmp.path(),
    );
    assert!(ok, "{err}");
    assert!(content.join("local/region-test/lokal.yaml").is_file());
    let (ok, _) = cli(
        &["new-local", "region-test", "--content", "content"],
        tmp.path(),
    );
    assert!(!ok, "an existing version is not overwritten");
    let templates = root().join("templates");
    let (ok, err) = cli(
        &[
            "build",
            "--local",
            "region-test",
            "--content",
            "content",
            "--templates",
            templates.to_str().expect("utf-8"),
            "--out",
            "one",
        ],
        tmp.path(),
    );
    assert!(ok, "{err}");
    let index = std::fs::read_to_string(tmp.path().join("one/index.html")).expect("index");
    assert!(index.contains("Region Test"));
    assert!(tmp.path().join("one/lokale-tilpasninger.html").is_file());
    assert!(
        !tmp.path().join("one/lokal").exists(),
        "--local builds only that version"
    );
}

#[test]
fn the_shipped_region_midtjylland_version_builds_and_links_its_section() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let diags = build_ok(&root().join("content"), &out);
    assert!(
        !diags.iter().any(|d| d.message.contains("overlay")),
        "the shipped local version is pinned and current"
    );
    let pages = html_pages(&out.join("lokal/region-midtjylland"));
    let section = &pages["midtjylland-borgernes-anbefalinger.html"];
    assert!(section.contains("gennemgående sundhedsfaglig person"));
    for from in [
        "planlaegning-af-forloeb.html",
        "kommunikation-mellem-aktoerer.html",
        "arbejdsdeling-og-ansvar.html",
    ] {
        assert!(
            pages[from].contains("midtjylland-borgernes-anbefalinger.html"),
            "{from} links to the local section"
        );
        assert!(
            section.contains(&format!("href=\"{from}\""))
                || pages["midtjylland-borgernes-anbefalinger.html"].contains(from),
            "backlink/link to {from}"
        );
    }
}
