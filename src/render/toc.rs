//! The table of contents (`indhold.html`).

use super::site::{Rendered, Site};
use crate::model::pages::PageKind;

/// The step: the table of contents.
pub fn render(site: &Site<'_>) -> Rendered {
    site.render(vec![site.with_toc(site.job(PageKind::Toc))])
}
