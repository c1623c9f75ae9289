//! Several Pagefind indexes over fixed slices of a site's pages: each slice is indexed on a
//! thread of its own while the build renders the next one, and the search page merges them
//! (`search.js` reads [`MERGE_LIST`] and calls Pagefind's `mergeIndex`).
//!
//! Slice `n` is the `n`-th run of [`slice_size`] indexed pages in path order, whatever the
//! machine: the same pages give the same indexes, byte for byte. A site of up to
//! [`SLICE_PAGES`] pages has one index, ranked exactly as one index ranks.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Mutex;

use super::{bundle, BundleFiles, BUNDLE_DIR};
use crate::base::output::OutputFile;
use crate::cache::{Cache, Digest, KeyHasher};

/// How many pages one Pagefind index holds at most. Small enough that a site of 1,000 pages
/// is indexed on two cores at once, large enough that the browser merges few indexes (20 at
/// 10,000 pages).
pub const SLICE_PAGES: usize = 500;

/// How many pages each slice of a site of `pages` indexed pages holds: as few slices as
/// [`SLICE_PAGES`] allows, of even size (1,002 pages: three of 334, not 500, 500 and 2).
pub fn slice_size(pages: usize, max: usize) -> usize {
    let max = max.max(1);
    let slices = pages.div_ceil(max).max(1);
    pages.div_ceil(slices).max(1)
}

/// The list of the further indexes the search page merges into the first one (a JSON object
/// whose `bundles` are their folders, relative to the site's root; empty for one index).
pub const MERGE_LIST: &str = "pagefind/merge.json";

/// The folder of slice `n`'s index: [`BUNDLE_DIR`] for the first, `BUNDLE_DIR/<n>` after.
pub fn slice_dir(n: usize) -> String {
    match n {
        0 => BUNDLE_DIR.to_string(),
        n => format!("{BUNDLE_DIR}/{n}"),
    }
}

/// [`MERGE_LIST`] for a site of `slices` indexes.
pub fn merge_list(slices: usize) -> OutputFile {
    let merged: Vec<String> = (1..slices).map(|n| format!("{}/", slice_dir(n))).collect();
    let mut list = serde_json::to_string_pretty(&serde_json::json!({ "bundles": merged }))
        .unwrap_or_else(|_| "{\"bundles\":[]}".into());
    list.push('\n');
    OutputFile::asset(MERGE_LIST, list.into_bytes())
}

/// Slice `n`'s files under its folder. A merged index uses the first one's script, worker and
/// WebAssembly, so the further slices leave theirs out.
fn slice_files(n: usize, files: BundleFiles) -> Vec<OutputFile> {
    let dir = slice_dir(n);
    files
        .into_iter()
        .filter(|(rel, _)| n == 0 || !(rel.ends_with(".js") || rel.starts_with("wasm.")))
        .map(|(rel, contents)| OutputFile::asset(&format!("{dir}/{rel}"), contents))
        .collect()
}

/// Where the build sends each slice's pages to be indexed (see [`with_indexers`]).
pub struct Feed {
    tx: SyncSender<(usize, Vec<OutputFile>)>,
}

impl Feed {
    /// Index `pages` (the pages of slice `n`, in path order) on one of the indexing threads.
    /// Waits while every thread is busy and one slice is waiting already; a rayon thread
    /// takes up other work of the pool meanwhile (Pagefind's own among it).
    pub fn send(&self, n: usize, pages: Vec<OutputFile>) {
        let mut job = (n, pages);
        loop {
            match self.tx.try_send(job) {
                Ok(()) | Err(TrySendError::Disconnected(_)) => return,
                Err(TrySendError::Full(back)) => {
                    job = back;
                    wait_a_moment();
                }
            }
        }
    }
}

/// Run `work` with a [`Feed`]: each slice it sends is indexed on one of as many threads as
/// there are cores, and the index's files (under [`slice_dir`]) go to `emit`, from that thread.
/// Returns what `work` returns and every error, once all slices are indexed. At most one slice
/// per thread and one waiting slice are held at a time.
///
/// Pagefind runs on threads of its own, outside rayon's pool: Pagefind itself uses rayon, and a
/// pool thread waiting inside `block_on` may take up another job meanwhile (such as the search
/// index of a local version built side by side), whose `block_on` on a thread already inside a
/// runtime would panic.
pub fn with_indexers<R>(
    emit: &(dyn Fn(Vec<OutputFile>) -> Result<(), String> + Sync),
    cache: Option<&Cache>,
    work: impl FnOnce(&Feed) -> R,
) -> (R, Vec<String>) {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .max(1);
    let (tx, rx) = sync_channel::<(usize, Vec<OutputFile>)>(1);
    let rx = Mutex::new(rx);
    let errors = Mutex::new(Vec::new());
    let result = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| index_from(&rx, emit, cache, &errors)))
            .collect();
        let feed = Feed { tx };
        let result = work(&feed);
        drop(feed);
        while !handles.iter().all(|h| h.is_finished()) {
            wait_a_moment();
        }
        if handles.into_iter().any(|h| h.join().is_err()) {
            if let Ok(mut e) = errors.lock() {
                e.push("search index: Pagefind stopped unexpectedly".into());
            }
        }
        result
    });
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.sort();
    (result, errors)
}

/// One indexing thread: slices from `rx` until the feed is closed.
fn index_from(
    rx: &Mutex<Receiver<(usize, Vec<OutputFile>)>>,
    emit: &(dyn Fn(Vec<OutputFile>) -> Result<(), String> + Sync),
    cache: Option<&Cache>,
    errors: &Mutex<Vec<String>>,
) {
    loop {
        let job = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((n, pages)) = job else { return };
        let refs: Vec<&OutputFile> = pages.iter().collect();
        let done = bundle_cached(&refs, cache).and_then(|files| emit(slice_files(n, files)));
        drop(pages);
        if let Err(e) = done {
            if let Ok(mut errors) = errors.lock() {
                errors.push(e);
            }
        }
    }
}

/// [`bundle`], taken from `cache` when the same pages were indexed before.
fn bundle_cached(pages: &[&OutputFile], cache: Option<&Cache>) -> Result<BundleFiles, String> {
    let Some(cache) = cache else {
        return bundle(pages);
    };
    let mut key = KeyHasher::new("search");
    for page in pages {
        key.part(page.path.as_bytes()).part(&page.bytes);
    }
    let key = key.finish();
    if let Some(files) = cache.recall(&key) {
        return Ok(files);
    }
    let files = bundle(pages)?;
    let parts = files
        .iter()
        .map(|(rel, bytes)| (rel.clone(), Digest::of(bytes)))
        .collect();
    cache.remember(key, parts);
    Ok(files)
}

/// Let a rayon thread take up other work of its pool, or else sleep a millisecond.
fn wait_a_moment() {
    if rayon::yield_now() != Some(rayon::Yield::Executed) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_are_as_few_and_as_even_as_the_limit_allows() {
        assert_eq!(slice_size(100, 500), 100);
        assert_eq!(slice_size(500, 500), 500);
        assert_eq!(slice_size(501, 500), 251);
        assert_eq!(slice_size(1002, 500), 334);
        assert_eq!(slice_size(10_003, 500), 477);
        assert_eq!(slice_size(0, 500), 1);
        assert_eq!(slice_size(3, 0), 1);
    }
}
