//! Loading the ICF checklist, `checklist.yaml`, into the model (absent file: no checklist).

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::base::diagnostics::Diagnostics;
use crate::base::source::Origin;
use crate::base::yaml;
use crate::model::checklist::{Checklist, Component, Item, Pointer};

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

/// Load `content/checklist.yaml` if it exists and is not empty.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Option<Checklist> {
    let path = dir.join("checklist.yaml");
    if !path.exists() {
        return None;
    }
    let file = crate::base::source::read_source(&path, diags)?;
    if super::yaml_is_empty(&file.text) {
        return None;
    }
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
