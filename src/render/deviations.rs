//! A local version's page of deviations (`lokale-tilpasninger.html`): national and local text
//! side by side. Only a local site has it.

use super::local;
use super::site::{Rendered, Site};
use crate::model::pages::PageKind;

/// The step: the deviations page, on a local site (nothing on the national one).
pub fn render(site: &Site<'_>) -> Rendered {
    if site.g.local.is_none() {
        return Ok(Vec::new());
    }
    let mut job = site.job(PageKind::Deviations);
    job.context.insert(
        "deviations",
        &local::deviations(site.g, &site.links(), &site.appendix),
    );
    site.render(vec![job])
}
