//! Watching `content/` and `templates/` with notify and notify-debouncer-full: a burst of
//! changes (an editor's save, a `git checkout`) arrives as one batch of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::EventKind;
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

/// How long the folders must be quiet before a batch is handed over.
pub const DEBOUNCE: Duration = Duration::from_millis(60);

/// Watch `dirs` recursively and call `on_change` with each batch of changed files (sorted, no
/// duplicates; editor backup and swap files left out); `ready` is called once the folders are
/// watched. Runs until the watcher stops.
pub fn watch(
    dirs: &[PathBuf],
    ready: impl FnOnce(),
    mut on_change: impl FnMut(Vec<PathBuf>),
) -> Result<(), String> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| e.to_string())?;
    for d in dirs {
        debouncer
            .watch(d, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", d.display()))?;
    }
    ready();
    while let Ok(first) = rx.recv() {
        let mut changed = BTreeSet::new();
        collect(first, &mut changed);
        // Batches that are already waiting belong to the same burst.
        while let Ok(more) = rx.try_recv() {
            collect(more, &mut changed);
        }
        if !changed.is_empty() {
            on_change(changed.into_iter().collect());
        }
    }
    Ok(())
}

fn collect(result: DebounceEventResult, into: &mut BTreeSet<PathBuf>) {
    match result {
        Ok(events) => {
            for e in events {
                if matches!(
                    e.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) {
                    into.extend(e.paths.iter().filter(|p| !ignored(p)).cloned());
                }
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("watch: {e}");
            }
        }
    }
}

/// Editors' temporary files: `.name.swp`, `name~`, `#name#`, `.#name`, `4913`.
pub fn ignored(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_files() {
        assert!(ignored(Path::new("a/.x.md.swp")));
        assert!(ignored(Path::new("a/x.md~")));
        assert!(!ignored(Path::new("a/x.md")));
    }
}
