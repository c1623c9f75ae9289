//! The step of the role pages: the roles overview and one page per role.

use rayon::prelude::*;

use super::role_views::{role_url, role_view, RoleView};
use super::site::{Job, Rendered, Site};
use crate::model::pages::{self, PageKind};

/// The step: the roles overview (`roller.html`) and a page per role (`rolle-<id>.html`). Each
/// role view (with its diagram) is built once, for its page and the overview.
pub fn render(site: &Site<'_>) -> Rendered {
    let g = site.g;
    let role_views: Vec<RoleView> = g
        .roles
        .par_iter()
        .map(|r| role_view(g, r, &site.pathway_words))
        .collect();
    let mut jobs = Vec::with_capacity(role_views.len() + 1);
    for view in &role_views {
        let url = role_url(&g.interface.names, &view.id);
        let mut context = site.context(&url, &view.name);
        context.insert("role", view);
        jobs.push(Job {
            url,
            template: pages::spec(PageKind::Role).template,
            context,
        });
    }
    let mut overview = site.job(PageKind::Roles);
    overview.context.insert("role_views", &role_views);
    jobs.push(overview);
    site.render(jobs)
}
