//! A synthetic guideline of any size for benchmarks: deterministic for a seed, with the features
//! of the real content (nested numbering, cross-references with and without text and anchors,
//! citations, footnotes, roles, tables, lists, glossary terms, headings with ids). The shipped
//! `guideline.yaml`, `roles.yaml`, `references.yaml`, `glossary.yaml` and the accessibility
//! statement page are copied from the shipped content; the sections are generated.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// SplitMix64: a small, fast, well-known generator; enough for filler text.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

const WORDS: &[&str] = &[
    "borgeren",
    "patienten",
    "indsatsen",
    "forløbet",
    "kommunen",
    "sygehuset",
    "behandling",
    "vurdering",
    "funktionsevne",
    "smerter",
    "lænderyg",
    "træning",
    "samarbejde",
    "henvisning",
    "opfølgning",
    "rehabilitering",
    "forebyggelse",
    "arbejdsmarkedet",
    "tilbud",
    "kontakt",
    "bør",
    "skal",
    "kan",
    "ofte",
    "altid",
    "tidligt",
    "samlet",
    "relevant",
    "tværfaglig",
    "tværsektoriel",
    "praktiserende",
    "læge",
    "fysioterapeut",
    "kiropraktor",
    "almen",
    "praksis",
    "og",
    "i",
    "af",
    "til",
    "med",
    "for",
    "på",
    "om",
    "ved",
    "efter",
    "mellem",
    "den",
    "det",
    "en",
    "et",
    "de",
    "som",
    "der",
    "hvor",
    "når",
    "ikke",
    "også",
    "herunder",
    "særlig",
    "opmærksomhed",
    "mål",
    "behov",
    "ressourcer",
    "pårørende",
    "kompetencer",
    "viden",
    "effekt",
    "sundhedspædagogisk",
    "tilgang",
    "status",
    "plan",
    "journal",
    "epikrise",
    "tilbagemelding",
    "ICF",
    "ADL",
    "aktiviteter",
    "deltagelse",
    "omgivelsesfaktorer",
    "personlige",
    "faktorer",
    "koordinering",
    "tovholder",
    "jobcenter",
    "psykolog",
    "reumatolog",
    "ergoterapeut",
    "sammenhæng",
    "kvalitet",
    "ansvar",
    "ændringer",
    "forventninger",
    "mestring",
    "livskvalitet",
];

const KINDS: &[&str] = &[
    "introduction",
    "population",
    "assessment",
    "intervention",
    "referral",
    "follow-up",
    "organisation",
];

/// The values of `field` in a YAML list of maps.
fn keys(path: &Path, field: &str) -> io::Result<Vec<String>> {
    let text = fs::read_to_string(path)?;
    let items: Vec<serde_json::Map<String, serde_json::Value>> = serde_saphyr::from_str(&text)
        .map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
    Ok(items
        .iter()
        .filter_map(|m| m.get(field).and_then(|v| v.as_str()).map(str::to_string))
        .collect())
}

/// One generated section before its body is written.
struct Node {
    id: String,
    number: Vec<usize>,
    title: String,
    /// Has a `## Baggrund {#baggrund}` heading (a target for `[[id#baggrund|…]]`).
    anchored: bool,
}

/// Write a content folder with `sections` generated sections to `out` (created; must not
/// exist or be empty), taking the YAML files from the shipped content folder `shipped`.
pub fn generate(shipped: &Path, out: &Path, sections: usize, seed: u64) -> io::Result<()> {
    fs::create_dir_all(out.join("sections"))?;
    fs::create_dir_all(out.join("pages"))?;
    for name in [
        "guideline.yaml",
        "roles.yaml",
        "references.yaml",
        "glossary.yaml",
    ] {
        fs::copy(shipped.join(name), out.join(name))?;
    }
    // The accessibility statement is the footer's link target; it refers to no section.
    fs::copy(
        shipped.join("pages/tilgaengelighedserklaering.md"),
        out.join("pages/tilgaengelighedserklaering.md"),
    )?;
    let refs = keys(&shipped.join("references.yaml"), "key")?;
    let roles = keys(&shipped.join("roles.yaml"), "id")?;
    let mut rng = Rng::new(seed);
    let nodes = outline(&mut rng, sections);
    let mut footnote = 0usize;
    for (i, node) in nodes.iter().enumerate() {
        let number = join(&node.number);
        let mut s = String::with_capacity(4096);
        let _ = writeln!(s, "---\nid: {}\nnumber: \"{number}\"", node.id);
        let _ = writeln!(s, "title: {}", node.title);
        let _ = writeln!(s, "kind: {}", rng.pick(KINDS));
        let picked: Vec<&str> = (0..rng.range(0, 3))
            .map(|_| rng.pick(&roles).as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let _ = writeln!(s, "roles: [{}]\n---", picked.join(", "));
        body(&mut s, &mut rng, &nodes, i, &refs, &mut footnote);
        let name = format!("{number}-{}.md", node.id);
        fs::write(out.join("sections").join(name), s)?;
    }
    Ok(())
}

/// Numbers by a walk: a child, a sibling or a sibling of an ancestor, so every parent exists;
/// at most four levels.
fn outline(rng: &mut Rng, n: usize) -> Vec<Node> {
    let mut nodes = Vec::with_capacity(n);
    let mut number: Vec<usize> = Vec::new();
    for i in 0..n {
        if number.is_empty() {
            number.push(1);
        } else {
            let r = rng.range(0, 99);
            if number.len() < 4 && r < 45 {
                number.push(1);
            } else if r < 85 || number.len() == 1 {
                if let Some(last) = number.last_mut() {
                    *last += 1;
                }
            } else {
                let up = rng.range(1, number.len() - 1);
                number.truncate(number.len() - up);
                if let Some(last) = number.last_mut() {
                    *last += 1;
                }
            }
        }
        let title = title(rng);
        nodes.push(Node {
            id: format!("s{i}-{}", crate::base::text::slugify(&title)),
            number: number.clone(),
            title,
            anchored: i % 3 == 0,
        });
    }
    nodes
}

fn join(number: &[usize]) -> String {
    number
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

fn title(rng: &mut Rng) -> String {
    let n = rng.range(2, 5);
    let mut t = String::new();
    for k in 0..n {
        let w = *rng.pick(WORDS);
        if k == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                t.extend(f.to_uppercase());
                t.push_str(c.as_str());
            }
        } else {
            t.push(' ');
            t.push_str(w);
        }
    }
    t
}

fn sentence(rng: &mut Rng, s: &mut String) {
    let n = rng.range(6, 16);
    for k in 0..n {
        let w = *rng.pick(WORDS);
        if k == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push_str(". ");
}

fn body(
    s: &mut String,
    rng: &mut Rng,
    nodes: &[Node],
    i: usize,
    refs: &[String],
    footnote: &mut usize,
) {
    let mut notes = Vec::new();
    if nodes[i].anchored {
        s.push_str("## Baggrund {#baggrund}\n\n");
    }
    for p in 0..rng.range(2, 6) {
        for _ in 0..rng.range(2, 5) {
            sentence(rng, s);
        }
        // Cross-references: plain, with text, with an anchor.
        if rng.chance(60) {
            let t = rng.range(0, nodes.len() - 1);
            let _ = write!(s, "Se kapitel [[{}]]. ", nodes[t].id);
        }
        if rng.chance(25) {
            let t = rng.range(0, nodes.len() - 1);
            let _ = write!(
                s,
                "Jf. [[{}|{}]]. ",
                nodes[t].id,
                nodes[t].title.to_lowercase()
            );
        }
        if rng.chance(20) {
            let t = rng.range(0, nodes.len() - 1) / 3 * 3;
            if nodes.get(t).is_some_and(|n| n.anchored) {
                let _ = write!(
                    s,
                    "Baggrunden står i [[{}#baggrund|afsnit {}]]. ",
                    nodes[t].id,
                    join(&nodes[t].number)
                );
            }
        }
        if !refs.is_empty() && rng.chance(40) {
            let _ = write!(s, "([@{}])", rng.pick(refs));
            if rng.chance(30) {
                let _ = write!(s, "; [@{}|jf. {}]", rng.pick(refs), rng.pick(WORDS));
            }
            s.push_str(". ");
        }
        if rng.chance(30) {
            *footnote += 1;
            let _ = write!(s, "Det gælder også opfølgningen[^{footnote}].");
            notes.push(*footnote);
        }
        s.push_str("\n\n");
        if p == 1 && rng.chance(30) {
            for _ in 0..rng.range(2, 5) {
                s.push_str("- ");
                sentence(rng, s);
                s.push('\n');
            }
            s.push('\n');
        }
        if p == 2 && rng.chance(20) {
            s.push_str("| Aktør | Indsats | Kanal |\n|---|---|---|\n");
            for _ in 0..rng.range(2, 6) {
                let _ = writeln!(
                    s,
                    "| {} | {} {} | REF 01 |",
                    rng.pick(WORDS),
                    rng.pick(WORDS),
                    rng.pick(WORDS)
                );
            }
            s.push('\n');
        }
    }
    for n in notes {
        let _ = write!(s, "[^{n}]: ");
        sentence(rng, s);
        s.push_str("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus_and_it_builds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        generate(&root.join("content"), &a, 60, 7).unwrap();
        generate(&root.join("content"), &b, 60, 7).unwrap();
        let read = |d: &Path| {
            let mut v: Vec<(String, String)> = fs::read_dir(d.join("sections"))
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(read(&a), read(&b));
        assert_eq!(read(&a).len(), 60);
        let mut diags = crate::base::diagnostics::Diagnostics::default();
        let paths = crate::build::BuildPaths {
            content: a,
            templates: root.join("templates"),
            out: dir.path().join("site"),
        };
        let ok = crate::build::check_only(&paths, &mut diags);
        let msgs: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert!(ok, "{}", msgs.join("\n"));
    }
}
