//! One overlay file: front matter saying what it does to which national section, then Markdown.
//!
//! ```text
//! ---
//! overlay: add            # add | insert | replace
//! section: organisering   # the national section's id
//! passage: "Kommunen tilbyder"   # optional: words of the national passage (add/replace)
//! reason: "…"             # replace only, required
//! id: lokale-tilbud       # insert only: the new section's id
//! title: "Lokale tilbud"  # insert only
//! roles: [kommune]        # insert only, optional
//! pin: 0123456789abcdef   # written by `vejviser pin`
//! ---
//! Local text in Markdown.
//! ```

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::OverlayKind;
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::{located, read_source, SourceFile};
use crate::base::yaml;
use crate::content::split;
use crate::model::{Kind, Origin};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayYaml {
    overlay: Spanned<String>,
    section: Spanned<String>,
    #[serde(default)]
    passage: Option<Spanned<String>>,
    #[serde(default)]
    reason: Option<Spanned<String>>,
    #[serde(default)]
    id: Option<Spanned<String>>,
    #[serde(default)]
    title: Option<Spanned<String>>,
    #[serde(default)]
    kind: Option<Spanned<Kind>>,
    #[serde(default)]
    roles: Vec<Spanned<String>>,
    #[serde(default)]
    pin: Option<Spanned<String>>,
}

/// A parsed overlay file.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub kind: OverlayKind,
    pub file: SourceFile,
    /// The file relative to the content folder, with `/`.
    pub source: String,
    pub body: String,
    pub body_offset: usize,
    pub kind_origin: Origin,
    pub section: String,
    pub section_origin: Origin,
    pub passage: Option<(String, Origin)>,
    pub reason: Option<String>,
    /// Insert only: the new section's id, title, kind and roles.
    pub id: Option<(String, Origin)>,
    pub title: Option<String>,
    pub section_kind: Option<Kind>,
    /// Where `kind:` is, for messages about the inserted section's kind.
    pub section_kind_origin: Option<Origin>,
    pub roles: Vec<(String, Origin)>,
    pub pin: Option<(String, Origin)>,
}

/// Read and check one overlay file; problems are reported with their line.
pub fn load(content: &Path, path: &Path, diags: &mut Diagnostics) -> Option<Overlay> {
    let file = read_source(path, diags)?;
    let text = file.text.clone();
    let parts = match split(&text) {
        Ok(p) => p,
        Err(e) => {
            diags.push(Diagnostic::at(path, &text, 0, e.message()).with_help(
                "start the file with ---, then overlay (add, insert or replace) and section, then ---",
            ));
            return None;
        }
    };
    let fm: OverlayYaml = yaml::parse(&file, parts.yaml, parts.yaml_line, diags)?;
    let origin = |s: &serde_saphyr::Location| yaml::origin(&file, s, parts.yaml_line);
    let kind_origin = origin(&fm.overlay.referenced);
    let mut ok = true;
    let kind = match fm.overlay.value.trim() {
        "add" => Some(OverlayKind::Add),
        "insert" => Some(OverlayKind::Insert),
        "replace" => Some(OverlayKind::Replace),
        other => {
            diags.push(
                located(&file, &kind_origin, format!("unknown overlay `{other}`"))
                    .with_help("use add (text after a national passage), insert (a new local section) or replace (with a reason)"),
            );
            None
        }
    };
    let reason = fm
        .reason
        .as_ref()
        .map(|r| r.value.trim().to_string())
        .filter(|r| !r.is_empty());
    if kind == Some(OverlayKind::Replace) && reason.is_none() {
        let at = fm
            .reason
            .as_ref()
            .map_or(kind_origin.clone(), |r| origin(&r.referenced));
        diags.push(
            located(&file, &at, "a replace overlay must state its reason").with_help(
                "add `reason: \"…\"` saying why the national text does not apply locally",
            ),
        );
        ok = false;
    }
    ok &= fields_fit_the_kind(&file, &fm, kind, &kind_origin, &origin, diags);
    if parts.body.trim().is_empty() {
        diags.push(
            Diagnostic::at_line(path, parts.yaml_line, 1, "the overlay has no text")
                .with_help("write the local text below the front matter"),
        );
        ok = false;
    }
    let source = path
        .strip_prefix(content)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if !ok {
        return None;
    }
    Some(Overlay {
        kind: kind?,
        source,
        body: parts.body.to_string(),
        body_offset: parts.body_offset,
        kind_origin,
        section: fm.section.value.trim().to_string(),
        section_origin: origin(&fm.section.referenced),
        passage: fm
            .passage
            .map(|p| (p.value.trim().to_string(), origin(&p.referenced))),
        reason,
        id: fm.id.map(|i| (i.value, origin(&i.referenced))),
        title: fm.title.map(|t| t.value.trim().to_string()),
        section_kind_origin: fm.kind.as_ref().map(|k| origin(&k.referenced)),
        section_kind: fm.kind.map(|k| k.value),
        roles: fm
            .roles
            .into_iter()
            .map(|r| {
                let o = origin(&r.referenced);
                (r.value, o)
            })
            .collect(),
        pin: fm
            .pin
            .map(|p| (p.value.trim().to_string(), origin(&p.referenced))),
        file,
    })
}

/// The fields that only some kinds take (`id`, `title`, `kind`, `roles` for insert; `passage`
/// for add and replace) and a well-formed `pin`; false when any is wrong (reported).
fn fields_fit_the_kind(
    file: &SourceFile,
    fm: &OverlayYaml,
    kind: Option<OverlayKind>,
    kind_origin: &Origin,
    origin: &dyn Fn(&serde_saphyr::Location) -> Origin,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    if kind == Some(OverlayKind::Insert) {
        match &fm.id {
            None => {
                diags.push(
                    located(
                        file,
                        kind_origin,
                        "an insert overlay needs the new section's `id`",
                    )
                    .with_help("add `id: <slug>` and `title: \"…\"`"),
                );
                ok = false;
            }
            Some(id) if !crate::content::is_slug(&id.value) => {
                diags.push(
                    located(
                        file,
                        &origin(&id.referenced),
                        format!("id `{}` is not a slug", id.value),
                    )
                    .with_help("use lower-case a-z, digits and '-'"),
                );
                ok = false;
            }
            Some(_) => {}
        }
        if fm.title.as_ref().is_none_or(|t| t.value.trim().is_empty()) {
            diags.push(
                located(file, kind_origin, "an insert overlay needs a `title`")
                    .with_help("add `title: \"…\"` for the new local section"),
            );
            ok = false;
        }
    } else {
        for (field, present) in [
            ("id", fm.id.is_some()),
            ("title", fm.title.is_some()),
            ("kind", fm.kind.is_some()),
            ("roles", !fm.roles.is_empty()),
        ] {
            if present {
                diags.push(
                    located(
                        file,
                        kind_origin,
                        format!("`{field}` is only for insert overlays"),
                    )
                    .with_help("remove it, or make this an insert overlay"),
                );
                ok = false;
            }
        }
    }
    // The pin names a file in `pins/`, so it must be a plain fingerprint, not a path.
    if let Some(pin) = &fm.pin {
        if !super::fingerprint::is_fingerprint(pin.value.trim()) {
            diags.push(
                located(
                    file,
                    &origin(&pin.referenced),
                    format!("`pin: {}` is not a fingerprint", pin.value.trim()),
                )
                .with_help("`vejviser pin` writes it (16 hex digits); remove the line and run it"),
            );
            ok = false;
        }
    }
    if kind == Some(OverlayKind::Insert) && fm.passage.is_some() {
        diags.push(
            located(
                file,
                kind_origin,
                "`passage` is only for add and replace overlays",
            )
            .with_help("an inserted section follows the whole national section"),
        );
        ok = false;
    }
    ok
}
