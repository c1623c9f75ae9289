//! The JSON export: built from the shipped guideline it validates against
//! `schema/guideline.schema.json`, holds every section, role, pathway, intervention and checklist
//! item of the model, is deterministic, and the schema rejects broken documents.

mod common;

use std::path::Path;

use serde_json::{json, Value};

use common::root;
use vejviser::base::diagnostics::Diagnostics;
use vejviser::check;
use vejviser::content::load;
use vejviser::export::{
    body, guideline_json, output_files, write_document, SCHEMA, SCHEMA_VERSION,
};
use vejviser::markdown::roles::RoleMatcher;
use vejviser::markdown::{self, LinkContext, RenderOptions};
use vejviser::model::Guideline;
use vejviser::render::views::SiteIndex;
use vejviser::render::MATRIX_PLACEHOLDER;

/// Load and validate `content`, render each section body as its page does, and export.
fn export(content: &Path) -> (Guideline, Value) {
    let mut diags = Diagnostics::default();
    let g = load(content, &mut diags).expect("content loads");
    let checked = check::validate(&g, &mut diags);
    let messages: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert!(!diags.has_errors(), "{}", messages.join("\n"));
    let rendered = rendered(&g, &checked);
    let v = guideline_json(&g, &rendered, "Bilag");
    (g, v)
}

fn rendered(g: &Guideline, checked: &check::Checked) -> Vec<(String, String)> {
    let index = SiteIndex::new(g, checked, "Bilag");
    let roles = RoleMatcher::new(&g.roles);
    let labels = vejviser::markdown::BodyLabels {
        footnote: "Fodnote".into(),
        footnote_back: "Tilbage til henvisningen til fodnote".into(),
        permalink: "Permalink".into(),
    };
    let links = LinkContext {
        sections: &index.targets,
        references: &index.references,
        glossary: &index.glossary,
        single_page: false,
        roles: Some(&roles),
        labels: &labels,
        names: &g.interface.names,
    };
    let opts = RenderOptions {
        id_prefix: "",
        heading_shift: 0,
    };
    g.sections
        .iter()
        .map(|s| {
            body(
                markdown::render(&s.body, &links, &opts)
                    .html
                    .replace(MATRIX_PLACEHOLDER, ""),
            )
        })
        .collect()
}

fn shipped() -> (Guideline, Value) {
    export(&root().join("content"))
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("schema/guideline.schema.json"))
        .expect("schema/guideline.schema.json");
    assert_eq!(text, SCHEMA, "the embedded schema is the file");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    let schema = schema();
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("the schema is not a valid JSON Schema: {e}");
    }
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

/// Every schema violation of `v`, as "path: message".
fn errors(validator: &jsonschema::Validator, v: &Value) -> Vec<String> {
    validator
        .iter_errors(v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn strs<'a>(v: &'a Value, key: &str) -> Vec<&'a str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x[key].as_str().expect("string"))
        .collect()
}

/// A guideline of another shape (declared kinds, unnumbered and untitled sections, a lettered
/// appendix with a part) validates too, with English appendix numbers as well as Danish ones;
/// the schema still refuses a kind that is not a slug and a number that is no number.
#[test]
fn export_of_a_guideline_of_another_shape_validates_against_the_schema() {
    let mut diags = Diagnostics::default();
    let g = load(&root().join("tests/fixtures/structure"), &mut diags).expect("loads");
    let checked = check::validate(&g, &mut diags);
    assert!(!diags.has_errors());
    let r = rendered(&g, &checked);
    let validator = validator();
    for word in ["Bilag", "Appendix"] {
        let v = guideline_json(&g, &r, word);
        let errs = errors(&validator, &v);
        assert!(
            errs.is_empty(),
            "{word}: schema violations:\n{}",
            errs.join("\n")
        );
        let part = v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| s["id"] == "appendix-databases")
            .expect("the appendix's part");
        assert_eq!(part["number"], format!("{word} A.1"));
        assert_eq!(part["numberParts"], serde_json::json!([1, 1]));
    }
    let mut v = guideline_json(&g, &r, "Bilag");
    v["sections"][0]["kind"] = Value::from("Not a slug");
    v["sections"][1]["number"] = Value::from("one point one");
    let errs = errors(&validator, &v);
    assert!(
        errs.iter().any(|e| e.starts_with("/sections/0/kind:"))
            && errs.iter().any(|e| e.starts_with("/sections/1/number:"))
            && errs.len() <= 3,
        "{errs:?}"
    );
}

#[test]
fn export_of_the_shipped_guideline_validates_against_the_schema() {
    let (_, v) = shipped();
    let errs = errors(&validator(), &v);
    assert!(errs.is_empty(), "schema violations:\n{}", errs.join("\n"));
    assert_eq!(v["$schema"], "retningslinje.schema.json");
    assert_eq!(v["schemaVersion"], SCHEMA_VERSION);
    assert_eq!(v["local"], false);
    // The schema documents the version it describes.
    let schema = schema();
    let major = SCHEMA_VERSION.split('.').next().expect("major");
    let pattern = schema["properties"]["schemaVersion"]["pattern"]
        .as_str()
        .expect("pattern");
    assert!(
        pattern.starts_with(&format!("^{major}\\.")),
        "schemaVersion pattern {pattern} vs {SCHEMA_VERSION}"
    );
}

#[test]
fn a_guideline_without_checklist_or_pathways_validates() {
    let (g, v) = export(&root().join("tests/fixtures/minimal"));
    assert!(g.checklist.is_none());
    assert_eq!(v["checklist"], Value::Null);
    let errs = errors(&validator(), &v);
    assert!(errs.is_empty(), "schema violations:\n{}", errs.join("\n"));
}

#[test]
fn everything_in_the_model_is_in_the_export() {
    let (g, v) = shipped();

    let ids: Vec<&str> = g.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(strs(&v["sections"], "id"), ids, "sections, in order");
    let roles: Vec<&str> = g.roles.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(strs(&v["roles"], "id"), roles, "roles");
    let pathways: Vec<&str> = g.pathways.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(strs(&v["pathways"], "id"), pathways, "pathways");
    let interventions: Vec<&str> = g.interventions.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(strs(&v["interventions"], "name"), interventions);
    let terms: Vec<&str> = g.glossary.iter().map(|e| e.term.as_str()).collect();
    assert_eq!(strs(&v["glossary"], "term"), terms, "glossary");
    let keys: Vec<&str> = g.references.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(strs(&v["references"], "key"), keys, "references");
    assert!(!ids.is_empty() && !roles.is_empty() && !pathways.is_empty());
    assert!(!interventions.is_empty() && !terms.is_empty() && !keys.is_empty());

    // Checklist: components and every item, depth first.
    let c = g
        .checklist
        .as_ref()
        .expect("the shipped guideline has a checklist");
    let jc = &v["checklist"];
    assert_eq!(jc["source"], c.source.as_str());
    let comps: Vec<&str> = c.components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(strs(&jc["components"], "id"), comps, "checklist components");
    fn walk<'a>(items: &'a Value, out: &mut Vec<(&'a str, Option<&'a str>, usize)>) {
        for i in items.as_array().expect("items") {
            out.push((
                i["id"].as_str().expect("id"),
                i["icf"].as_str(),
                i["options"].as_array().expect("options").len(),
            ));
            walk(&i["items"], out);
        }
    }
    let mut exported = Vec::new();
    for comp in jc["components"].as_array().expect("components") {
        walk(&comp["items"], &mut exported);
    }
    let model: Vec<(&str, Option<&str>, usize)> = c
        .all_items()
        .iter()
        .map(|(_, i)| (i.id.as_str(), i.icf.as_deref(), i.options.len()))
        .collect();
    assert!(model.len() >= 30, "{} checklist items", model.len());
    assert_eq!(
        exported, model,
        "checklist items with ICF codes and options"
    );

    // Sections: numbers, parents, body, and what the body refers to.
    let by_id = |id: &str| -> &Value {
        v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("section {id}"))
    };
    let referral = by_id("henvisning-til-oevrig-praksissektor");
    assert_eq!(referral["number"], "4.9.1.2");
    assert_eq!(referral["numberParts"], json!([4, 9, 1, 2]));
    assert_eq!(referral["parent"], "henvisning-fra-almen-praksis");
    assert_eq!(referral["kind"], "referral");
    assert_eq!(referral["appendix"], false);
    let appendix = by_id(&c.source);
    assert_eq!(appendix["appendix"], true);
    assert_eq!(appendix["number"], "Bilag 3");
    assert_eq!(appendix["parent"], Value::Null);
    for (s, js) in g
        .sections
        .iter()
        .zip(v["sections"].as_array().expect("sections"))
    {
        assert_eq!(js["number"], s.display_number("Bilag"));
        assert_eq!(js["title"], s.title.as_str());
        let text = js["text"].as_str().expect("text");
        let html = js["html"].as_str().expect("html");
        if !s.body.trim().is_empty() {
            assert!(!text.is_empty() && !html.is_empty(), "{}: body", s.id);
        }
        assert!(
            !text.contains("[[") && !text.contains("[@") && !text.contains('<'),
            "{}: plain text has markup: {text}",
            s.id
        );
        for x in js["crossReferences"].as_array().expect("crossReferences") {
            let target = x["target"].as_str().expect("target");
            assert!(ids.contains(&target), "{}: xref to {target}", s.id);
        }
        for k in js["citations"].as_array().expect("citations") {
            let k = k.as_str().expect("key");
            assert!(keys.contains(&k), "{}: citation {k}", s.id);
        }
        for f in js["footnotes"].as_array().expect("footnotes") {
            let label = f["label"].as_str().expect("label");
            assert!(
                s.body.contains(&format!("[^{label}]:")),
                "{}: footnote {label}",
                s.id
            );
            let note = f["text"].as_str().expect("text");
            assert!(!note.is_empty() && !note.contains("[["), "{}: {note}", s.id);
        }
    }
    let all = |key: &str| -> usize {
        v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|s| s[key].as_array().expect(key).len())
            .sum()
    };
    assert!(all("crossReferences") > 10, "cross-references are exported");
    assert!(all("citations") > 3, "citations are exported");
    assert!(all("footnotes") > 3, "footnotes are exported");

    // Metadata the source does not give is null, not "".
    assert_eq!(v["meta"]["title"], g.meta.title.as_str());
    if g.meta.date.as_deref().is_none_or(|d| d.trim().is_empty()) {
        assert_eq!(v["meta"]["date"], Value::Null);
    }
}

#[test]
fn export_is_deterministic() {
    let (g, a) = shipped();
    let (_, b) = shipped();
    assert_eq!(a, b);
    let text_a = serde_json::to_string_pretty(&a).expect("serialises");
    let text_b = serde_json::to_string_pretty(&b).expect("serialises");
    assert_eq!(text_a, text_b);
    // Same model, same rendered bodies: same document.
    let mut diags = Diagnostics::default();
    let checked = check::validate(&g, &mut diags);
    let r = rendered(&g, &checked);
    assert_eq!(
        guideline_json(&g, &r, "Bilag"),
        guideline_json(&g, &r, "Bilag")
    );
}

#[test]
fn the_schema_rejects_broken_documents() {
    let (_, v) = shipped();
    let validator = validator();
    assert!(validator.is_valid(&v), "the unbroken document is valid");
    type Break = fn(&mut Value);
    let breaks: &[(&str, Break)] = &[
        ("section kind not a slug", |v| {
            v["sections"][3]["kind"] = json!("Foo bar")
        }),
        ("missing section title", |v| {
            v["sections"][3]
                .as_object_mut()
                .expect("section")
                .remove("title");
        }),
        ("section with neither number nor title", |v| {
            v["sections"][0]["title"] = json!("");
            v["sections"][0]["number"] = json!("");
            v["sections"][0]["numberParts"] = json!([]);
        }),
        ("section id not a slug", |v| {
            v["sections"][0]["id"] = json!("Indledning 1")
        }),
        ("section number not a number", |v| {
            v["sections"][0]["number"] = json!("ét")
        }),
        ("numberParts of strings", |v| {
            v["sections"][0]["numberParts"] = json!(["1"])
        }),
        ("unknown section field", |v| {
            v["sections"][0]["colour"] = json!("red")
        }),
        ("appendix flag on a chapter", |v| {
            v["sections"][0]["appendix"] = json!(true)
        }),
        ("missing meta", |v| {
            v.as_object_mut().expect("top").remove("meta");
        }),
        ("meta date empty string", |v| v["meta"]["date"] = json!("")),
        ("unknown top-level field", |v| v["extra"] = json!(1)),
        ("local not a boolean", |v| v["local"] = json!("nej")),
        ("schemaVersion of another major", |v| {
            v["schemaVersion"] = json!("2.0.0")
        }),
        ("unknown pathway kind", |v| {
            v["pathways"][0]["kind"] = json!("telepathy")
        }),
        ("pathway without condition", |v| {
            v["pathways"][0]
                .as_object_mut()
                .expect("pathway")
                .remove("condition");
        }),
        ("role id not a slug", |v| {
            v["roles"][0]["id"] = json!("Almen praksis")
        }),
        ("bad ICF code", |v| {
            v["checklist"]["components"][0]["items"][0]["icf"] = json!("x999")
        }),
        ("checklist item with options and sub-items", |v| {
            v["checklist"]["components"][0]["items"][0]["options"] = json!(["ja", "nej"])
        }),
        ("reference year as text", |v| {
            v["references"][0]["year"] = json!("2016")
        }),
        ("sections not an array", |v| v["sections"] = json!({})),
    ];
    assert!(
        v["checklist"]["components"][0]["items"][0]["items"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "the first checklist item is a group"
    );
    for (what, f) in breaks {
        let mut broken = v.clone();
        f(&mut broken);
        assert_ne!(broken, v, "{what}: the document changed");
        assert!(
            !validator.is_valid(&broken),
            "the schema accepts a document with {what}"
        );
    }
}

#[test]
fn output_files_are_the_document_and_its_schema() {
    let (g, v) = shipped();
    let mut diags = Diagnostics::default();
    let checked = check::validate(&g, &mut diags);
    let files = output_files(&g, &rendered(&g, &checked), "Bilag");
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["retningslinje.json", "retningslinje.schema.json"]);
    let doc: Value = serde_json::from_slice(&files[0].bytes).expect("the document is JSON");
    assert_eq!(doc, v);
    // The typed document writes its keys in sorted order, as a `Value` does (see
    // src/export/types.rs): the bytes are the value's, pretty-printed, with a final newline.
    let mut sorted = serde_json::to_string_pretty(&v).expect("serialises");
    sorted.push('\n');
    assert!(
        files[0].bytes == sorted.as_bytes(),
        "retningslinje.json's keys are not in sorted order (a field declared out of order?)"
    );
    assert_eq!(files[1].bytes, SCHEMA.as_bytes());
}

/// A writer that keeps what it is given, notes its largest single write, and fails once it
/// holds `fail_at` bytes.
struct Recording {
    bytes: Vec<u8>,
    largest: usize,
    fail_at: usize,
}

impl std::io::Write for Recording {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() >= self.fail_at {
            return Err(std::io::Error::other("disk full"));
        }
        self.largest = self.largest.max(buf.len());
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_document_streams_the_files_bytes_and_reports_write_errors() {
    let (g, _) = shipped();
    let mut diags = Diagnostics::default();
    let checked = check::validate(&g, &mut diags);
    let r = rendered(&g, &checked);
    let files = output_files(&g, &r, "Bilag");
    let mut out = Recording {
        bytes: Vec::new(),
        largest: 0,
        fail_at: usize::MAX,
    };
    write_document(&g, &r, "Bilag", &mut out).expect("written");
    assert!(
        out.bytes == files[0].bytes,
        "not the bytes output_files gives"
    );
    // Written a section's entry at a time, not made whole first: no write is larger than the
    // part before the sections or the largest section pretty-printed (with its indentation),
    // nor a third of the document.
    let doc: serde_json::Value = serde_json::from_slice(&out.bytes).expect("JSON");
    let largest_section = doc["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| {
            let text = serde_json::to_string_pretty(s).expect("section");
            text.len() + 4 * (text.lines().count() + 1)
        })
        .max()
        .expect("a section");
    let text = String::from_utf8_lossy(&out.bytes);
    let before_sections = text.find("\n  \"sections\": [").expect("the sections") + 16;
    assert!(
        out.largest <= largest_section.max(before_sections) && out.largest * 3 < out.bytes.len(),
        "largest write {} of {} (largest section {largest_section})",
        out.largest,
        out.bytes.len()
    );
    let mut failing = Recording {
        bytes: Vec::new(),
        largest: 0,
        fail_at: 1000,
    };
    let e = write_document(&g, &r, "Bilag", &mut failing).expect_err("the writer fails");
    assert_eq!(e.to_string(), "disk full");
    // It stops at the first failed write: nothing after the part before the sections.
    assert!(
        failing.bytes.len() <= before_sections,
        "{} bytes written after the writer failed",
        failing.bytes.len()
    );
}
