//! The HTML site renderer: turns a validated [`Guideline`] into the pages of a static site
//! through the Tera templates in `templates/`.
//!
//! The site is a flat list of named steps, one file per kind of page ([`STEPS`]); each is a
//! function of the [`Site`] (the [`Prepared`] templates and context and the guideline) that
//! returns its files, so any one can be run on its own. [`render_site`] runs the section pages
//! and the steps side by side, then the sitemap of what they made. The search index, the JSON
//! export, the FHIR Questionnaire, the static files and the service worker are the build's
//! (see [`crate::build`]).

mod assets;
mod checklist;
mod content_pages;
mod deviations;
mod glossary;
pub mod head;
mod index;
pub mod local;
mod manifest;
mod not_found;
mod pathways;
mod prepare;
mod print;
mod references;
pub mod role_views;
pub mod roles;
mod search_page;
mod sections;
mod site;
mod sitemap;
mod templates;
mod toc;
pub mod views;

use crate::base::theme::Theme;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::check::Checked;
use crate::model::Guideline;

pub use assets::{accent_css, asset_names, asset_path, is_fingerprinted, LOCAL_CSS};
pub use prepare::{check_templates, prepare, Prepared, MATRIX_PLACEHOLDER};
pub use print::page as print_page;
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
    /// The interface's word before an appendix's number, for the JSON export's numbers.
    pub appendix: String,
}

/// Render every page of the site. Template errors are reported with template name and line,
/// every one of them, each once.
pub fn render_site(
    g: &Guideline,
    checked: &Checked,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Option<HtmlSite> {
    let prepared = prepare(g, theme, diags)?;
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
        files.push(manifest::render(&site));
    }
    if !errors.is_empty() {
        site::dedup(errors).into_iter().for_each(|d| diags.push(d));
        return None;
    }
    Some(HtmlSite {
        files,
        section_bodies,
        appendix: site.appendix.clone(),
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::pages::{self, PageKind};

    #[test]
    fn each_step_runs_on_its_own_and_makes_registry_pages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = Diagnostics::default();
        let g = crate::content::load(&root.join("content"), &mut diags).expect("content");
        let checked = crate::check::validate(&g, &mut diags);
        let p = prepare(&g, &Theme::built_in(), &mut diags).expect("templates");
        let site = Site::new(&p, &g, &checked);
        let mut kinds = HashSet::new();
        let mut all = Vec::new();
        for (name, step) in STEPS {
            let files = step(&site).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            for f in &files {
                let kind = g
                    .interface
                    .names
                    .kind_of(&f.path)
                    .unwrap_or_else(|| panic!("{}", f.path));
                kinds.insert(kind);
            }
            all.extend(files);
        }
        let index = index::render(&site).expect("front page");
        assert_eq!(index.len(), 1);
        assert_eq!(index[0].path, g.interface.names.file(PageKind::Index));
        // Every kind but the sections' (their own step; a free-standing page's `<id>.html`
        // reads as a section's), the sitemap (made from the others) and the deviations (a
        // local site's) has its step.
        for spec in pages::PAGES {
            let elsewhere = [
                PageKind::Section,
                PageKind::Page,
                PageKind::Sitemap,
                PageKind::Deviations,
            ];
            assert!(
                kinds.contains(&spec.kind) || elsewhere.contains(&spec.kind),
                "{:?}",
                spec.kind
            );
        }
        let sections = sections::render_some(&site, &[0, 1]).expect("sections");
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].0.path, pages::section_file(&g.sections[0].id));
        all.extend(sections.into_iter().map(|(f, _)| f));
        // Without a base URL: no sitemap (its URLs must be absolute), robots.txt only.
        let without = sitemap::render(&site, &all).expect("robots");
        assert_eq!(
            without.len(),
            1,
            "{:?}",
            without.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
        assert_eq!(without[0].path, pages::ROBOTS);
        assert!(!String::from_utf8_lossy(&without[0].bytes).contains("Sitemap:"));
        let mut with_base = g.clone();
        with_base.meta.base_url = Some("https://example.org/r/".into());
        let site = Site::new(&p, &with_base, &checked);
        let sitemap = sitemap::render(&site, &all).expect("sitemap");
        let text = String::from_utf8_lossy(&sitemap[0].bytes);
        assert!(text.contains(&format!(
            "<loc>https://example.org/r/{}</loc>",
            g.interface.names.file(PageKind::Print)
        )));
        assert!(!text.contains(g.interface.names.file(PageKind::NotFound)));
        let robots = String::from_utf8_lossy(&sitemap[1].bytes);
        assert!(
            robots.contains("Sitemap: https://example.org/r/sitemap.xml\n"),
            "{robots}"
        );
    }
}
