//! Referral-pathway diagrams: actors as boxes, referrals and report-backs as arrows, laid out by layout-rs and drawn as accessible SVG.
//!
//! How it works:
//!
//! 1. All edges between the same two actors form one *pair*. A pair is one
//!    edge for the layout and gets one label chip listing its channels, one
//!    line per direction and kind ("↓ REF 01 · Telefon", "↑ Epikrise").
//! 2. Actors are given ranks (rows) top to bottom, referrals pointing down,
//!    with a width budget: a row that would get too wide for a phone-sized
//!    viewBox pushes some actors one row down.
//! 3. `layout-rs` does the layout proper: the ranks are handed to it as edges
//!    (plus invisible edges where needed), and it builds the rows, orders
//!    them to reduce crossings, reserves room for every chip (a chip is a
//!    connector node between two rows, placed in the less busy row) and
//!    routes long edges through connector nodes, one per row passed. The
//!    result is read back from its `VisualGraph` and a small recording
//!    [`RenderBackend`](layout::core::format::RenderBackend).
//! 4. Its x placement leaves a lot of width, so `compact` redoes only
//!    that: each row keeps its layout-rs order (barycentre-refined) and every
//!    box, chip and passing edge is pulled towards its neighbours along the
//!    edges, rows packed as tightly as their order allows.
//! 5. The SVG is written here (not by layout-rs's `SVGWriter`), so it is
//!    accessible (`role="img"`, `<title>`, `<desc>`), styled for the site and
//!    byte-for-byte deterministic: every edge is its own path, parallel edges
//!    are offset, arrowheads end on box borders.
//!
//! The parts (private submodules): `model` (nodes, edges, pairs and their
//! chips), `ranks` (step 2), `layout_rs` (step 3), `fallback` (the layout for
//! graphs too big for layout-rs), `compact` (step 4), `geometry` (the layouts
//! tried and the one kept), `curves` and `svg` (step 5), and `metrics` (the
//! sizes they share).

mod arrange;
mod compact;
mod curves;
mod fallback;
mod geometry;
mod layout_rs;
mod metrics;
mod model;
mod ranks;
mod svg;

/// An actor in the pathway (a box in the diagram).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub highlighted: bool,
}

/// What an arrow means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A referral (henvisning): solid arrow.
    Referral,
    /// A report back (tilbagemelding): dashed arrow.
    ReportBack,
}

/// An arrow between two actors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// The channel, e.g. "REF 01".
    pub label: String,
}

/// An axis-aligned rectangle in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A drawn diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// The `<svg>` element, ready to inline into HTML (no XML declaration).
    pub svg: String,
    /// Node id -> its box in SVG user units, in input order.
    pub boxes: Vec<(String, Rect)>,
}

// ---------------------------------------------------------------------------
// Public API.

/// The words of a diagram, in the site's language: its title and description (`<title>`,
/// `<desc>`) and the legend's names of the two kinds of arrow.
#[derive(Debug, Clone, Copy)]
pub struct DiagramText<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub referral: &'a str,
    pub report_back: &'a str,
}

/// Draw the diagram; `id_prefix` makes element ids unique when several diagrams share a page.
///
/// Edges whose ends are not among `nodes` are skipped; duplicate node ids keep
/// their first occurrence. Never panics; the same input always gives the
/// same bytes.
pub fn draw(nodes: &[Node], edges: &[Edge], text: &DiagramText<'_>, id_prefix: &str) -> Diagram {
    let model = model::Model::new(nodes, edges);
    let geometry = arrange::best_layout(&model);
    svg::render(&model, &geometry, text, id_prefix)
}

/// Pairs of node ids whose boxes intersect (boxes that only touch do not
/// count), in input order.
pub fn overlapping(boxes: &[(String, Rect)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, (a_id, a)) in boxes.iter().enumerate() {
        for (b_id, b) in &boxes[i + 1..] {
            let x = a.x.max(b.x) < (a.x + a.width).min(b.x + b.width);
            let y = a.y.max(b.y) < (a.y + a.height).min(b.y + b.height);
            if x && y {
                out.push((a_id.clone(), b_id.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `draw` with a title and description, and the legend's words of the shipped theme.
    fn draw(nodes: &[Node], edges: &[Edge], title: &str, description: &str, p: &str) -> Diagram {
        let text = DiagramText {
            title,
            description,
            referral: "henvisning",
            report_back: "tilbagemelding",
        };
        super::draw(nodes, edges, &text, p)
    }

    fn node(id: &str, label: &str, highlighted: bool) -> Node {
        Node {
            id: id.to_string(),
            label: label.to_string(),
            highlighted,
        }
    }

    fn edge(from: &str, to: &str, kind: EdgeKind, label: &str) -> Edge {
        Edge {
            from: from.to_string(),
            to: to.to_string(),
            kind,
            label: label.to_string(),
        }
    }

    /// Twelve actors of a low-back-pain pathway and 31 channels between them
    /// (plus two edges to an unknown actor, which are skipped).
    fn sample() -> (Vec<Node>, Vec<Edge>) {
        use EdgeKind::{Referral as R, ReportBack as B};
        let nodes = vec![
            node("borger", "Borger", false),
            node("almen", "Almen praksis", true),
            node("kiro", "Kiropraktor", false),
            node("fys", "Fysioterapeut", false),
            node("reuma", "Reumatolog", false),
            node("sygehus", "Sygehus (rygambulatorium)", false),
            node("kommune", "Kommune (genoptræning)", false),
            node("jobcenter", "Jobcenter", false),
            node("psykolog", "Psykolog", false),
            node("amk", "Arbejdsmedicinsk klinik", false),
            node("klinfunk", "Klinisk funktion", false),
            node("arbejdsgiver", "Arbejdsgiver", false),
        ];
        let edges = vec![
            edge("borger", "almen", R, "Konsultation"),
            edge("borger", "kiro", R, "Direkte adgang"),
            edge("borger", "fys", R, "Direkte adgang"),
            edge("almen", "kiro", R, "REF 01"),
            edge("kiro", "almen", B, "Epikrise"),
            edge("almen", "fys", R, "REF 01"),
            edge("fys", "almen", B, "Epikrise"),
            edge("almen", "reuma", R, "REF 01"),
            edge("almen", "reuma", R, "Telefon"),
            edge("reuma", "almen", B, "Epikrise"),
            edge("reuma", "almen", B, "Korrespondance"),
            edge("almen", "sygehus", R, "REF 01"),
            edge("sygehus", "almen", B, "Epikrise"),
            edge("kiro", "sygehus", R, "REF 01"),
            edge("sygehus", "kiro", B, "Epikrise"),
            edge("sygehus", "kommune", R, "Genoptræningsplan"),
            edge("kommune", "sygehus", B, "Korrespondance"),
            edge("kommune", "fys", R, "Genoptræning"),
            edge("fys", "kommune", B, "Status"),
            edge("almen", "psykolog", R, "REF 01"),
            edge("psykolog", "almen", B, "Epikrise"),
            edge("almen", "amk", R, "REF 01"),
            edge("amk", "almen", B, "Epikrise"),
            edge("amk", "arbejdsgiver", B, "Arbejdspladsbesøg"),
            edge("jobcenter", "almen", R, "LÆ 265"),
            edge("almen", "jobcenter", B, "Statusattest"),
            edge("jobcenter", "klinfunk", R, "Specialistudtalelse"),
            edge("klinfunk", "jobcenter", B, "LÆ 275"),
            edge("arbejdsgiver", "almen", R, "LÆ 205"),
            edge("almen", "arbejdsgiver", B, "Mulighedserklæring"),
            edge("jobcenter", "arbejdsgiver", R, "Fastholdelsesplan"),
            // Unknown ends: skipped.
            edge("almen", "ukendt", R, "REF 01"),
            edge("ukendt", "almen", B, "Epikrise"),
        ];
        (nodes, edges)
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).expect("valid XML")
    }

    fn num(node: roxmltree::Node, attr: &str) -> f64 {
        node.attribute(attr).unwrap().parse().unwrap()
    }

    fn edge_paths<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Vec<roxmltree::Node<'a, 'i>> {
        doc.descendants()
            .filter(|x| {
                x.has_tag_name("path")
                    && x.attribute("class")
                        .is_some_and(|c| c.split(' ').any(|c| c == "edge"))
            })
            .collect()
    }

    /// All text, a line per `<text>`, its pieces joined by spaces.
    fn all_text(doc: &roxmltree::Document) -> String {
        doc.descendants()
            .filter(|x| x.has_tag_name("text"))
            .map(|t| {
                t.descendants()
                    .filter_map(|c| c.text())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn rect_of(r: roxmltree::Node) -> Rect {
        Rect {
            x: num(r, "x"),
            y: num(r, "y"),
            width: num(r, "width"),
            height: num(r, "height"),
        }
    }

    /// Write the sample to $VEJVISER_DIAGRAM_SVG to look at it, e.g.
    /// `VEJVISER_DIAGRAM_SVG=/tmp/diagram.svg cargo test realistic` and then
    /// `rsvg-convert -w 390 /tmp/diagram.svg -o /tmp/d.png`.
    #[test]
    fn realistic_diagram_is_valid_and_clean() {
        let (nodes, edges) = sample();
        let d = draw(
            &nodes,
            &edges,
            "Henvisninger <ryg>",
            "Hvem henviser til hvem & hvordan",
            "rp1-",
        );
        if let Ok(path) = std::env::var("VEJVISER_DIAGRAM_SVG") {
            std::fs::write(path, &d.svg).unwrap();
        }
        assert!(d.svg.starts_with("<svg "), "no XML declaration or doctype");
        let doc = parse(&d.svg);
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some("rp1-title rp1-desc")
        );
        assert_eq!(root.attribute("class"), Some("pathway-diagram"));
        assert!(root.attribute("width").is_none() && root.attribute("height").is_none());
        let kids: Vec<_> = root.children().filter(|c| c.is_element()).collect();
        assert_eq!(kids[0].tag_name().name(), "title");
        assert_eq!(kids[0].attribute("id"), Some("rp1-title"));
        assert_eq!(kids[0].text(), Some("Henvisninger <ryg>"));
        assert_eq!(kids[1].tag_name().name(), "desc");
        assert_eq!(kids[1].attribute("id"), Some("rp1-desc"));
        assert_eq!(kids[1].text(), Some("Hvem henviser til hvem & hvordan"));
        let count = |name: &str| doc.descendants().filter(|x| x.has_tag_name(name)).count();
        assert_eq!(count("title"), 1);
        assert_eq!(count("desc"), 1);

        // A phone-friendly viewBox, and text that stays readable in it.
        let vb: Vec<f64> = root
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert!(vb[2] <= 900.0, "viewBox too wide: {}", vb[2]);
        assert!(vb[3] > vb[2], "expected a top-to-bottom layout: {vb:?}");
        for t in doc.descendants().filter(|x| x.has_tag_name("text")) {
            let size = t
                .ancestors()
                .find_map(|a| a.attribute("font-size"))
                .expect("every text has a font size");
            let size: f64 = size.parse().unwrap();
            let inside_node = t
                .ancestors()
                .any(|a| a.attribute("class").is_some_and(|c| c.starts_with("node")));
            assert!(size >= if inside_node { 14.0 } else { 12.0 }, "{size}");
        }

        // Boxes: one per node, none overlapping, highlighted ones stand out.
        assert_eq!(d.boxes.len(), nodes.len());
        assert!(
            overlapping(&d.boxes).is_empty(),
            "{:?}",
            overlapping(&d.boxes)
        );
        let node_groups: Vec<_> = doc
            .descendants()
            .filter(|x| {
                x.attribute("class")
                    .is_some_and(|c| c.starts_with("node ") || c == "node")
            })
            .collect();
        assert_eq!(node_groups.len(), nodes.len());
        for (g, n) in node_groups.iter().zip(&nodes) {
            let r = g.children().find(|c| c.has_tag_name("rect")).unwrap();
            let fill = r.attribute("fill").unwrap();
            assert_eq!(fill, if n.highlighted { "#fff3c4" } else { "#eef3f9" });
            let b = &d.boxes.iter().find(|(id, _)| *id == n.id).unwrap().1;
            let drawn = rect_of(r);
            assert!((drawn.x - b.x).abs() < 0.1 && (drawn.y - b.y).abs() < 0.1);
        }
        let thick = |n: &roxmltree::Node| {
            let r = n.children().find(|c| c.has_tag_name("rect")).unwrap();
            num(r, "stroke-width")
        };
        assert!(thick(&node_groups[1]) > thick(&node_groups[0]));

        let text = all_text(&doc);
        for n in &nodes {
            assert!(text.contains(&n.label), "missing label {}", n.label);
        }

        // Edges: one path per edge with known ends; report-backs dashed.
        let known = |id: &str| nodes.iter().any(|n| n.id == id);
        let drawable: Vec<&Edge> = edges
            .iter()
            .filter(|e| known(&e.from) && known(&e.to))
            .collect();
        let paths = edge_paths(&doc);
        assert_eq!(paths.len(), drawable.len());
        let dashed = paths
            .iter()
            .filter(|x| x.attribute("stroke-dasharray").is_some())
            .count();
        let report_backs = drawable
            .iter()
            .filter(|e| e.kind == EdgeKind::ReportBack)
            .count();
        assert_eq!(dashed, report_backs);
        for (p, e) in paths.iter().zip(&drawable) {
            let (stroke, marker) = match e.kind {
                EdgeKind::Referral => ("#14365d", "url(#rp1-arrow-ref)"),
                EdgeKind::ReportBack => ("#6b3fa0", "url(#rp1-arrow-back)"),
            };
            assert_eq!(p.attribute("stroke"), Some(stroke));
            assert_eq!(p.attribute("marker-end"), Some(marker));
        }

        // Every arrow starts on the border of its source box and ends on the
        // border of its target box.
        let on_border = |(x, y): (f64, f64), r: &Rect| {
            let within_x = x >= r.x - 0.1 && x <= r.x + r.width + 0.1;
            let within_y = y >= r.y - 0.1 && y <= r.y + r.height + 0.1;
            let on_x = (x - r.x).abs() < 0.1 || (x - r.x - r.width).abs() < 0.1;
            let on_y = (y - r.y).abs() < 0.1 || (y - r.y - r.height).abs() < 0.1;
            within_x && within_y && (on_x || on_y)
        };
        let box_of = |id: &str| &d.boxes.iter().find(|(b, _)| b == id).unwrap().1;
        for (p, e) in paths.iter().zip(&drawable) {
            let nums: Vec<f64> = p
                .attribute("d")
                .unwrap()
                .split(|c: char| c == ' ' || c.is_ascii_alphabetic())
                .filter(|t| !t.is_empty())
                .map(|t| t.parse().unwrap())
                .collect();
            let start = (nums[0], nums[1]);
            let end = (nums[nums.len() - 2], nums[nums.len() - 1]);
            assert!(
                on_border(start, box_of(&e.from)),
                "{e:?} starts off its box"
            );
            assert!(on_border(end, box_of(&e.to)), "{e:?} ends off its box");
        }

        // Parallel edges never coincide.
        let mut ds: Vec<&str> = paths.iter().map(|p| p.attribute("d").unwrap()).collect();
        ds.sort();
        ds.dedup();
        assert_eq!(ds.len(), paths.len());

        // Chips: one per pair of actors with channels; every channel named;
        // no chip overlaps a box or another chip.
        let chips: Vec<(String, Rect)> = doc
            .descendants()
            .filter(|x| x.has_tag_name("g") && x.attribute("class") == Some("edge-label"))
            .map(|g| {
                let r = g.children().find(|c| c.has_tag_name("rect")).unwrap();
                ("chip".to_string(), rect_of(r))
            })
            .collect();
        let mut labelled_pairs: Vec<(&str, &str)> = drawable
            .iter()
            .filter(|e| !e.label.trim().is_empty())
            .map(|e| {
                let (a, b) = (e.from.as_str(), e.to.as_str());
                (a.min(b), a.max(b))
            })
            .collect();
        labelled_pairs.sort();
        labelled_pairs.dedup();
        assert_eq!(chips.len(), labelled_pairs.len());
        assert!(text.contains("↓ REF 01 · Telefon"), "{text}");
        for e in &drawable {
            assert!(text.contains(&e.label), "missing channel {}", e.label);
        }
        let mut everything = d.boxes.clone();
        everything.extend(chips);
        assert!(
            overlapping(&everything).is_empty(),
            "{:?}",
            overlapping(&everything)
        );

        // The legend sits above every box.
        let legend = doc
            .descendants()
            .find(|x| x.attribute("class") == Some("legend"))
            .expect("legend");
        let legend_bottom = legend
            .descendants()
            .filter(|x| x.has_tag_name("line"))
            .map(|l| num(l, "y1") + 8.0)
            .fold(0.0, f64::max);
        assert!(d.boxes.iter().all(|(_, b)| b.y > legend_bottom));
        let legend_text = all_text(&doc);
        assert!(legend_text.contains("henvisning") && legend_text.contains("tilbagemelding"));

        // Ids are prefixed and references resolve.
        let ids: Vec<&str> = doc
            .descendants()
            .filter_map(|x| x.attribute("id"))
            .collect();
        for id in &ids {
            assert!(id.starts_with("rp1-"), "{id}");
        }
        for x in doc.descendants() {
            if let Some(url) = x.attribute("marker-end") {
                let id = url.trim_start_matches("url(#").trim_end_matches(')');
                assert!(ids.contains(&id), "{url}");
            }
        }
    }

    #[test]
    fn deterministic() {
        let (nodes, edges) = sample();
        let a = draw(&nodes, &edges, "t", "d", "x-");
        let b = draw(&nodes, &edges, "t", "d", "x-");
        assert_eq!(a.svg, b.svg);
        assert_eq!(a.boxes, b.boxes);
        // Only fixed-precision numbers.
        let doc = parse(&a.svg);
        for x in doc.descendants() {
            for attr in ["x", "y", "width", "height"] {
                if let Some(v) = x.attribute(attr) {
                    let decimals = v.split('.').nth(1).map_or(0, str::len);
                    assert!(decimals <= 1, "{attr}={v}");
                }
            }
        }
    }

    #[test]
    fn empty_input_is_a_small_valid_svg() {
        let d = draw(&[], &[], "Tomt forløb", "Ingen aktører", "e-");
        assert!(d.svg.starts_with("<svg "));
        let doc = parse(&d.svg);
        assert!(d.boxes.is_empty());
        let title = doc.descendants().find(|x| x.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some("Tomt forløb"));
        assert_eq!(title.attribute("id"), Some("e-title"));
        assert!(edge_paths(&doc).is_empty());
    }

    #[test]
    fn odd_input_never_panics() {
        let nodes = vec![
            node("a", "A & <B>", true),
            node("a", "duplicate", false),
            node("b", "", false),
            node(
                "c",
                "Et meget langt navn uden nogen rimelig grænse for længden, som bliver ved og ved og ved",
                false,
            ),
            node("d", "Ensom", false),
        ];
        let edges = vec![
            edge("a", "a", EdgeKind::Referral, "selv"),
            edge("a", "b", EdgeKind::Referral, ""),
            edge("a", "b", EdgeKind::Referral, ""),
            edge("b", "a", EdgeKind::ReportBack, "\u{1}0\u{1}"),
            edge("b", "c", EdgeKind::ReportBack, "\"quoted\" 'x' ]]>"),
            edge(
                "c",
                "a",
                EdgeKind::Referral,
                "REF 01 · henvisning via sundhedsjournalen",
            ),
            edge("zz", "a", EdgeKind::Referral, "x"),
        ];
        let d = draw(&nodes, &edges, "<&>", "\u{0}", "\"<&>");
        let doc = parse(&d.svg);
        assert_eq!(edge_paths(&doc).len(), 6);
        assert_eq!(d.boxes.len(), 4);
        assert!(overlapping(&d.boxes).is_empty());
        assert!(all_text(&doc).contains("\"quoted\" 'x' ]]>"));
        // A very long label wraps onto more lines rather than one wide box.
        assert!(d.boxes[2].1.width < 400.0, "{:?}", d.boxes[2]);

        // Edges without nodes; nodes without edges; a lone self-loop.
        for (n, e) in [
            (&nodes[..0], &edges[..]),
            (&nodes[4..], &edges[..0]),
            (&nodes[..1], &edges[..1]),
        ] {
            let d = draw(n, e, "x", "y", "p");
            let doc = parse(&d.svg);
            assert!(overlapping(&d.boxes).is_empty());
            assert_eq!(d.boxes.len(), n.len());
            assert_eq!(edge_paths(&doc).len(), e.len().min(n.len()));
        }
    }

    #[test]
    fn larger_graphs_stay_valid() {
        // A deterministic pseudo-random graph, once small enough for
        // layout-rs and once drawn by the fallback layout.
        for (n, m) in [(16usize, 30usize), (70, 200)] {
            let nodes: Vec<Node> = (0..n)
                .map(|i| node(&format!("n{i}"), &format!("Aktør nummer {i}"), i % 7 == 0))
                .collect();
            let mut seed = 0x2545_f491_4f6c_dd1du64;
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed % n as u64) as usize
            };
            let edges: Vec<Edge> = (0..m)
                .map(|i| {
                    let kind = if i % 3 == 0 {
                        EdgeKind::ReportBack
                    } else {
                        EdgeKind::Referral
                    };
                    edge(
                        &format!("n{}", next()),
                        &format!("n{}", next()),
                        kind,
                        &format!("REF {i:02}"),
                    )
                })
                .collect();
            let d = draw(&nodes, &edges, "t", "d", "g-");
            let doc = parse(&d.svg);
            assert_eq!(d.boxes.len(), n);
            assert!(overlapping(&d.boxes).is_empty(), "{n} nodes");
            assert_eq!(edge_paths(&doc).len(), m);
            assert_eq!(d, draw(&nodes, &edges, "t", "d", "g-"));
        }
    }

    #[test]
    fn overlapping_finds_intersections_only() {
        let r = |x, y| Rect {
            x,
            y,
            width: 10.0,
            height: 10.0,
        };
        let boxes = vec![
            ("a".to_string(), r(0.0, 0.0)),
            ("b".to_string(), r(5.0, 5.0)),
            ("c".to_string(), r(10.0, 0.0)),
        ];
        assert_eq!(
            overlapping(&boxes),
            vec![
                ("a".to_string(), "b".to_string()),
                ("b".to_string(), "c".to_string())
            ]
        );
        assert!(overlapping(&[]).is_empty());
    }
}
