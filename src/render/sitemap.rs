//! `sitemap.xml`: the address of every page the other steps made that the registry lists in
//! the sitemap (the print and search pages among them, the 404 page not).

use super::site::{Rendered, Site};
use crate::base::output::OutputFile;
use crate::model::pages::PageKind;

/// The step: the sitemap of `pages` (the files of the other steps).
pub fn render(site: &Site<'_>, pages: &[OutputFile]) -> Rendered {
    let mut urls: Vec<&str> = pages
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| site.g.interface.names.in_sitemap(p))
        .collect();
    urls.sort_unstable();
    let base_url = site.g.meta.base_url.clone().unwrap_or_default();
    let mut job = site.job(PageKind::Sitemap);
    // The sitemap is no page: it has the shared context only.
    job.context = site.prepared.base.clone();
    job.context
        .insert("base_url", base_url.trim_end_matches('/'));
    job.context.insert("urls", &urls);
    site.render(vec![job])
}
