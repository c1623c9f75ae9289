//! `vejviser init [DIR]`: start a new guideline — a small, valid, buildable content folder in
//! the chosen interface language, which `vejviser build` and `serve` then use with nothing else
//! (the theme is built into the binary).

use std::path::{Path, PathBuf};

use clap::Args;
use include_dir::{include_dir, Dir};

static STARTERS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

#[derive(Args)]
pub struct InitArgs {
    /// The folder to start the guideline in (made if it does not exist; it must not hold a
    /// `content/` folder already).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The interface language of the new guideline: en or da.
    #[arg(long, default_value = "en")]
    language: String,
}

pub fn run(args: &InitArgs) -> bool {
    let Some(starter) = STARTERS.get_dir(args.language.as_str()) else {
        let known: Vec<String> = STARTERS
            .dirs()
            .map(|d| d.path().to_string_lossy().into_owned())
            .collect();
        eprintln!(
            "error: no starter guideline for language `{}`\n  help: use --language {}",
            args.language,
            known.join(" or --language ")
        );
        return false;
    };
    let dir = args.dir.as_path();
    let content = dir.join("content");
    if content.exists() || std::fs::symlink_metadata(&content).is_ok() {
        eprintln!(
            "{}: error: a content folder exists already; it was left as it is\n  help: run init in a new or empty folder",
            content.display()
        );
        return false;
    }
    if dir.exists() && !dir.is_dir() {
        eprintln!(
            "{}: error: not a folder; it was left as it is",
            dir.display()
        );
        return false;
    }
    let mut written = Vec::new();
    if let Err(e) = write_dir(starter, dir, &mut written) {
        eprintln!("{e}");
        return false;
    }
    for path in &written {
        println!("created {}", path.display());
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    println!(
        "\nNext:\n  {cd}vejviser serve --open   preview the site, rebuilt on every save\n  {cd}vejviser build          write the site into site/\n\nEdit content/guideline.yaml first (title, publisher, source), then add sections to\ncontent/sections/. To change the look, put files named as the built-in theme's in a\ntemplates/ folder: each one replaces the built-in file of the same name."
    );
    true
}

/// Write the starter's files under `to`; `gitignore` becomes `.gitignore` (a dot-file would
/// not be packaged). A `.gitignore` that exists is left as it is.
fn write_dir(starter: &Dir<'static>, to: &Path, written: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut dirs = vec![starter];
    while let Some(d) = dirs.pop() {
        dirs.extend(d.dirs());
        for f in d.files() {
            let rel = f.path().strip_prefix(starter.path()).unwrap_or(f.path());
            let rel = if rel == Path::new("gitignore") {
                PathBuf::from(".gitignore")
            } else {
                rel.to_path_buf()
            };
            let path = to.join(rel);
            if path.exists() {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    format!("{}: error: cannot make the folder: {e}", parent.display())
                })?;
            }
            std::fs::write(&path, f.contents())
                .map_err(|e| format!("{}: error: cannot write the file: {e}", path.display()))?;
            written.push(path);
        }
    }
    written.sort();
    Ok(())
}
