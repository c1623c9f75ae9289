//! Referral-pathway diagrams: actors as boxes, referrals and report-backs as arrows, laid out by layout-rs and drawn as accessible SVG.
//!
//! `layout-rs` is used only for the *layout*: it ranks the actors top to
//! bottom, reserves room for every channel label (each label becomes a
//! connector node between the two ranks it joins) and routes long edges
//! through invisible connector nodes. The positions are captured through a
//! small recording [`RenderBackend`]; the SVG itself is written here, so it
//! is accessible (`role="img"`, `<title>`, `<desc>`), styled for the site and
//! byte-for-byte deterministic.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

/// An actor in the pathway (a box in the diagram).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub highlighted: bool,
}

/// What an arrow means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The `<svg>` element, ready to inline into HTML.
    pub svg: String,
    /// Node id -> its box in SVG user units, in input order.
    pub boxes: Vec<(String, Rect)>,
}

// ---------------------------------------------------------------------------
// Look.

const NODE_FONT: f64 = 15.0;
const NODE_LINE: f64 = 19.0;
const NODE_PAD_X: f64 = 14.0;
const NODE_PAD_Y: f64 = 11.0;
const NODE_MIN_W: f64 = 112.0;
/// Labels longer than this (in characters) are wrapped onto two lines.
const NODE_WRAP: usize = 14;
/// Room kept free around a box (in total, split over both sides).
const NODE_HALO: f64 = 36.0;

const CHIP_FONT: f64 = 12.0;
const CHIP_LINE: f64 = 14.0;
const CHIP_PAD_X: f64 = 5.0;
const CHIP_PAD_Y: f64 = 3.0;
const CHIP_WRAP: usize = 18;
/// Extra room layout-rs keeps around a chip, on top of its own small halo.
const CHIP_ROOM: f64 = 4.0;

/// Average glyph advance as a fraction of the font size (generous, so that
/// wide sans-serif fonts still fit).
const CHAR_W: f64 = 0.6;

const MARGIN: f64 = 12.0;
const LEGEND_H: f64 = 30.0;

const REFERRAL_COLOR: &str = "#14365d";
const REPORT_BACK_COLOR: &str = "#6b3fa0";
const DASH: &str = "7 5";
const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

// ---------------------------------------------------------------------------
// Public API.

/// Draw the diagram. `title` and `description` go into `<title>`/`<desc>`;
/// `id_prefix` makes element ids unique when several diagrams share a page.
///
/// Edges whose ends are not among `nodes` are skipped; duplicate node ids keep
/// their first occurrence. Never panics.
pub fn draw(
    nodes: &[Node],
    edges: &[Edge],
    title: &str,
    description: &str,
    id_prefix: &str,
) -> Diagram {
    // Unique nodes, in input order.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut uniq: Vec<&Node> = Vec::new();
    for n in nodes {
        if !index.contains_key(n.id.as_str()) {
            index.insert(n.id.as_str(), uniq.len());
            uniq.push(n);
        }
    }
    // Edges with both ends known, in input order.
    let mut kept: Vec<KeptEdge> = Vec::new();
    for e in edges {
        if let (Some(&from), Some(&to)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            kept.push(KeptEdge {
                from,
                to,
                kind: e.kind,
                label: e.label.trim().to_string(),
            });
        }
    }

    let node_texts: Vec<Vec<String>> = uniq
        .iter()
        .map(|n| wrap(n.label.trim(), NODE_WRAP))
        .collect();
    let node_sizes: Vec<(f64, f64)> = node_texts.iter().map(|l| node_size(l)).collect();
    let chip_texts: Vec<Vec<String>> = kept.iter().map(|e| wrap(&e.label, CHIP_WRAP)).collect();
    let chip_sizes: Vec<Option<(f64, f64)>> = chip_texts.iter().map(|l| chip_size(l)).collect();

    let geometry = if uniq.is_empty() {
        None
    } else {
        let sizes = (&node_sizes, &kept, &chip_sizes);
        catch_unwind(AssertUnwindSafe(|| {
            layout_with_layout_rs(sizes.0, sizes.1, sizes.2)
        }))
        .ok()
        .flatten()
    };
    let geometry = geometry.unwrap_or_else(|| fallback_layout(&node_sizes, &kept, &chip_sizes));

    render(&Scene {
        nodes: &uniq,
        node_texts: &node_texts,
        edges: &kept,
        chip_texts: &chip_texts,
        chip_sizes: &chip_sizes,
        geometry,
        title,
        description,
        prefix: id_prefix,
    })
}

/// Pairs of node ids whose boxes intersect (touching edges do not count), in
/// input order.
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

// ---------------------------------------------------------------------------
// Text measuring and wrapping.

fn text_width(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * font * CHAR_W
}

/// Split `s` into at most two lines, at the space that makes the longer line
/// shortest, when it is longer than `limit` characters.
fn wrap(s: &str, limit: usize) -> Vec<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let one = words.join(" ");
    if one.is_empty() {
        return Vec::new();
    }
    if one.chars().count() <= limit || words.len() < 2 {
        return vec![one];
    }
    let mut best: Option<(usize, String, String)> = None;
    for cut in 1..words.len() {
        let a = words[..cut].join(" ");
        let b = words[cut..].join(" ");
        let longest = a.chars().count().max(b.chars().count());
        if best.as_ref().is_none_or(|(l, _, _)| longest < *l) {
            best = Some((longest, a, b));
        }
    }
    match best {
        Some((_, a, b)) => vec![a, b],
        None => vec![one],
    }
}

fn node_size(lines: &[String]) -> (f64, f64) {
    let widest = lines
        .iter()
        .map(|l| text_width(l, NODE_FONT))
        .fold(0.0, f64::max);
    let w = (widest + 2.0 * NODE_PAD_X).max(NODE_MIN_W).ceil();
    let h = (lines.len().max(1) as f64 * NODE_LINE + 2.0 * NODE_PAD_Y).ceil();
    (w, h)
}

fn chip_size(lines: &[String]) -> Option<(f64, f64)> {
    if lines.is_empty() {
        return None;
    }
    let widest = lines
        .iter()
        .map(|l| text_width(l, CHIP_FONT))
        .fold(0.0, f64::max);
    let w = (widest + 2.0 * CHIP_PAD_X).ceil();
    let h = (lines.len() as f64 * CHIP_LINE + 2.0 * CHIP_PAD_Y).ceil();
    Some((w, h))
}

// ---------------------------------------------------------------------------
// Layout.

struct KeptEdge {
    from: usize,
    to: usize,
    kind: EdgeKind,
    label: String,
}

/// Where things are, in layout coordinates (any origin).
struct Geometry {
    /// Centre of each node box.
    node_centers: Vec<(f64, f64)>,
    /// Per edge: the points between the two boxes the edge passes through, in
    /// from -> to order (the label chip centre is one of them when it has one).
    routes: Vec<Vec<(f64, f64)>>,
    /// Per edge: the centre of its label chip.
    chips: Vec<Option<(f64, f64)>>,
}

/// Collects what layout-rs would draw: edge routes (tagged with the edge index
/// in `properties`) and the positions of label connectors (tagged through their
/// placeholder text).
#[derive(Default)]
struct Recorder {
    arrows: Vec<(usize, bool, Vec<(f64, f64)>)>,
    labels: Vec<(usize, (f64, f64))>,
}

const TAG: char = '\u{1}';

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        _: Point,
        _: Point,
        _: &StyleAttr,
        _: Option<String>,
        _: Option<ClipHandle>,
    ) {
    }
    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, xy: Point, text: &str, _: &StyleAttr) {
        // Placeholder text of a label connector: TAG index TAG ....
        let mut parts = text.split(TAG);
        if let (Some(""), Some(idx)) = (parts.next(), parts.next()) {
            if let Ok(i) = idx.parse::<usize>() {
                self.labels.push((i, (xy.x, xy.y)));
            }
        }
    }
    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        head: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        if std::env::var("DIAG_DEBUG").is_ok() {
            eprintln!(
                "raw {:?} {:?} {:?}",
                properties,
                head,
                path.iter()
                    .map(|(a, b)| ((a.x, a.y), (b.x, b.y)))
                    .collect::<Vec<_>>()
            );
        }
        let Some(idx) = properties.and_then(|p| p.parse::<usize>().ok()) else {
            return;
        };
        // path = [(start, ctrl), (ctrl, p1), (ctrl, p2), ..., (ctrl, end)]:
        // the interior pass-through points are the `.1` of the middle entries.
        let inner: Vec<(f64, f64)> = path
            .iter()
            .skip(1)
            .take(path.len().saturating_sub(2))
            .map(|(_, p)| (p.x, p.y))
            .collect();
        // An arrow drawn with only a start head was reversed to keep the
        // graph acyclic.
        let reversed = head.0 && !head.1;
        self.arrows.push((idx, reversed, inner));
    }
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// layout-rs measures connector text as one `PLACEHOLDER_FONT` square per
/// character and line, plus 10 padding. It may move a label to another
/// connector of the same edge, and that connector then measures it with the
/// default font size, so we use the default too.
const PLACEHOLDER_FONT: f64 = 15.0;

/// Text that layout-rs measures as at least `w` x `h`, and which carries the
/// edge index for the [`Recorder`]. Returns the text and its measured size.
fn placeholder(idx: usize, w: f64, h: f64) -> (String, (f64, f64)) {
    let cols = ((w - 10.0) / PLACEHOLDER_FONT).ceil().max(1.0) as usize;
    let rows = ((h - 10.0) / PLACEHOLDER_FONT).ceil().max(1.0) as usize;
    let mut first = format!("{TAG}{idx}{TAG}");
    while first.chars().count() < cols {
        first.push('.');
    }
    let mut s = first;
    for _ in 1..rows {
        s.push_str("\n.");
    }
    let size = (
        s.lines().map(|l| l.chars().count()).max().unwrap_or(1) as f64 * PLACEHOLDER_FONT + 10.0,
        rows as f64 * PLACEHOLDER_FONT + 10.0,
    );
    (s, size)
}

fn layout_with_layout_rs(
    node_sizes: &[(f64, f64)],
    edges: &[KeptEdge],
    chip_sizes: &[Option<(f64, f64)>],
) -> Option<Geometry> {
    let orientation = Orientation::TopToBottom;
    let mut vg = VisualGraph::new(orientation);
    let mut handles = Vec::with_capacity(node_sizes.len());
    for &(w, h) in node_sizes {
        let elem = Element {
            shape: ShapeKind::Box(String::new()),
            pos: Position::new(
                Point::zero(),
                Point::new(w, h),
                Point::zero(),
                Point::splat(NODE_HALO),
            ),
            look: StyleAttr::simple(),
            orientation,
            properties: None,
        };
        handles.push(vg.add_node(elem));
    }
    let mut reserved: Vec<Option<(f64, f64)>> = vec![None; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        let text = match chip_sizes[i] {
            Some((w, h)) => {
                let (text, size) = placeholder(i, w + CHIP_ROOM, h + CHIP_ROOM);
                reserved[i] = Some(size);
                text
            }
            None => String::new(),
        };
        let mut arrow = Arrow::simple_with_properties(&text, i.to_string());
        arrow.look.font_size = PLACEHOLDER_FONT as usize;
        vg.add_edge(arrow, handles[e.from], handles[e.to]);
    }

    let mut rec = Recorder::default();
    vg.do_it(false, false, false, &mut rec);
    if std::env::var("DIAG_DEBUG").is_ok() {
        for a in &rec.arrows {
            eprintln!("arrow {:?}", a);
        }
        for a in &rec.labels {
            eprintln!("label {:?}", a);
        }
    }

    let node_centers: Vec<(f64, f64)> = handles
        .iter()
        .map(|&h| {
            let c = vg.pos(h).center();
            (c.x, c.y)
        })
        .collect();

    let mut chips: Vec<Option<(f64, f64)>> = vec![None; edges.len()];
    for &(i, p) in &rec.labels {
        if let Some(slot) = chips.get_mut(i) {
            *slot = Some(p);
        }
    }
    let mut routes: Vec<Vec<(f64, f64)>> = vec![Vec::new(); edges.len()];
    let mut seen = vec![false; edges.len()];
    for (i, reversed, mut inner) in rec.arrows {
        if i >= edges.len() {
            continue;
        }
        seen[i] = true;
        if reversed {
            inner.reverse();
        }
        // layout-rs routes the edge through the bottom middle of the label
        // connector; route it through the chip's centre instead, so that the
        // chip sits on the line.
        if let (Some(chip), Some((_, h))) = (chips[i], reserved[i]) {
            let under = (chip.0, chip.1 + h / 2.0);
            let nearest = inner
                .iter()
                .enumerate()
                .min_by(|a, b| dist2(*a.1, under).total_cmp(&dist2(*b.1, under)))
                .map(|(k, _)| k);
            match nearest {
                Some(k) if dist2(inner[k], under) < 4.0 => inner[k] = chip,
                _ => {}
            }
        }
        routes[i] = inner;
    }
    if seen.iter().any(|s| !s)
        || chips
            .iter()
            .zip(chip_sizes)
            .any(|(c, s)| c.is_none() && s.is_some())
    {
        return None;
    }
    let all_finite = node_centers
        .iter()
        .chain(routes.iter().flatten())
        .all(|p| p.0.is_finite() && p.1.is_finite());
    if !all_finite {
        return None;
    }
    Some(Geometry {
        node_centers,
        routes,
        chips,
    })
}

/// Used only if layout-rs fails: nodes on a simple grid, straight edges.
fn fallback_layout(
    node_sizes: &[(f64, f64)],
    edges: &[KeptEdge],
    chip_sizes: &[Option<(f64, f64)>],
) -> Geometry {
    const COLS: usize = 3;
    let col_w = node_sizes.iter().map(|s| s.0).fold(NODE_MIN_W, f64::max) + 120.0;
    let row_h = node_sizes.iter().map(|s| s.1).fold(0.0, f64::max) + 90.0;
    let node_centers: Vec<(f64, f64)> = (0..node_sizes.len())
        .map(|i| ((i % COLS) as f64 * col_w, (i / COLS) as f64 * row_h))
        .collect();
    let mut routes = Vec::with_capacity(edges.len());
    let mut chips = Vec::with_capacity(edges.len());
    for (i, e) in edges.iter().enumerate() {
        let a = node_centers[e.from];
        let b = node_centers[e.to];
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0 + (i % 3) as f64 * 16.0);
        routes.push(vec![mid]);
        chips.push(chip_sizes[i].map(|_| mid));
    }
    Geometry {
        node_centers,
        routes,
        chips,
    }
}

fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

// ---------------------------------------------------------------------------
// SVG.

struct Scene<'a> {
    nodes: &'a [&'a Node],
    node_texts: &'a [Vec<String>],
    edges: &'a [KeptEdge],
    chip_texts: &'a [Vec<String>],
    chip_sizes: &'a [Option<(f64, f64)>],
    geometry: Geometry,
    title: &'a str,
    description: &'a str,
    prefix: &'a str,
}

/// Which side of a box an edge leaves or enters by.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
    Left,
    Right,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Fixed-precision number, without "-0.0".
fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

fn render(scene: &Scene) -> Diagram {
    let g = &scene.geometry;
    let p = escape(scene.prefix);

    // Node boxes in layout coordinates.
    let mut rects: Vec<Rect> = g
        .node_centers
        .iter()
        .zip(scene.node_texts)
        .map(|(&(cx, cy), lines)| {
            let (w, h) = node_size(lines);
            Rect {
                x: cx - w / 2.0,
                y: cy - h / 2.0,
                width: w,
                height: h,
            }
        })
        .collect();

    // Edge end points: spread every edge that meets a side of a box evenly
    // over that side, ordered by where the edge goes, so that arrowheads never
    // sit on top of each other and parallel edges never coincide.
    let mut ends: BTreeMap<(usize, Side), Vec<(f64, usize, bool)>> = BTreeMap::new();
    let self_loops: Vec<bool> = scene.edges.iter().map(|e| e.from == e.to).collect();
    for (i, e) in scene.edges.iter().enumerate() {
        if self_loops[i] {
            continue;
        }
        let route = &g.routes[i];
        let a = &rects[e.from];
        let b = &rects[e.to];
        let first = route.first().copied().unwrap_or(center(b));
        let last = route.last().copied().unwrap_or(center(a));
        let (sa, ka) = side_towards(a, first);
        let (sb, kb) = side_towards(b, last);
        ends.entry((e.from, sa)).or_default().push((ka, i, true));
        ends.entry((e.to, sb)).or_default().push((kb, i, false));
    }
    let mut start_pts: Vec<(f64, f64, Side)> = vec![(0.0, 0.0, Side::Top); scene.edges.len()];
    let mut end_pts: Vec<(f64, f64, Side)> = vec![(0.0, 0.0, Side::Top); scene.edges.len()];
    for (&(node, side), list) in ends.iter_mut() {
        list.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let r = &rects[node];
        let count = list.len() as f64;
        for (k, &(_, edge, is_start)) in list.iter().enumerate() {
            let t = (k as f64 + 1.0) / (count + 1.0);
            let pt = match side {
                Side::Top => (r.x + 8.0 + t * (r.width - 16.0), r.y),
                Side::Bottom => (r.x + 8.0 + t * (r.width - 16.0), r.y + r.height),
                Side::Left => (r.x, r.y + 4.0 + t * (r.height - 8.0)),
                Side::Right => (r.x + r.width, r.y + 4.0 + t * (r.height - 8.0)),
            };
            if is_start {
                start_pts[edge] = (pt.0, pt.1, side);
            } else {
                end_pts[edge] = (pt.0, pt.1, side);
            }
        }
    }

    // Paths in layout coordinates.
    let mut paths: Vec<Vec<Seg>> = Vec::with_capacity(scene.edges.len());
    for (i, e) in scene.edges.iter().enumerate() {
        if self_loops[i] {
            paths.push(self_loop(&rects[e.from], g.chips[i]));
            continue;
        }
        let (sx, sy, ss) = start_pts[i];
        let (ex, ey, es) = end_pts[i];
        let mut pts: Vec<((f64, f64), Tangent)> = Vec::new();
        pts.push(((sx, sy), Tangent::of(ss)));
        for &w in &g.routes[i] {
            pts.push((w, Tangent::Free));
        }
        pts.push(((ex, ey), Tangent::of(es)));
        paths.push(curve(&pts));
    }

    // Chip rectangles in layout coordinates.
    let chip_rects: Vec<Option<Rect>> = g
        .chips
        .iter()
        .zip(scene.chip_sizes)
        .map(|(c, s)| match (c, s) {
            (Some((cx, cy)), Some((w, h))) => Some(Rect {
                x: cx - w / 2.0,
                y: cy - h / 2.0,
                width: *w,
                height: *h,
            }),
            _ => None,
        })
        .collect();

    // Bounding box of everything, then shift to the origin below the legend.
    let mut min = (f64::INFINITY, f64::INFINITY);
    let mut max = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut grow = |x: f64, y: f64| {
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    };
    for r in rects.iter().chain(chip_rects.iter().flatten()) {
        grow(r.x, r.y);
        grow(r.x + r.width, r.y + r.height);
    }
    for path in &paths {
        for s in path {
            for q in [s.a, s.c1, s.c2, s.b] {
                grow(q.0, q.1);
            }
        }
    }
    let legend_w = legend_width();
    let (dx, dy, width, height) = if min.0.is_finite() && max.0.is_finite() {
        let w = (max.0 - min.0).max(legend_w) + 2.0 * MARGIN;
        let h = max.1 - min.1 + 2.0 * MARGIN + LEGEND_H;
        // Centre the graph horizontally when the legend is wider.
        let extra = ((legend_w - (max.0 - min.0)) / 2.0).max(0.0);
        (MARGIN - min.0 + extra, MARGIN + LEGEND_H - min.1, w, h)
    } else {
        (0.0, 0.0, legend_w + 2.0 * MARGIN, LEGEND_H + 2.0 * MARGIN)
    };
    let shift = |q: (f64, f64)| (q.0 + dx, q.1 + dy);
    for r in rects.iter_mut() {
        r.x += dx;
        r.y += dy;
    }

    // --- Emit. ---------------------------------------------------------------
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{p}title {p}desc\" class=\"pathway-diagram\">",
        n(width),
        n(height)
    );
    let _ = write!(s, "<title id=\"{p}title\">{}</title>", escape(scene.title));
    let _ = write!(
        s,
        "<desc id=\"{p}desc\">{}</desc>",
        escape(scene.description)
    );
    let _ = write!(
        s,
        "<defs>{}{}</defs>",
        marker(&format!("{p}arrow-ref"), REFERRAL_COLOR),
        marker(&format!("{p}arrow-back"), REPORT_BACK_COLOR)
    );
    let _ = write!(
        s,
        "<g font-family=\"{}\" fill=\"#1a1a1a\">",
        escape(FONT_FAMILY)
    );

    legend(&mut s, &p, width);

    // Edges.
    s.push_str("<g class=\"edges\" fill=\"none\" stroke-width=\"1.8\">");
    for (i, e) in scene.edges.iter().enumerate() {
        let d = path_data(&paths[i], &shift);
        match e.kind {
            EdgeKind::Referral => {
                let _ = write!(
                    s,
                    "<path class=\"edge edge-referral\" d=\"{d}\" stroke=\"{REFERRAL_COLOR}\" marker-end=\"url(#{p}arrow-ref)\"/>"
                );
            }
            EdgeKind::ReportBack => {
                let _ = write!(
                    s,
                    "<path class=\"edge edge-reportback\" d=\"{d}\" stroke=\"{REPORT_BACK_COLOR}\" stroke-dasharray=\"{DASH}\" marker-end=\"url(#{p}arrow-back)\"/>"
                );
            }
        }
    }
    s.push_str("</g>");

    // Nodes.
    s.push_str("<g class=\"nodes\">");
    for (i, node) in scene.nodes.iter().enumerate() {
        let r = &rects[i];
        let (fill, stroke_w) = if node.highlighted {
            ("#fff3c4", "3")
        } else {
            ("#eef3f9", "1.5")
        };
        let class = if node.highlighted {
            "node node-highlighted"
        } else {
            "node"
        };
        let _ = write!(
            s,
            "<g class=\"{class}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{REFERRAL_COLOR}\" stroke-width=\"{stroke_w}\"/>",
            n(r.x),
            n(r.y),
            n(r.width),
            n(r.height)
        );
        let lines = &scene.node_texts[i];
        let cx = r.x + r.width / 2.0;
        let first = r.y + r.height / 2.0 - (lines.len() as f64 - 1.0) * NODE_LINE / 2.0;
        text_lines(
            &mut s,
            lines,
            cx,
            first,
            NODE_FONT,
            NODE_LINE,
            node.highlighted,
        );
        s.push_str("</g>");
    }
    s.push_str("</g>");

    // Channel labels.
    s.push_str("<g class=\"edge-labels\">");
    for (i, e) in scene.edges.iter().enumerate() {
        let Some(r) = chip_rects[i] else { continue };
        let (x, y) = shift((r.x, r.y));
        let color = match e.kind {
            EdgeKind::Referral => REFERRAL_COLOR,
            EdgeKind::ReportBack => REPORT_BACK_COLOR,
        };
        let _ = write!(
            s,
            "<g class=\"edge-label\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"{color}\" stroke-width=\"0.8\"/>",
            n(x),
            n(y),
            n(r.width),
            n(r.height)
        );
        let lines = &scene.chip_texts[i];
        let first = y + r.height / 2.0 - (lines.len() as f64 - 1.0) * CHIP_LINE / 2.0;
        let _ = write!(s, "<g fill=\"{color}\">");
        text_lines(
            &mut s,
            lines,
            x + r.width / 2.0,
            first,
            CHIP_FONT,
            CHIP_LINE,
            false,
        );
        s.push_str("</g></g>");
    }
    s.push_str("</g>");

    s.push_str("</g></svg>");

    let boxes = scene
        .nodes
        .iter()
        .zip(rects)
        .map(|(node, r)| (node.id.clone(), r))
        .collect();
    Diagram { svg: s, boxes }
}

fn center(r: &Rect) -> (f64, f64) {
    (r.x + r.width / 2.0, r.y + r.height / 2.0)
}

/// The side of `r` facing `p`, and a sort key along that side.
fn side_towards(r: &Rect, p: (f64, f64)) -> (Side, f64) {
    if p.1 >= r.y + r.height {
        (Side::Bottom, p.0)
    } else if p.1 <= r.y {
        (Side::Top, p.0)
    } else if p.0 >= r.x + r.width / 2.0 {
        (Side::Right, p.1)
    } else {
        (Side::Left, p.1)
    }
}

#[derive(Clone, Copy)]
enum Tangent {
    Vertical,
    Horizontal,
    Free,
}

impl Tangent {
    fn of(side: Side) -> Self {
        match side {
            Side::Top | Side::Bottom => Tangent::Vertical,
            Side::Left | Side::Right => Tangent::Horizontal,
        }
    }
}

/// One cubic Bézier segment.
#[derive(Clone, Copy)]
struct Seg {
    a: (f64, f64),
    c1: (f64, f64),
    c2: (f64, f64),
    b: (f64, f64),
}

/// A smooth curve through `pts`. Pass-through points in a top-to-bottom
/// layout take a vertical tangent, which keeps the curve smooth and makes
/// every segment leave and enter rows straight.
fn curve(pts: &[((f64, f64), Tangent)]) -> Vec<Seg> {
    let mut segs = Vec::new();
    for w in pts.windows(2) {
        let (a, ta) = w[0];
        let (b, tb) = w[1];
        let dx = b.0 - a.0;
        let dy = b.1 - a.1;
        let ctrl = |p: (f64, f64), t: Tangent, sign: f64| match t {
            Tangent::Horizontal => (p.0 + sign * dx * 0.5, p.1),
            Tangent::Vertical | Tangent::Free => (p.0, p.1 + sign * dy * 0.5),
        };
        segs.push(Seg {
            a,
            c1: ctrl(a, ta, 1.0),
            c2: ctrl(b, tb, -1.0),
            b,
        });
    }
    segs
}

/// A loop on the right side of a box, through its label chip if it has one.
fn self_loop(r: &Rect, chip: Option<(f64, f64)>) -> Vec<Seg> {
    let x = r.x + r.width;
    let top = (x, r.y + r.height * 0.3);
    let bottom = (x, r.y + r.height * 0.7);
    let reach = 40.0;
    let far = chip.unwrap_or((x + reach, r.y + r.height / 2.0));
    let far = if far.0 < x { (x + reach, far.1) } else { far };
    vec![
        Seg {
            a: top,
            c1: (top.0 + reach * 0.6, top.1 - 12.0),
            c2: (far.0, far.1 - 18.0),
            b: far,
        },
        Seg {
            a: far,
            c1: (far.0, far.1 + 18.0),
            c2: (bottom.0 + reach * 0.6, bottom.1 + 12.0),
            b: bottom,
        },
    ]
}

fn path_data(segs: &[Seg], shift: &impl Fn((f64, f64)) -> (f64, f64)) -> String {
    let mut d = String::new();
    for (k, sg) in segs.iter().enumerate() {
        let (a, c1, c2, b) = (shift(sg.a), shift(sg.c1), shift(sg.c2), shift(sg.b));
        if k == 0 {
            let _ = write!(d, "M{} {}", n(a.0), n(a.1));
        }
        let _ = write!(
            d,
            " C{} {} {} {} {} {}",
            n(c1.0),
            n(c1.1),
            n(c2.0),
            n(c2.1),
            n(b.0),
            n(b.1)
        );
    }
    d
}

fn marker(id: &str, color: &str) -> String {
    format!(
        "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"{color}\"/></marker>"
    )
}

fn text_lines(
    s: &mut String,
    lines: &[String],
    cx: f64,
    first_center: f64,
    font: f64,
    line: f64,
    bold: bool,
) {
    // Baseline sits about 0.35 em below the visual centre of a line.
    let weight = if bold { " font-weight=\"600\"" } else { "" };
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\"{weight}>",
        n(cx),
        n(first_center + 0.35 * font),
        n(font)
    );
    for (k, l) in lines.iter().enumerate() {
        if lines.len() == 1 {
            s.push_str(&escape(l));
        } else if k == 0 {
            let _ = write!(s, "<tspan x=\"{}\">{}</tspan>", n(cx), escape(l));
        } else {
            let _ = write!(
                s,
                "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                n(cx),
                n(line),
                escape(l)
            );
        }
    }
    s.push_str("</text>");
}

const LEGEND_REF: &str = "henvisning";
const LEGEND_BACK: &str = "tilbagemelding";
const LEGEND_FONT: f64 = 13.0;
const LEGEND_LINE: f64 = 34.0;

fn legend_width() -> f64 {
    2.0 * (LEGEND_LINE + 6.0)
        + text_width(LEGEND_REF, LEGEND_FONT)
        + 20.0
        + text_width(LEGEND_BACK, LEGEND_FONT)
}

/// The legend: a row at the top, above the graph (so it never covers a box).
fn legend(s: &mut String, p: &str, width: f64) {
    let total = legend_width();
    let x0 = ((width - total) / 2.0).max(MARGIN);
    let y = MARGIN + 8.0;
    let x1 = x0 + LEGEND_LINE + 6.0 + text_width(LEGEND_REF, LEGEND_FONT) + 20.0;
    let _ = write!(s, "<g class=\"legend\" font-size=\"{}\">", n(LEGEND_FONT));
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{REFERRAL_COLOR}\" stroke-width=\"1.8\" marker-end=\"url(#{p}arrow-ref)\"/>",
        n(x0),
        n(y),
        n(x0 + LEGEND_LINE),
        n(y)
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\">{LEGEND_REF}</text>",
        n(x0 + LEGEND_LINE + 6.0),
        n(y + 0.35 * LEGEND_FONT)
    );
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{REPORT_BACK_COLOR}\" stroke-width=\"1.8\" stroke-dasharray=\"{DASH}\" marker-end=\"url(#{p}arrow-back)\"/>",
        n(x1),
        n(y),
        n(x1 + LEGEND_LINE),
        n(y)
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\">{LEGEND_BACK}</text>",
        n(x1 + LEGEND_LINE + 6.0),
        n(y + 0.35 * LEGEND_FONT)
    );
    s.push_str("</g>");
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!d.svg.starts_with("<?xml"));
        let doc = parse(&d.svg);
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some("rp1-title rp1-desc")
        );
        assert_eq!(root.attribute("class"), Some("pathway-diagram"));
        assert!(root.attribute("width").is_none() && root.attribute("height").is_none());
        let kids: Vec<_> = root.children().filter(|c| c.is_element()).collect();
        assert_eq!(kids[0].tag_name().name(), "title");
        assert_eq!(kids[0].text(), Some("Henvisninger <ryg>"));
        assert_eq!(kids[1].tag_name().name(), "desc");
        assert_eq!(kids[1].attribute("id"), Some("rp1-desc"));
        let count = |name: &str| doc.descendants().filter(|x| x.has_tag_name(name)).count();
        assert_eq!(count("title"), 1);
        assert_eq!(count("desc"), 1);

        // viewBox fits a phone-friendly width.
        let vb: Vec<f64> = root
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert!(vb[2] <= 900.0, "viewBox too wide: {}", vb[2]);

        assert_eq!(d.boxes.len(), nodes.len());
        assert!(
            overlapping(&d.boxes).is_empty(),
            "{:?}",
            overlapping(&d.boxes)
        );

        let all_text: String = doc
            .descendants()
            .filter(|x| x.has_tag_name("text"))
            .map(|t| {
                t.descendants()
                    .filter_map(|c| c.text())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n");
        for nd in &nodes {
            assert!(all_text.contains(&nd.label), "missing label {}", nd.label);
        }

        let known = |id: &str| nodes.iter().any(|n| n.id == id);
        let drawable: Vec<&Edge> = edges
            .iter()
            .filter(|e| known(&e.from) && known(&e.to))
            .collect();
        let edge_paths: Vec<_> = doc
            .descendants()
            .filter(|x| {
                x.has_tag_name("path")
                    && x.attribute("class")
                        .is_some_and(|c| c.split(' ').any(|c| c == "edge"))
            })
            .collect();
        assert_eq!(edge_paths.len(), drawable.len());
        let dashed = edge_paths
            .iter()
            .filter(|x| x.attribute("stroke-dasharray").is_some())
            .count();
        let report_backs = drawable
            .iter()
            .filter(|e| e.kind == EdgeKind::ReportBack)
            .count();
        assert_eq!(dashed, report_backs);

        // Chips: no label overlaps a box; no two labels overlap each other.
        let chips: Vec<(String, Rect)> = doc
            .descendants()
            .filter(|x| x.has_tag_name("g") && x.attribute("class") == Some("edge-label"))
            .map(|g| {
                let r = g.children().find(|c| c.has_tag_name("rect")).unwrap();
                let f = |a: &str| r.attribute(a).unwrap().parse::<f64>().unwrap();
                (
                    "chip".to_string(),
                    Rect {
                        x: f("x"),
                        y: f("y"),
                        width: f("width"),
                        height: f("height"),
                    },
                )
            })
            .collect();
        assert_eq!(chips.len(), drawable.len());
        let mut everything = d.boxes.clone();
        everything.extend(chips);
        assert!(
            overlapping(&everything).is_empty(),
            "{:?}",
            overlapping(&everything)
        );

        // Ids are prefixed.
        for x in doc.descendants() {
            if let Some(id) = x.attribute("id") {
                assert!(id.starts_with("rp1-"), "{id}");
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
    }

    #[test]
    fn empty_input_is_a_small_valid_svg() {
        let d = draw(&[], &[], "Tomt forløb", "Ingen aktører", "e-");
        let doc = parse(&d.svg);
        assert!(d.boxes.is_empty());
        let title = doc.descendants().find(|x| x.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some("Tomt forløb"));
        assert_eq!(title.attribute("id"), Some("e-title"));
    }

    #[test]
    fn odd_input_never_panics() {
        let nodes = vec![
            node("a", "A & <B>", true),
            node("a", "duplicate", false),
            node("b", "", false),
            node(
                "c",
                "Et meget langt navn uden nogen rimelig grænse for længden",
                false,
            ),
            node("d", "Ensom", false),
        ];
        let edges = vec![
            edge("a", "a", EdgeKind::Referral, "selv"),
            edge("a", "b", EdgeKind::Referral, ""),
            edge("a", "b", EdgeKind::Referral, ""),
            edge("b", "a", EdgeKind::ReportBack, "\u{1}0\u{1}"),
            edge("b", "c", EdgeKind::ReportBack, "\"quoted\" 'x'"),
            edge(
                "c",
                "a",
                EdgeKind::Referral,
                "REF 01 · henvisning via sundhedsjournalen",
            ),
            edge("zz", "a", EdgeKind::Referral, "x"),
        ];
        let d = draw(&nodes, &edges, "", "", "\"<&>");
        let doc = parse(&d.svg);
        let paths = doc
            .descendants()
            .filter(|x| {
                x.has_tag_name("path")
                    && x.attribute("class").is_some_and(|c| c.starts_with("edge"))
            })
            .count();
        assert_eq!(paths, 6);
        assert_eq!(d.boxes.len(), 4);
        assert!(overlapping(&d.boxes).is_empty());
        // Only edges, no nodes; and nodes without edges.
        parse(&draw(&[], &edges, "x", "y", "p").svg);
        parse(&draw(&nodes[4..], &[], "x", "y", "p").svg);
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
    }
}
