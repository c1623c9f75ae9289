//! The search page (`soeg.html`), which searches the index the build makes (see
//! [`crate::search`]); listed in the sitemap, so the service worker pre-caches it too.

use super::site::{Rendered, Site};
use crate::model::pages::PageKind;

/// The step: the search page.
pub fn render(site: &Site<'_>) -> Rendered {
    site.render(vec![site.job(PageKind::Search)])
}
