//! `vejviser init`: a new guideline in an empty folder builds with the binary alone (the theme
//! built in, no templates folder anywhere) into a site without broken links, in English and in
//! Danish; init never overwrites content.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn vejviser(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(args)
        .current_dir(dir)
        .env_remove("VEJVISER_BASE_URL")
        .output()
        .expect("run vejviser")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `init` then `build` in a fresh folder; the built site's folder.
fn init_and_build(dir: &Path, language: &str) -> std::path::PathBuf {
    let init = vejviser(dir, &["init", "--language", language]);
    assert!(init.status.success(), "init failed:\n{}", text(&init));
    assert!(text(&init).contains("vejviser serve"), "{}", text(&init));
    assert!(
        !dir.join("templates").exists(),
        "init must not copy the theme"
    );
    let build = vejviser(dir, &["build"]);
    assert!(build.status.success(), "build failed:\n{}", text(&build));
    dir.join("site")
}

#[test]
fn an_english_guideline_from_init_builds_with_the_binary_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = init_and_build(dir.path(), "en");
    for file in [
        "index.html",
        "contents.html",
        "search.html",
        "introduction.html",
    ] {
        assert!(site.join(file).is_file(), "{file} is missing");
    }
    let (checked, broken) = common::broken_links(&site);
    assert!(checked > 20, "suspiciously few links: {checked}");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    assert!(
        index.contains("<html lang=en"),
        "{}",
        &index[..200.min(index.len())]
    );
    // The cross-reference of the starter's introduction became a link.
    let intro = std::fs::read_to_string(site.join("introduction.html")).expect("intro");
    assert!(
        intro.contains("href=who-does-what.html"),
        "no cross-reference link"
    );
}

#[test]
fn a_danish_guideline_from_init_builds_with_danish_page_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = init_and_build(dir.path(), "da");
    for file in ["indhold.html", "soeg.html", "introduktion.html"] {
        assert!(site.join(file).is_file(), "{file} is missing");
    }
    let (_, broken) = common::broken_links(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn init_refuses_a_folder_with_content_and_an_unknown_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("content")).expect("mkdir");
    std::fs::write(dir.path().join("content/guideline.yaml"), "mine").expect("write");
    let o = vejviser(dir.path(), &["init"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("exists already"), "{}", text(&o));
    let kept = std::fs::read_to_string(dir.path().join("content/guideline.yaml")).expect("read");
    assert_eq!(kept, "mine", "init overwrote content");
    let o = vejviser(dir.path(), &["init", "new", "--language", "xx"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("--language en"), "{}", text(&o));
    assert!(!dir.path().join("new").exists());
}

#[test]
fn a_templates_folder_overrides_one_file_of_the_built_in_theme() {
    let dir = tempfile::tempdir().expect("tempdir");
    let init = vejviser(dir.path(), &["init"]);
    assert!(init.status.success(), "{}", text(&init));
    std::fs::create_dir_all(dir.path().join("templates/static")).expect("mkdir");
    std::fs::write(
        dir.path().join("templates/static/style.css"),
        "body{color:#123456}",
    )
    .expect("write");
    std::fs::create_dir_all(dir.path().join("templates/strings")).expect("mkdir");
    std::fs::write(
        dir.path().join("templates/strings/en.yaml"),
        "nav_toc: Table of contents here\n",
    )
    .expect("write");
    let build = vejviser(dir.path(), &["build"]);
    assert!(build.status.success(), "{}", text(&build));
    // The stylesheet is fingerprinted (style.<hash>.css): the one there is the project's.
    let css: Vec<String> = std::fs::read_dir(dir.path().join("site/assets"))
        .expect("assets")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("style.") && n.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "{css:?}");
    let text = std::fs::read_to_string(dir.path().join("site/assets").join(&css[0])).expect("css");
    assert_eq!(text, "body{color:#123456}");
    let index = std::fs::read_to_string(dir.path().join("site/index.html")).expect("index");
    assert!(
        index.contains("Table of contents here"),
        "the string override is not used"
    );
    // The other strings and files are the built-in theme's.
    assert!(index.contains("Skip to content"));
    let index_links_search =
        index.contains("assets/search.") || dir.path().join("site/search.html").is_file();
    assert!(index_links_search);
}

#[test]
fn an_unknown_string_in_guideline_yaml_is_a_located_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(vejviser(dir.path(), &["init"]).status.success());
    let path = dir.path().join("content/guideline.yaml");
    let mut yaml = std::fs::read_to_string(&path).expect("read");
    yaml.push_str("strings:\n  nav_toc: Contents\n  no_such_key: x\n");
    std::fs::write(&path, yaml).expect("write");
    let o = vejviser(dir.path(), &["build"]);
    assert!(!o.status.success());
    let out = text(&o);
    let line = std::fs::read_to_string(&path)
        .expect("read")
        .lines()
        .position(|l| l.contains("no_such_key"))
        .expect("line")
        + 1;
    assert!(
        out.contains(&format!(
            "content/guideline.yaml:{line}:3: error: unknown interface string `no_such_key`"
        )),
        "{out}"
    );
    assert!(
        !dir.path().join("site").exists(),
        "a failed build wrote a site"
    );
}

#[test]
fn a_third_language_is_one_strings_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(vejviser(dir.path(), &["init"]).status.success());
    let path = dir.path().join("content/guideline.yaml");
    let yaml = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, yaml.replace("language: en", "language: de")).expect("write");
    // Without the file: a clear error naming what to add.
    let o = vejviser(dir.path(), &["build"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("no interface strings for language `de`"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("templates/strings/de.yaml"),
        "{}",
        text(&o)
    );
    // The English file with German page names and a German heading is a complete language.
    let english =
        std::fs::read_to_string(common::root().join("theme/strings/en.yaml")).expect("en.yaml");
    let german = english
        .replace("file_toc: contents.html", "file_toc: inhalt.html")
        .replace("file_search: search.html", "file_search: suche.html")
        .replace(
            "skip_to_content: Skip to content",
            "skip_to_content: Zum Inhalt",
        );
    std::fs::create_dir_all(dir.path().join("templates/strings")).expect("mkdir");
    let de = dir.path().join("templates/strings/de.yaml");
    std::fs::write(&de, &german).expect("write");
    let o = vejviser(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    let site = dir.path().join("site");
    assert!(site.join("inhalt.html").is_file() && site.join("suche.html").is_file());
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    assert!(index.contains("Zum Inhalt") && index.contains("<html lang=de"));
    let (_, broken) = common::broken_links(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // A key left out is named.
    let incomplete: String = german
        .lines()
        .filter(|l| !l.starts_with("nav_print:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&de, incomplete).expect("write");
    let o = vejviser(dir.path(), &["build"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("nav_print"), "{}", text(&o));
}
