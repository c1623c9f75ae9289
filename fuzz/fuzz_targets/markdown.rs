//! Fuzz target: arbitrary text as a section body, analysed and rendered with our extensions
//! (cross-references, citations, glossary terms, footnotes, heading ids).
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use vejviser::markdown::{analyze, render, GlossaryMatcher, LinkContext, LinkTarget, RenderOptions};

fuzz_target!(|body: &str| {
    let _ = analyze(body);
    let mut sections = HashMap::new();
    sections.insert("a".to_string(), LinkTarget { number: "1.2".into(), title: "A".into() });
    let mut refs = HashMap::new();
    refs.insert("k".to_string(), "K 2016".to_string());
    let glossary = GlossaryMatcher::new(&[(vec!["ICF".into(), "§ 79".into()], "term-icf".into())]);
    for single_page in [false, true] {
        let matcher = vejviser::markdown::roles::RoleMatcher::default();
        let links = LinkContext { sections: &sections, references: &refs, glossary: &glossary, single_page, roles: Some(&matcher) };
        let _ = render(body, &links, &RenderOptions { id_prefix: "a--", heading_shift: 2 });
    }
});
