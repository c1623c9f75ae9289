//! Full-text search: a [Pagefind](https://pagefind.app) index of the rendered pages, built in
//! memory and shipped as static files under `pagefind/`.
//!
//! The search page (`soeg.html`, `assets/search.js`) loads `pagefind/pagefind.js`, which fetches
//! the index chunks and runs Pagefind's WebAssembly in the browser; nothing leaves the site.
//!
//! What is indexed is decided by the templates: Pagefind indexes only the element marked
//! `data-pagefind-body` (the page's `<main>`), skips elements marked `data-pagefind-ignore`
//! (the roles line, backlinks; Pagefind itself leaves out `nav`, `footer`, `form` …, and
//! [`EXCLUDED`] drops permalinks and footnote marks), and reads the filter and metadata the
//! section template sets: `data-pagefind-filter="rolle"` on each role name, and
//! `data-pagefind-meta` `number` and `title`. Danish stemming follows from `<html lang="da">`.
//! Pages that only list, repeat or summarise the sections are not indexed: the registry of the
//! site's pages says which (see [`is_indexed`]).
//!
//! A site of more than [`SLICE_PAGES`] indexed pages gets one index per slice of that many
//! pages (the build's slices hold the pages that are not sections by path, then the sections
//! in document order), built side by side and merged in the browser (`search.js` reads [`MERGE_LIST`] and
//! calls Pagefind's `mergeIndex`), so the index is built on every core and never holds the
//! whole site at once.
//!
//! The output is deterministic: the same pages give the same files, byte for byte, in the same
//! order (a slice's pages are indexed in path order and the bundle is sorted by path).
//!
//! Offline search: [`precache_list`] writes [`PRECACHE_LIST`], the list of every file of the
//! bundle, which the service worker (`sw.js`) reads on install to keep the search files of this
//! build in its cache. Pagefind's chunk files are named by the hash of their content; only
//! `pagefind-entry.json` is fetched with a changing `?ts=` query, which the worker ignores for
//! the files under [`BUNDLE_DIR`]`/`.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::base::output::OutputFile;
use crate::model::pages::PageNames;

/// The folder of the search bundle in the site.
pub const BUNDLE_DIR: &str = "pagefind";

/// The list of the bundle's files for the service worker (see [`precache_list`]).
pub const PRECACHE_LIST: &str = "pagefind/precache.json";

/// Pagefind's UI bundles, which the site does not use (`assets/search.js` is the UI): left
/// out of the output to keep the site small.
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// The language-neutral WebAssembly. The browser loads it only for a language Pagefind has no
/// stemmer for (`"wasm": null` in `pagefind-entry.json`); for Danish it loads `wasm.da.pagefind`,
/// so it is left out unless some language needs it.
const NEUTRAL_WASM: &str = "wasm.unknown.pagefind";

/// Elements left out of the indexed text, beside what the templates mark
/// `data-pagefind-ignore` and what Pagefind leaves out itself (`nav`, `footer`, `form`, `label`,
/// `script`, …): the `#` permalinks of headings and terms, and the footnote marks and their back
/// links, whose numbers would otherwise stick to the word before them ("sygehuse9").
pub const EXCLUDED: &[&str] = &[".permalink", ".fnref", ".fnback"];

mod slices;

pub use slices::{merge_list, slice_dir, slice_size, with_indexers, Feed, MERGE_LIST, SLICE_PAGES};

/// Index the HTML pages among `pages` (in memory) and return Pagefind's bundle: the entry file,
/// the metadata, word and filter indexes, the fragments, the WebAssembly and `pagefind.js`, each
/// under [`BUNDLE_DIR`]`/`, the indexes of the further slices (see [`SLICE_PAGES`]) under
/// `BUNDLE_DIR/<n>/`, and [`MERGE_LIST`]; sorted by path. (The build streams its pages to
/// [`with_indexers`] instead; this is the same for pages held in memory.)
/// Which pages are indexed, the registry of the site's pages says (see
/// [`PageSpec::indexed`](crate::model::pages::PageSpec::indexed)).
pub fn index(pages: &[OutputFile], names: &PageNames) -> Result<Vec<OutputFile>, String> {
    index_in_slices(pages, names, SLICE_PAGES)
}

/// [`index`] with slices of `slice_pages` pages.
fn index_in_slices(
    pages: &[OutputFile],
    names: &PageNames,
    slice_pages: usize,
) -> Result<Vec<OutputFile>, String> {
    let mut html: Vec<&OutputFile> = pages.iter().filter(|f| names.is_indexed(&f.path)).collect();
    html.sort_by(|a, b| a.path.cmp(&b.path));
    if html.is_empty() {
        return Err("search index: there are no pages to index".into());
    }
    let out = std::sync::Mutex::new(Vec::new());
    let emit = |files: Vec<OutputFile>| {
        out.lock()
            .map(|mut out| out.extend(files))
            .map_err(|_| "search index: a thread stopped unexpectedly".to_string())
    };
    let (count, errors) = with_indexers(&emit, None, |feed| {
        let slices = html.chunks(slice_size(html.len(), slice_pages));
        let count = slices.len();
        for (n, slice) in slices.enumerate() {
            feed.send(n, slice.iter().map(|f| (*f).clone()).collect());
        }
        count
    });
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    let mut out = out
        .into_inner()
        .map_err(|_| "search index: a thread stopped unexpectedly".to_string())?;
    out.push(merge_list(count));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// One index's files: each path relative to its folder, with its bytes.
type BundleFiles = Vec<(String, Vec<u8>)>;

/// Pagefind's files for `html` (one slice, sorted by path, not empty), relative to the
/// bundle's folder, without the ones the site does not use.
fn bundle(html: &[&OutputFile]) -> Result<BundleFiles, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("search index: cannot start the async runtime: {e}"))?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            // URLs are given as they are; keep `index.html`-style names untouched.
            .keep_index_url(true)
            .exclude_selectors(EXCLUDED.iter().map(|s| s.to_string()).collect())
            .build();
        let mut index =
            PagefindIndex::new(Some(config)).map_err(|e| format!("search index: {e:#}"))?;
        let t = std::time::Instant::now();
        for page in html {
            let text = String::from_utf8_lossy(&page.bytes).into_owned();
            index
                .add_html_file(None, Some(page.path.clone()), text)
                .await
                .map_err(|e| format!("search index: cannot index {}: {e:#}", page.path))?;
        }
        crate::base::timing::report("search: add pages", t);
        let t = std::time::Instant::now();
        let r = index
            .get_files()
            .await
            .map_err(|e| format!("search index: {e:#}"));
        crate::base::timing::report("search: get_files", t);
        r
    })?;

    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .collect();
    let entry = files
        .iter()
        .find(|(rel, _)| rel == "pagefind-entry.json")
        .ok_or("search index: Pagefind wrote no pagefind-entry.json")?;
    let keep_neutral_wasm = needs_neutral_wasm(&entry.1)?;
    if !files.iter().any(|(rel, _)| rel == "pagefind.js") {
        return Err("search index: Pagefind wrote no pagefind.js".into());
    }
    let mut out: BundleFiles = files
        .into_iter()
        .filter(|(rel, _)| {
            !UNUSED.contains(&rel.as_str()) && (rel != NEUTRAL_WASM || keep_neutral_wasm)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The file [`PRECACHE_LIST`]: a JSON object whose `files` are the paths (relative to the site's
/// root, sorted) of every file of `bundle` (the output of [`index`]), for the service worker to
/// pre-cache, so that search works offline. The list itself is not in it.
pub fn precache_list(bundle: &[OutputFile]) -> OutputFile {
    let paths: Vec<String> = bundle.iter().map(|f| f.path.clone()).collect();
    precache_list_of(&paths)
}

/// [`precache_list`] from the paths of a site's files (those of the bundle are taken).
pub fn precache_list_of(paths: &[String]) -> OutputFile {
    let mut files: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| {
            p.strip_prefix(BUNDLE_DIR)
                .is_some_and(|rest| rest.starts_with('/'))
                && *p != PRECACHE_LIST
        })
        .collect();
    files.sort_unstable();
    files.dedup();
    let json = serde_json::json!({ "files": files });
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{\"files\":[]}".into());
    text.push('\n');
    OutputFile::asset(PRECACHE_LIST, text.into_bytes())
}

/// Whether a language of `pagefind-entry.json` has no WebAssembly of its own (`"wasm": null`),
/// so that the browser loads the language-neutral one.
fn needs_neutral_wasm(entry: &[u8]) -> Result<bool, String> {
    let entry: serde_json::Value = serde_json::from_slice(entry)
        .map_err(|e| format!("search index: pagefind-entry.json: {e}"))?;
    let languages = entry
        .get("languages")
        .and_then(|l| l.as_object())
        .ok_or("search index: pagefind-entry.json has no languages")?;
    Ok(languages
        .values()
        .any(|l| l.get("wasm").is_none_or(|w| w.is_null())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn da() -> PageNames {
        PageNames::built_in("da").expect("Danish names")
    }

    fn page(path: &str, body: &str) -> OutputFile {
        OutputFile::asset(
            path,
            format!(
                "<!DOCTYPE html><html lang=\"da\"><head><title>t</title></head><body>\
                 <nav>Menu sygemelding</nav><main data-pagefind-body>{body}</main></body></html>"
            )
            .into_bytes(),
        )
    }

    fn pages() -> Vec<OutputFile> {
        vec![
            page(
                "a.html",
                "<h1 data-pagefind-meta=\"title:1 Før sygemelding\">Før sygemelding</h1>\
                 <p>Lægen udfylder en mulighedserklæring.</p>\
                 <span data-pagefind-filter=\"rolle:Almen praksis\"></span>",
            ),
            page(
                "b.html",
                "<h1>Sygedagpenge</h1><p>Jobcenteret følger op på sygemeldte borgere.</p>",
            ),
            page("index.html", "<h1>Forside</h1><p>Alt om sygemelding.</p>"),
            OutputFile::asset("assets/style.css", b"body{}".to_vec()),
        ]
    }

    #[test]
    fn bundle_has_the_search_files() {
        let files = index(&pages(), &da()).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(paths.contains(&"pagefind/pagefind-worker.js"), "{paths:?}");
        assert!(paths.contains(&"pagefind/pagefind-entry.json"), "{paths:?}");
        assert!(paths.contains(&"pagefind/wasm.da.pagefind"), "{paths:?}");
        assert!(paths.iter().any(|p| p.ends_with(".pf_meta")), "{paths:?}");
        assert!(
            paths.iter().any(|p| p.starts_with("pagefind/index/")),
            "{paths:?}"
        );
        assert!(
            paths.iter().any(|p| p.starts_with("pagefind/filter/")),
            "{paths:?}"
        );
        // Two pages indexed, the front page skipped: two fragments.
        let fragments = paths.iter().filter(|p| p.ends_with(".pf_fragment")).count();
        assert_eq!(fragments, 2, "{paths:?}");
        assert!(paths.iter().all(|p| !UNUSED.iter().any(|u| p.ends_with(u))));
        assert!(
            !paths.contains(&"pagefind/wasm.unknown.pagefind"),
            "{paths:?}"
        );
        let entry = files
            .iter()
            .find(|f| f.path == "pagefind/pagefind-entry.json")
            .unwrap();
        let entry = String::from_utf8_lossy(&entry.bytes);
        assert!(entry.contains("\"da\""), "{entry}");
    }

    #[test]
    fn indexing_works_on_a_thread_inside_a_runtime() {
        // What a rayon thread waiting inside Pagefind's `block_on` is when it takes up the
        // search index of another version (a local one built side by side).
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let bundle = runtime
            .block_on(async { index(&pages(), &da()) })
            .expect("bundle");
        assert!(bundle.iter().any(|f| f.path == "pagefind/pagefind.js"));
    }

    #[test]
    fn same_pages_give_the_same_bytes() {
        let first = index(&pages(), &da()).unwrap();
        let mut reversed = pages();
        reversed.reverse();
        for _ in 0..3 {
            assert_eq!(index(&pages(), &da()).unwrap(), first);
        }
        assert_eq!(index(&reversed, &da()).unwrap(), first);
    }

    #[test]
    fn language_without_stemmer_keeps_the_neutral_wasm() {
        let xx = OutputFile::asset(
            "a.html",
            b"<html lang=\"xx\"><body><main data-pagefind-body><p>Tekst</p></main></body></html>"
                .to_vec(),
        );
        let files = index(&[xx], &da()).unwrap();
        assert!(files
            .iter()
            .any(|f| f.path == "pagefind/wasm.unknown.pagefind"));
    }

    #[test]
    fn precache_list_names_every_bundle_file() {
        let bundle = index(&pages(), &da()).unwrap();
        let list = precache_list(&bundle);
        assert_eq!(list.path, PRECACHE_LIST);
        let json: serde_json::Value = serde_json::from_slice(&list.bytes).unwrap();
        let listed: Vec<&str> = json["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut want: Vec<&str> = bundle.iter().map(|f| f.path.as_str()).collect();
        want.sort_unstable();
        assert_eq!(listed, want);
        assert!(listed.contains(&"pagefind/pagefind-entry.json"));
        assert!(listed.iter().any(|p| p.ends_with(".pf_fragment")));
        assert!(!listed.contains(&PRECACHE_LIST));
        // Same bundle, same bytes.
        assert_eq!(precache_list(&bundle), list);
    }

    #[test]
    fn a_large_site_gets_one_index_per_slice_and_the_list_to_merge() {
        let one = index(&pages(), &da()).unwrap();
        let merge = |files: &[OutputFile]| -> serde_json::Value {
            let f = files
                .iter()
                .find(|f| f.path == MERGE_LIST)
                .expect("merge list");
            serde_json::from_slice(&f.bytes).unwrap()
        };
        assert_eq!(merge(&one)["bundles"], serde_json::json!([]));
        // Two indexed pages in slices of one: the second is an index of its own.
        let two = index_in_slices(&pages(), &da(), 1).unwrap();
        assert_eq!(merge(&two)["bundles"], serde_json::json!(["pagefind/1/"]));
        let paths: Vec<&str> = two.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(
            paths.contains(&"pagefind/1/pagefind-entry.json"),
            "{paths:?}"
        );
        assert!(paths.iter().any(|p| p.starts_with("pagefind/1/index/")));
        assert!(paths.iter().any(|p| p.starts_with("pagefind/1/fragment/")));
        // The merged index uses the first one's script, worker and WebAssembly.
        assert!(
            !paths.iter().any(
                |p| p.starts_with("pagefind/1/") && (p.ends_with(".js") || p.contains("wasm."))
            ),
            "{paths:?}"
        );
        let fragments = |dir: &str| {
            paths
                .iter()
                .filter(|p| p.starts_with(dir) && p.ends_with(".pf_fragment"))
                .count()
        };
        assert_eq!(fragments("pagefind/fragment/"), 1);
        assert_eq!(fragments("pagefind/1/fragment/"), 1);
        // The slices follow the pages, not the machine: the same bytes every time.
        assert_eq!(index_in_slices(&pages(), &da(), 1).unwrap(), two);
    }

    #[test]
    fn no_pages_is_an_error() {
        assert!(index(
            &[OutputFile::asset("index.html", b"<html></html>".to_vec())],
            &da()
        )
        .is_err());
    }

    #[test]
    fn which_pages_are_indexed() {
        assert!(da().is_indexed("foer-sygemelding.html"));
        assert!(da().is_indexed("ordliste.html"));
        assert!(!da().is_indexed("rolle-almen-praksis.html"));
        assert!(!da().is_indexed("forloeb.html"));
        assert!(!da().is_indexed("udskriv.html"));
        assert!(!da().is_indexed("soeg.html"));
        assert!(!da().is_indexed("assets/x.html"));
        assert!(!da().is_indexed("sitemap.xml"));
    }
}
