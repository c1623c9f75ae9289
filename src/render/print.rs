//! The print page (`udskriv.html`): every section on one page, links turned into in-page
//! anchors and headings shifted to the section's depth.

use rayon::prelude::*;
use serde::Serialize;

use super::site::{collect, Rendered, Site};
use crate::markdown::RenderOptions;
use crate::model::pages::PageKind;

/// One section of the print page.
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

/// The step: the print page.
pub fn render(site: &Site<'_>) -> Rendered {
    let links = site.print_links();
    let sections: Vec<Result<PrintSection, _>> = site
        .g
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let depth = site.nav.outline.depth[i];
            let prefix = format!("{}--", s.id);
            let opts = RenderOptions {
                id_prefix: &prefix,
                heading_shift: depth as u8,
            };
            let (html, footnotes) = site
                .section_html(s, &links, &opts, false)
                .map_err(|e| site.error(&e))?;
            Ok(PrintSection {
                id: s.id.clone(),
                number: s.display_number(&site.appendix),
                title: s.title.clone(),
                heading: format!("{} {}", s.display_number(&site.appendix), s.title)
                    .trim()
                    .to_string(),
                level: (depth + 1).min(6),
                html,
                footnotes,
                local: s.local.as_ref().map(|l| l.owner.clone()),
            })
        })
        .collect();
    let sections = collect(sections)?;
    let mut job = site.with_toc(site.job(PageKind::Print));
    job.context.insert("sections", &sections);
    site.render(vec![job])
}
