//! The ICF checklist (appendix 3) as data: loading `content/checklist.yaml`, validating it,
//! and exporting it as a FHIR R4 `Questionnaire`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use serde_saphyr::Spanned;

use crate::base::diagnostics::Diagnostics;
use crate::base::source::SourceFile;
use crate::base::yaml;
use crate::markdown::Analysis;
use crate::model::{Guideline, Origin};

/// The code system FHIR uses for ICF (see the note at the top of `content/checklist.yaml`).
pub const ICF_SYSTEM: &str = "http://hl7.org/fhir/sid/icf";

/// The checklist: the five ICF components with their items.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub title: String,
    /// The section the checklist encodes (Bilag 3).
    pub source: String,
    pub intro: String,
    pub components: Vec<Component>,
    #[serde(skip)]
    pub file: Option<SourceFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub id: String,
    pub title: String,
    pub anchor: Option<String>,
    pub items: Vec<Item>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A question; with sub-items it is a group and has no options of its own.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub icf: Option<String>,
    pub options: Vec<String>,
    pub items: Vec<Item>,
    pub points_to: Vec<Pointer>,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub icf_origin: Option<Origin>,
}

/// An answer that points to a passage of the guideline.
#[derive(Debug, Clone, Serialize)]
pub struct Pointer {
    pub when: String,
    pub section: String,
    pub note: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecklistYaml {
    title: String,
    source: String,
    #[serde(default)]
    intro: String,
    components: Vec<ComponentYaml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentYaml {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    anchor: Option<String>,
    #[serde(default)]
    items: Vec<ItemYaml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemYaml {
    id: Spanned<String>,
    text: String,
    #[serde(default)]
    icf: Option<Spanned<String>>,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    items: Vec<ItemYaml>,
    #[serde(default)]
    points_to: Vec<PointerYaml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointerYaml {
    when: Spanned<String>,
    section: String,
    #[serde(default)]
    note: Option<String>,
}

/// Load `content/checklist.yaml` if it exists.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Option<Checklist> {
    let path = dir.join("checklist.yaml");
    if !path.exists() {
        return None;
    }
    let file = crate::base::source::read_source(&path, diags)?;
    let text = file.text.clone();
    let raw: ChecklistYaml = yaml::parse(&file, &text, 1, diags)?;
    let o = |loc: &serde_saphyr::Location| yaml::origin(&file, loc, 1);
    fn item(raw: ItemYaml, o: &dyn Fn(&serde_saphyr::Location) -> Origin) -> Item {
        Item {
            origin: o(&raw.id.referenced),
            icf_origin: raw.icf.as_ref().map(|c| o(&c.referenced)),
            id: raw.id.value,
            text: raw.text,
            icf: raw.icf.map(|c| c.value),
            options: raw.options,
            items: raw.items.into_iter().map(|i| item(i, o)).collect(),
            points_to: raw
                .points_to
                .into_iter()
                .map(|p| Pointer {
                    origin: o(&p.when.referenced),
                    when: p.when.value,
                    section: p.section,
                    note: p.note,
                })
                .collect(),
        }
    }
    Some(Checklist {
        title: raw.title,
        source: raw.source,
        intro: raw.intro,
        components: raw
            .components
            .into_iter()
            .map(|c| Component {
                origin: o(&c.id.referenced),
                id: c.id.value,
                title: c.title,
                anchor: c.anchor,
                items: c.items.into_iter().map(|i| item(i, &o)).collect(),
            })
            .collect(),
        file: Some(file.clone()),
    })
}

/// Whether a code looks like an ICF category: b, s, d or e followed by 3 to 5 digits.
pub fn is_icf_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('b' | 's' | 'd' | 'e'))
        && (3..=5).contains(&chars.clone().count())
        && chars.all(|c| c.is_ascii_digit())
}

impl Checklist {
    /// Every item, depth first, with its component.
    pub fn all_items(&self) -> Vec<(&Component, &Item)> {
        fn walk<'a>(c: &'a Component, items: &'a [Item], out: &mut Vec<(&'a Component, &'a Item)>) {
            for i in items {
                out.push((c, i));
                walk(c, &i.items, out);
            }
        }
        let mut out = Vec::new();
        for c in &self.components {
            walk(c, &c.items, &mut out);
        }
        out
    }
}

/// Unknown sections, duplicate ids, bad ICF codes, answers that are not options, groups with
/// options and questions without any.
pub fn validate(g: &Guideline, sections: &HashMap<&str, &Analysis>, diags: &mut Diagnostics) {
    let Some(c) = &g.checklist else { return };
    let push = |diags: &mut Diagnostics, o: &Origin, msg: String, help: &str| {
        diags.push(o.diagnostic(msg).with_help(help));
    };
    let path = c.file.as_ref().map_or_else(
        || Path::new("checklist.yaml").to_path_buf(),
        |f| f.path.clone(),
    );
    let file_origin = Origin {
        path,
        line: 0,
        column: 0,
    };
    let source = sections.get(c.source.as_str());
    if source.is_none() {
        push(
            diags,
            &file_origin,
            format!("checklist source `{}` is not a section", c.source),
            "",
        );
    }
    let mut ids: HashMap<&str, &Origin> = HashMap::new();
    for comp in &c.components {
        if let Some(first) = ids.insert(&comp.id, &comp.origin) {
            push(
                diags,
                &comp.origin,
                format!("duplicate checklist id `{}`", comp.id),
                &format!("first used at line {}", first.line),
            );
        }
        if let (Some(a), Some(src)) = (&comp.anchor, source) {
            if !src.anchors.contains(a) {
                push(
                    diags,
                    &comp.origin,
                    format!("section `{}` has no anchor `{a}`", c.source),
                    "",
                );
            }
        }
    }
    for (_, item) in c.all_items() {
        if let Some(first) = ids.insert(&item.id, &item.origin) {
            push(
                diags,
                &item.origin,
                format!("duplicate checklist id `{}`", item.id),
                &format!("first used at line {}", first.line),
            );
        }
        if let Some(code) = &item.icf {
            if !is_icf_code(code) {
                push(
                    diags,
                    item.icf_origin.as_ref().unwrap_or(&item.origin),
                    format!("`{code}` is not an ICF category code"),
                    "an ICF code is b, s, d or e followed by 3 to 5 digits, e.g. d430",
                );
            }
        }
        if !item.items.is_empty() && !item.options.is_empty() {
            push(
                diags,
                &item.origin,
                format!("item `{}` has both sub-items and options", item.id),
                "a group's answers belong to its sub-items",
            );
        }
        if item.items.is_empty() && item.options.is_empty() {
            push(
                diags,
                &item.origin,
                format!("item `{}` has no answer options", item.id),
                "add options, e.g. [ja, nej, uafklaret]",
            );
        }
        let options: HashSet<&str> = item.options.iter().map(String::as_str).collect();
        for p in &item.points_to {
            if !options.contains(p.when.as_str()) {
                push(
                    diags,
                    &p.origin,
                    format!("`{}` is not an answer option of `{}`", p.when, item.id),
                    "",
                );
            }
            if !sections.contains_key(p.section.as_str()) {
                push(
                    diags,
                    &p.origin,
                    format!("checklist points to unknown section `{}`", p.section),
                    "use a section id from the front matter",
                );
            }
        }
    }
}

/// The checklist as a FHIR R4 `Questionnaire` resource.
pub fn questionnaire(g: &Guideline, c: &Checklist) -> Value {
    fn item_json(i: &Item) -> Value {
        let mut v = json!({
            "linkId": i.id,
            "text": i.text,
        });
        if let Some(code) = &i.icf {
            v["code"] = json!([{ "system": ICF_SYSTEM, "code": code }]);
        }
        if i.items.is_empty() {
            v["type"] = json!("choice");
            v["answerOption"] = Value::Array(
                i.options
                    .iter()
                    .map(|o| json!({ "valueString": o }))
                    .collect(),
            );
        } else {
            v["type"] = json!("group");
            v["item"] = Value::Array(i.items.iter().map(item_json).collect());
        }
        v
    }
    let mut q = json!({
        "resourceType": "Questionnaire",
        "id": "icf-vurdering",
        "language": g.meta.language,
        "name": "IcfVurdering",
        "title": c.title,
        "status": "draft",
        "subjectType": ["Patient"],
        "publisher": g.meta.publisher,
        "description": c.intro,
        "item": c.components.iter().map(|comp| json!({
            "linkId": comp.id,
            "text": comp.title,
            "type": "group",
            "item": comp.items.iter().map(item_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    if let Some(base) = g.meta.base_url.as_deref().filter(|b| !b.trim().is_empty()) {
        q["url"] = json!(format!(
            "{}/tjekliste.fhir.json",
            base.trim_end_matches('/')
        ));
    }
    if let Some(v) = &g.meta.version {
        q["version"] = json!(v);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icf_codes() {
        for ok in ["b280", "d430", "e1101", "s12000"] {
            assert!(is_icf_code(ok), "{ok}");
        }
        for bad in ["x430", "d43", "d430000", "D430", "d43a", ""] {
            assert!(!is_icf_code(bad), "{bad}");
        }
    }
}
