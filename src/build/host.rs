//! Host configuration written with the site: `_headers` (Netlify and Cloudflare Pages) and
//! `nginx.conf` (an nginx include of `location` blocks). Each page gets, as a header, the exact
//! Content-Security-Policy of its own `<meta>` tag plus `frame-ancestors 'none'` (which a meta
//! policy cannot carry); `sw.js` is never cached; fingerprinted files are cached for a year.
//! Paths start at the base URL's path (`/` without a base URL).

use super::output::Written;
use crate::base::output::OutputFile;
use crate::base::url::base_path;
use crate::model::pages::{self, PageKind, PageNames, SERVICE_WORKER};

/// The Netlify / Cloudflare Pages headers file.
pub const HEADERS_FILE: &str = "_headers";
/// The nginx include.
pub const NGINX_FILE: &str = "nginx.conf";

/// What a meta policy cannot say, added to each page's header.
pub const FRAME_ANCESTORS: &str = "frame-ancestors 'none'";

/// Caching of fingerprinted files (their name changes with their content).
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One rule: the site-relative file, the URL paths it is served at, and its headers.
struct Rule {
    file: String,
    paths: Vec<String>,
    headers: Vec<(&'static str, String)>,
}

/// `_headers` and `nginx.conf` for the files `written` (a whole site, local versions included,
/// each path from the site's root), served at `base_url`'s path.
pub fn files_for(base_url: Option<&str>, names: &PageNames, files: &[Written]) -> Vec<OutputFile> {
    let root = base_url.map(base_path).unwrap_or_else(|| "/".to_string());
    let rules = rules(&root, files);
    vec![
        OutputFile::asset(HEADERS_FILE, headers_file(&rules).into_bytes()),
        OutputFile::asset(
            NGINX_FILE,
            nginx_file(&root, names.file(PageKind::NotFound), &rules).into_bytes(),
        ),
    ]
}

fn rules(root: &str, files: &[Written]) -> Vec<Rule> {
    let mut sorted: Vec<&Written> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut rules = Vec::new();
    for f in sorted {
        let path = f.path.as_str();
        let url = format!("{root}{path}");
        if path.ends_with(".html") {
            let Some(csp) = &f.csp else {
                continue;
            };
            let mut paths = vec![url.clone()];
            // Netlify and Cloudflare Pages also serve `x.html` as `x` (and `d/index.html` as
            // `d/`); a rule names each exact path, so that no page gets two policies.
            if let Some(dir) = url.strip_suffix("index.html") {
                paths.push(dir.to_string());
            } else if let Some(stem) = url.strip_suffix(".html") {
                paths.push(stem.to_string());
            }
            rules.push(Rule {
                file: path.to_string(),
                paths,
                headers: vec![(
                    "Content-Security-Policy",
                    format!("{csp}; {FRAME_ANCESTORS}"),
                )],
            });
        } else if path == SERVICE_WORKER || path.ends_with(&format!("/{SERVICE_WORKER}")) {
            rules.push(Rule {
                file: path.to_string(),
                paths: vec![url],
                headers: vec![("Cache-Control", "no-cache".to_string())],
            });
        } else if crate::render::is_fingerprinted(site_relative_asset(path)) {
            rules.push(Rule {
                file: path.to_string(),
                paths: vec![url],
                headers: vec![("Cache-Control", IMMUTABLE.to_string())],
            });
        }
    }
    rules
}

/// `path` from its site's `assets/` folder on (`lokal/x/assets/a.css` → `assets/a.css`).
fn site_relative_asset(path: &str) -> &str {
    let dir = format!("{}/", pages::ASSETS_DIR);
    match path.rfind(&dir) {
        Some(i) if i == 0 || path.as_bytes()[i - 1] == b'/' => &path[i..],
        _ => path,
    }
}

fn headers_file(rules: &[Rule]) -> String {
    let mut out = String::from(
        "# Netlify / Cloudflare Pages: the headers of every file of this site (written by vejviser).\n\
         # Each page's Content-Security-Policy is its <meta> policy plus frame-ancestors; every\n\
         # path has one rule, so no page gets two policies.\n",
    );
    for r in rules {
        for p in &r.paths {
            out.push_str(p);
            out.push('\n');
            for (name, value) in &r.headers {
                out.push_str(&format!("  {name}: {value}\n"));
            }
            out.push_str("  X-Content-Type-Options: nosniff\n");
        }
    }
    out
}

fn nginx_file(root: &str, not_found: &str, rules: &[Rule]) -> String {
    let mut out = format!(
        "# nginx: the headers of every file of this site (written by vejviser). Include it in the\n\
         # `server` block that serves the site's folder at {root}, e.g.\n\
         #   root /srv/site; include /srv/site/nginx.conf;\n\
         # An add_header here replaces the server block's own add_header lines for that file.\n\
         error_page 404 {root}{not_found};\n"
    );
    for r in rules {
        // The served file's own path: the index is reached through `index`, an internal
        // redirect to it.
        let path = format!("{root}{}", r.file);
        out.push_str(&format!("location = {path} {{\n"));
        for (name, value) in &r.headers {
            out.push_str(&format!("  add_header {name} \"{value}\" always;\n"));
        }
        out.push_str("  add_header X-Content-Type-Options \"nosniff\" always;\n}\n");
    }
    out
}

/// Add the sitemaps of the local sites (at `local_base_urls`) to the national `robots.txt`,
/// when it has a sitemap itself: crawlers read only the `robots.txt` at a host's root.
pub fn list_local_sitemaps<'a>(
    robots: &mut OutputFile,
    names: &PageNames,
    local_base_urls: impl Iterator<Item = &'a str>,
) {
    let mut text = String::from_utf8_lossy(&robots.bytes).to_string();
    if !text.contains("Sitemap:") {
        return;
    }
    for base in local_base_urls {
        text.push_str(&format!(
            "Sitemap: {base}{}\n",
            names.file(PageKind::Sitemap)
        ));
    }
    robots.bytes = text.into_bytes();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_gets_its_own_policy_once() {
        let page = |csp: &str| {
            format!(
                "<!doctype html><meta http-equiv=Content-Security-Policy content=\"{csp}\"><p>x"
            )
            .into_bytes()
        };
        let files = [
            OutputFile::asset("index.html", page("default-src 'self'")),
            OutputFile::asset("soeg.html", page("connect-src 'self'")),
            OutputFile::asset("sw.js", b"x".to_vec()),
            OutputFile::asset("assets/style.0123abcd.css", b"x".to_vec()),
            OutputFile::asset("lokal/a/assets/roles.0123abcd.js", b"x".to_vec()),
        ];
        let names = PageNames::built_in("da").expect("Danish names");
        let written: Vec<Written> = files.iter().map(Written::of).collect();
        let out = files_for(Some("https://example.org/r/"), &names, &written);
        let headers = String::from_utf8_lossy(&out[0].bytes).to_string();
        assert!(headers.contains("/r/soeg.html\n  Content-Security-Policy: connect-src 'self'; frame-ancestors 'none'\n"), "{headers}");
        assert!(headers.contains("/r/soeg\n"));
        assert!(headers.contains(
            "/r/\n  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'"
        ));
        assert!(headers.contains("/r/sw.js\n  Cache-Control: no-cache\n"));
        assert!(headers.contains(&format!(
            "/r/assets/style.0123abcd.css\n  Cache-Control: {IMMUTABLE}\n"
        )));
        assert!(headers.contains(&format!(
            "/r/lokal/a/assets/roles.0123abcd.js\n  Cache-Control: {IMMUTABLE}\n"
        )));
        assert_eq!(headers.matches("\n  Content-Security-Policy").count(), 4);
        let nginx = String::from_utf8_lossy(&out[1].bytes).to_string();
        assert!(nginx.contains("location = /r/soeg.html {\n  add_header Content-Security-Policy \"connect-src 'self'; frame-ancestors 'none'\" always;"), "{nginx}");
        assert!(nginx.contains("error_page 404 /r/404.html;"));
    }
}
