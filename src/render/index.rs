//! The front page (`index.html`): the guideline's title, what it is for, and the table of
//! contents.

use super::site::{Rendered, Site};
use crate::model::pages::PageKind;

/// The step: the front page.
pub fn render(site: &Site<'_>) -> Rendered {
    let mut job = site.with_toc(site.job(PageKind::Index));
    job.context.insert("page_title", &site.g.meta.title);
    site.render(vec![job])
}
