//! Rebuild when a file of the built-in theme is added or removed (`include_dir!` only tracks
//! the files it found).

fn main() {
    println!("cargo:rerun-if-changed=theme");
}
