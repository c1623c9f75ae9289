//! Views of roles, pathways and interventions for templates: role pages, the pathway page and
//! the interventions × actors overview (the source's Figur 2), with their diagrams.

use std::collections::HashMap;

use serde::Serialize;

use super::views::{section_link, Link};
use crate::model::pages::{self, PageKind, PageNames};
use crate::model::{Guideline, Pathway, PathwayKind, Role, RolePart, Section, SectionNumber};
use crate::pathways::diagram::{self, DiagramText, Edge, EdgeKind, Node};

/// A role as a link: its page and name.
#[derive(Debug, Clone, Serialize)]
pub struct RoleLink {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// One edge of a pathway as a role page or the pathway table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PathwayView {
    pub id: String,
    pub from: RoleLink,
    pub to: RoleLink,
    pub kind: PathwayKind,
    pub purpose: String,
    pub channel: String,
    pub condition: Option<String>,
    /// The passage that says so.
    pub source: Link,
    /// The owner, when a local version added this route.
    pub local: Option<String>,
}

/// Everything a role page shows.
#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub part_of: Option<RoleLink>,
    pub parts: Vec<RoleLink>,
    /// Sections marked `role_page: responsibilities` (or inside one) that concern the role.
    pub responsibilities: Vec<Link>,
    /// Sections of the guideline's activity kinds (`role_activity_kinds`) that concern the role.
    pub intervention_sections: Vec<Link>,
    /// From the interventions overview: (intervention, delivers, refers).
    pub interventions: Vec<InterventionCell>,
    pub referrals_made: Vec<PathwayView>,
    pub referrals_received: Vec<PathwayView>,
    pub reports_sent: Vec<PathwayView>,
    pub reports_received: Vec<PathwayView>,
    /// Sections marked `role_page: communication` or `follow-up` (or inside one).
    pub communication: Vec<Link>,
    /// In a local version: its sections and adapted national sections that concern the role.
    pub local_sections: Vec<LocalLink>,
    pub diagram: String,
}

/// A local section, or a national section with local text, on a role page.
#[derive(Debug, Clone, Serialize)]
pub struct LocalLink {
    #[serde(flatten)]
    pub link: Link,
    /// "insert" (a local section), "replace" (local text replaces a national passage) or "add".
    pub kind: &'static str,
    /// Who answers for the local material.
    pub owner: String,
}

fn local_link(s: &crate::model::Section, appendix: &str) -> LocalLink {
    use crate::model::local::OverlayKind;
    let kind = if s.local.is_some() {
        OverlayKind::Insert
    } else if s.local_parts.iter().any(|p| p.kind == OverlayKind::Replace) {
        OverlayKind::Replace
    } else {
        OverlayKind::Add
    };
    let owner = s
        .local
        .as_ref()
        .map(|l| l.owner.clone())
        .or_else(|| s.local_parts.first().map(|p| p.owner.clone()))
        .unwrap_or_default();
    LocalLink {
        link: section_link(s, appendix),
        kind: kind.name(),
        owner,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InterventionCell {
    pub name: String,
    pub url: String,
    pub delivers: bool,
    pub refers: bool,
}

/// The interventions × actors table.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub actors: Vec<RoleLink>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub name: String,
    pub url: String,
    pub number: String,
    /// One cell per actor: "delivers", "refers", "both" or "".
    pub cells: Vec<String>,
    pub sources: Vec<Link>,
}

pub fn role_url(names: &PageNames, id: &str) -> String {
    names.item_file(PageKind::Role, id)
}

pub fn role_link(names: &PageNames, r: &Role) -> RoleLink {
    RoleLink {
        id: r.id.clone(),
        name: r.name.clone(),
        url: role_url(names, &r.id),
    }
}

fn link_for(g: &Guideline, id: &str) -> RoleLink {
    let names = &g.interface.names;
    g.role(id)
        .map(|r| role_link(names, r))
        .unwrap_or_else(|| RoleLink {
            id: id.to_string(),
            name: id.to_string(),
            url: role_url(names, id),
        })
}

/// `appendix` is the interface's word before an appendix's number.
pub fn pathway_view(g: &Guideline, p: &Pathway, appendix: &str) -> PathwayView {
    let mut source = g
        .section(&p.section)
        .map(|s| section_link(s, appendix))
        .unwrap_or_else(|| Link {
            url: pages::section_file(&p.section),
            number: String::new(),
            title: p.section.clone(),
            local: None,
        });
    if let Some(a) = &p.anchor {
        source.url = format!("{}#{a}", source.url);
    }
    PathwayView {
        id: p.id.clone(),
        from: link_for(g, &p.from),
        to: link_for(g, &p.to),
        kind: p.kind,
        purpose: p.purpose.clone(),
        channel: p.channel.clone(),
        condition: p.condition.clone(),
        source,
        local: p.local.clone(),
    }
}

/// The role and its units (a page for the municipality also covers the jobcenter).
fn family(g: &Guideline, id: &str) -> Vec<String> {
    let mut ids = vec![id.to_string()];
    ids.extend(
        g.roles
            .iter()
            .filter(|r| r.part_of.as_deref() == Some(id))
            .map(|r| r.id.clone()),
    );
    ids
}

/// The `role_page:` part each section of `g` feeds (in `g.sections` order): its own, or else
/// its enclosing section's (by its number, or by `parent:` for an unnumbered one; the first
/// national section of that id or number). A walk stops after as many steps as there are
/// sections, so a circle (refused by validation) cannot hang it.
pub fn section_role_parts(g: &Guideline) -> Vec<Option<RolePart>> {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_number: HashMap<&SectionNumber, usize> = HashMap::new();
    for (i, s) in g
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.local.is_none())
    {
        by_id.entry(s.id.as_str()).or_insert(i);
        if let Some(n) = &s.number {
            by_number.entry(n).or_insert(i);
        }
    }
    let walk = |start: &Section| -> Option<RolePart> {
        let mut current = start;
        for _ in 0..=g.sections.len() {
            if let Some(part) = current.role_page {
                return Some(part);
            }
            let up = match (&current.parent, &current.number) {
                (Some(id), _) => by_id.get(id.as_str())?,
                (None, Some(n)) => by_number.get(&n.parent()?)?,
                (None, None) => return None,
            };
            current = &g.sections[*up];
        }
        None
    };
    g.sections.iter().map(walk).collect()
}

/// Which parts every role page of this guideline shows: a part is shown when the guideline
/// has a source for it (marked sections, interventions, pathways), on every role page alike.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct RoleParts {
    pub responsibilities: bool,
    pub interventions: bool,
    pub pathways: bool,
    pub communication: bool,
}

pub fn role_parts(g: &Guideline) -> RoleParts {
    let activity = g.meta.activity_kinds();
    let national = || g.sections.iter().filter(|s| s.local.is_none());
    let parts = section_role_parts(g);
    let marked = |wanted: &[RolePart]| {
        g.sections
            .iter()
            .zip(&parts)
            .any(|(s, p)| s.local.is_none() && p.is_some_and(|p| wanted.contains(&p)))
    };
    RoleParts {
        responsibilities: marked(&[RolePart::Responsibilities]),
        interventions: !g.interventions.is_empty()
            || national().any(|s| activity.contains(&s.kind)),
        pathways: !g.pathways.is_empty(),
        communication: marked(&[RolePart::Communication, RolePart::FollowUp]),
    }
}

/// `appendix` is the interface's word before an appendix's number.
pub fn role_view(g: &Guideline, role: &Role, w: &PathwayWords, appendix: &str) -> RoleView {
    let ids = family(g, &role.id);
    let concerns = |roles: &[String]| roles.iter().any(|r| ids.contains(r));
    let parts = section_role_parts(g);
    let sections_where = |pred: &dyn Fn(usize, &Section) -> bool| -> Vec<Link> {
        g.sections
            .iter()
            .enumerate()
            .filter(|&(i, s)| s.local.is_none() && pred(i, s) && concerns(&s.roles))
            .map(|(_, s)| section_link(s, appendix))
            .collect()
    };
    let in_part = |i: usize, wanted: &[RolePart]| parts[i].is_some_and(|p| wanted.contains(&p));
    let activity = g.meta.activity_kinds();
    let edges = |kind: PathwayKind, outgoing: bool| -> Vec<PathwayView> {
        g.pathways
            .iter()
            .filter(|p| p.kind == kind && ids.contains(if outgoing { &p.from } else { &p.to }))
            .map(|p| pathway_view(g, p, appendix))
            .collect()
    };
    RoleView {
        id: role.id.clone(),
        name: role.name.clone(),
        description: role.description.clone(),
        part_of: role.part_of.as_deref().map(|p| link_for(g, p)),
        parts: g
            .roles
            .iter()
            .filter(|r| r.part_of.as_deref() == Some(role.id.as_str()))
            .map(|r| role_link(&g.interface.names, r))
            .collect(),
        responsibilities: sections_where(&|i, _| in_part(i, &[RolePart::Responsibilities])),
        intervention_sections: sections_where(&|_, s| activity.contains(&s.kind)),
        interventions: g
            .interventions
            .iter()
            .filter_map(|i| {
                let delivers = concerns(&i.delivered_by);
                let refers = concerns(&i.referred_by);
                let s = g.section(&i.section)?;
                (delivers || refers).then(|| InterventionCell {
                    name: i.name.clone(),
                    url: pages::section_file(&s.id),
                    delivers,
                    refers,
                })
            })
            .collect(),
        referrals_made: edges(PathwayKind::Referral, true),
        referrals_received: edges(PathwayKind::Referral, false),
        reports_sent: edges(PathwayKind::ReportBack, true),
        reports_received: edges(PathwayKind::ReportBack, false),
        communication: sections_where(&|i, _| {
            in_part(i, &[RolePart::Communication, RolePart::FollowUp])
        }),
        local_sections: g
            .sections
            .iter()
            .filter(|s| (s.local.is_some() || !s.local_parts.is_empty()) && concerns(&s.roles))
            .map(|s| local_link(s, appendix))
            .collect(),
        diagram: if g.pathways.is_empty() {
            String::new()
        } else {
            role_diagram(g, role, w)
        },
    }
}

/// The whole pathway graph.
pub fn full_diagram(g: &Guideline, w: &PathwayWords) -> String {
    let nodes: Vec<Node> = g
        .roles
        .iter()
        .filter(|r| g.pathways.iter().any(|p| p.from == r.id || p.to == r.id))
        .map(|r| Node {
            id: r.id.clone(),
            label: r.name.clone(),
            highlighted: false,
        })
        .collect();
    let edges = diagram_edges(g.pathways.iter(), w);
    let description = describe(g, g.pathways.iter(), w);
    diagram::draw(&nodes, &edges, &w.text(&w.title_all, &description), "all-").svg
}

/// The graph around one role: the role, its units, and everyone it exchanges with.
pub fn role_diagram(g: &Guideline, role: &Role, w: &PathwayWords) -> String {
    let ids = family(g, &role.id);
    let touching: Vec<&Pathway> = g
        .pathways
        .iter()
        .filter(|p| ids.contains(&p.from) || ids.contains(&p.to))
        .collect();
    let nodes: Vec<Node> = g
        .roles
        .iter()
        .filter(|r| ids.contains(&r.id) || touching.iter().any(|p| p.from == r.id || p.to == r.id))
        .map(|r| Node {
            id: r.id.clone(),
            label: r.name.clone(),
            highlighted: ids.contains(&r.id),
        })
        .collect();
    let title = w.title_role.replace("{role}", &role.name);
    let description = describe(g, touching.iter().copied(), w);
    diagram::draw(
        &nodes,
        &diagram_edges(touching.iter().copied(), w),
        &w.text(&title, &description),
        &format!("{}-", role.id),
    )
    .svg
}

/// The words of the referral diagrams, in the site's language (from the theme's strings).
#[derive(Debug, Clone)]
pub struct PathwayWords {
    /// The title of the diagram of every pathway.
    pub title_all: String,
    /// The title of a role's diagram, with `{role}` for its name.
    pub title_role: String,
    /// The legend's names of the two kinds of arrow.
    pub referral: String,
    pub report_back: String,
    /// The verbs of the text description: "A refers to B", "A reports back to B".
    pub refers_to: String,
    pub reports_to: String,
    /// Added to the label of a route a local version added.
    pub local_suffix: String,
}

impl PathwayWords {
    fn text<'a>(&'a self, title: &'a str, description: &'a str) -> DiagramText<'a> {
        DiagramText {
            title,
            description,
            referral: &self.referral,
            report_back: &self.report_back,
        }
    }
}

fn diagram_edges<'a>(pathways: impl Iterator<Item = &'a Pathway>, w: &PathwayWords) -> Vec<Edge> {
    pathways
        .map(|p| Edge {
            from: p.from.clone(),
            to: p.to.clone(),
            kind: match p.kind {
                PathwayKind::Referral => EdgeKind::Referral,
                PathwayKind::ReportBack => EdgeKind::ReportBack,
            },
            label: match &p.local {
                Some(_) => format!("{} ({})", p.channel, w.local_suffix),
                None => p.channel.clone(),
            },
        })
        .collect()
}

/// A text description of the edges, for the diagram's `<desc>`.
fn describe<'a>(
    g: &Guideline,
    pathways: impl Iterator<Item = &'a Pathway>,
    w: &PathwayWords,
) -> String {
    let name = |id: &str| g.role(id).map_or(id.to_string(), |r| r.name.clone());
    pathways
        .map(|p| {
            let verb = match p.kind {
                PathwayKind::Referral => &w.refers_to,
                PathwayKind::ReportBack => &w.reports_to,
            };
            format!("{} {verb} {} ({}).", name(&p.from), name(&p.to), p.channel)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The interventions × actors overview.
/// `appendix` is the interface's word before an appendix's number.
pub fn matrix(g: &Guideline, appendix: &str) -> Matrix {
    let mut actor_ids: Vec<&str> = Vec::new();
    for r in &g.roles {
        if g.interventions
            .iter()
            .any(|i| i.delivered_by.contains(&r.id) || i.referred_by.contains(&r.id))
        {
            actor_ids.push(&r.id);
        }
    }
    let rows = g
        .interventions
        .iter()
        .filter_map(|i| {
            let s = g.section(&i.section)?;
            Some(MatrixRow {
                name: i.name.clone(),
                url: pages::section_file(&s.id),
                number: s.display_number(appendix),
                cells: actor_ids
                    .iter()
                    .map(|a| {
                        let d = i.delivered_by.iter().any(|x| x == a);
                        let r = i.referred_by.iter().any(|x| x == a);
                        match (d, r) {
                            (true, true) => "both",
                            (true, false) => "delivers",
                            (false, true) => "refers",
                            _ => "",
                        }
                        .to_string()
                    })
                    .collect(),
                sources: i
                    .sources
                    .iter()
                    .filter_map(|id| g.section(id))
                    .map(|s| section_link(s, appendix))
                    .collect(),
            })
        })
        .collect();
    Matrix {
        actors: actor_ids.iter().map(|a| link_for(g, a)).collect(),
        rows,
    }
}
