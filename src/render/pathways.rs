//! The pathways page (`forloeb.html`): the diagram of who refers whom, each pathway, and the
//! interventions × actors table.

use super::role_views;
use super::site::{Rendered, Site};
use crate::model::pages::PageKind;

/// The step: the pathways page.
pub fn render(site: &Site<'_>) -> Rendered {
    let g = site.g;
    let mut job = site.job(PageKind::Pathways);
    let c = &mut job.context;
    c.insert("diagram", &role_views::full_diagram(g, &site.pathway_words));
    c.insert(
        "pathways",
        &g.pathways
            .iter()
            .map(|p| role_views::pathway_view(g, p))
            .collect::<Vec<_>>(),
    );
    c.insert("matrix_html", &site.prepared.matrix_html);
    site.render(vec![job])
}
