//! `lokal.yaml`: who owns a local version, how to reach them, what it is based on, its branding.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{reference_problem, LocalInfo, FILES_DIR};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::located;
use crate::base::yaml;
use crate::model::local::Branding;
use crate::model::Asset;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestYaml {
    name: Spanned<String>,
    owner: Spanned<String>,
    contact: Spanned<String>,
    #[serde(default)]
    base_version: Option<String>,
    /// The local version's own published address (a region's own domain).
    #[serde(default)]
    base_url: Option<Spanned<String>>,
    #[serde(default)]
    branding: Option<BrandingYaml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BrandingYaml {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    colour: Option<Spanned<String>>,
    #[serde(default)]
    logo: Option<Spanned<String>>,
}

/// Read the manifest; the returned flag is false when it had errors.
pub(super) fn load(
    dir: &Path,
    slug: &str,
    files: &[Asset],
    diags: &mut Diagnostics,
) -> (LocalInfo, bool) {
    let mut info = LocalInfo {
        slug: slug.to_string(),
        name: slug.to_string(),
        owner: slug.to_string(),
        contact: String::new(),
        base_version: None,
        base_url: None,
        national_base_url: None,
        branding: Branding::default(),
        dir: dir.to_path_buf(),
        deviations: Vec::new(),
        files: Vec::new(),
    };
    let path = dir.join(super::MANIFEST);
    if super::is_symlink(&path) {
        diags.push(
            Diagnostic::file(&path, "the manifest may not be a symbolic link")
                .with_help("replace the link with a copy of the file itself"),
        );
        return (info, false);
    }
    let Some((file, m)) = crate::content::load_yaml_file::<ManifestYaml>(&path, diags) else {
        if !path.exists() {
            diags.push(
                Diagnostic::file(&path, "a local version needs a manifest")
                    .with_help("`vejviser new-local <slug>` writes one to fill in"),
            );
        }
        return (info, false);
    };
    let mut ok = true;
    for (field, value) in [
        ("name", &m.name),
        ("owner", &m.owner),
        ("contact", &m.contact),
    ] {
        if value.value.trim().is_empty() {
            let origin = yaml::origin(&file, &value.referenced, 1);
            diags.push(
                located(&file, &origin, format!("`{field}` is empty"))
                    .with_help("every local version says who owns it and how to reach them"),
            );
            ok = false;
        }
    }
    info.name = m.name.value.trim().to_string();
    info.owner = m.owner.value.trim().to_string();
    info.contact = m.contact.value.trim().to_string();
    info.base_version = m.base_version.filter(|v| !v.trim().is_empty());
    if let Some(url) = m.base_url {
        match crate::base::url::parse_base_url(&url.value) {
            Ok(u) => info.base_url = u,
            Err(problem) => {
                let origin = yaml::origin(&file, &url.referenced, 1);
                diags.push(
                    located(&file, &origin, format!("base_url: {problem}")).with_help(
                        "write the local version's own address as an absolute URL, e.g. https://region.example/retningslinje/",
                    ),
                );
                ok = false;
            }
        }
    }
    if let Some(b) = m.branding {
        info.branding.name = b.name.filter(|n| !n.trim().is_empty());
        if let Some(c) = b.colour {
            let origin = yaml::origin(&file, &c.referenced, 1);
            match colour_problem(&c.value) {
                None => info.branding.colour = Some(c.value.to_ascii_lowercase()),
                Some(problem) => {
                    diags.push(located(&file, &origin, problem).with_help(
                        "write the colour as #rrggbb, dark enough for white text (e.g. #00587c)",
                    ));
                    ok = false;
                }
            }
        }
        if let Some(logo) = b.logo {
            let origin = yaml::origin(&file, &logo.referenced, 1);
            let url = if logo.value.starts_with(&format!("{FILES_DIR}/")) {
                logo.value.clone()
            } else {
                format!("{FILES_DIR}/{}", logo.value)
            };
            let ext = Path::new(&logo.value)
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if let Some(problem) =
                reference_problem(&logo.value, files).or_else(|| reference_problem(&url, files))
            {
                diags.push(
                    located(&file, &origin, format!("logo: {problem}")).with_help(
                        "put the logo in the local folder's filer/ and name it relative to filer/",
                    ),
                );
                ok = false;
            } else if !["svg", "png", "jpg", "jpeg", "webp"].contains(&ext.as_str()) {
                diags.push(located(
                    &file,
                    &origin,
                    "the logo must be an .svg, .png, .jpg or .webp file",
                ));
                ok = false;
            } else {
                let rel = url.trim_start_matches(&format!("{FILES_DIR}/"));
                info.branding.logo = files.iter().find(|f| f.relative == rel).cloned();
            }
        }
    }
    (info, ok)
}

/// Why a colour is not usable as the background of white text, if it is not.
fn colour_problem(colour: &str) -> Option<String> {
    let hex = colour
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    let Some(hex) = hex else {
        return Some(format!("colour `{colour}` is not of the form #rrggbb"));
    };
    let channel = |i: usize| {
        let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    let contrast = 1.05 / (luminance + 0.05);
    (contrast < 4.5).then(|| {
        format!("colour `{colour}` gives white text a contrast of only {contrast:.1}:1 (at least 4.5:1 is needed)")
    })
}

#[cfg(test)]
mod tests {
    use super::colour_problem;

    #[test]
    fn colours_must_be_dark_enough_for_white_text() {
        assert!(colour_problem("#00587c").is_none());
        assert!(colour_problem("#000000").is_none());
        assert!(colour_problem("#ffff00").unwrap().contains("contrast"));
        assert!(colour_problem("red").unwrap().contains("#rrggbb"));
        assert!(colour_problem("#12345").is_some());
    }
}
