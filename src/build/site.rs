//! One site's files, the national site's or one local version's, each written as soon as it is
//! made: the pages of the render steps first (the print page streamed), then the section pages
//! a slice at a time — each slice's pages written and handed to an indexing thread, which
//! writes that slice's search index (see [`crate::search::with_indexers`]) while the next
//! slice is rendered, and their entries of the JSON export written as they come (slices hold
//! the sections in document order) — then the Questionnaire and the copied files; last the
//! sitemap and the service worker, whose build id hashes all of them. Memory holds the model
//! and the slices being made and indexed, not the site.

use std::io;

use rayon::prelude::*;

use super::output::{SiteOutput, Written};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::base::theme::Theme;
use crate::base::timing::phase;
use crate::cache::Cache;
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
    // The slices hold the other pages by path, then the sections in document order, so that
    // each slice's sections give the next entries of the JSON export.
    indexed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut unindexed = Vec::new();
    for (i, s) in g.sections.iter().enumerate() {
        let file = pages::section_file(&s.id);
        if names.is_indexed(&file) {
            indexed.push((file, Indexed::Section(i)));
        } else {
            unindexed.push(i);
        }
    }
    if indexed.is_empty() {
        diags.push(Diagnostic::file(
            &theme.dir,
            "search index: there are no pages to index",
        ));
        return None;
    }
    let mut copied = Diagnostics::default();
    let mut sw_source = None;
    let emit = |files: Vec<OutputFile>| {
        files.iter().for_each(|f| out.put(f));
        Ok(())
    };
    let (rendered, index_errors) = search::with_indexers(&emit, cache, |feed| {
        let size = search::slice_size(indexed.len(), SLICE_PAGES);
        let slices: Vec<Vec<(String, Indexed)>> = chunks(indexed, size);
        let count = slices.len();
        let errors = pages_and_export(&site, out, &unindexed, slices, feed);
        out.put(&search::merge_list(count));
        // Beside the last slices' indexes: the export's schema, the Questionnaire, the static
        // files.
        if errors.is_empty() {
            out.put(&OutputFile::asset(
                names.export_schema(),
                crate::export::SCHEMA.as_bytes().to_vec(),
            ));
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

/// Render and write the section pages (those not indexed, then the slices, each sent to be
/// indexed), and the JSON export with them, each slice's entries written as they come; the
/// problems, if any (then the export is not finished: the site is not written).
fn pages_and_export(
    site: &Site<'_>,
    out: &SiteOutput<'_>,
    unindexed: &[usize],
    mut slices: Vec<Vec<(String, Indexed)>>,
    feed: &Feed,
) -> Vec<Diagnostic> {
    let g = site.g;
    let mut errors = Vec::new();
    let mut export = super::export::Export::new(site);
    let written = out.put_stream(g.interface.names.export(), &mut |w| {
        let mut entries = crate::export::EntryWriter::start(g, g.sections.len(), w)?;
        let mut add = |errors: &mut Vec<Diagnostic>, (problems, bodies): Made| {
            errors.extend(problems);
            if errors.is_empty() {
                errors.extend(export.add(&mut entries, bodies)?);
            }
            io::Result::Ok(())
        };
        add(&mut errors, sections(site, out, unindexed, None))?;
        for (n, slice) in slices.drain(..).enumerate() {
            add(&mut errors, slice_pages(site, out, n, slice, feed))?;
        }
        match errors.is_empty() {
            true => entries.finish(),
            false => Ok(()),
        }
    });
    export.finish(written);
    errors
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

/// What rendering some section pages gives: the problems, and each section's body (when its
/// page was rendered) for the JSON export.
type Made = (Vec<Diagnostic>, Vec<(usize, Option<String>)>);

/// Render the section pages of slice `n`, write them with the slice's other pages, and send
/// them all to be indexed (nothing is sent when there were problems).
fn slice_pages(
    site: &Site<'_>,
    out: &SiteOutput<'_>,
    n: usize,
    slice: Vec<(String, Indexed)>,
    feed: &Feed,
) -> Made {
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
    let (errors, bodies) = sections(site, out, &which, Some(&mut rendered));
    if errors.is_empty() {
        pages.extend(rendered);
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        feed.send(n, pages);
    }
    (errors, bodies)
}

/// Render and write the pages of the sections `which`, keeping the pages in `keep` when given.
fn sections(
    site: &Site<'_>,
    out: &SiteOutput<'_>,
    which: &[usize],
    keep: Option<&mut Vec<OutputFile>>,
) -> Made {
    if which.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let pages = match phase("section pages", || {
        crate::render::section_pages(site, which)
    }) {
        Ok(pages) => pages,
        Err(errors) => return (errors, Vec::new()),
    };
    pages.par_iter().for_each(|(file, _)| out.put(file));
    let mut files = Vec::with_capacity(pages.len());
    let mut bodies = Vec::with_capacity(pages.len());
    for (&i, (file, body)) in which.iter().zip(pages) {
        bodies.push((i, body));
        files.push(file);
    }
    if let Some(keep) = keep {
        keep.extend(files);
    }
    (Vec::new(), bodies)
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
