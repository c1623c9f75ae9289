//! `manifest.webmanifest`: what a browser needs to install the (offline) site as an app — its
//! name (and `short_name` when `guideline.yaml` gives one), language, start page, standalone
//! display and icons (the SVG favicon and the 192 and 512 pixel PNGs of the theme's `static/`).
//! Every page links it; the service worker pre-caches it.

use serde_json::{json, Map, Value};

use super::site::Site;
use crate::base::output::OutputFile;
use crate::model::pages::{PageKind, ASSETS_DIR, FAVICON, ICON_LARGE, ICON_SMALL, WEB_MANIFEST};

/// The site's web manifest.
pub fn render(site: &Site<'_>) -> OutputFile {
    let m = &site.g.meta;
    let name = site.g.local.as_ref().map_or(&m.title, |l| &l.name);
    let mut o = Map::new();
    o.insert("name".into(), json!(name));
    if let Some(short) = m
        .short_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        o.insert("short_name".into(), json!(short));
    }
    o.insert("lang".into(), json!(m.language));
    o.insert(
        "start_url".into(),
        json!(site.g.interface.names.file(PageKind::Index)),
    );
    o.insert("scope".into(), json!("./"));
    o.insert("display".into(), json!("standalone"));
    o.insert("background_color".into(), json!("#ffffff"));
    o.insert("theme_color".into(), json!("#14365d"));
    o.insert(
        "icons".into(),
        json!([
            {"src": format!("{ASSETS_DIR}/{FAVICON}"), "sizes": "any", "type": "image/svg+xml"},
            {"src": format!("{ASSETS_DIR}/{ICON_SMALL}"), "sizes": "192x192", "type": "image/png"},
            {"src": format!("{ASSETS_DIR}/{ICON_LARGE}"), "sizes": "512x512", "type": "image/png"},
        ]),
    );
    let text = serde_json::to_string_pretty(&Value::Object(o)).unwrap_or_default();
    OutputFile::asset(WEB_MANIFEST, text.into_bytes())
}
