//! Publishing the built site: base URLs (guideline.yaml, `--base-url`, `VEJVISER_BASE_URL`, a
//! local version's own), the sitemaps (validated against the sitemap 0.9 schema with
//! `xmllint`), `robots.txt`, canonical links, the 404 page at any depth, the host configuration
//! (`_headers` and `nginx.conf` against each page's meta CSP), the web manifest and icons, the
//! JSON-LD, descriptions and fingerprinted assets.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{build_shipped, copy_dir, html_pages, read_tree, root};
use scraper::{Html, Selector};

const BASE: &str = "https://example.org/retningslinje/";
const REGION: &str = "lokal/region-midtjylland/";
const TESTBY_BASE: &str = "https://testby.example/";

/// `file` with its top-level `key:` line replaced by `key: value` (or added).
fn set_yaml(file: &Path, key: &str, value: &str) {
    let text = std::fs::read_to_string(file).expect("yaml");
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with(&format!("{key}:")))
        .map(str::to_string)
        .collect();
    lines.push(format!("{key}: {value}"));
    std::fs::write(file, lines.join("\n") + "\n").expect("write yaml");
}

/// The shipped content with `base_url` and a date in guideline.yaml, and the Testby fixture as
/// a second local version with its own domain, built once into the target's temp folder.
fn published() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("publish");
        let _ = std::fs::remove_dir_all(&dir);
        let content = dir.join("content");
        copy_dir(&root().join("content"), &content);
        set_yaml(&content.join("guideline.yaml"), "base_url", BASE);
        set_yaml(&content.join("guideline.yaml"), "date", "\"2024-05-01\"");
        let testby = content.join("local/testby");
        copy_dir(&root().join("tests/fixtures/local/testby"), &testby);
        set_yaml(&testby.join("lokal.yaml"), "base_url", TESTBY_BASE);
        let out = dir.join("site");
        common::build_content(&content, &out);
        out
    })
}

/// The shipped site as it is (no base URL).
fn shipped() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("publish-shipped");
        let _ = std::fs::remove_dir_all(&out);
        build_shipped(&out);
        out
    })
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn attr(html: &str, selector: &str, name: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

fn locs(sitemap: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(sitemap).expect("sitemap is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

// ---- Sitemaps and robots.txt --------------------------------------------------------------

#[test]
fn a_local_sitemap_lists_its_pages_under_its_own_folder() {
    let site = published();
    let region = locs(&read(site, &format!("{REGION}sitemap.xml")));
    let deviations = format!("{BASE}{REGION}lokale-tilpasninger.html");
    assert!(region.contains(&deviations), "{region:?}");
    assert!(!region.contains(&format!("{BASE}lokale-tilpasninger.html")));
    assert!(
        region
            .iter()
            .all(|l| l.starts_with(&format!("{BASE}{REGION}"))),
        "{region:?}"
    );
    // A local version with its own domain lists its pages there.
    let testby = locs(&read(site, "lokal/testby/sitemap.xml"));
    assert!(testby.contains(&format!("{TESTBY_BASE}lokale-tilpasninger.html")));
    assert!(
        testby.iter().all(|l| l.starts_with(TESTBY_BASE)),
        "{testby:?}"
    );
    let national = locs(&read(site, "sitemap.xml"));
    assert!(national.contains(&format!("{BASE}index.html")));
    assert!(national
        .iter()
        .all(|l| l.starts_with(BASE) && !l.contains("/lokal/")));
    assert!(!national.iter().any(|l| l.ends_with("404.html")));
    // lastmod from the guideline's date, on every entry.
    let xml = read(site, "sitemap.xml");
    assert_eq!(
        xml.matches("<lastmod>2024-05-01</lastmod>").count(),
        national.len()
    );
    // The national robots.txt (the one crawlers read) names the local sitemaps too.
    assert_eq!(
        read(site, "robots.txt"),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\nSitemap: {BASE}{REGION}sitemap.xml\nSitemap: {TESTBY_BASE}sitemap.xml\n"
        )
    );
    assert!(read(site, "lokal/testby/robots.txt")
        .contains(&format!("Sitemap: {TESTBY_BASE}sitemap.xml\n")));
}

#[test]
fn without_a_base_url_there_is_no_sitemap_and_no_sitemap_line() {
    let site = shipped();
    assert!(
        !site.join("sitemap.xml").exists(),
        "a sitemap of relative URLs"
    );
    assert!(!site.join(REGION).join("sitemap.xml").exists());
    let robots = read(site, "robots.txt");
    assert!(
        robots.starts_with("User-agent: *") && !robots.contains("Sitemap:"),
        "{robots}"
    );
    // Nor canonical links or og:url, which must be absolute.
    for (path, html) in html_pages(site) {
        assert!(
            attr(&html, "link[rel=canonical]", "href").is_empty(),
            "{path}"
        );
        assert!(
            attr(&html, "meta[property='og:url']", "content").is_empty(),
            "{path}"
        );
    }
}

#[test]
fn the_build_says_once_that_there_is_no_sitemap_without_a_base_url() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = tmp.path().join("content");
    copy_dir(&root().join("tests/fixtures/minimal"), &content);
    set_yaml(&content.join("guideline.yaml"), "base_url", "\"\"");
    let out = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(["build", "--content"])
        .arg(&content)
        .arg("--templates")
        .arg(root().join("templates"))
        .arg("--out")
        .arg(tmp.path().join("site"))
        .env_remove("VEJVISER_BASE_URL")
        .output()
        .expect("run vejviser");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("no base URL").count(), 1, "{stderr}");
    assert!(stderr.contains("note: no base URL"), "{stderr}");
    assert!(
        !stderr.contains("warning") && !stderr.contains("error"),
        "{stderr}"
    );
}

/// `xmllint --schema` (Debian's libxml2-utils); without it the check is skipped, except under
/// CI=true, where it fails.
fn xmllint() -> Option<&'static str> {
    let found = Command::new("xmllint").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "xmllint is missing (apt-get install libxml2-utils)"
        );
        eprintln!("SKIPPED: xmllint is missing (apt-get install libxml2-utils)");
        return None;
    }
    Some("xmllint")
}

#[test]
fn sitemaps_validate_against_the_sitemap_schema() {
    let Some(xmllint) = xmllint() else {
        return;
    };
    let schema = root().join("tests/fixtures/sitemap-0.9.xsd");
    let site = published();
    for rel in [
        "sitemap.xml".to_string(),
        format!("{REGION}sitemap.xml"),
        "lokal/testby/sitemap.xml".to_string(),
    ] {
        let out = Command::new(xmllint)
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .arg(site.join(&rel))
            .output()
            .expect("run xmllint");
        assert!(
            out.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The schema does reject a sitemap of site-relative URLs (what the build wrote before).
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = tmp.path().join("relative.xml");
    std::fs::write(
        &bad,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>/index.html</loc><lastmod>maj 2024</lastmod></url></urlset>\n",
    )
    .expect("write");
    let out = Command::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&bad)
        .output()
        .expect("run xmllint");
    assert!(!out.status.success());
}

// ---- Base URL from the flag, the environment and guideline.yaml ------------------------------

fn build_minimal(args: &[&str], env: Option<&str>) -> (bool, String, Option<String>) {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vejviser"));
    cmd.args(["build", "--content"])
        .arg(root().join("tests/fixtures/minimal"))
        .arg("--templates")
        .arg(root().join("templates"))
        .arg("--out")
        .arg(&out)
        .args(args);
    match env {
        Some(v) => cmd.env("VEJVISER_BASE_URL", v),
        None => cmd.env_remove("VEJVISER_BASE_URL"),
    };
    let run = cmd.output().expect("run vejviser");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).ok();
    (
        run.status.success(),
        String::from_utf8_lossy(&run.stderr).to_string(),
        sitemap,
    )
}

#[test]
fn the_flag_wins_over_the_environment_over_guideline_yaml() {
    // guideline.yaml of the minimal fixture: https://example.org/
    let (ok, err, sitemap) = build_minimal(&[], None);
    assert!(ok, "{err}");
    assert!(locs(&sitemap.expect("sitemap"))[0].starts_with("https://example.org/"));
    let (ok, err, sitemap) = build_minimal(&[], Some("https://env.example/a"));
    assert!(ok, "{err}");
    assert!(locs(&sitemap.expect("sitemap"))[0].starts_with("https://env.example/a/"));
    let (ok, err, sitemap) = build_minimal(
        &["--base-url", "https://flag.example/b/"],
        Some("https://env.example/a"),
    );
    assert!(ok, "{err}");
    let locs = locs(&sitemap.expect("sitemap"));
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://flag.example/b/")),
        "{locs:?}"
    );
    let (ok, err, _) = build_minimal(&["--base-url", "flag.example/b"], None);
    assert!(!ok);
    assert!(
        err.contains("--base-url: `flag.example/b` is not an absolute URL"),
        "{err}"
    );
    let (ok, err, _) = build_minimal(&[], Some("ftp://env.example/"));
    assert!(!ok);
    assert!(
        err.contains("VEJVISER_BASE_URL: `ftp://env.example/` is not an http"),
        "{err}"
    );
}

// ---- Canonical links and the 404 page --------------------------------------------------------

#[test]
fn every_page_has_its_canonical_link_and_unchanged_local_copies_point_at_the_national_page() {
    let site = published();
    let mut national_copies = 0;
    let mut own = 0;
    for (path, html) in html_pages(site) {
        let canonical = attr(&html, "link[rel=canonical]", "href");
        assert_eq!(canonical.len(), 1, "{path}");
        let og_url = attr(&html, "meta[property='og:url']", "content");
        assert_eq!(og_url, canonical, "{path}");
        let (site_base, rel) = if let Some(rel) = path.strip_prefix("lokal/testby/") {
            (TESTBY_BASE.to_string(), rel.to_string())
        } else {
            (BASE.to_string(), path.clone())
        };
        let is_section = !attr(&html, "article.section", "class").is_empty();
        let changed = !attr(&html, "article.section", "data-pagefind-meta").is_empty();
        let expected = if path.starts_with("lokal/") && is_section && !changed {
            national_copies += 1;
            format!("{BASE}{}", rel.rsplit('/').next().unwrap_or_default())
        } else {
            if path.starts_with("lokal/") {
                own += 1;
            }
            format!("{site_base}{rel}")
        };
        assert_eq!(canonical[0], expected, "{path}");
    }
    assert!(national_copies > 50 && own > 10, "{national_copies} {own}");
}

#[test]
fn the_404_page_links_work_at_any_depth() {
    let site = published();
    for (rel, root_path, folder) in [
        ("404.html", "/retningslinje/", site.to_path_buf()),
        (
            "lokal/region-midtjylland/404.html",
            "/retningslinje/lokal/region-midtjylland/",
            site.join(REGION),
        ),
        ("lokal/testby/404.html", "/", site.join("lokal/testby")),
    ] {
        let html = read(site, rel);
        let doc = Html::parse_document(&html);
        let mut n = 0;
        for e in doc.select(&sel("[href], [src], form[action]")) {
            let v = e.value();
            let url = v
                .attr("href")
                .or(v.attr("src"))
                .or(v.attr("action"))
                .unwrap_or_default();
            if url.starts_with('#') || url.starts_with("https://") {
                continue;
            }
            assert!(
                url.starts_with(root_path),
                "{rel}: {url} is not absolute from {root_path}"
            );
            let file = &url[root_path.len()..];
            assert!(folder.join(file).is_file(), "{rel}: {url} does not exist");
            n += 1;
        }
        assert!(n > 10, "{rel}: {n} links");
    }
    // Without a base URL the site is taken to be at the domain's root.
    let html = read(shipped(), "404.html");
    assert!(attr(&html, "link[rel=stylesheet]", "href")[0].starts_with("/assets/style."));
    let html = read(shipped(), &format!("{REGION}404.html"));
    assert!(attr(&html, "a[href]", "href")
        .iter()
        .any(|h| h == "/lokal/region-midtjylland/indhold.html"));
}

// ---- Host configuration ----------------------------------------------------------------------

/// `_headers`: path → its headers, each path once.
fn parse_headers(text: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut rules: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(h) = line.strip_prefix("  ") {
            let (name, value) = h.split_once(": ").expect("Name: value");
            let path = current.clone().expect("a header under a path");
            rules
                .get_mut(&path)
                .expect("rule")
                .push((name.to_string(), value.to_string()));
        } else {
            assert!(line.starts_with('/'), "{line}");
            assert!(
                rules.insert(line.to_string(), Vec::new()).is_none(),
                "{line} twice"
            );
            current = Some(line.to_string());
        }
    }
    rules
}

fn meta_csp(html: &str) -> String {
    let csp = attr(html, "meta[http-equiv=Content-Security-Policy]", "content");
    assert_eq!(csp.len(), 1);
    csp[0].clone()
}

fn one(headers: &[(String, String)], name: &str) -> String {
    let values: Vec<&String> = headers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(values.len(), 1, "{name}: {headers:?}");
    values[0].clone()
}

#[test]
fn headers_carry_each_pages_own_meta_policy() {
    let site = published();
    let rules = parse_headers(&read(site, "_headers"));
    let nginx = read(site, "nginx.conf");
    let mut search_pages = 0;
    for (path, html) in html_pages(site) {
        let expected = format!("{}; frame-ancestors 'none'", meta_csp(&html));
        let url = format!("/retningslinje/{path}");
        let headers = rules
            .get(&url)
            .unwrap_or_else(|| panic!("{url} has no rule"));
        assert_eq!(one(headers, "Content-Security-Policy"), expected, "{url}");
        let pretty = url
            .strip_suffix("index.html")
            .map(str::to_string)
            .unwrap_or_else(|| url.strip_suffix(".html").expect("html").to_string());
        assert_eq!(
            one(&rules[&pretty], "Content-Security-Policy"),
            expected,
            "{pretty}"
        );
        let block = format!(
            "location = {url} {{\n  add_header Content-Security-Policy \"{expected}\" always;\n"
        );
        assert!(nginx.contains(&block), "nginx.conf: {url}");
        if path.ends_with("soeg.html") {
            assert!(
                expected.contains("connect-src 'self'") && expected.contains("'wasm-unsafe-eval'")
            );
            search_pages += 1;
        }
    }
    assert_eq!(search_pages, 3);
    let files = read_tree(site);
    let mut fingerprinted = 0;
    for path in files.keys() {
        let url = format!("/retningslinje/{path}");
        if path.ends_with("sw.js") {
            assert_eq!(one(&rules[&url], "Cache-Control"), "no-cache", "{url}");
            assert!(nginx.contains(&format!(
                "location = {url} {{\n  add_header Cache-Control \"no-cache\" always;"
            )));
        } else if vejviser::render::is_fingerprinted(
            path.find("assets/").map_or("", |i| &path[i..]),
        ) {
            assert_eq!(
                one(&rules[&url], "Cache-Control"),
                "public, max-age=31536000, immutable",
                "{url}"
            );
            fingerprinted += 1;
        } else if !path.ends_with(".html") {
            assert!(!rules.contains_key(&url), "{url}");
        }
    }
    assert!(fingerprinted >= 15, "{fingerprinted}");
    assert!(nginx.contains("error_page 404 /retningslinje/404.html;"));
    // A local version with its own domain has its own, with paths from its root.
    let testby = parse_headers(&read(site, "lokal/testby/_headers"));
    let html = read(site, "lokal/testby/soeg.html");
    assert_eq!(
        one(&testby["/soeg.html"], "Content-Security-Policy"),
        format!("{}; frame-ancestors 'none'", meta_csp(&html))
    );
}

#[test]
fn the_readme_recommends_no_policy_that_breaks_the_search_page() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    for line in readme
        .lines()
        .filter(|l| l.starts_with("Content-Security-Policy:"))
    {
        let directive = |name: &str| {
            line.split(';')
                .map(str::trim)
                .find(|d| d.starts_with(name))
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            directive("connect-src").contains("'self'")
                && directive("script-src").contains("'wasm-unsafe-eval'"),
            "applied to soeg.html, this policy breaks the search: {line}"
        );
    }
    assert!(readme.contains("_headers") && readme.contains("nginx.conf"));
}

// ---- Web manifest, JSON-LD, descriptions, fingerprints -----------------------------------------

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    let n = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (n(16), n(20))
}

#[test]
fn the_web_manifest_is_installable_and_linked_and_precached() {
    let site = published();
    let m: serde_json::Value =
        serde_json::from_str(&read(site, "manifest.webmanifest")).expect("manifest is JSON");
    let guideline = read(&root().join("content"), "guideline.yaml");
    let title = guideline
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("title");
    assert_eq!(m["name"], title);
    assert_eq!(m["start_url"], "index.html");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["lang"], "da");
    let icons = m["icons"].as_array().expect("icons");
    let mut sizes = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().expect("src");
        let bytes = std::fs::read(site.join(src)).expect("icon exists");
        if icon["type"] == "image/png" {
            let (w, h) = png_size(&bytes);
            assert_eq!(icon["sizes"], format!("{w}x{h}"));
            sizes.push(w);
        } else {
            assert_eq!(icon["type"], "image/svg+xml");
        }
    }
    assert_eq!(sizes, [192, 512]);
    for (path, html) in html_pages(site) {
        let href = attr(&html, "link[rel=manifest]", "href");
        assert_eq!(href.len(), 1, "{path}");
        let dir = Path::new(&path).parent().unwrap_or(Path::new(""));
        let target = if let Some(abs) = href[0].strip_prefix('/') {
            // The 404 pages: absolute paths from their site's root.
            match path.strip_prefix("lokal/testby/") {
                Some(_) => site.join("lokal/testby").join(abs),
                None => site.join(abs.trim_start_matches("retningslinje/")),
            }
        } else {
            site.join(dir).join(&href[0])
        };
        assert!(target.is_file(), "{path}: {}", href[0]);
    }
    let local: serde_json::Value =
        serde_json::from_str(&read(site, "lokal/testby/manifest.webmanifest")).expect("JSON");
    assert_eq!(local["name"], "Testby lokal version");
    let sw = read(site, "sw.js");
    for f in [
        "manifest.webmanifest",
        "assets/icon-192.png",
        "assets/icon-512.png",
    ] {
        assert!(sw.contains(&format!("\"{f}\"")), "{f} not pre-cached");
    }
}

fn json_ld(html: &str) -> serde_json::Value {
    let doc = Html::parse_document(html);
    let scripts: Vec<String> = doc
        .select(&sel("script[type='application/ld+json']"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(scripts.len(), 1);
    serde_json::from_str(&scripts[0]).expect("JSON-LD parses")
}

#[test]
fn json_ld_says_only_what_the_guideline_gives() {
    let site = published();
    for (path, html) in html_pages(site) {
        let ld = json_ld(&html);
        assert_eq!(ld["@context"], "https://schema.org", "{path}");
        assert_eq!(ld["@type"], "MedicalWebPage", "{path}");
        assert_eq!(ld["inLanguage"], "da");
        assert_eq!(ld["publisher"]["name"], "Sundhedsstyrelsen");
        assert_eq!(ld["datePublished"], "2024-05-01");
        assert!(ld.get("version").is_none(), "{path}: no version is given");
        // The page's own address, also where the canonical link is the national page.
        let own = match path.strip_prefix("lokal/testby/") {
            Some(rel) => format!("{TESTBY_BASE}{rel}"),
            None => format!("{BASE}{path}"),
        };
        assert_eq!(ld["url"], own, "{path}");
        let is_front = path == "index.html" || path.ends_with("/index.html");
        assert_eq!(ld.get("mainEntity").is_some(), is_front, "{path}");
        if is_front {
            assert_eq!(ld["mainEntity"]["@type"], "MedicalGuideline");
            assert_eq!(ld["mainEntity"]["guidelineDate"], "2024-05-01");
        }
    }
    // The shipped guideline gives no date or version: none is written.
    let ld = json_ld(&read(shipped(), "index.html"));
    assert!(ld.get("datePublished").is_none() && ld.get("version").is_none());
    assert!(ld["mainEntity"].get("guidelineDate").is_none());
    assert!(ld.get("url").is_none());
}

#[test]
fn every_page_has_a_description_from_its_first_paragraph() {
    let site = shipped();
    let pages = html_pages(site);
    for (path, html) in &pages {
        let d = attr(html, "meta[name=description]", "content");
        assert_eq!(d.len(), 1, "{path}");
        let d = &d[0];
        assert!(!d.is_empty() && d.chars().count() <= 160, "{path}: {d}");
        assert!(!d.contains('<') && !d.contains("__VEJVISER"), "{path}: {d}");
        assert_eq!(
            attr(html, "meta[property='og:description']", "content"),
            std::slice::from_ref(d)
        );
        assert_eq!(attr(html, "meta[property='og:title']", "content").len(), 1);
    }
    // A section: the start of the first paragraph of its body, cut at a word.
    let html = &pages["foer-sygemelding.html"];
    let doc = Html::parse_document(html);
    let first: String = doc
        .select(&sel("article .body p"))
        .next()
        .expect("a paragraph")
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let d = attr(html, "meta[name=description]", "content").remove(0);
    let stem = d.trim_end_matches('…');
    assert!(first.starts_with(stem), "{d} / {first}");
    if d.ends_with('…') {
        let next = first[stem.len()..].chars().next();
        assert!(
            next.is_some_and(|c| c.is_whitespace() || c.is_ascii_punctuation()),
            "{d}"
        );
    }
}

#[test]
fn stylesheets_and_scripts_are_fingerprinted_and_precached() {
    let site = shipped();
    let files = read_tree(site);
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("assets/")) {
        let name = &path["assets/".len()..];
        if name.ends_with(".css") || name.ends_with(".js") {
            assert!(vejviser::render::is_fingerprinted(path), "{path}");
            // The hash is that of the file's bytes.
            let (stem, rest) = name.split_once('.').expect("name.hash.ext");
            let ext = rest.rsplit('.').next().expect("ext");
            assert_eq!(
                vejviser::render::asset_path(&format!("{stem}.{ext}"), bytes),
                *path
            );
        }
    }
    assert!(!site.join("assets/style.css").exists());
    let sw = read(site, "sw.js");
    for (path, html) in html_pages(site) {
        for url in attr(&html, "link[rel=stylesheet]", "href")
            .into_iter()
            .chain(attr(&html, "script[src]", "src"))
        {
            let rel = url.trim_start_matches('/');
            let in_site = if url.starts_with('/') {
                rel.to_string()
            } else {
                let dir = Path::new(&path).parent().unwrap_or(Path::new(""));
                dir.join(rel).to_string_lossy().to_string()
            };
            assert!(files.contains_key(&in_site), "{path}: {url}");
            if !path.starts_with("lokal/") {
                assert!(sw.contains(&format!("\"{rel}\"")), "{rel} not pre-cached");
            }
        }
    }
}

#[test]
fn the_deployment_workflows_are_yaml_that_build_with_the_release_binary() {
    for (file, out) in [
        ("deploy/github-pages.yml", "--out site"),
        ("deploy/gitlab-ci.yml", "--out public"),
    ] {
        let text = std::fs::read_to_string(root().join(file)).expect(file);
        let doc: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(doc.is_object(), "{file}");
        assert!(text.contains("cargo build --release --locked"), "{file}");
        assert!(
            text.contains(&format!("./target/release/vejviser build {out} --base-url")),
            "{file}"
        );
    }
    let gh: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join("deploy/github-pages.yml")).expect("yml"),
    )
    .expect("yaml");
    assert!(gh["jobs"]["deploy"]["steps"][0]["uses"]
        .as_str()
        .is_some_and(|u| u.starts_with("actions/deploy-pages@")));
    let gl: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join("deploy/gitlab-ci.yml")).expect("yml"),
    )
    .expect("yaml");
    assert_eq!(gl["pages"]["artifacts"]["paths"][0], "public");
}
