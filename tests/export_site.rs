//! The JSON export as the built site ships it: `retningslinje.json` of the national site and of
//! each local version (`lokal/<slug>/`) validates against the schema (the one in `schema/` and
//! the copy next to the document), and the site and the document hold the same things — every
//! section page (one per section id, with its number, title and roles), every role page
//! `rolle-<id>.html`, every row of the pathway table in `forloeb.html` (with its channel) and
//! every item of the checklist form in `tjekliste.html` is in the document, and the document has
//! nothing the site lacks (the counts match).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use common::{build_shipped, html_pages, root};

fn validator(schema: &Value) -> jsonschema::Validator {
    if let Err(e) = jsonschema::meta::validate(schema) {
        panic!("the schema is not a valid JSON Schema: {e}");
    }
    jsonschema::draft202012::new(schema).expect("the schema compiles")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} is not readable: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn select<'a>(el: scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).expect("selector"))
        .collect()
}

/// An element's text with runs of white space as one space, trimmed.
fn text(el: scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

/// Every checklist item of the document (components' items, depth first): id.
fn checklist_items(v: &Value) -> Vec<String> {
    fn walk(items: &Value, out: &mut Vec<String>) {
        for i in items.as_array().expect("items is an array") {
            out.push(str_of(i, "id").to_string());
            walk(&i["items"], out);
        }
    }
    let mut out = Vec::new();
    for c in v["checklist"]["components"]
        .as_array()
        .expect("checklist.components")
    {
        walk(&c["items"], &mut out);
    }
    out
}

/// Asserts that `ids` has no id twice and equals `want` as a set; `what` names them.
fn same_ids(what: &str, site: &[String], json: &[String]) {
    let site_set: BTreeSet<&String> = site.iter().collect();
    let json_set: BTreeSet<&String> = json.iter().collect();
    assert_eq!(
        site_set.len(),
        site.len(),
        "{what}: an id twice on the site"
    );
    assert_eq!(
        json_set.len(),
        json.len(),
        "{what}: an id twice in the JSON"
    );
    let not_in_json: Vec<_> = site_set.difference(&json_set).collect();
    let not_on_site: Vec<_> = json_set.difference(&site_set).collect();
    assert!(
        not_in_json.is_empty() && not_on_site.is_empty(),
        "{what}: on the site but not in the JSON: {not_in_json:?}; in the JSON but not on the site: {not_on_site:?}"
    );
    assert_eq!(site.len(), json.len(), "{what}: counts");
}

/// The bytes of `dir`'s `retningslinje.json` are those of its parsed value re-serialised
/// (pretty-printed, a final newline): keys in sorted order, as a `Value` has them and as
/// src/export/types.rs declares them.
fn assert_keys_sorted(dir: &Path) {
    let path = dir.join("retningslinje.json");
    let bytes = std::fs::read_to_string(&path).expect("document");
    let sorted = serde_json::to_string_pretty(&read_json(&path)).expect("serialises") + "\n";
    assert!(
        bytes == sorted,
        "{}: keys not in sorted order (a field declared out of order?)",
        path.display()
    );
}

/// What was compared in one site, for the caller's own assertions.
struct Counts {
    sections: usize,
    roles: usize,
    pathways: usize,
    items: usize,
}

/// Checks the site in `dir` (its pages at the top of `dir`) against its `retningslinje.json`.
fn check_site(dir: &Path, schema: &Value) -> (Value, Counts) {
    let name = dir.display().to_string();
    let doc_path = dir.join("retningslinje.json");
    let v = read_json(&doc_path);

    // The schema: the file the document names, next to it, is the one in schema/.
    let schema_name = v["$schema"].as_str().expect("$schema");
    assert_eq!(
        &read_json(&dir.join(schema_name)),
        schema,
        "{name}: {schema_name} is schema/guideline.schema.json"
    );
    let errors: Vec<String> = validator(schema)
        .iter_errors(&v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}/retningslinje.json: schema violations:\n{}",
        errors.join("\n")
    );

    // The site's pages at this level (not those of a local version below it).
    let pages: BTreeMap<String, scraper::Html> = html_pages(dir)
        .into_iter()
        .filter(|(p, _)| !p.contains('/'))
        .map(|(p, h)| (p, scraper::Html::parse_document(&h)))
        .collect();
    assert!(pages.len() > 60, "{name}: only {} pages", pages.len());

    // Sections: every page with an article.section is the page of the section of its name.
    let sections = v["sections"].as_array().expect("sections");
    let by_id: BTreeMap<&str, &Value> = sections.iter().map(|s| (str_of(s, "id"), s)).collect();
    let mut section_pages = Vec::new();
    for (page, doc) in &pages {
        let articles = select(doc.root_element(), "article.section");
        if articles.is_empty() {
            continue;
        }
        assert_eq!(articles.len(), 1, "{name}/{page}: several article.section");
        let id = page.strip_suffix(".html").expect(".html").to_string();
        if let Some(js) = by_id.get(id.as_str()) {
            let article = articles[0];
            let h1 = select(article, "h1")
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("{name}/{page}: no h1"));
            let num = select(h1, ".num").into_iter().next().map(text);
            assert_eq!(
                num.as_deref(),
                Some(str_of(js, "number")),
                "{name}/{page}: the heading's number"
            );
            let title = select(h1, "[data-pagefind-meta=title]")
                .into_iter()
                .next()
                .map(text);
            assert_eq!(
                title.as_deref(),
                Some(str_of(js, "title")),
                "{name}/{page}: the heading's title"
            );
            let on_page: BTreeSet<&str> = article
                .value()
                .attr("data-roles")
                .unwrap_or("")
                .split_whitespace()
                .collect();
            let in_json: BTreeSet<&str> = js["roles"]
                .as_array()
                .expect("roles")
                .iter()
                .map(|r| r.as_str().expect("role id"))
                .collect();
            assert_eq!(on_page, in_json, "{name}/{page}: the section's roles");
        }
        section_pages.push(id);
    }
    let json_sections: Vec<String> = by_id.keys().map(|s| s.to_string()).collect();
    same_ids(
        &format!("{name}: sections (pages with article.section)"),
        &section_pages,
        &json_sections,
    );

    // Roles: rolle-<id>.html, headed by the role's name.
    let roles = v["roles"].as_array().expect("roles");
    let role_names: BTreeMap<&str, &str> = roles
        .iter()
        .map(|r| (str_of(r, "id"), str_of(r, "name")))
        .collect();
    let mut role_pages = Vec::new();
    for (page, doc) in &pages {
        let Some(id) = page
            .strip_prefix("rolle-")
            .and_then(|p| p.strip_suffix(".html"))
        else {
            continue;
        };
        if let Some(want) = role_names.get(id) {
            let h1 = select(doc.root_element(), "main h1")
                .into_iter()
                .next()
                .map(text);
            assert_eq!(h1.as_deref(), Some(*want), "{name}/{page}: the heading");
        }
        role_pages.push(id.to_string());
    }
    let json_roles: Vec<String> = role_names.keys().map(|s| s.to_string()).collect();
    same_ids(
        &format!("{name}: roles (rolle-<id>.html)"),
        &role_pages,
        &json_roles,
    );

    // Pathways: the rows of forloeb.html's table, with their channel.
    let pathways = v["pathways"].as_array().expect("pathways");
    let channels: BTreeMap<&str, &str> = pathways
        .iter()
        .map(|p| (str_of(p, "id"), str_of(p, "channel")))
        .collect();
    let table = pages
        .get("forloeb.html")
        .unwrap_or_else(|| panic!("{name}: no forloeb.html"));
    let tables = select(table.root_element(), "table.pathways");
    assert_eq!(tables.len(), 1, "{name}/forloeb.html: one table.pathways");
    let rows = select(tables[0], "tbody tr");
    let mut row_ids = Vec::new();
    for row in &rows {
        let id = row
            .value()
            .id()
            .unwrap_or_else(|| panic!("{name}/forloeb.html: a row without id: {}", text(*row)));
        if let Some(channel) = channels.get(id) {
            assert!(
                text(*row).contains(channel),
                "{name}/forloeb.html: row {id} lacks its channel {channel}"
            );
        }
        row_ids.push(id.to_string());
    }
    let json_pathways: Vec<String> = channels.keys().map(|s| s.to_string()).collect();
    same_ids(
        &format!("{name}: pathways (rows of forloeb.html's table)"),
        &row_ids,
        &json_pathways,
    );

    // Checklist: the form's questions (fieldset.cl-q, data-id) and groups (fieldset.cl-group,
    // id "q-<item id>") in tjekliste.html.
    let form = pages
        .get("tjekliste.html")
        .unwrap_or_else(|| panic!("{name}: no tjekliste.html"));
    let mut form_items = Vec::new();
    for fs in select(form.root_element(), "fieldset.cl-q, fieldset.cl-group") {
        let id = fs.value().id().and_then(|i| i.strip_prefix("q-"));
        let id = id.unwrap_or_else(|| panic!("{name}/tjekliste.html: an item without id q-…"));
        if let Some(data_id) = fs.value().attr("data-id") {
            assert_eq!(data_id, id, "{name}/tjekliste.html: data-id and id of {id}");
        }
        form_items.push(id.to_string());
    }
    let json_items = checklist_items(&v);
    same_ids(
        &format!("{name}: checklist items (tjekliste.html)"),
        &form_items,
        &json_items,
    );

    let counts = Counts {
        sections: section_pages.len(),
        roles: role_pages.len(),
        pathways: row_ids.len(),
        items: form_items.len(),
    };
    (v, counts)
}

#[test]
fn the_built_sites_json_validates_and_matches_the_site() {
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let schema = read_json(&root().join("schema/guideline.schema.json"));

    let (national, n) = check_site(out.path(), &schema);
    assert_keys_sorted(out.path());
    assert_eq!(
        national["local"], false,
        "the national document is not local"
    );
    // The shipped guideline's size, so that an empty site and an empty document do not pass.
    assert!(n.sections >= 65, "{} sections", n.sections);
    assert!(n.roles >= 10, "{} roles", n.roles);
    assert!(n.pathways >= 20, "{} pathways", n.pathways);
    assert!(n.items >= 30, "{} checklist items", n.items);

    // Each local version, in lokal/<slug>/: its own document, with its local material marked.
    let lokal = out.path().join("lokal");
    let slugs: Vec<String> = std::fs::read_dir(&lokal)
        .expect("the build writes lokal/ for content/local")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let shipped: Vec<String> = std::fs::read_dir(root().join("content/local"))
        .expect("content/local")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        slugs.iter().collect::<BTreeSet<_>>(),
        shipped.iter().collect::<BTreeSet<_>>(),
        "a local site per content/local/<slug>"
    );
    assert!(!slugs.is_empty());
    for slug in &slugs {
        let (local, l) = check_site(&lokal.join(slug), &schema);
        assert_keys_sorted(&lokal.join(slug));
        assert_eq!(local["local"]["slug"], slug.as_str(), "{slug}: local.slug");
        // A local version keeps every national section and may add its own, marked local.
        let ids = |v: &Value| -> BTreeSet<String> {
            v["sections"]
                .as_array()
                .expect("sections")
                .iter()
                .map(|s| str_of(s, "id").to_string())
                .collect()
        };
        let national_ids = ids(&national);
        assert!(
            national_ids.is_subset(&ids(&local)),
            "{slug}: national sections missing"
        );
        let added: Vec<&Value> = local["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| !national_ids.contains(str_of(s, "id")))
            .collect();
        assert_eq!(
            added.len(),
            l.sections - n.sections,
            "{slug}: added sections"
        );
        for s in added {
            assert!(
                s["local"].is_object(),
                "{slug}: the added section {} is not marked local",
                s["id"]
            );
        }
    }
}

/// `check_site` on `dir` panics (the comparison sees what `break_it` did), and passes again once
/// `restore` has undone it.
fn fails_after(
    dir: &Path,
    schema: &Value,
    what: &str,
    break_it: impl FnOnce(),
    restore: impl FnOnce(),
) {
    break_it();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_site(dir, schema)));
    restore();
    assert!(result.is_err(), "the check did not notice: {what}");
}

#[test]
fn the_comparison_notices_what_is_missing_on_either_side() {
    let out = tempfile::tempdir().expect("tempdir");
    build_shipped(out.path());
    let schema = read_json(&root().join("schema/guideline.schema.json"));
    let dir = out.path();
    check_site(dir, &schema);

    let doc = dir.join("retningslinje.json");
    let original = std::fs::read_to_string(&doc).expect("document");
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&original).expect("JSON");
        f(&mut v);
        std::fs::write(&doc, serde_json::to_string(&v).expect("JSON")).expect("write");
    };
    let put_back = || std::fs::write(&doc, &original).expect("write");

    let away = dir.join("away.tmp");
    for page in ["rolle-kommune.html", "operation.html"] {
        let path = dir.join(page);
        fails_after(
            dir,
            &schema,
            &format!("{page} removed from the site"),
            || std::fs::rename(&path, &away).expect("rename"),
            || std::fs::rename(&away, &path).expect("rename back"),
        );
    }
    fails_after(
        dir,
        &schema,
        "a pathway removed from the JSON",
        || {
            edit(&|v| {
                v["pathways"].as_array_mut().expect("pathways").pop();
            })
        },
        put_back,
    );
    fails_after(
        dir,
        &schema,
        "a nested checklist item removed from the JSON",
        || {
            edit(&|v| {
                let first = &mut v["checklist"]["components"][0]["items"][0]["items"];
                assert!(
                    !first.as_array().expect("items").is_empty(),
                    "a nested item"
                );
                first.as_array_mut().expect("items").remove(0);
            })
        },
        put_back,
    );
    fails_after(
        dir,
        &schema,
        "a section's title changed in the JSON",
        || edit(&|v| v["sections"][3]["title"] = Value::from("Noget andet")),
        put_back,
    );
    fails_after(
        dir,
        &schema,
        "a JSON that breaks the schema",
        || edit(&|v| v["sections"][0]["number"] = Value::from(7)),
        put_back,
    );
    check_site(dir, &schema);
}
