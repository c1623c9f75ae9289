//! The front page (`index.html`): the guideline's title, what it is for, and the table of
//! contents.

use super::site::{Rendered, Site};
use crate::model::pages::PageKind;

/// The step: the front page.
pub fn render(site: &Site<'_>) -> Rendered {
    let mut job = site.with_toc(site.job(PageKind::Index));
    job.context.insert("page_title", &site.g.meta.title);
    let appendices = site.g.sections.iter().any(|s| s.is_appendix());
    job.context.insert("has_appendices", &appendices);
    site.render(vec![job])
}
