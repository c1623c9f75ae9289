//! Local versions: each overlay kind lands where it should and is marked local, national
//! numbering is untouched, removing the overlay folder gives back the national site byte for
//! byte, a changed national section makes exactly its overlays stale, and bad overlays fail
//! with located errors.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir_except, html_pages, read_tree, root, visible_text};
use vejviser::base::diagnostics::{Diagnostics, Severity};
use vejviser::build::{build, check_only, BuildPaths};

/// A copy of the shipped content without its local versions, plus the named fixtures from
/// tests/fixtures/local/.
fn content_with(tmp: &Path, fixtures: &[&str]) -> PathBuf {
    let content = tmp.join("content");
    copy_dir_except(&root().join("content"), &content, &|p| {
        p.starts_with("local")
    });
    for f in fixtures {
        copy_dir_except(
            &root().join("tests/fixtures/local").join(f),
            &content.join("local").join(f),
            &|_| false,
        );
    }
    content
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

/// The outer HTML of every element matching `css`.
fn select_all(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).expect("selector");
    doc.select(&sel).map(|e| e.html()).collect()
}

/// The outer HTML of the one element matching `css`.
fn select_one(html: &str, css: &str) -> String {
    let all = select_all(html, css);
    assert_eq!(all.len(), 1, "exactly one `{css}`, found {}", all.len());
    all.into_iter().next().unwrap_or_default()
}

/// The text of the elements matching `css`, one string each, whitespace collapsed.
fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
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
    // The added text sits in the local box, which names the owner; the national passage
    // does not, and the national text is labelled national.
    let add_box = select_one(page, "article .body aside.local-part.local-add");
    assert!(
        add_box.contains(r#"data-local-owner="Testby Kommune""#),
        "{add_box}"
    );
    assert!(
        add_box.contains("TESTBY-TILFØJELSE"),
        "added text in the box"
    );
    assert!(
        !add_box.contains("LÆ 165"),
        "national passage outside the box"
    );
    assert_eq!(
        texts(&add_box, "p.local-label .tag-local"),
        ["Lokal tilføjelse"]
    );
    assert!(
        texts(&add_box, "p.local-label")[0].contains("Testby Kommune"),
        "owner named on the added text"
    );
    assert!(
        texts(page, "article p.national-label .tag-national") == ["National tekst"],
        "the national text is labelled national"
    );
    assert!(page.contains(r#"data-pagefind-meta="lokal:Testby Kommune""#));
    assert!(
        page.contains("data-pagefind-meta=lokal_type:tilpasning"),
        "search marks the adaptation"
    );

    // insert: its own page with a local label, after chapter 6 and its subsections.
    let inserted = &pages["testby-tilbud.html"];
    assert!(visible_text(inserted).contains("TESTBY-AFSNIT"));
    assert_eq!(
        texts(inserted, "article.local-section h1 .num"),
        ["L1"],
        "local label instead of a number"
    );
    let banner = texts(inserted, "article.local-section > p.local-section-banner");
    assert_eq!(banner.len(), 1, "the inserted section carries its banner");
    assert!(
        banner[0].starts_with("Lokalt afsnit") && banner[0].contains("Testby Kommune"),
        "banner names the owner: {banner:?}"
    );
    assert!(
        select_all(inserted, "p.national-label").is_empty(),
        "a local section is not labelled national"
    );
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
    let replace_box = select_one(replaced, "article .body aside.local-part.local-replace");
    assert!(
        replace_box.contains(r#"data-local-owner="Testby Kommune""#),
        "{replace_box}"
    );
    assert!(texts(&replace_box, ".local-text")[0].contains("TESTBY-ERSTATNING"));
    assert_eq!(
        texts(&replace_box, "p.local-label .tag-local"),
        ["Lokal erstatning"]
    );
    assert!(
        texts(&replace_box, "p.local-reason")[0]
            .contains("I Testby samles opfølgningen i ét team (test)."),
        "reason shown on the replacement"
    );
    assert!(
        texts(&replace_box, "details.local-national .national-text")[0]
            .contains("Derfor bør kommunen vurdere alle procedurer"),
        "the replaced national text is kept, inside the replacement"
    );
    assert_eq!(
        texts(replaced, "article p.national-label .tag-national"),
        ["National tekst"]
    );
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
    let replacement = select_one(dev, "section.deviation.kind-replace#afvigelse-3");
    assert!(
        !select_all(&replacement, ".national-side p.diff del").is_empty()
            && !select_all(&replacement, ".local-side p.diff ins").is_empty(),
        "word diff for the replacement, inside its entry"
    );
    assert!(
        texts(&replacement, "p.local-reason")[0].contains("I Testby samles opfølgningen"),
        "the reason is in the replacement's entry"
    );
    assert!(dev.contains("side-by-side"));

    // Role page, pathway page, print page, JSON export: all mark local material.
    // On the role page the local items themselves carry the badge (not just the header).
    let role = &pages["rolle-kommune.html"];
    assert!(
        texts(role, "article.role-page h2#lokalt")[0].contains("(Testby Kommune)"),
        "local list names the owner"
    );
    // Each local item carries its own badge: what kind of local material, and whose.
    assert_eq!(
        texts(role, "article.role-page h2#lokalt + ul > li"),
        [
            "4.9.1.1 Henvisning til kommunale tilbud Lokal tilføjelse · Testby Kommune",
            "5.2 Opfølgning i kommune Lokal erstatning · Testby Kommune",
            "L1 Tilbud i Testby Lokalt afsnit · Testby Kommune",
        ],
        "local items on the role page with badge and owner"
    );
    let route = select_one(
        role,
        "article.role-page tr#modtaget-testby-ap-til-holdtraening",
    );
    assert!(
        route.contains("TESTBY-KANAL"),
        "local route on the role page"
    );
    assert_eq!(
        texts(&route, ".tag-local"),
        ["Lokalt · Testby Kommune"],
        "the local route carries the badge and owner"
    );
    let national_route = select_all(role, "article.role-page tr[id^=modtaget-]")
        .into_iter()
        .find(|tr| !tr.contains("TESTBY"))
        .expect("a national route");
    assert!(
        !national_route.contains("tag-local"),
        "national routes are not marked local"
    );
    let forloeb = &pages["forloeb.html"];
    let rows: Vec<String> = select_all(forloeb, "main tr")
        .into_iter()
        .filter(|tr| tr.contains("TESTBY-KANAL"))
        .collect();
    assert!(!rows.is_empty(), "local route on the pathways page");
    for row in &rows {
        assert_eq!(texts(row, ".tag-local"), ["Lokalt · Testby Kommune"]);
    }
    // The print page: the inserted section carries the owner banner, the local parts their box.
    let print = &pages["udskriv.html"];
    let printed = select_one(print, "section.print-section.local-section#testby-tilbud");
    assert!(printed.contains("TESTBY-AFSNIT"));
    let banner = texts(&printed, "p.local-section-banner");
    assert!(
        banner.len() == 1 && banner[0].contains("Testby Kommune"),
        "{banner:?}"
    );
    for (kind, text) in [
        ("add", "TESTBY-TILFØJELSE"),
        ("replace", "TESTBY-ERSTATNING"),
    ] {
        let part = select_one(print, &format!("aside.local-part.local-{kind}"));
        assert!(
            part.contains(text) && part.contains(r#"data-local-owner="Testby Kommune""#),
            "{kind} marked local with its owner on the print page"
        );
    }
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
    assert_eq!(rep["localParts"][0]["owner"], "Testby Kommune");
    let added = sections
        .iter()
        .find(|s| s["id"] == "henvisning-til-kommunale-tilbud")
        .expect("4.9.1.1");
    assert_eq!(added["localParts"][0]["kind"], "add");
    assert_eq!(added["localParts"][0]["owner"], "Testby Kommune");
    assert!(
        sections
            .iter()
            .filter(|s| s["id"] != "henvisning-til-kommunale-tilbud"
                && s["id"] != "opfoelgning-i-kommune")
            .all(|s| s["localParts"].is_null()),
        "no other section has local parts"
    );
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

    // The rendered pages too: each national section page shows the same number, and the
    // table of contents lists the same national numbers in the same order.
    let national_pages = html_pages(&out);
    let local_pages = html_pages(&out.join("lokal/testby"));
    let mut compared = 0;
    for (id, number) in &national {
        let id = id.trim_matches('"');
        let number = number.trim_matches('"');
        let page = format!("{id}.html");
        let shown = |pages: &std::collections::BTreeMap<String, String>| {
            texts(&pages[&page], "article.section h1 .num")
        };
        assert_eq!(shown(&national_pages), [number], "{page} (national)");
        assert_eq!(shown(&local_pages), [number], "{page} (local)");
        compared += 1;
    }
    assert_eq!(compared, 65);
    let toc_numbers = |html: &str| {
        texts(html, "main .num")
            .into_iter()
            .filter(|n| !n.starts_with('L'))
            .collect::<Vec<_>>()
    };
    let toc_national = toc_numbers(&national_pages["indhold.html"]);
    assert!(toc_national.len() >= 65, "{toc_national:?}");
    assert_eq!(toc_national, toc_numbers(&local_pages["indhold.html"]));
    assert!(texts(&local_pages["indhold.html"], "main .num").contains(&"L1".to_string()));
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
    // The host configuration at the root covers the whole deployment, local sites included:
    // without their rules it is the national site's.
    let host = ["_headers", "nginx.conf"];
    let without_local_rules = |site: &Path, name: &str| {
        let text = std::fs::read_to_string(site.join(name)).expect("host file");
        let mut out = String::new();
        let mut keep = true;
        for line in text.lines() {
            if !line.starts_with([' ', '#']) && line != "}" {
                keep = !line.contains("/lokal/");
            }
            if keep {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    };
    for name in host {
        assert_eq!(
            without_local_rules(&with_local, name),
            without_local_rules(&without, name),
            "{name}"
        );
        assert!(std::fs::read_to_string(with_local.join(name))
            .expect("host file")
            .contains("/lokal/testby/"));
    }
    let a: Vec<(String, Vec<u8>)> = read_tree(&with_local)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("lokal/") && !host.contains(&p.as_str()))
        .collect();
    let b: Vec<(String, Vec<u8>)> = read_tree(&without)
        .into_iter()
        .filter(|(p, _)| !host.contains(&p.as_str()))
        .collect();
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

/// A folder outside the content folder with a file that must survive, as (folder, file).
#[cfg(unix)]
fn outside_with_a_file(tmp: &Path) -> (PathBuf, PathBuf) {
    let outside = tmp.join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    // Named like a saved text no overlay uses, so `pin` would delete it if it looked there.
    let file = outside.join("0123456789abcdef.txt");
    std::fs::write(&file, "must not be read or deleted").expect("write");
    (outside, file)
}

/// `vejviser pin testby` in `tmp`; (success, stderr).
fn pin_all(tmp: &Path) -> (bool, String) {
    cli(&["pin", "testby", "--content", "content"], tmp)
}

#[cfg(unix)]
#[test]
fn a_symlinked_pins_folder_is_refused_and_nothing_outside_is_deleted() {
    let wanted = "local/testby/pins: error: pins/ may not be a symbolic link";
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let (outside, file) = outside_with_a_file(tmp.path());
    let pins = content.join("local/testby/pins");
    std::os::unix::fs::symlink(&outside, &pins).expect("symlink");
    let (ok, err) = pin_all(tmp.path());
    assert!(!ok, "pin must fail:\n{err}");
    assert!(err.contains(wanted), "{err}");
    assert!(
        err.contains("help: remove the link"),
        "says what to do: {err}"
    );
    assert!(
        file.is_file(),
        "nothing outside the local folder is deleted"
    );
    assert_eq!(
        std::fs::read_dir(&outside).expect("outside").count(),
        1,
        "nothing written outside"
    );
    let templates = root().join("templates");
    let templates = templates.to_str().expect("utf-8");
    for args in [
        &["check", "--content", "content", "--templates", templates][..],
        &[
            "build",
            "--content",
            "content",
            "--templates",
            templates,
            "--out",
            "site",
        ],
    ] {
        let command = args[0];
        let (ok, err) = cli(args, tmp.path());
        assert!(!ok && err.contains(wanted), "{command}: {err}");
    }
    assert!(!tmp.path().join("site").exists(), "nothing built");
    assert!(file.is_file());
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_pins_is_refused_and_its_target_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let (_, file) = outside_with_a_file(tmp.path());
    let pins = content.join("local/testby/pins");
    std::fs::create_dir_all(&pins).expect("mkdir");
    let link = pins.join("0123456789abcdef.txt");
    std::os::unix::fs::symlink(&file, &link).expect("symlink");
    let (ok, err) = pin_all(tmp.path());
    assert!(!ok, "pin must fail:\n{err}");
    assert!(
        err.contains("local/testby/pins/0123456789abcdef.txt: error: symbolic link in pins/"),
        "{err}"
    );
    assert!(file.is_file(), "the link's target is not deleted");
    assert!(
        std::fs::symlink_metadata(&link).is_ok(),
        "nothing is removed while refusing"
    );
    assert!(
        !std::fs::read_dir(&pins)
            .expect("pins")
            .flatten()
            .any(|e| e.file_name() != "0123456789abcdef.txt"),
        "no snapshot written next to the link"
    );
    // The build refuses it too, with the location.
    fails_with(
        &|d| {
            let pins = d.join("pins");
            std::fs::create_dir_all(&pins).expect("mkdir");
            std::os::unix::fs::symlink("/etc/hostname", pins.join("0123456789abcdef.txt"))
                .expect("symlink");
        },
        &["local/testby/pins/0123456789abcdef.txt: error: symbolic link in pins/"],
    );
}

#[cfg(unix)]
#[test]
fn symlinked_manifest_pathways_and_version_folder_are_refused() {
    fails_with(
        &|d| {
            let real = d.parent().expect("local").join("lokal-real.yaml");
            std::fs::rename(d.join("lokal.yaml"), &real).expect("mv");
            std::os::unix::fs::symlink(&real, d.join("lokal.yaml")).expect("symlink");
        },
        &[
            "local/testby/lokal.yaml: error: the manifest may not be a symbolic link",
            "help: replace the link",
        ],
    );
    fails_with(
        &|d| {
            let real = d.parent().expect("local").join("pathways-real.yaml");
            std::fs::rename(d.join("pathways.yaml"), &real).expect("mv");
            std::os::unix::fs::symlink(&real, d.join("pathways.yaml")).expect("symlink");
        },
        &[
            "local/testby/pathways.yaml: error: pathways.yaml may not be a symbolic link",
            "help: replace the link",
        ],
    );
    fails_with(
        &|d| {
            let elsewhere = d
                .parent()
                .and_then(Path::parent)
                .and_then(Path::parent)
                .expect("tmp")
                .join("elsewhere");
            std::fs::rename(d, &elsewhere).expect("mv");
            std::os::unix::fs::symlink(&elsewhere, d).expect("symlink");
        },
        &[
            "local/testby: error: a local version may not be a symbolic link",
            "help: move the folder itself",
        ],
    );
}

#[test]
fn a_pin_that_is_not_a_fingerprint_is_refused_located() {
    // The pin names a file in pins/, so a path there would read outside the local folder.
    fails_with(
        &|d| {
            rewrite(
                &d.join("replace.md"),
                "section: opfoelgning-i-kommune\n",
                "section: opfoelgning-i-kommune\npin: ../../../../outside/0123456789abcdef\n",
            )
        },
        &[
            "local/testby/replace.md:4:6: error: `pin: ../../../../outside/0123456789abcdef` is not a fingerprint",
        ],
    );
}

/// Change the national section 5.2 (which replace.md concerns).
fn change_section_5_2(content: &Path) {
    rewrite(
        &content.join("sections/5.2-opfoelgning-i-kommune.md"),
        "bør behovet for opfølgning vurderes",
        "skal behovet for opfølgning altid vurderes",
    );
}

#[test]
fn build_warns_about_a_stale_overlay_with_its_location_and_a_diff() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let (ok, err) = pin_all(tmp.path());
    assert!(ok, "pin failed: {err}");
    let build_cli = || {
        cli(
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
        )
    };
    let (ok, err) = build_cli();
    assert!(ok, "{err}");
    assert!(
        !err.contains("stale overlay"),
        "pinned: nothing stale\n{err}"
    );
    change_section_5_2(&content);
    let (ok, err) = build_cli();
    assert!(ok, "a stale overlay is a warning, not an error:\n{err}");
    assert!(
        err.contains("local/testby/replace.md:4:6: warning: stale overlay: the national section 5.2 Opfølgning i kommune has changed"),
        "located warning from build:\n{err}"
    );
    assert_eq!(err.matches("warning: stale overlay").count(), 1, "{err}");
    let diff_lines: Vec<&str> = err.lines().map(str::trim_start).collect();
    assert!(
        diff_lines
            .iter()
            .any(|l| l.starts_with("- ") && l.contains("bør behovet for opfølgning vurderes"))
            && diff_lines
                .iter()
                .any(|l| l.starts_with("+ ")
                    && l.contains("skal behovet for opfølgning altid vurderes")),
        "the build prints a diff of the national change:\n{err}"
    );
    assert!(err.contains("vejviser pin testby replace.md"), "{err}");
}

#[test]
fn two_overlays_on_the_same_changed_section_both_and_only_they_become_stale() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    std::fs::write(
        content.join("local/testby/add-5-2.md"),
        "---\noverlay: add\nsection: opfoelgning-i-kommune\n---\nTESTBY-ANDEN: en tilføjelse til 5.2.\n",
    )
    .expect("write");
    let (ok, err) = pin_all(tmp.path());
    assert!(ok, "pin failed: {err}");
    let stale = |content: &Path| {
        let mut diags = Diagnostics::default();
        assert!(check_only(&paths(content, Path::new("")), &mut diags));
        let mut files: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == Severity::Warning && d.message.contains("stale overlay"))
            .map(|d| {
                assert!(d.line > 0, "located: {d}");
                assert!(
                    d.help
                        .as_deref()
                        .is_some_and(|h| h.contains("+ ") && h.contains("altid vurderes")),
                    "with a diff: {d}"
                );
                d.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        files.sort();
        files
    };
    assert!(stale(&content).is_empty(), "freshly pinned");
    change_section_5_2(&content);
    assert_eq!(stale(&content), ["add-5-2.md", "replace.md"]);

    let out = tmp.path().join("site");
    build_ok(&content, &out);
    let dev =
        std::fs::read_to_string(out.join("lokal/testby/lokale-tilpasninger.html")).expect("page");
    let flagged: Vec<String> = select_all(&dev, "section.deviation")
        .into_iter()
        .filter(|s| s.contains("stale-flag"))
        .flat_map(|s| texts(&s, "code"))
        .collect();
    assert_eq!(
        flagged,
        ["local/testby/add-5-2.md", "local/testby/replace.md"]
    );
}

#[test]
fn a_local_site_has_a_working_checklist_page() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = content_with(tmp.path(), &["testby"]);
    let out = tmp.path().join("site");
    build_ok(&content, &out);
    let local = out.join("lokal/testby");
    let page = std::fs::read_to_string(local.join("tjekliste.html")).expect("checklist page");
    let form = select_one(&page, "main form#checklist");
    assert!(
        select_all(
            &form,
            "fieldset input[type=checkbox], fieldset input[type=radio], fieldset textarea"
        )
        .len()
            > 5,
        "the form has its questions"
    );
    let data = texts(&page, "script#checklist-data");
    let data: serde_json::Value = serde_json::from_str(&data[0]).expect("checklist data");
    assert!(data.is_object() || data.is_array(), "{data}");
    // Marked as the local version's checklist, and its script and styles are in the local site.
    assert_eq!(select_all(&page, "header.site-header.local-site").len(), 1);
    let banner = texts(&page, "main p.local-banner");
    assert!(
        banner.len() == 1 && banner[0].contains("Testby Kommune"),
        "{banner:?}"
    );
    // (Stylesheets and scripts carry their content hash: assets/style.<hash>.css.)
    for name in ["checklist", "style", "lokal"] {
        let at = page
            .find(&format!("assets/{name}."))
            .unwrap_or_else(|| panic!("assets/{name}.… referenced"));
        let src: String = page[at..]
            .chars()
            .take_while(|c| !matches!(c, '"' | '>' | ' '))
            .collect();
        assert!(local.join(&src).is_file(), "{src} in the local site");
    }
    // Linked from the local site, where the national site links it.
    let national_links = html_pages(&out)
        .into_iter()
        .filter(|(p, html)| !p.starts_with("lokal/") && html.contains("href=tjekliste.html"))
        .map(|(p, _)| p)
        .collect::<Vec<_>>();
    assert!(!national_links.is_empty());
    let local_pages = html_pages(&local);
    for p in &national_links {
        assert!(
            local_pages[p].contains("href=tjekliste.html"),
            "{p} links the checklist in the local site"
        );
    }
}

#[test]
fn an_inserted_section_of_a_kind_the_guideline_lacks_fails_located() {
    fails_with(
        &|d| {
            rewrite(
                &d.join("insert.md"),
                "title: Tilbud i Testby\n",
                "title: Tilbud i Testby\nkind: lokalt-tilbud\n",
            )
        },
        &["local/testby/insert.md:6:7: error: section kind `lokalt-tilbud` is not a built-in kind"],
    );
    fails_with(
        &|d| {
            rewrite(
                &d.join("insert.md"),
                "title: Tilbud i Testby\n",
                "title: Tilbud i Testby\nkind: Lokalt\n",
            )
        },
        &["local/testby/insert.md:6:7: error: invalid YAML: `Lokalt` is not a section kind"],
    );
}
