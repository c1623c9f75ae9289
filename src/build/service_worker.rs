//! The service worker, the build's last step: `templates/static/sw.js` goes to the site's root
//! (`sw.js`), so that its scope is the whole site, and its `__VEJVISER_BUILD__` becomes a
//! build id that depends only on the content of the site: a 64-bit FNV-1a hash over every
//! other output file, in path order.

use crate::base::hash::Fnv64;
use crate::base::output::OutputFile;
use crate::model::pages::{ASSETS_DIR, SERVICE_WORKER};

/// Move the service worker to the root and give it the build id of `files` (nothing when
/// there is no service worker among them).
pub fn stamp(files: &mut Vec<OutputFile>) {
    let source = format!("{ASSETS_DIR}/{SERVICE_WORKER}");
    let Some(i) = files.iter().position(|f| f.path == source) else {
        return;
    };
    let id = build_id(files);
    let sw = files.remove(i);
    let text = String::from_utf8_lossy(&sw.bytes).replace("__VEJVISER_BUILD__", &id);
    files.push(OutputFile::asset(SERVICE_WORKER, text.into_bytes()));
}

/// The hash of `files` (paths, lengths and bytes, in path order), as hex.
pub fn build_id(files: &[OutputFile]) -> String {
    let mut sorted: Vec<&OutputFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut h = Fnv64::default();
    for f in sorted {
        h.write(f.path.as_bytes());
        h.write(&[0]);
        h.write(&(f.bytes.len() as u64).to_le_bytes());
        h.write(&f.bytes);
    }
    h.hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_moves_to_the_root_with_the_id_of_the_files() {
        let mut files = vec![
            OutputFile::asset("index.html", b"a".to_vec()),
            OutputFile::asset("assets/sw.js", b"var V = '__VEJVISER_BUILD__';".to_vec()),
        ];
        let id = build_id(&files);
        stamp(&mut files);
        assert_eq!(files.len(), 2);
        assert!(files.iter().all(|f| f.path != "assets/sw.js"));
        let sw = files.iter().find(|f| f.path == "sw.js").expect("sw.js");
        assert_eq!(sw.bytes, format!("var V = '{id}';").into_bytes());
        let mut other = vec![OutputFile::asset("index.html", b"b".to_vec())];
        assert_ne!(build_id(&other), build_id(&files[..1]));
        stamp(&mut other);
        assert_eq!(other.len(), 1);
    }
}
