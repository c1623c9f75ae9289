//! Fuzz target: arbitrary bytes as a section file (UTF-8 check, front matter, YAML, Markdown
//! analysis). It must never panic; bad input only produces diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use vejviser::base::source::decode;
use vejviser::content::parse_section;
use vejviser::base::diagnostics::Diagnostics;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    match decode(Path::new("fuzz.md"), data.to_vec()) {
        Ok(file) => {
            if let Some(section) = parse_section(file, &mut diags) {
                let _ = vejviser::markdown::analyze(&section.body);
            }
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
    for d in diags.sorted() {
        let _ = d.report();
    }
});
