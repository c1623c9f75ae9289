//! The HTML site renderer: turns a validated [`Guideline`] into the pages of a static site
//! through the Tera templates in `templates/`.
//!
//! The site is a flat list of named steps, one file per kind of page ([`STEPS`]); each is a
//! function of the [`Site`] (the [`Prepared`] templates and context and the guideline) that
//! returns its files, so any one can be run on its own. [`render_site`] runs the section pages
//! and the steps side by side, then the sitemap of what they made. The search index, the JSON
//! export, the FHIR Questionnaire, the static files and the service worker are the build's
//! (see [`crate::build`]).

mod checklist;
mod content_pages;
mod deviations;
mod glossary;
mod index;
pub mod local;
mod not_found;
mod pathways;
mod prepare;
mod print;
mod references;
pub mod roles;
mod search_page;
mod sections;
mod site;
mod sitemap;
mod templates;
mod toc;
pub mod views;

use std::path::Path;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::check::Checked;
use crate::model::Guideline;

pub use prepare::{check_templates, prepare, Prepared, MATRIX_PLACEHOLDER};
pub use site::{Rendered, Site, Step};
pub use templates::REQUIRED as REQUIRED_TEMPLATES;

/// The steps beside the section pages ([`sections::render`]), by name. The sitemap comes
/// after them: it lists what they made.
pub const STEPS: &[(&str, Step)] = &[
    ("front page", index::render),
    ("table of contents", toc::render),
    ("pages", content_pages::render),
    ("roles", roles::render),
    ("pathways", pathways::render),
    ("checklist", checklist::render),
    ("references", references::render),
    ("glossary", glossary::render),
    ("print page", print::render),
    ("404 page", not_found::render),
    ("deviations", deviations::render),
    ("search page", search_page::render),
];

/// The HTML pages of a site, with each section's body HTML (in the order of the sections),
/// which the JSON export takes as it is.
pub struct HtmlSite {
    pub files: Vec<OutputFile>,
    pub section_bodies: Vec<String>,
}

/// Render every page of the site. Template errors are reported with template name and line,
/// every one of them, each once.
pub fn render_site(
    g: &Guideline,
    checked: &Checked,
    templates_dir: &Path,
    diags: &mut Diagnostics,
) -> Option<HtmlSite> {
    let prepared = prepare(g, templates_dir, diags)?;
    let site = Site::new(&prepared, g, checked);
    let (sections, steps) = rayon::join(
        || crate::base::timing::phase("section pages", || sections::render_with_bodies(&site)),
        || {
            STEPS
                .par_iter()
                .map(|(name, step)| crate::base::timing::phase(name, || step(&site)))
                .collect::<Vec<Rendered>>()
        },
    );
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut files = Vec::new();
    let mut section_bodies = Vec::new();
    match sections {
        Ok(pages) => {
            for (file, body) in pages {
                files.push(file);
                section_bodies.push(body);
            }
        }
        Err(e) => errors.extend(e),
    }
    for r in steps {
        match r {
            Ok(f) => files.extend(f),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        match sitemap::render(&site, &files) {
            Ok(f) => files.extend(f),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        site::dedup(errors).into_iter().for_each(|d| diags.push(d));
        return None;
    }
    Some(HtmlSite {
        files,
        section_bodies,
    })
}

/// Only the pages of the sections `which` (indices into `g.sections`), minified, each with its
/// body HTML: what `vejviser serve` re-renders after an edit of section bodies.
pub fn render_section_pages(
    p: &Prepared,
    g: &Guideline,
    checked: &Checked,
    which: &[usize],
    diags: &mut Diagnostics,
) -> Option<Vec<(OutputFile, String)>> {
    let site = Site::new(p, g, checked);
    match sections::render_some(&site, which) {
        Ok(pages) => Some(pages),
        Err(errors) => {
            errors.into_iter().for_each(|d| diags.push(d));
            None
        }
    }
}
