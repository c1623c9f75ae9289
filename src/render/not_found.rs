//! The page the server shows for an unknown address (`404.html`). It may be served for any
//! address, at any depth (`/a.html`, `/lokal/x/deep/y.html`), so its links are absolute paths
//! from the site's root: the base URL's path, or `/` (`/lokal/<slug>/` on a local site)
//! without one.

use super::site::{Rendered, Site};
use crate::base::url::base_path;
use crate::model::pages::PageKind;

/// The step: the 404 page.
pub fn render(site: &Site<'_>) -> Rendered {
    let mut job = site.job(PageKind::NotFound);
    let root = root(site);
    if let Some(a11y) = &site.g.meta.accessibility_statement {
        let a11y = if a11y.contains("://") || a11y.starts_with('/') {
            a11y.clone()
        } else {
            format!("{root}{a11y}")
        };
        job.context.insert("a11y_href", &a11y);
    }
    job.context.insert("root", &root);
    site.render(vec![job])
}

/// The absolute path of the site's root.
pub fn root(site: &Site<'_>) -> String {
    match (&site.g.meta.base_url, &site.g.local) {
        (Some(b), _) => base_path(b),
        (None, Some(l)) => format!("/{}/{}/", site.g.interface.names.local_dir(), l.slug),
        (None, None) => "/".to_string(),
    }
}
