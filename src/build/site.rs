//! One site's files, the national site's or one local version's: the HTML pages first, then
//! side by side the search index of those pages, the JSON export, the FHIR Questionnaire and
//! the copied files, and last the service worker, whose build id hashes all of them.

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::base::theme::Theme;
use crate::base::timing::phase;
use crate::check::Checked;
use crate::model::Guideline;

/// Every file of `g`'s site, or None with the problems in `diags`.
pub fn render(
    g: &Guideline,
    checked: &Checked,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Option<Vec<OutputFile>> {
    let html = phase("html pages", || {
        crate::render::render_site(g, checked, theme, diags)
    })?;
    let mut files = html.files;
    let bodies = html.section_bodies;
    let appendix = html.appendix;
    // The search index is built on one thread (Pagefind indexes one page after another) while
    // the other threads make the JSON export and read the files to copy, which it does not
    // index.
    let mut copied = Diagnostics::default();
    let (bundle, (export, assets)) = rayon::join(
        || phase("search index", || search_index(&files, g, theme)),
        || {
            rayon::join(
                || phase("json export", || json_export(g, bodies, &appendix)),
                || {
                    phase("static files", || {
                        super::assets::files(g, theme, &mut copied)
                    })
                },
            )
        },
    );
    let copied_ok = !copied.has_errors();
    diags.extend(copied);
    let bundle = match bundle {
        Ok(bundle) => bundle,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if !copied_ok {
        return None;
    }
    files.extend(bundle);
    files.extend(questionnaire(g));
    files.extend(export);
    files.extend(assets);
    super::service_worker::stamp(&mut files, &g.interface.names);
    Some(files)
}

/// The search bundle of the pages among `files`, with the list of its files for the service
/// worker (offline search).
fn search_index(
    files: &[OutputFile],
    g: &Guideline,
    theme: &Theme,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let bundle = crate::search::index(files, &g.interface.names)
        .map_err(|e| Diagnostic::file(&theme.dir, e))?;
    let mut out = Vec::with_capacity(bundle.len() + 1);
    out.push(crate::search::precache_list(&bundle));
    out.extend(bundle);
    Ok(out)
}

/// The JSON export, from each section's body HTML (in the order of the sections).
fn json_export(g: &Guideline, bodies: Vec<String>, appendix: &str) -> Vec<OutputFile> {
    let rendered: Vec<(String, String)> = bodies.into_iter().map(crate::export::body).collect();
    crate::export::output_files(g, &rendered, appendix)
}

/// The checklist as a FHIR Questionnaire, when the content has a checklist.
fn questionnaire(g: &Guideline) -> Option<OutputFile> {
    let cl = g.checklist.as_ref()?;
    let q = crate::fhir::questionnaire(g, cl);
    let json = serde_json::to_string_pretty(&q).unwrap_or_default();
    Some(OutputFile::asset(
        g.interface.names.questionnaire(),
        json.into_bytes(),
    ))
}
