//! The print page (`udskriv.html`): every section on one page, links turned into in-page
//! anchors and headings shifted to the section's depth.
//!
//! The page is assembled from parts, never rendered or minified whole (at 10,000 sections it
//! is tens of MB): `print.html` is rendered once with [`SECTIONS_MARKER`] where the sections
//! go (the template writes `{{ print_sections | safe }}`), each section's block is rendered
//! by `partials/print-section.html` on its own and minified on its own, side by side, and the
//! minified blocks are written in order into the minified wrapper as they are made. A theme that overrides
//! `print.html` must keep `{{ print_sections | safe }}`; one that overrides the partial gets
//! `s` (a [`PrintSection`]) with the shared context.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::head;
use super::site::{dedup, Rendered, Site};
use crate::base::diagnostics::Diagnostic;
use crate::base::output::{minify, OutputFile};
use crate::cache::{Digest, KeyHasher};
use crate::markdown::{LinkContext, RenderOptions};
use crate::model::pages::{self, PageKind};

/// The template of one section's block on the print page.
pub const SECTION_TEMPLATE: &str = "partials/print-section.html";

/// The variable `print.html` writes where the sections go.
pub const SECTIONS_KEY: &str = "print_sections";

/// What [`SECTIONS_KEY`] holds while the wrapper is rendered: an element the minifier keeps as
/// it is, replaced by the sections.
pub const SECTIONS_MARKER: &str = "<vejviser-print-sections></vejviser-print-sections>";

/// How many sections are rendered side by side before their blocks are appended to the page:
/// enough to keep every core busy, few enough that the blocks waiting are a small part of it.
const CHUNK: usize = 256;

/// One section of the print page, as `partials/print-section.html` sees it (`s`).
#[derive(Serialize)]
struct PrintSection {
    id: String,
    number: String,
    title: String,
    /// The number and title as one line ("4.9.1 Title", "1.1.1", "Rationale").
    heading: String,
    level: usize,
    html: String,
    footnotes: String,
    local: Option<String>,
}

/// One section's block, minified, with the text of its first paragraph (for the page's
/// description when the wrapper has no paragraph of its own).
struct Piece {
    html: Vec<u8>,
    /// The digest of `html`.
    digest: Digest,
    paragraph: Option<String>,
}

/// The step: the print page, already minified (the build writes it with [`write_page`]).
pub fn render(site: &Site<'_>) -> Rendered {
    let file = site.g.interface.names.file(PageKind::Print);
    Ok(vec![OutputFile::minified(file, page(site)?)])
}

/// The print page's bytes, minified (write them as they are): the wrapper and each section's
/// block minified on their own and joined. Every template error, each once.
pub fn page(site: &Site<'_>) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let mut bytes = Vec::new();
    match write_page(site, &mut bytes) {
        Ok(_) => Ok(bytes),
        Err(PrintError::Templates(errors)) => Err(errors),
        // Writing into a Vec does not fail.
        Err(PrintError::Write(_)) => Err(Vec::new()),
    }
}

/// Why the print page could not be written.
pub enum PrintError {
    /// Every template error, each once.
    Templates(Vec<Diagnostic>),
    Write(std::io::Error),
}

/// Where a section's block is in the print page: its digest, where it starts, its length.
pub type BlockSpan = (Digest, u64, u64);

/// Write the print page into `out` as it is made ([`page`]'s bytes; it is never held whole),
/// a few hundred blocks at a time; where each section's block went.
pub fn write_page(site: &Site<'_>, out: &mut dyn Write) -> Result<Vec<BlockSpan>, PrintError> {
    let templates = |d: Diagnostic| PrintError::Templates(vec![d]);
    let mut wrapper = Wrapper::render(site).map_err(templates)?;
    let links = site.print_links();
    let n = site.g.sections.len();
    let mut errors = Vec::new();
    // The text of the page's first paragraph: the wrapper's own, or the first section's that
    // has one; until it is known the blocks wait (the description is in the page's head).
    let mut paragraph = wrapper.own_paragraph();
    let mut waiting: Vec<(Vec<u8>, Digest)> = Vec::new();
    let mut spans = Vec::with_capacity(n);
    let mut at: Option<u64> = None;
    let mut append = |at: &mut u64, out: &mut dyn Write, (block, digest): (Vec<u8>, Digest)| {
        spans.push((digest, *at, block.len() as u64));
        *at += block.len() as u64;
        out.write_all(&block).map_err(PrintError::Write)
    };
    // Until the description's paragraph is found, blocks are made afresh one by one (the
    // cache keeps a block's bytes, not its text); usually the first block has one.
    let mut first = 0;
    while paragraph.is_none() && first < n && errors.is_empty() {
        match piece(site, &links, first, true) {
            Ok(p) => {
                paragraph = p.paragraph;
                waiting.push((p.html, p.digest));
            }
            Err(e) => errors.push(site.error(&e)),
        }
        first += 1;
    }
    for start in (first..n).step_by(CHUNK) {
        let pieces: Vec<Result<Piece, Diagnostic>> = (start..(start + CHUNK).min(n))
            .into_par_iter()
            .map(|i| piece(site, &links, i, false).map_err(|e| site.error(&e)))
            .collect();
        for p in pieces {
            match p {
                Ok(p) if errors.is_empty() => {
                    if paragraph.is_none() {
                        paragraph = p.paragraph;
                    }
                    waiting.push((p.html, p.digest));
                }
                Ok(_) => {}
                Err(d) => errors.push(d),
            }
        }
        if let (Some(text), true) = (&paragraph, errors.is_empty()) {
            if at.is_none() {
                let head = wrapper.head(site, text).map_err(templates)?;
                out.write_all(&head).map_err(PrintError::Write)?;
                at = Some(head.len() as u64);
            }
            if let Some(at) = at.as_mut() {
                for block in waiting.drain(..) {
                    append(at, out, block)?;
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(PrintError::Templates(dedup(errors)));
    }
    let mut at = match at {
        Some(at) => at,
        None => {
            let text = paragraph.unwrap_or_else(|| wrapper.after_paragraph());
            let head = wrapper.head(site, &text).map_err(templates)?;
            out.write_all(&head).map_err(PrintError::Write)?;
            head.len() as u64
        }
    };
    for block in waiting.drain(..) {
        append(&mut at, out, block)?;
    }
    out.write_all(&wrapper.tail).map_err(PrintError::Write)?;
    Ok(spans)
}

/// `print.html` rendered with the marker where the sections go.
struct Wrapper {
    /// The page unminified, description not yet filled in.
    html: String,
    /// Where the marker starts in `html`.
    at: usize,
    /// The minified page after the marker, once the head is made.
    tail: Vec<u8>,
    fallback: String,
}

impl Wrapper {
    fn render(site: &Site<'_>) -> Result<Wrapper, Diagnostic> {
        let mut job = site.with_toc(site.job(PageKind::Print));
        job.context.insert(SECTIONS_KEY, SECTIONS_MARKER);
        // A `print.html` written for the page rendered whole loops over `sections`: empty, so
        // it renders and gets the message about `print_sections`, not an undefined variable.
        job.context.insert("sections", &[(); 0]);
        let html = site
            .prepared
            .tera
            .render(job.template, job.context.tera())
            .map_err(|e| site.error(&e))?;
        let Some(at) = html.find(SECTIONS_MARKER) else {
            return Err(missing_marker(site));
        };
        let title = site.title(PageKind::Print);
        let fallback = match title.is_empty() {
            true => site.g.meta.title.clone(),
            false => format!("{title} – {}", site.g.meta.title),
        };
        Ok(Wrapper {
            html,
            at,
            tail: Vec::new(),
            fallback,
        })
    }

    /// The text of the wrapper's own first paragraph after its `<h1>` and before the
    /// sections; Some("") when it has no `<h1>` there (the description is the fallback).
    fn own_paragraph(&self) -> Option<String> {
        let before = &self.html[..self.at];
        match before.find("<h1") {
            Some(h1) => head::paragraph_text(&before[h1..]),
            None => Some(String::new()),
        }
    }

    /// The text of the wrapper's first paragraph after the sections (when no section has one).
    fn after_paragraph(&self) -> String {
        head::paragraph_text(&self.html[self.at + SECTIONS_MARKER.len()..]).unwrap_or_default()
    }

    /// The minified page up to the sections, with its description from `paragraph`; the
    /// minified rest is kept as [`Wrapper::tail`].
    fn head(&mut self, site: &Site<'_>, paragraph: &str) -> Result<Vec<u8>, Diagnostic> {
        let html = head::fill_description_with(
            std::mem::take(&mut self.html),
            Some(paragraph.to_string()),
            &self.fallback,
        );
        let mut bytes = minify(html.as_bytes());
        let marker = SECTIONS_MARKER.as_bytes();
        // The marker is kept by the minifier where it is markup; inside an attribute or a
        // script it may not be.
        let Some(at) = bytes.windows(marker.len()).position(|w| w == marker) else {
            return Err(missing_marker(site));
        };
        self.tail = bytes.split_off(at + marker.len());
        bytes.truncate(at);
        Ok(bytes)
    }
}

/// The diagnostic for a `print.html` that does not show the sections.
fn missing_marker(site: &Site<'_>) -> Diagnostic {
    let template = pages::spec(PageKind::Print).template;
    Diagnostic::file(
        &site.prepared.theme.path_of(template),
        format!("the print page's template does not show its sections ({{{{ {SECTIONS_KEY} | safe }}}} is missing)"),
    )
    .with_help(format!(
        "write {{{{ {SECTIONS_KEY} | safe }}}} in the page's content where the sections go; each section is rendered by {SECTION_TEMPLATE}"
    ))
}

/// The block of section `i`, rendered and minified; taken from the cache (without its
/// paragraph's text) when it is there and not `fresh`.
fn piece(
    site: &Site<'_>,
    links: &LinkContext<'_>,
    i: usize,
    fresh: bool,
) -> Result<Piece, tera::Error> {
    let key = site.cache().zip(block_key(site, links, i));
    if let Some((html, digest)) = key
        .filter(|_| !fresh)
        .and_then(|(c, key)| c.recall_one(&key))
    {
        return Ok(Piece {
            paragraph: None,
            html,
            digest,
        });
    }
    let block = block(site, links, i)?;
    let html = minify(block.as_bytes());
    let digest = Digest::of(&html);
    if let Some((cache, key)) = key {
        cache.remember(key, vec![(String::new(), digest)]);
    }
    Ok(Piece {
        paragraph: head::paragraph_text(&block),
        html,
        digest,
    })
}

/// How section `i`'s body is rendered on the print page: ids prefixed with its own, headings
/// shifted to its depth.
fn body_options(site: &Site<'_>, i: usize) -> (String, u8) {
    let s = &site.g.sections[i];
    (format!("{}--", s.id), site.nav.outline.depth[i] as u8)
}

/// The key of section `i`'s block: its body's (which covers the section, the templates and
/// the shared context; the block shows nothing else). None without a cache.
fn block_key(site: &Site<'_>, links: &LinkContext<'_>, i: usize) -> Option<Digest> {
    let (prefix, shift) = body_options(site, i);
    let opts = RenderOptions {
        id_prefix: &prefix,
        heading_shift: shift,
    };
    let body = site.body_key(i, links, &opts, false)?;
    Some(KeyHasher::new("print section").digest(&body).finish())
}

/// The block of section `i` as `partials/print-section.html` renders it.
fn block(site: &Site<'_>, links: &LinkContext<'_>, i: usize) -> Result<String, tera::Error> {
    let s = &site.g.sections[i];
    let depth = site.nav.outline.depth[i];
    let (prefix, shift) = body_options(site, i);
    let opts = RenderOptions {
        id_prefix: &prefix,
        heading_shift: shift,
    };
    let (html, footnotes) = site.section_html(s, links, &opts, false)?;
    let number = s.display_number(&site.appendix);
    let view = PrintSection {
        id: s.id.clone(),
        heading: format!("{number} {}", s.title).trim().to_string(),
        number,
        title: s.title.clone(),
        level: (depth + 1).min(6),
        html,
        footnotes,
        local: s.local.as_ref().map(|l| l.owner.clone()),
    };
    // A block is not a page: its context is not keyed.
    let mut c = site.prepared.base.clone().keyed(false);
    c.insert("s", &view);
    site.prepared.tera.render(SECTION_TEMPLATE, c.tera())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::Diagnostics;
    use crate::base::theme::Theme;
    use crate::model::Guideline;

    fn shipped() -> (Guideline, crate::check::Checked) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = Diagnostics::default();
        let g = crate::content::load(&root.join("content"), &mut diags).expect("content");
        let checked = crate::check::validate(&g, &mut diags);
        (g, checked)
    }

    /// The `content` of the page's `<meta name=description>` (as minify-html writes it).
    fn meta_description(html: &str) -> &str {
        let end = html.find(" name=description>").expect("description");
        let start = html[..end].rfind("<meta content=").expect("its content") + 14;
        html[start..end].trim_matches('"')
    }

    /// The page assembled from parts is the page rendered whole and minified whole (as it was
    /// made before): per-part minifying moves nothing on the shipped guideline.
    #[test]
    fn assembled_page_is_the_whole_page_minified() {
        let (g, checked) = shipped();
        let p = super::super::prepare(&g, &Theme::built_in(), &mut Diagnostics::default())
            .expect("templates");
        let site = Site::new(&p, &g, &checked);
        let assembled = page(&site).expect("print page");
        let links = site.print_links();
        let blocks: String = (0..g.sections.len())
            .map(|i| block(&site, &links, i).expect("block"))
            .collect();
        let mut job = site.with_toc(site.job(PageKind::Print));
        job.context.insert(SECTIONS_KEY, &blocks);
        let whole = site.render_one(&job).expect("whole page");
        assert!(assembled.len() > 100_000, "{}", assembled.len());
        assert!(
            assembled == whole.bytes,
            "the assembled print page differs from the whole page minified"
        );
        // The description is the first paragraph of the sections (the wrapper's lead has a
        // class, so it does not count; the first section has none of its own).
        let text = String::from_utf8_lossy(&assembled);
        let own = block(&site, &links, 0).expect("block");
        assert_eq!(head::paragraph_text(&own), None, "{own}");
        let first = head::paragraph_text(&blocks).expect("a <p>");
        assert!(first.len() > 20, "{first}");
        assert_eq!(
            meta_description(&text),
            head::trim_at_word(&first, head::DESCRIPTION_MAX)
        );
    }

    /// A theme's own `partials/print-section.html` renders every section's block.
    #[test]
    fn theme_overrides_the_section_block() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("partials")).expect("partials");
        std::fs::write(
            dir.path().join(SECTION_TEMPLATE),
            "<section class=\"mine\" id=\"{{ s.id }}\"><h2>{{ s.heading }}</h2>{{ s.html | safe }}</section>\n",
        )
        .expect("write the partial");
        let mut diags = Diagnostics::default();
        let theme = Theme::load(dir.path(), &mut diags);
        let (g, checked) = shipped();
        let p = super::super::prepare(&g, &theme, &mut diags).expect("templates");
        let site = Site::new(&p, &g, &checked);
        let text = String::from_utf8(page(&site).expect("print page")).expect("UTF-8");
        assert_eq!(
            text.matches("<section class=mine").count(),
            g.sections.len()
        );
        assert!(!text.contains("print-section"));
        assert!(!text.contains(SECTIONS_MARKER));
        let last = &g.sections[g.sections.len() - 1].id;
        assert!(text.contains(&format!("id={last}>")), "{last}");
    }
}
