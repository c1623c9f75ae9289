//! The service worker, the build's last step: `templates/static/sw.js` goes to the site's root
//! (`sw.js`), so that its scope is the whole site; its `__VEJVISER_BUILD__` becomes a build id
//! that depends only on the content of the site (a 64-bit FNV-1a hash over every other output
//! file, in path order), and its `__VEJVISER_CORE__` and `__VEJVISER_PAGES__` the lists of
//! what it pre-caches: the core files (front page, contents, 404 page, web manifest and every
//! file in `assets/` under its fingerprinted name) and every page the sitemap would list.

use super::output::Written;
use crate::base::hash::Fnv64;
use crate::base::output::OutputFile;
use crate::model::pages::{PageKind, PageNames, ASSETS_DIR, SERVICE_WORKER, WEB_MANIFEST};

/// Where the theme's service worker is among the site's static files, before [`stamp`].
pub fn source_path() -> String {
    format!("{ASSETS_DIR}/{SERVICE_WORKER}")
}

/// The service worker at the root (`sw.js`), made from `source` (the theme's `assets/sw.js`)
/// with the build id and the pre-cache lists of the site's other files, `written`.
pub fn stamp(source: &OutputFile, written: &[Written], names: &PageNames) -> OutputFile {
    let id = build_id(written);
    let paths: Vec<&str> = written.iter().map(|w| w.path.as_str()).collect();
    let (core, pages) = precache_lists(&paths, names);
    let json = |list: &[String]| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
    let text = String::from_utf8_lossy(&source.bytes)
        .replace("__VEJVISER_BUILD__", &id)
        .replace("__VEJVISER_CORE__", &json(&core))
        .replace("__VEJVISER_PAGES__", &json(&pages));
    OutputFile::asset(SERVICE_WORKER, text.into_bytes())
}

/// The core files and the pages among `paths` the worker pre-caches, site-relative, sorted.
pub fn precache_lists(paths: &[&str], names: &PageNames) -> (Vec<String>, Vec<String>) {
    let fixed = [
        names.file(PageKind::Index),
        names.file(PageKind::Toc),
        names.file(PageKind::NotFound),
        WEB_MANIFEST,
    ];
    let assets = format!("{ASSETS_DIR}/");
    let mut core: Vec<String> = paths
        .iter()
        .copied()
        .filter(|p| fixed.contains(p) || (p.starts_with(&assets) && !p.ends_with(SERVICE_WORKER)))
        .map(str::to_string)
        .collect();
    core.sort_unstable_by(|a, b| {
        let rank = |p: &str| fixed.iter().position(|f| *f == p).unwrap_or(fixed.len());
        rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
    });
    let mut pages: Vec<String> = paths
        .iter()
        .copied()
        .filter(|p| names.in_sitemap(p) && !fixed.contains(p))
        .map(str::to_string)
        .collect();
    pages.sort_unstable();
    (core, pages)
}

/// The hash of the files `written` (paths, lengths and the hashes of their bytes, in path
/// order), as hex.
pub fn build_id(written: &[Written]) -> String {
    let mut sorted: Vec<&Written> = written.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut h = Fnv64::default();
    for f in sorted {
        h.write(f.path.as_bytes());
        h.write(&[0]);
        h.write(&f.len.to_le_bytes());
        h.write(&f.digest.short().to_le_bytes());
    }
    h.hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_goes_to_the_root_with_the_id_of_the_files() {
        let names = PageNames::built_in("da").expect("Danish names");
        let files = [
            OutputFile::asset("index.html", b"a".to_vec()),
            OutputFile::asset("soeg.html", b"s".to_vec()),
            OutputFile::asset("404.html", b"n".to_vec()),
            OutputFile::asset("assets/style.0123abcd.css", b"c".to_vec()),
            OutputFile::asset("figurer/f.svg", b"f".to_vec()),
        ];
        let written: Vec<Written> = files.iter().map(Written::of).collect();
        let source = OutputFile::asset(
            &source_path(),
            b"var V = '__VEJVISER_BUILD__'; var C = __VEJVISER_CORE__; var P = __VEJVISER_PAGES__;"
                .to_vec(),
        );
        let id = build_id(&written);
        let sw = stamp(&source, &written, &names);
        assert_eq!(sw.path, "sw.js");
        let expected = format!(
            "var V = '{id}'; var C = [\"index.html\",\"404.html\",\"assets/style.0123abcd.css\"]; var P = [\"soeg.html\"];"
        );
        assert_eq!(String::from_utf8_lossy(&sw.bytes), expected);
        // Another byte in one file, another id.
        let mut other = written.clone();
        other[0].digest.0[0] ^= 1;
        assert_ne!(build_id(&other), id);
    }
}
