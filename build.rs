//! Rebuild when a file of the built-in theme is added or removed (`include_dir!` only tracks
//! the files it found), and give the build cache a digest of the sources this binary is
//! compiled from (`VEJVISER_SOURCE_DIGEST`), so a cache written by other code is never read.

use std::path::{Path, PathBuf};

fn main() {
    for watched in ["theme", "starter", "src", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let mut files = Vec::new();
    for dir in ["theme", "starter", "src"] {
        collect(Path::new(dir), &mut files);
    }
    files.push(PathBuf::from("Cargo.lock"));
    files.push(PathBuf::from("build.rs"));
    files.sort();
    // 64-bit FNV-1a over each path and its bytes: enough to tell builds apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for f in &files {
        feed(f.to_string_lossy().as_bytes());
        feed(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=VEJVISER_SOURCE_DIGEST={hash:016x}");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
