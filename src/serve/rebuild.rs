//! Rebuilding while previewing. The loaded guideline stays in memory; an edit of section bodies
//! re-reads and re-checks only those files and re-renders only the section pages whose content
//! depends on them (the page itself, the pages whose backlinks change, and after a change of
//! title, kind or roles its neighbours, parent, descendants and the pages linking to it). Every
//! other change (a new, removed or renumbered section, YAML, templates) rebuilds everything.
//! Either way, a background rebuild then brings the whole-site files (search index, print page,
//! JSON export, table of contents, service worker id) up to date, exactly as `vejviser build`
//! writes them; only files whose bytes changed are written.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::writer::{Report, Writer};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::build::BuildPaths;
use crate::cache::Cache;
use crate::check::{self, Checked};
use crate::content;
use crate::markdown::{self, Token};
use crate::model::Guideline;
use crate::render::{self, Prepared};

/// The guideline as last loaded, with what the fast path needs.
struct Model {
    g: Guideline,
    checked: Checked,
    prepared: Prepared,
    /// Canonical path of each section file → its index in `g.sections`.
    by_file: HashMap<PathBuf, usize>,
    by_id: HashMap<String, usize>,
    /// Sections edited since the pages were last rendered (a rebuild failed meanwhile): what
    /// the written pages still show of them.
    last_good: HashMap<usize, Shown>,
}

/// What the written pages show of a section: its links (for other pages' backlinks), title
/// (or an untitled section's first words), kind and roles.
struct Shown {
    targets: BTreeSet<String>,
    title: String,
    kind: crate::model::Kind,
    roles: Vec<String>,
}

/// The state kept between rebuilds.
pub struct Rebuilder {
    pub paths: BuildPaths,
    sections_dir: PathBuf,
    writer: Arc<Mutex<Writer>>,
    model: Option<Model>,
    background: Option<mpsc::Sender<u64>>,
}

/// The build cache of the preview's folder (in the default cache folder, beside the content):
/// the whole-site files after an edit are made from what changed, as `vejviser build` does.
fn open_cache(paths: &BuildPaths) -> Cache {
    Cache::open(&crate::build::default_cache_dir(&paths.content), &paths.out)
}

/// Record the preview's files, now written, for the next rebuild.
fn save_cache(cache: &Cache, files: &[OutputFile]) {
    cache.save_files(files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())));
}

fn write_error(out: &Path, e: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::file(out, format!("cannot write the site: {e}")));
    d
}

impl Rebuilder {
    pub fn new(paths: BuildPaths) -> Self {
        let sections_dir = std::fs::canonicalize(paths.content.join("sections"))
            .unwrap_or_else(|_| paths.content.join("sections"));
        Rebuilder {
            writer: Arc::new(Mutex::new(Writer::new(paths.out.clone()))),
            paths,
            sections_dir,
            model: None,
            background: None,
        }
    }

    /// Start the background rebuild of whole-site files; `done` hears what it wrote.
    pub fn start_background(&mut self, done: impl Fn(Report) + Send + 'static) {
        let (tx, rx) = mpsc::channel::<u64>();
        let paths = self.paths.clone();
        let writer = self.writer.clone();
        std::thread::spawn(move || {
            while let Ok(mut generation) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    generation = newer;
                }
                let started = Instant::now();
                let mut diags = Diagnostics::default();
                let cache = open_cache(&paths);
                // Errors are the foreground's to report.
                let Some(files) =
                    crate::build::render_files_cached(&paths, Some(&cache), &mut diags)
                else {
                    continue;
                };
                let Ok(mut w) = writer.lock() else { return };
                if w.generation != generation {
                    continue; // a newer edit was written meanwhile; its own request follows
                }
                if let Ok(mut report) = w.sync(&files) {
                    drop(w);
                    save_cache(&cache, &files);
                    report.elapsed = started.elapsed();
                    report.how = "whole-site files, in the background";
                    done(report);
                }
            }
        });
        self.background = Some(tx);
    }

    /// Rebuild after `changed` files changed (everything on the first call). On errors nothing
    /// is written and the diagnostics come back; the last good site stays.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Report, Diagnostics> {
        let started = Instant::now();
        let fast = if self.model.is_some() && !changed.is_empty() {
            self.fast(changed)
        } else {
            None
        };
        let mut report = match fast {
            Some(r) => r?,
            None => self.full()?,
        };
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Everything: load, validate, render, write what changed.
    fn full(&mut self) -> Result<Report, Diagnostics> {
        let first = self.model.is_none();
        let mut diags = Diagnostics::default();
        if first {
            if let Err(d) = crate::build::check_out_dir(&self.paths) {
                diags.push(d);
                return Err(diags);
            }
        }
        self.model = None;
        let theme = crate::base::theme::Theme::load(&self.paths.templates, &mut diags);
        let g = content::load_with_theme(&self.paths.content, &theme, &mut diags);
        let checked = g.as_ref().map(|g| check::validate(g, &mut diags));
        let (Some(g), Some(checked)) = (g, checked) else {
            render::check_templates(&theme, &mut diags);
            return Err(diags);
        };
        if diags.has_errors() {
            render::check_templates(&theme, &mut diags);
            return Err(diags);
        }
        // The national site and every local version (under lokal/<slug>/), so that an error in
        // a local version shows in the preview too.
        // (It loads and checks again; its warnings, local staleness included, are the ones shown.)
        let mut diags = Diagnostics::default();
        let cache = open_cache(&self.paths);
        let Some(files) = crate::build::render_files_cached(&self.paths, Some(&cache), &mut diags)
        else {
            return Err(diags);
        };
        let Some(prepared) = render::prepare(&g, &theme, &mut diags) else {
            return Err(diags);
        };
        let mut w = self.writer.lock().map_err(|_| Diagnostics::default())?;
        w.generation += 1;
        let mut report = if first {
            w.replace_all(&files)
        } else {
            w.sync(&files)
        }
        .map_err(|e| write_error(&self.paths.out, e))?;
        drop(w);
        save_cache(&cache, &files);
        if first {
            diags.print(); // warnings, such as a missing base_url, once
        }
        report.how = "full";
        let by_file = g
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = std::fs::canonicalize(&s.file.path).unwrap_or_else(|_| s.file.path.clone());
                (p, i)
            })
            .collect();
        let by_id = g
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        self.model = Some(Model {
            g,
            checked,
            prepared,
            by_file,
            by_id,
            last_good: HashMap::new(),
        });
        Ok(report)
    }

    /// Only section bodies (or titles, kinds, roles) changed: re-check and re-render what
    /// depends on them. None when the change needs a full rebuild.
    fn fast(&mut self, changed: &[PathBuf]) -> Option<Result<Report, Diagnostics>> {
        let model = self.model.as_mut()?;
        let mut targets = Vec::new();
        for path in changed {
            let path = std::fs::canonicalize(path).ok()?;
            if !path.starts_with(&self.sections_dir) {
                return None;
            }
            targets.push((*model.by_file.get(&path)?, path));
        }
        let mut diags = Diagnostics::default();
        let mut render = BTreeSet::new();
        let mut meta_changed = Vec::new();
        let mut loaded = Vec::new();
        for (i, path) in &targets {
            let Some(section) = content::load_section_file(path, &mut diags) else {
                return Some(Err(diags));
            };
            let old = &model.g.sections[*i];
            if section.id != old.id || section.number != old.number || section.parent != old.parent
            {
                return None; // the outline changed
            }
            loaded.push((*i, section));
        }
        for (i, section) in loaded {
            let old = &model.g.sections[i];
            let analysis = markdown::analyze(&section.body);
            model.last_good.entry(i).or_insert_with(|| Shown {
                targets: xref_targets(&model.checked.sections[i].tokens),
                title: old.link_title().to_string(),
                kind: old.kind.clone(),
                roles: old.roles.clone(),
            });
            model.g.sections[i] = section;
            model.checked.sections[i] = analysis;
        }
        let sections = std::mem::take(&mut model.checked.sections);
        let pages = std::mem::take(&mut model.checked.pages);
        model.checked = check::validate_analyzed(&model.g, sections, pages, &mut diags);
        if diags.has_errors() {
            return Some(Err(diags));
        }
        // Compared with what the written pages show (not with a failed edit in between).
        for (&i, shown) in &model.last_good {
            let s = &model.g.sections[i];
            let after = xref_targets(&model.checked.sections[i].tokens);
            // Pages whose backlinks gain or lose this section.
            for id in shown.targets.symmetric_difference(&after) {
                if let Some(&j) = model.by_id.get(id.as_str()) {
                    render.insert(j);
                }
            }
            render.insert(i);
            if s.link_title() != shown.title || s.kind != shown.kind || s.roles != shown.roles {
                meta_changed.push(i);
            }
        }
        for &i in &meta_changed {
            dependents_of_meta(model, i, &mut render);
        }
        let which: Vec<usize> = render.into_iter().collect();
        let pages = render::render_section_pages(
            &model.prepared,
            &model.g,
            &model.checked,
            &which,
            &mut diags,
        );
        let Some(pages) = pages else {
            return Some(Err(diags));
        };
        model.last_good.clear();
        let files: Vec<OutputFile> = pages.into_iter().map(|(f, _)| f).collect();
        let Ok(mut w) = self.writer.lock() else {
            return Some(Err(Diagnostics::default()));
        };
        w.generation += 1;
        let generation = w.generation;
        let result = w.write_changed(&files);
        drop(w);
        if let Some(tx) = &self.background {
            let _ = tx.send(generation);
        }
        Some(
            result
                .map(|mut r| {
                    r.how = "incremental";
                    r
                })
                .map_err(|e| write_error(&self.paths.out, e)),
        )
    }
}

/// The section ids a body links to.
fn xref_targets(tokens: &[(usize, Token)]) -> BTreeSet<String> {
    tokens
        .iter()
        .filter_map(|(_, t)| match t {
            Token::XRef { target, .. } => Some(target.clone()),
            _ => None,
        })
        .collect()
}

/// The section pages that show section `i`'s number and title: its neighbours (previous/next),
/// its parent (list of children), its descendants (breadcrumbs), the sections linking to it
/// (the link text) and the sections it links to (their "Henvist til fra" lists it).
fn dependents_of_meta(model: &Model, i: usize, into: &mut BTreeSet<usize>) {
    let g = &model.g;
    for target in xref_targets(&model.checked.sections[i].tokens) {
        if let Some(&j) = model.by_id.get(target.as_str()) {
            into.insert(j);
        }
    }
    if i > 0 {
        into.insert(i - 1);
    }
    if i + 1 < g.sections.len() {
        into.insert(i + 1);
    }
    let outline = crate::model::outline::Outline::of(&g.sections);
    if let Some(p) = outline.parent[i] {
        into.insert(p);
    }
    for j in 0..g.sections.len() {
        if outline.ancestors(j).contains(&i) {
            into.insert(j);
        }
    }
    let id = &g.sections[i].id;
    for (j, a) in model.checked.sections.iter().enumerate() {
        if a.tokens
            .iter()
            .any(|(_, t)| matches!(t, Token::XRef { target, .. } if target == id))
        {
            into.insert(j);
        }
    }
}
