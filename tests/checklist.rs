//! The ICF checklist: every item of appendix 3 in the source is in `checklist.yaml`, and the
//! FHIR Questionnaire carries every item with its options and ICF codes.

mod common;

use common::{build_shipped, root};
use vejviser::base::diagnostics::Diagnostics;
use vejviser::content::load;
use vejviser::fhir::ICF_SYSTEM;

#[test]
fn every_item_of_appendix_3_is_in_the_checklist() {
    let mut diags = Diagnostics::default();
    let g = load(&root().join("content"), &mut diags).expect("content loads");
    let c = g.checklist.as_ref().expect("content/checklist.yaml exists");
    let mut known: Vec<String> = Vec::new();
    for (_, item) in c.all_items() {
        known.push(item.text.to_lowercase());
        known.extend(item.options.iter().map(|o| o.to_lowercase()));
    }
    let expected = std::fs::read_to_string(root().join("tests/fixtures/expected-checklist.txt"))
        .expect("list");
    let lines: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        lines.len() >= 30,
        "the list from the source has {} lines",
        lines.len()
    );
    let missing: Vec<&&str> = lines
        .iter()
        .filter(|l| !known.contains(&l.to_lowercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "items of appendix 3 missing from the checklist: {missing:?}"
    );
    assert_eq!(c.components.len(), 5, "the five ICF components");
    // The source's lines also really are in the appendix section of the site's content.
    let bilag = g.section(&c.source).expect("the source section");
    for l in &lines {
        assert!(
            bilag.body.to_lowercase().contains(&l.to_lowercase()),
            "{l} is not in {}",
            bilag.id
        );
    }
}

#[test]
fn questionnaire_has_every_item_options_and_icf_codes() {
    let mut diags = Diagnostics::default();
    let g = load(&root().join("content"), &mut diags).expect("content loads");
    let c = g.checklist.as_ref().expect("checklist");
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let text = std::fs::read_to_string(out.path().join("tjekliste.fhir.json"))
        .expect("Questionnaire written");
    let q: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(q["resourceType"], "Questionnaire");
    assert_eq!(q["status"], "draft");
    fn collect<'a>(items: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
        for i in items.as_array().into_iter().flatten() {
            out.push(i);
            collect(&i["item"], out);
        }
    }
    let mut all = Vec::new();
    collect(&q["item"], &mut all);
    for (_, item) in c.all_items() {
        let fhir = all
            .iter()
            .find(|i| i["linkId"] == item.id.as_str())
            .unwrap_or_else(|| panic!("{} not in the Questionnaire", item.id));
        assert_eq!(fhir["text"], item.text.as_str());
        if item.items.is_empty() {
            assert_eq!(fhir["type"], "choice");
            let options: Vec<&str> = fhir["answerOption"]
                .as_array()
                .expect("options")
                .iter()
                .filter_map(|o| o["valueString"].as_str())
                .collect();
            assert_eq!(
                options,
                item.options.iter().map(String::as_str).collect::<Vec<_>>()
            );
        } else {
            assert_eq!(fhir["type"], "group");
        }
        match &item.icf {
            Some(code) => {
                assert_eq!(fhir["code"][0]["system"], ICF_SYSTEM);
                assert_eq!(fhir["code"][0]["code"], code.as_str());
            }
            None => assert!(fhir.get("code").is_none()),
        }
    }
    let link_ids: Vec<&str> = all.iter().filter_map(|i| i["linkId"].as_str()).collect();
    let mut unique = link_ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), link_ids.len(), "linkIds are unique");
}
