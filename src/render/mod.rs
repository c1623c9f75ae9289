//! The HTML site renderer: turns a validated [`Guideline`] into the pages of a static site
//! through the Tera templates in `templates/`.
//!
//! The site is a flat list of named steps, one file per kind of page ([`STEPS`]); each is a
//! function of the [`Site`] (the [`Prepared`] templates and context and the guideline) that
//! returns its files, so any one can be run on its own; the section pages are made a few at a
//! time ([`section_pages`]) and the sitemap of what the others made comes last
//! ([`sitemap_files`]). How they are run and written, and the search index, the JSON export,
//! the FHIR Questionnaire, the static files and the service worker, are the build's (see
//! [`crate::build`]).

mod assets;
mod checklist;
mod content_pages;
mod context;
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

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::check::Checked;
use crate::model::Guideline;

pub use assets::{accent_css, asset_names, asset_path, is_fingerprinted, LOCAL_CSS};
pub use prepare::{check_templates, prepare, Prepared, MATRIX_PLACEHOLDER};
pub use print::{page as print_page, write_page as write_print_page, BlockSpan, PrintError};

/// The name of the print page's step in [`STEPS`] (the build writes that page as it is made).
pub const PRINT_STEP: &str = "print page";
pub use sections::{export_key, page_body};
pub use site::{collect, Rendered, Site, Step};
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
    (PRINT_STEP, print::render),
    ("404 page", not_found::render),
    ("deviations", deviations::render),
    ("search page", search_page::render),
];

/// The pages of the sections `which` (indices into `g.sections`), minified, each with its body
/// HTML when it was rendered (which the JSON export takes as it is; a page the cache had comes
/// without), in the order of `which`. Template errors are
/// reported with template name and line, each once.
pub fn section_pages(
    site: &Site<'_>,
    which: &[usize],
) -> Result<Vec<(OutputFile, Option<String>)>, Vec<Diagnostic>> {
    sections::render_some(site, which)
}

/// `sitemap.xml` and `robots.txt` for the pages at `paths` (every file the other steps made).
pub fn sitemap_files(site: &Site<'_>, paths: &[&str]) -> Rendered {
    sitemap::render(site, paths)
}

/// The web manifest.
pub fn manifest_file(site: &Site<'_>) -> OutputFile {
    manifest::render(site)
}

/// Every template error among `errors`, each once.
pub fn unique(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    site::dedup(errors)
}

/// Only the pages of the sections `which` (indices into `g.sections`), minified, each with its
/// body HTML: what `vejviser serve` re-renders after an edit of section bodies.
pub fn render_section_pages(
    p: &Prepared,
    g: &Guideline,
    checked: &Checked,
    which: &[usize],
    diags: &mut Diagnostics,
) -> Option<Vec<(OutputFile, Option<String>)>> {
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
    use crate::base::theme::Theme;
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
        let all: Vec<&str> = all.iter().map(|f| f.path.as_str()).collect();
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
