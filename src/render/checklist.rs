//! The view of the ICF checklist page: components, questions, answer options and the
//! guideline passages an answer points to, plus the same data as JSON for the page's script.

use serde::Serialize;

use super::site::{Rendered, Site};
use crate::model::checklist::{Checklist, Item};
use crate::model::pages::PageKind;
use crate::model::Guideline;
use crate::render::views::{section_link, Link};

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    pub title: String,
    pub intro: String,
    pub source: Option<Link>,
    pub components: Vec<ComponentView>,
    /// The questions and pointers as JSON, embedded for `checklist.js`.
    pub data_json: String,
    /// The Questionnaire's canonical URL, when the site's address is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questionnaire_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentView {
    pub id: String,
    pub title: String,
    /// Link to the component in the appendix.
    pub source_url: Option<String>,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: String,
    pub text: String,
    pub icf: Option<String>,
    pub options: Vec<OptionView>,
    pub items: Vec<ItemView>,
    pub pointers: Vec<PointerView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub value: String,
    /// Unique element id for the radio button.
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointerView {
    pub when: String,
    pub url: String,
    pub number: String,
    pub title: String,
    pub note: Option<String>,
}

fn item_view(g: &Guideline, i: &Item) -> ItemView {
    ItemView {
        id: i.id.clone(),
        text: i.text.clone(),
        icf: i.icf.clone(),
        options: i
            .options
            .iter()
            .enumerate()
            .map(|(n, v)| OptionView {
                value: v.clone(),
                id: format!("{}-{}", i.id, n + 1),
            })
            .collect(),
        items: i.items.iter().map(|c| item_view(g, c)).collect(),
        pointers: i
            .points_to
            .iter()
            .filter_map(|p| {
                let s = g.section(&p.section)?;
                let l = section_link(s);
                Some(PointerView {
                    when: p.when.clone(),
                    url: l.url,
                    number: l.number,
                    title: l.title,
                    note: p.note.clone(),
                })
            })
            .collect(),
    }
}

pub fn checklist_view(g: &Guideline, c: &Checklist) -> ChecklistView {
    let source = g.section(&c.source).map(section_link);
    let components: Vec<ComponentView> = c
        .components
        .iter()
        .map(|comp| ComponentView {
            id: comp.id.clone(),
            title: comp.title.clone(),
            source_url: match (&source, &comp.anchor) {
                (Some(s), Some(a)) => Some(format!("{}#{a}", s.url)),
                _ => None,
            },
            items: comp.items.iter().map(|i| item_view(g, i)).collect(),
        })
        .collect();
    // `</` cannot end the JSON's script element early: escape every '<'.
    let data_json = serde_json::to_string(&components)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c");
    let questionnaire_url = crate::fhir::questionnaire(g, c)["url"]
        .as_str()
        .map(str::to_string);
    ChecklistView {
        title: c.title.clone(),
        intro: c.intro.clone(),
        source,
        components,
        data_json,
        questionnaire_url,
    }
}

/// The step: the checklist page, when the content has a checklist.
pub fn render(site: &Site<'_>) -> Rendered {
    let Some(cl) = &site.g.checklist else {
        return Ok(Vec::new());
    };
    let mut job = site.job(PageKind::Checklist);
    job.context.insert("page_title", &cl.title);
    job.context.insert("checklist", &checklist_view(site.g, cl));
    job.context
        .insert("questionnaire_file", site.g.interface.names.questionnaire());
    site.render(vec![job])
}
