//! The glossary (`ordliste.html`).

use super::site::{Rendered, Site};
use super::views;
use crate::model::pages::PageKind;

/// The step: the glossary.
pub fn render(site: &Site<'_>) -> Rendered {
    if !site.g.has_page(PageKind::Glossary) {
        return Ok(Vec::new());
    }
    let mut job = site.job(PageKind::Glossary);
    job.context.insert("entries", &views::glossary(site.g));
    site.render(vec![job])
}
