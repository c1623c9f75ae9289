//! Fingerprinted stylesheets and scripts: the theme's `static/style.css` is written as
//! `assets/style.<hash>.css`, the first 8 hex digits of the FNV-1a hash of its bytes, so a new
//! build never mixes with an old cached asset. The pages get the names as `asset["style.css"]`;
//! the build writes the files under the same names (see `crate::build`).

use std::collections::BTreeMap;

use crate::base::hash::Fnv64;
use crate::base::theme::Theme;
use crate::model::local::LocalInfo;
use crate::model::pages::{ASSETS_DIR, SERVICE_WORKER};

/// The name of the local version's accent colour stylesheet, in `assets/`.
pub const LOCAL_CSS: &str = "lokal.css";

/// The site-relative path a file of the theme's `static/` (`relative` to it) is written to:
/// CSS and JS with their content hash in the name (the service worker not, its URL is fixed).
pub fn asset_path(relative: &str, bytes: &[u8]) -> String {
    let fingerprinted =
        (relative.ends_with(".css") || relative.ends_with(".js")) && relative != SERVICE_WORKER;
    match relative.rsplit_once('.') {
        Some((stem, ext)) if fingerprinted => {
            let mut h = Fnv64::default();
            h.write(bytes);
            format!("{ASSETS_DIR}/{stem}.{}.{ext}", &h.hex()[..8])
        }
        _ => format!("{ASSETS_DIR}/{relative}"),
    }
}

/// Whether the site-relative `path` is a fingerprinted file (`assets/<name>.<8 hex>.css|js`).
pub fn is_fingerprinted(path: &str) -> bool {
    let Some(name) = path.strip_prefix(&format!("{ASSETS_DIR}/")) else {
        return false;
    };
    let mut parts = name.rsplitn(3, '.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    matches!(ext, "css" | "js")
        && !stem.is_empty()
        && hash.len() == 8
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// A local version's accent colour as a stylesheet (the pages' CSP allows no inline styles).
pub fn accent_css(info: &LocalInfo) -> String {
    let colour = info.branding.colour.as_deref().unwrap_or("#5a2d82");
    format!(":root{{--local:{colour}}}\n")
}

/// The written names of the theme's static files, by their name in its `static/`
/// (`"style.css"` → `"assets/style.3f2a9c1e.css"`), with the local stylesheet of `local`.
pub fn asset_names(theme: &Theme, local: Option<&LocalInfo>) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for (name, f) in theme.files_in("static") {
        names.insert(name.to_string(), asset_path(name, &f.bytes));
    }
    if let Some(info) = local {
        let css = accent_css(info);
        names.insert(LOCAL_CSS.to_string(), asset_path(LOCAL_CSS, css.as_bytes()));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_and_js_carry_their_hash() {
        let a = asset_path("style.css", b"body{}");
        assert!(a.starts_with("assets/style.") && a.ends_with(".css"), "{a}");
        assert!(is_fingerprinted(&a), "{a}");
        assert_ne!(a, asset_path("style.css", b"body{color:red}"));
        assert_eq!(a, asset_path("style.css", b"body{}"));
        assert_eq!(asset_path("sw.js", b"x"), "assets/sw.js");
        assert_eq!(asset_path("favicon.svg", b"x"), "assets/favicon.svg");
        assert!(!is_fingerprinted("assets/style.css"));
        assert!(!is_fingerprinted("assets/favicon.svg"));
        assert!(!is_fingerprinted("style.0123abcd.css"));
        assert!(!is_fingerprinted("pagefind/pagefind.0123abcd.js"));
    }
}
