//! The page the server shows for an unknown address (`404.html`).

use super::site::{Rendered, Site};
use crate::model::pages::PageKind;

/// The step: the 404 page.
pub fn render(site: &Site<'_>) -> Rendered {
    site.render(vec![site.job(PageKind::NotFound)])
}
