//! One site's files, the national site's or one local version's, each written as soon as it is
//! made: the pages of the render steps first, then the section pages a slice at a time — each
//! slice's pages written and handed to an indexing thread, which writes that slice's search
//! index (see [`crate::search::with_indexers`]) while the next slice is rendered — and beside
//! the last slices the JSON export, the FHIR Questionnaire and the copied files; last the
//! sitemap and the service worker, whose build id hashes all of them. Memory holds the model,
//! each section's body (for the export) and the slices being indexed, not the site.

use rayon::prelude::*;

use super::output::{SiteOutput, Written};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::base::theme::Theme;
use crate::base::timing::phase;
use crate::cache::{Cache, Digest};
use crate::check::Checked;
use crate::model::pages;
use crate::model::Guideline;
use crate::render::{PrintError, Site};
use crate::search::{self, Feed, SLICE_PAGES};

/// An indexed page of the site: a section's page, rendered when its slice comes, or a page a
/// step made already.
enum Indexed {
    Section(usize),
    Page(OutputFile),
}

/// Write every file of `g`'s site to `out` but `robots.txt`, which is returned (the national
/// site adds the local versions' sitemaps to it); None with the problems in `diags`. Pages and
/// search indexes made before are taken from `cache` when given.
pub fn render(
    g: &Guideline,
    checked: &Checked,
    theme: &Theme,
    out: &SiteOutput<'_>,
    cache: Option<&Cache>,
    diags: &mut Diagnostics,
) -> Option<OutputFile> {
    let prepared = crate::render::prepare(g, theme, diags)?;
    let site = Site::new(&prepared, g, checked).with_cache(cache);
    let names = &g.interface.names;
    let kept = phase("html pages", || steps(&site, out));
    let mut indexed: Kept = match kept {
        Ok(kept) => kept,
        Err(errors) => return report(errors, diags),
    };
    let mut unindexed = Vec::new();
    for (i, s) in g.sections.iter().enumerate() {
        let file = pages::section_file(&s.id);
        if names.is_indexed(&file) {
            indexed.push((file, Indexed::Section(i)));
        } else {
            unindexed.push(i);
        }
    }
    indexed.sort_by(|a, b| a.0.cmp(&b.0));
    if indexed.is_empty() {
        diags.push(Diagnostic::file(
            &theme.dir,
            "search index: there are no pages to index",
        ));
        return None;
    }
    let mut bodies: Vec<Option<String>> = vec![None; g.sections.len()];
    let mut copied = Diagnostics::default();
    let mut sw_source = None;
    let emit = |files: Vec<OutputFile>| {
        files.iter().for_each(|f| out.put(f));
        Ok(())
    };
    let (rendered, index_errors) = search::with_indexers(&emit, cache, |feed| {
        let mut errors = sections(&site, out, &unindexed, &mut bodies, None);
        let size = search::slice_size(indexed.len(), SLICE_PAGES);
        let slices: Vec<Vec<(String, Indexed)>> = chunks(indexed, size);
        let count = slices.len();
        for (n, slice) in slices.into_iter().enumerate() {
            errors.extend(slice_pages(&site, out, n, slice, &mut bodies, feed));
        }
        out.put(&search::merge_list(count));
        // Beside the last slices' indexes: the export, the Questionnaire, the static files.
        if errors.is_empty() {
            errors.extend(phase("json export", || {
                json_export(&site, std::mem::take(&mut bodies), out)
            }));
            if let Some(q) = questionnaire(g) {
                out.put(&q);
            }
            let source = super::service_worker::source_path();
            for f in phase("static files", || {
                super::assets::files(g, theme, &mut copied)
            }) {
                match f.path == source {
                    true => sw_source = Some(f),
                    false => out.put(&f),
                }
            }
        }
        errors
    });
    if !rendered.is_empty() {
        return report(rendered, diags);
    }
    let index_failed = !index_errors.is_empty();
    for e in index_errors {
        diags.push(Diagnostic::file(&theme.dir, e));
    }
    let copied_ok = !copied.has_errors();
    diags.extend(copied);
    if index_failed || !copied_ok {
        return None;
    }
    out.put(&search::precache_list_of(&out.paths()));
    let robots = match sitemap(&site, out) {
        Ok(robots) => robots,
        Err(errors) => return report(errors, diags),
    };
    if let Some(source) = sw_source {
        let written: Vec<Written> = out.written();
        out.put(&super::service_worker::stamp(&source, &written, names));
    }
    Some(robots)
}

/// The problems of a step as diagnostics, each once; None.
fn report<T>(errors: Vec<Diagnostic>, diags: &mut Diagnostics) -> Option<T> {
    crate::render::unique(errors)
        .into_iter()
        .for_each(|d| diags.push(d));
    None
}

/// Pages the search indexes, by path.
type Kept = Vec<(String, Indexed)>;

/// Run the render steps side by side, writing what each makes; the pages the search indexes
/// are kept (by path) for their slices.
fn steps(site: &Site<'_>, out: &SiteOutput<'_>) -> Result<Kept, Vec<Diagnostic>> {
    let names = &site.g.interface.names;
    let print = crate::render::PRINT_STEP;
    let (results, printed): (Vec<Result<Kept, Vec<Diagnostic>>>, _) = rayon::join(
        || {
            crate::render::STEPS
                .par_iter()
                .filter(|(name, _)| *name != print)
                .map(|(name, step)| {
                    let files = phase(name, || step(site))?;
                    let mut kept = Vec::new();
                    for f in files {
                        if names.is_indexed(&f.path) {
                            kept.push((f.path.clone(), Indexed::Page(f)));
                        } else {
                            out.put(&f);
                        }
                    }
                    Ok(kept)
                })
                .collect()
        },
        || phase(print, || print_page(site, out)),
    );
    let mut kept = Vec::new();
    let mut errors = printed.err().unwrap_or_default();
    for r in results {
        match r {
            Ok(k) => kept.extend(k),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        out.put(&crate::render::manifest_file(site));
        Ok(kept)
    } else {
        Err(errors)
    }
}

/// Write the print page as it is made, remembering where its blocks went; the template errors.
/// It is not indexed (search finds the sections' own pages).
fn print_page(site: &Site<'_>, out: &SiteOutput<'_>) -> Result<(), Vec<Diagnostic>> {
    let file = site.g.interface.names.file(pages::PageKind::Print);
    let mut result = Ok(Vec::new());
    let written = out.put_stream(file, &mut |w| {
        match crate::render::write_print_page(site, w) {
            Ok(spans) => result = Ok(spans),
            Err(PrintError::Templates(errors)) => result = Err(errors),
            Err(PrintError::Write(e)) => return Err(e),
        }
        Ok(())
    });
    let spans = result?;
    if let (Some(cache), Some(file)) = (site.cache(), written) {
        cache.remember_spans(file, spans);
    }
    Ok(())
}

/// `items` in runs of `size` (the last one shorter).
fn chunks<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = Vec::new();
    for item in items {
        match out.last_mut() {
            Some(last) if last.len() < size => last.push(item),
            _ => out.push(vec![item]),
        }
    }
    out
}

/// Render the section pages of slice `n`, write them with the slice's other pages, and send
/// them all to be indexed; the problems, if any (then nothing is sent).
fn slice_pages(
    site: &Site<'_>,
    out: &SiteOutput<'_>,
    n: usize,
    slice: Vec<(String, Indexed)>,
    bodies: &mut [Option<String>],
    feed: &Feed,
) -> Vec<Diagnostic> {
    let mut which = Vec::new();
    let mut pages = Vec::with_capacity(slice.len());
    for (_, item) in slice {
        match item {
            Indexed::Section(i) => which.push(i),
            Indexed::Page(f) => {
                out.put(&f);
                pages.push(f);
            }
        }
    }
    let mut rendered = Vec::new();
    let errors = sections(site, out, &which, bodies, Some(&mut rendered));
    if !errors.is_empty() {
        return errors;
    }
    pages.extend(rendered);
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    feed.send(n, pages);
    Vec::new()
}

/// Render and write the pages of the sections `which`, keeping each body in `bodies`, and the
/// pages in `keep` when given; the problems, if any.
fn sections(
    site: &Site<'_>,
    out: &SiteOutput<'_>,
    which: &[usize],
    bodies: &mut [Option<String>],
    keep: Option<&mut Vec<OutputFile>>,
) -> Vec<Diagnostic> {
    if which.is_empty() {
        return Vec::new();
    }
    let pages = match phase("section pages", || {
        crate::render::section_pages(site, which)
    }) {
        Ok(pages) => pages,
        Err(errors) => return errors,
    };
    pages.par_iter().for_each(|(file, _)| out.put(file));
    let mut files = Vec::with_capacity(pages.len());
    for (&i, (file, body)) in which.iter().zip(pages) {
        bodies[i] = body;
        files.push(file);
    }
    if let Some(keep) = keep {
        keep.extend(files);
    }
    Vec::new()
}

/// Write the sitemap of everything written so far; `robots.txt` is returned.
fn sitemap(site: &Site<'_>, out: &SiteOutput<'_>) -> Result<OutputFile, Vec<Diagnostic>> {
    let paths = out.paths();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let mut robots = None;
    for f in crate::render::sitemap_files(site, &paths)? {
        match f.path == pages::ROBOTS {
            true => robots = Some(f),
            false => out.put(&f),
        }
    }
    robots.ok_or_else(Vec::new)
}

/// Write the JSON export and its schema. Each section's entry is taken from the cache when
/// its key is there, else made from its body HTML (`bodies`, in the order of the sections;
/// rendered here for a page the cache had); the entries are written a few hundred at a time
/// as they are made, the document never held whole. The problems, if any.
fn json_export(
    site: &Site<'_>,
    bodies: Vec<Option<String>>,
    out: &SiteOutput<'_>,
) -> Vec<Diagnostic> {
    let g = site.g;
    let sections = crate::export::Sections::new(g, &site.appendix);
    let links = site.links();
    let cache = site.cache();
    let entry = |i: usize, body: Option<String>| -> Result<Vec<u8>, Diagnostic> {
        let key = cache.zip(crate::render::export_key(
            site,
            &links,
            i,
            sections.parent(i),
        ));
        if let Some(bytes) = key.and_then(|(cache, key)| cache.recall_one(&key)) {
            return Ok(bytes);
        }
        let html = match body {
            Some(html) => html,
            None => crate::render::page_body(site, &links, i)?,
        };
        let (html, text) = crate::export::body(html);
        let entry = sections.entry(i, &html, &text);
        if let Some((cache, key)) = key {
            cache.remember(key, vec![(String::new(), Digest::of(&entry))]);
        }
        Ok(entry)
    };
    let mut errors = Vec::new();
    let mut spans = Vec::with_capacity(bodies.len());
    let mut bodies = bodies.into_iter().enumerate().peekable();
    let written = out.put_stream(g.interface.names.export(), &mut |w| {
        let mut writer = crate::export::EntryWriter::start(g, g.sections.len(), w)?;
        while bodies.peek().is_some() {
            let chunk: Vec<(usize, Option<String>)> =
                bodies.by_ref().take(crate::export::ENTRY_CHUNK).collect();
            let made: Vec<Result<Vec<u8>, Diagnostic>> = chunk
                .into_par_iter()
                .map(|(i, body)| entry(i, body))
                .collect();
            let made = match crate::render::collect(made) {
                Ok(made) => made,
                Err(e) => {
                    errors.extend(e);
                    return Ok(());
                }
            };
            for e in made {
                let at = writer.entry(&e)?;
                spans.push((Digest::of(&e), at, e.len() as u64));
            }
        }
        writer.finish()
    });
    if !errors.is_empty() {
        return errors;
    }
    if let (Some(cache), Some(file)) = (cache, written) {
        cache.remember_spans(file, spans);
    }
    out.put(&OutputFile::asset(
        g.interface.names.export_schema(),
        crate::export::SCHEMA.as_bytes().to_vec(),
    ));
    Vec::new()
}

/// The checklist as a FHIR Questionnaire, when the content has a checklist.
fn questionnaire(g: &Guideline) -> Option<OutputFile> {
    let cl = g.checklist.as_ref()?;
    let q = crate::fhir::questionnaire(g, cl);
    let json = serde_json::to_string_pretty(&q).unwrap_or_default();
    Some(OutputFile::asset(
        g.interface.names.questionnaire(),
        json.into_bytes(),
    ))
}
