//! The list of references (`referencer.html`), each with the sections that cite it.

use super::site::{Rendered, Site};
use super::views;
use crate::model::pages::PageKind;

/// The step: the list of references.
pub fn render(site: &Site<'_>) -> Rendered {
    if !site.g.has_page(PageKind::References) {
        return Ok(Vec::new());
    }
    let mut job = site.job(PageKind::References);
    job.context.insert(
        "references",
        &views::references(site.g, &site.index, &site.appendix),
    );
    site.render(vec![job])
}
