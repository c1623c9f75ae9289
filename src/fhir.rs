//! The FHIR R4 renderer: the guideline's ICF checklist as a `Questionnaire` resource (JSON).

use serde_json::{json, Value};

use crate::model::checklist::{Checklist, Item};
use crate::model::Guideline;

/// The code system FHIR uses for ICF (see the note at the top of `content/checklist.yaml`).
pub const ICF_SYSTEM: &str = "http://hl7.org/fhir/sid/icf";

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
            "{}/{}",
            base.trim_end_matches('/'),
            g.interface.names.questionnaire()
        ));
    }
    if let Some(v) = &g.meta.version {
        q["version"] = json!(v);
    }
    q
}
