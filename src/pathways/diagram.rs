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
//!    [`RenderBackend`].
//! 4. Its x placement leaves a lot of width, so `compact` redoes only
//!    that: each row keeps its layout-rs order (barycentre-refined) and every
//!    box, chip and passing edge is pulled towards its neighbours along the
//!    edges, rows packed as tightly as their order allows.
//! 5. The SVG is written here (not by layout-rs's `SVGWriter`), so it is
//!    accessible (`role="img"`, `<title>`, `<desc>`), styled for the site and
//!    byte-for-byte deterministic: every edge is its own path, parallel edges
//!    are offset, arrowheads end on box borders.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};

use layout::adt::dag::NodeHandle;
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
// Look.

const NODE_FONT: f64 = 16.0;
const NODE_LINE: f64 = 20.0;
const NODE_PAD_X: f64 = 14.0;
const NODE_PAD_Y: f64 = 11.0;
const NODE_MIN_W: f64 = 110.0;
/// Labels longer than this (in characters) are wrapped onto two lines.
const NODE_WRAP: usize = 14;
/// Room layout-rs keeps free around a box (in total, split over both sides).
/// Across, [`compact`] has the last word (see [`NODE_GAP`]); down, this is
/// the room edges have to bend in between rows.
const NODE_HALO_X: f64 = 30.0;
const NODE_HALO_Y: f64 = 56.0;
/// Room per edge end on a box side, so arrowheads do not pile up.
const PORT_GAP: f64 = 9.0;

const CHIP_FONT: f64 = 13.0;
const CHIP_LINE: f64 = 16.0;
const CHIP_PAD_X: f64 = 6.0;
const CHIP_PAD_Y: f64 = 3.0;
const CHIP_WRAP: usize = 22;
/// Extra room reserved around a chip, on top of layout-rs's own small halo.
const CHIP_ROOM_X: f64 = 6.0;
const CHIP_ROOM_Y: f64 = 16.0;
/// Horizontal distance between parallel edges of one pair.
const PARALLEL_GAP: f64 = 6.0;

/// Average glyph advance as a fraction of the font size (generous, so that
/// wide sans-serif fonts still fit).
const CHAR_W: f64 = 0.6;

const MARGIN: f64 = 12.0;
const LEGEND_H: f64 = 34.0;
/// The widest viewBox we aim for (it is scaled down to a 390 px phone).
const MAX_WIDTH: f64 = 880.0;

const REFERRAL_COLOR: &str = "#14365d";
const REPORT_BACK_COLOR: &str = "#6b3fa0";
const CHIP_BORDER: &str = "#8795a8";
const DASH: &str = "7 4";
const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/// Above these sizes layout-rs gets slow (its reachability check explores
/// paths); such graphs are drawn with the simple fallback layout instead.
const LAYOUT_MAX_NODES: usize = 32;
const LAYOUT_MAX_PAIRS: usize = 90;

// ---------------------------------------------------------------------------
// Public API.

/// Draw the diagram. `title` and `description` go into `<title>`/`<desc>`;
/// `id_prefix` makes element ids unique when several diagrams share a page.
///
/// Edges whose ends are not among `nodes` are skipped; duplicate node ids keep
/// their first occurrence. Never panics; the same input always gives the
/// same bytes.
pub fn draw(
    nodes: &[Node],
    edges: &[Edge],
    title: &str,
    description: &str,
    id_prefix: &str,
) -> Diagram {
    let model = Model::new(nodes, edges);
    let geometry = best_layout(&model);
    render(&model, &geometry, title, description, id_prefix)
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

// ---------------------------------------------------------------------------
// Text measuring and wrapping.

fn text_width(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * font * CHAR_W
}

/// Split `s` into two lines, at the space that makes the longer line
/// shortest, when it is longer than `limit` characters; into more lines only
/// when two would still be very long.
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
        Some((longest, a, b)) if longest <= 2 * limit => vec![a, b],
        _ => {
            // Fill lines greedily.
            let width = limit + limit / 2;
            let mut lines: Vec<String> = Vec::new();
            for w in words {
                match lines.last_mut() {
                    Some(l) if l.chars().count() + 1 + w.chars().count() <= width => {
                        l.push(' ');
                        l.push_str(w);
                    }
                    _ => lines.push(w.to_string()),
                }
            }
            lines
        }
    }
}

// ---------------------------------------------------------------------------
// The model: nodes, edges and pairs, independent of any layout.

struct KeptEdge {
    from: usize,
    to: usize,
    kind: EdgeKind,
    label: String,
}

/// One line of a chip: the channels of one (direction, kind) within a pair.
struct ChipLine {
    kind: EdgeKind,
    /// `Some(from)` when the pair has edges both ways (the line then starts
    /// with an arrow showing the direction).
    from: Option<usize>,
    /// The text, wrapped; the first line leaves room for the arrow.
    lines: Vec<String>,
}

struct Pair {
    /// The two ends; `top` is drawn above `bottom` (they are equal for a
    /// self-loop).
    top: usize,
    bottom: usize,
    /// Indices into `Model::edges`, in input order.
    edges: Vec<usize>,
    chip: Vec<ChipLine>,
    /// Width and height of the chip, if it has any text.
    chip_size: Option<(f64, f64)>,
}

struct Model<'a> {
    nodes: Vec<&'a Node>,
    node_lines: Vec<Vec<String>>,
    node_sizes: Vec<(f64, f64)>,
    edges: Vec<KeptEdge>,
    pairs: Vec<Pair>,
}

impl<'a> Model<'a> {
    fn new(nodes: &'a [Node], edges: &[Edge]) -> Self {
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
            if let (Some(&from), Some(&to)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
            {
                kept.push(KeptEdge {
                    from,
                    to,
                    kind: e.kind,
                    label: e.label.split_whitespace().collect::<Vec<_>>().join(" "),
                });
            }
        }

        // Pairs, keyed by their unordered ends; a pair's place is the place
        // of its first edge.
        let mut by_ends: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut pair_edges: Vec<Vec<usize>> = Vec::new();
        for (i, e) in kept.iter().enumerate() {
            let key = (e.from.min(e.to), e.from.max(e.to));
            let p = *by_ends.entry(key).or_insert_with(|| {
                pair_edges.push(Vec::new());
                pair_edges.len() - 1
            });
            pair_edges[p].push(i);
        }

        // Which way each pair points: referrals point down, report-backs up.
        let ends: Vec<(usize, usize)> = pair_edges
            .iter()
            .map(|list| {
                let first = &kept[list[0]];
                (first.from.min(first.to), first.from.max(first.to))
            })
            .collect();
        let orient = orient_pairs(uniq.len(), &kept, &pair_edges, &ends);

        let pairs = pair_edges
            .into_iter()
            .zip(orient)
            .map(|(list, (top, bottom))| {
                let chip = chip_lines(&kept, &list);
                let chip_size = chip_size(&chip);
                Pair {
                    top,
                    bottom,
                    edges: list,
                    chip,
                    chip_size,
                }
            })
            .collect();

        let node_lines: Vec<Vec<String>> = uniq.iter().map(|n| wrap(&n.label, NODE_WRAP)).collect();
        let mut node_sizes: Vec<(f64, f64)> = node_lines.iter().map(|l| node_size(l)).collect();
        // Wide enough for the arrows that meet a box side.
        let mut degree = vec![0usize; uniq.len()];
        for e in &kept {
            degree[e.from] += 1;
            degree[e.to] += 1;
        }
        for (size, d) in node_sizes.iter_mut().zip(&degree) {
            let want = (*d as f64 * 0.6).ceil() * PORT_GAP + 16.0;
            size.0 = size.0.max(want);
        }

        Model {
            nodes: uniq,
            node_lines,
            node_sizes,
            edges: kept,
            pairs,
        }
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

/// The chip text of a pair: one line per (direction, kind), channels joined
/// with " · ", each channel once.
fn chip_lines(edges: &[KeptEdge], list: &[usize]) -> Vec<ChipLine> {
    let both_ways = list.iter().any(|&i| edges[i].from != edges[list[0]].from);
    // (from, to, kind) and its labels.
    type Group<'e> = ((usize, usize, EdgeKind), Vec<&'e str>);
    let mut groups: Vec<Group> = Vec::new();
    for &i in list {
        let e = &edges[i];
        if e.label.is_empty() {
            continue;
        }
        let key = (e.from, e.to, e.kind);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, labels)) => {
                if !labels.contains(&e.label.as_str()) {
                    labels.push(&e.label);
                }
            }
            None => groups.push((key, vec![&e.label])),
        }
    }
    groups
        .into_iter()
        .map(|((from, _, kind), labels)| {
            let text = labels.join(" · ");
            // Two characters of room for the direction arrow.
            let lines = if both_ways {
                wrap(&format!("↓ {text}"), CHIP_WRAP)
                    .into_iter()
                    .enumerate()
                    .map(|(k, l)| {
                        if k == 0 {
                            l.chars().skip(2).collect()
                        } else {
                            l
                        }
                    })
                    .collect()
            } else {
                wrap(&text, CHIP_WRAP)
            };
            ChipLine {
                kind,
                from: both_ways.then_some(from),
                lines,
            }
        })
        .collect()
}

fn chip_size(chip: &[ChipLine]) -> Option<(f64, f64)> {
    let mut widest: f64 = 0.0;
    let mut rows = 0usize;
    for line in chip {
        for (k, l) in line.lines.iter().enumerate() {
            let arrow = if k == 0 && line.from.is_some() { 2 } else { 0 };
            widest = widest.max((l.chars().count() + arrow) as f64 * CHIP_FONT * CHAR_W);
            rows += 1;
        }
    }
    if rows == 0 {
        return None;
    }
    Some((
        (widest + 2.0 * CHIP_PAD_X).ceil(),
        (rows as f64 * CHIP_LINE + 2.0 * CHIP_PAD_Y).ceil(),
    ))
}

/// Orient every pair (top, bottom) so that the pairs form a DAG: the strongest
/// evidence first (referrals a -> b and report-backs b -> a both say "a above
/// b"), and a pair that would close a cycle is turned around.
fn orient_pairs(
    n: usize,
    edges: &[KeptEdge],
    pair_edges: &[Vec<usize>],
    ends: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    // Score for "lower index above higher index".
    let scored: Vec<(i64, usize)> = pair_edges
        .iter()
        .zip(ends)
        .map(|(list, &(lo, _))| {
            let mut down = 0i64;
            let mut up = 0i64;
            for &i in list {
                let e = &edges[i];
                let lo_is_from = e.from == lo;
                match (e.kind, lo_is_from) {
                    (EdgeKind::Referral, true) | (EdgeKind::ReportBack, false) => down += 1,
                    _ => up += 1,
                }
            }
            (down - up, list[0])
        })
        .collect();
    let mut order: Vec<usize> = (0..pair_edges.len()).collect();
    // Strongest first, then input order.
    order.sort_by_key(|&p| (std::cmp::Reverse(scored[p].0.abs()), scored[p].1));

    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut out = vec![(0, 0); pair_edges.len()];
    for p in order {
        let (lo, hi) = ends[p];
        if lo == hi {
            out[p] = (lo, hi);
            continue;
        }
        let first = &edges[pair_edges[p][0]];
        let (mut a, mut b) = match scored[p].0.cmp(&0) {
            std::cmp::Ordering::Greater => (lo, hi),
            std::cmp::Ordering::Less => (hi, lo),
            std::cmp::Ordering::Equal => match first.kind {
                EdgeKind::Referral => (first.from, first.to),
                EdgeKind::ReportBack => (first.to, first.from),
            },
        };
        if reachable(&succ, b, a) {
            std::mem::swap(&mut a, &mut b);
        }
        succ[a].push(b);
        out[p] = (a, b);
    }
    out
}

fn reachable(succ: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; succ.len()];
    let mut stack = vec![from];
    while let Some(v) = stack.pop() {
        if v == to {
            return true;
        }
        if std::mem::replace(&mut seen[v], true) {
            continue;
        }
        stack.extend(succ[v].iter().copied());
    }
    false
}

// ---------------------------------------------------------------------------
// Ranks.

/// Rows for the nodes: longest path from the top, then rows wider than
/// `budget` (nodes, or the chips just above them) push nodes down a row.
fn rank_nodes(model: &Model, budget: f64) -> Vec<usize> {
    let n = model.nodes.len();
    let links: Vec<(usize, usize)> = model
        .pairs
        .iter()
        .filter(|p| p.top != p.bottom)
        .map(|p| (p.top, p.bottom))
        .collect();
    let mut rank = vec![0usize; n];
    settle(&mut rank, &links);

    let mut r = 0;
    let mut steps = 0;
    while steps < n * n + 16 {
        steps += 1;
        let members: Vec<usize> = (0..n).filter(|&v| rank[v] == r).collect();
        if members.is_empty() {
            if rank.iter().all(|&x| x < r) {
                break;
            }
            r += 1;
            continue;
        }
        let mut row = 0.0;
        for &v in &members {
            row += model.node_sizes[v].0 + NODE_GAP;
        }
        let mut chips = 0.0;
        for p in &model.pairs {
            let (a, b) = (rank[p.top], rank[p.bottom]);
            if a < r && r < b {
                row += PASS_GAP;
            }
            if a < r && b == r {
                chips += p.chip_size.map_or(PASS_GAP, |s| s.0 + CHIP_GAP);
            } else if a + 1 < r && b > r {
                chips += PASS_GAP;
            }
        }
        if members.len() < 2 || row.max(chips) <= budget {
            r += 1;
            continue;
        }
        // Push down the node that the row above needs least: the fewest links
        // from above, then the fewest links, then the last in input order.
        let victim = members
            .iter()
            .copied()
            .max_by_key(|&v| {
                let from_above = links
                    .iter()
                    .filter(|&&(a, b)| b == v && rank[a] < r)
                    .count();
                let total = links.iter().filter(|&&(a, b)| a == v || b == v).count();
                (std::cmp::Reverse(from_above), std::cmp::Reverse(total), v)
            })
            .unwrap_or(members[0]);
        rank[victim] += 1;
        settle(&mut rank, &links);
    }
    rank
}

/// Raise ranks until every link goes at least one row down.
fn settle(rank: &mut [usize], links: &[(usize, usize)]) {
    // At most n rounds for a DAG; the bound guards against anything else.
    for _ in 0..=rank.len() {
        let mut changed = false;
        for &(a, b) in links {
            if rank[b] <= rank[a] {
                rank[b] = rank[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

// ---------------------------------------------------------------------------
// Layout.

/// Where things are, in layout coordinates (any origin).
struct Geometry {
    /// Centre of each node box.
    node_centers: Vec<(f64, f64)>,
    /// Per pair: the points between the two boxes its edges pass through,
    /// from `top` to `bottom`, each in the vertical middle of its row.
    routes: Vec<Vec<(f64, f64)>>,
    /// Per pair: which route point is its label connector (the chip centre).
    label_at: Vec<Option<usize>>,
    /// Per pair: the centre of its chip, if it has text.
    chips: Vec<Option<(f64, f64)>>,
    /// Per pair and route point: half the height of the tallest box or chip
    /// in that row. Edges cross a row straight down, and bend only between
    /// rows, so they never run under a box or a chip (set by [`compact`]).
    stems: Vec<Vec<f64>>,
}

impl Geometry {
    /// Width of everything drawn.
    fn width(&self, model: &Model) -> f64 {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for (c, s) in self.node_centers.iter().zip(&model.node_sizes) {
            lo = lo.min(c.0 - s.0 / 2.0);
            hi = hi.max(c.0 + s.0 / 2.0);
        }
        for (p, pair) in model.pairs.iter().enumerate() {
            if let (Some(c), Some(s)) = (self.chips[p], pair.chip_size) {
                lo = lo.min(c.0 - s.0 / 2.0);
                hi = hi.max(c.0 + s.0 / 2.0);
            }
            for q in &self.routes[p] {
                lo = lo.min(q.0);
                hi = hi.max(q.0);
            }
        }
        if lo.is_finite() && hi.is_finite() {
            hi - lo
        } else {
            0.0
        }
    }
}

/// Try a few width budgets and keep the first layout that fits [`MAX_WIDTH`]
/// (or else the narrowest).
fn best_layout(model: &Model) -> Geometry {
    if model.nodes.is_empty() {
        return Geometry {
            node_centers: Vec::new(),
            routes: Vec::new(),
            label_at: Vec::new(),
            chips: Vec::new(),
            stems: Vec::new(),
        };
    }
    let usable = MAX_WIDTH - 2.0 * MARGIN;
    let use_layout_rs =
        model.nodes.len() <= LAYOUT_MAX_NODES && model.pairs.len() <= LAYOUT_MAX_PAIRS;
    // Bigger graphs get fewer tries (each is a full layout).
    let factors: &[f64] = if model.nodes.len() <= 20 {
        &[1.0, 0.85, 0.7, 0.55, 0.4]
    } else {
        &[1.0, 0.7]
    };
    let mut tried: Vec<Vec<usize>> = Vec::new();
    let mut best: Option<(f64, Geometry)> = None;
    for &factor in factors {
        let ranks = rank_nodes(model, usable * factor);
        if tried.contains(&ranks) {
            continue;
        }
        let geometry = if use_layout_rs {
            catch_unwind(AssertUnwindSafe(|| layout_with_layout_rs(model, &ranks)))
                .ok()
                .flatten()
        } else {
            None
        };
        let mut geometry = geometry.unwrap_or_else(|| fallback_layout(model, &ranks));
        compact(model, &mut geometry);
        let w = geometry.width(model);
        if w <= usable {
            return geometry;
        }
        if best.as_ref().is_none_or(|(bw, _)| w < *bw) {
            best = Some((w, geometry));
        }
        tried.push(ranks);
    }
    match best {
        Some((_, g)) => g,
        None => {
            let mut g = fallback_layout(model, &vec![0; model.nodes.len()]);
            compact(model, &mut g);
            g
        }
    }
}

/// Collects the routes layout-rs would draw for the edges (tagged with the
/// pair index in `properties`): the centres of the connectors each passes.
#[derive(Default)]
struct Recorder {
    arrows: Vec<(usize, bool, Vec<Point>)>,
}

/// Marks the placeholder text of a pair's label connector: TAG index TAG ....
const TAG: char = '\u{1}';

fn tagged_pair(text: &str) -> Option<usize> {
    let mut parts = text.split(TAG);
    match (parts.next(), parts.next()) {
        (Some(""), Some(idx)) => idx.parse().ok(),
        _ => None,
    }
}

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
    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        head: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        let Some(idx) = properties.and_then(|p| p.parse::<usize>().ok()) else {
            return;
        };
        // path = [(start, ctrl), (ctrl, c1), (ctrl, c2), ..., (ctrl, end)]:
        // the connector centres are the `.1` of the middle entries.
        let inner: Vec<Point> = path
            .iter()
            .skip(1)
            .take(path.len().saturating_sub(2))
            .map(|(_, p)| *p)
            .collect();
        // An arrow drawn with only a start head was turned around by layout-rs.
        let reversed = head.0 && !head.1;
        self.arrows.push((idx, reversed, inner));
    }
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// layout-rs measures connector text as one `PLACEHOLDER_FONT` square per
/// character and line, plus 10 padding. It may move a label to another
/// connector of the same edge, which then measures it with the default font
/// size, so we use the default size too.
const PLACEHOLDER_FONT: f64 = 15.0;

/// Text that layout-rs measures as at least `w` x `h`, and which marks the
/// connector as the label of pair `idx`.
fn placeholder(idx: usize, w: f64, h: f64) -> String {
    let mut first = format!("{TAG}{idx}{TAG}");
    let tag_len = first.chars().count();
    let cols = (((w - 10.0) / PLACEHOLDER_FONT).ceil().max(1.0) as usize).max(tag_len);
    let rows = ((h - 10.0) / PLACEHOLDER_FONT).ceil().max(1.0) as usize;
    while first.chars().count() < cols {
        first.push('.');
    }
    let mut s = first;
    for _ in 1..rows {
        s.push_str("\n.");
    }
    s
}

fn layout_with_layout_rs(model: &Model, ranks: &[usize]) -> Option<Geometry> {
    let orientation = Orientation::TopToBottom;
    let mut vg = VisualGraph::new(orientation);
    let mut handles = Vec::with_capacity(model.nodes.len());
    for &(w, h) in &model.node_sizes {
        let elem = Element {
            shape: ShapeKind::Box(String::new()),
            pos: Position::new(
                Point::zero(),
                Point::new(w, h),
                Point::zero(),
                Point::new(NODE_HALO_X, NODE_HALO_Y),
            ),
            look: StyleAttr::simple(),
            orientation,
            properties: None,
        };
        handles.push(vg.add_node(elem));
    }

    // One edge per pair, top to bottom. Every edge gets a connector (the
    // chip, or a small empty one), so that a node `k` rows down is `2k`
    // layout-rs levels down, whatever its edges carry.
    let mut has_link_from_row_above = vec![false; model.nodes.len()];
    for (i, p) in model.pairs.iter().enumerate() {
        let (w, h) = p
            .chip_size
            .map_or((1.0, 1.0), |(w, h)| (w + CHIP_ROOM_X, h + CHIP_ROOM_Y));
        let text = placeholder(i, w, h);
        let mut arrow = Arrow::simple_with_properties(&text, i.to_string());
        arrow.look.font_size = PLACEHOLDER_FONT as usize;
        vg.add_edge(arrow, handles[p.top], handles[p.bottom]);
        if p.top != p.bottom && ranks[p.top] + 1 == ranks[p.bottom] {
            has_link_from_row_above[p.bottom] = true;
        }
    }
    // Invisible edges hold the other nodes down in their rows.
    for v in 0..model.nodes.len() {
        if ranks[v] == 0 || has_link_from_row_above[v] {
            continue;
        }
        if let Some(u) = (0..model.nodes.len()).find(|&u| ranks[u] + 1 == ranks[v]) {
            let mut arrow = Arrow::invisible();
            arrow.text = " ".to_string();
            arrow.look.font_size = 1;
            vg.add_edge(arrow, handles[u], handles[v]);
        }
    }

    let mut rec = Recorder::default();
    vg.do_it(false, false, false, &mut rec);

    // Read the result back. Rows: layout-rs stacks its levels, each as high
    // as its tallest element, everything centred on the row's middle (it may
    // later nudge a connector up or down; the rows are what counts here).
    let mut level_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut row_middle: Vec<f64> = Vec::new();
    let mut lowest = 0.0;
    for level in 0..vg.dag.num_levels() {
        let row = vg.dag.row(level);
        let tallest = row
            .iter()
            .map(|&h| vg.pos(h).size(true).y)
            .fold(0.0, f64::max);
        row_middle.push(lowest + tallest / 2.0);
        lowest += tallest;
        for h in row {
            level_of.insert(h.get_index(), level);
        }
    }
    let middle_of =
        |h: NodeHandle| -> Option<f64> { level_of.get(&h.get_index()).map(|&l| row_middle[l]) };
    let node_centers: Vec<(f64, f64)> = handles
        .iter()
        .map(|&h| Some((vg.pos(h).center().x, middle_of(h)?)))
        .collect::<Option<_>>()?;

    // Connectors by their centre (the points the routes pass).
    let mut by_center: BTreeMap<(u64, u64), NodeHandle> = BTreeMap::new();
    for h in vg.iter_nodes() {
        if vg.is_connector(h) {
            let c = vg.pos(h).center();
            by_center.insert((c.x.to_bits(), c.y.to_bits()), h);
        }
    }

    let mut routes: Vec<Vec<(f64, f64)>> = vec![Vec::new(); model.pairs.len()];
    let mut label_at: Vec<Option<usize>> = vec![None; model.pairs.len()];
    for (i, reversed, mut inner) in rec.arrows {
        if i >= model.pairs.len() || label_at[i].is_some() {
            continue;
        }
        if reversed {
            inner.reverse();
        }
        let mut route = Vec::with_capacity(inner.len());
        for (k, q) in inner.iter().enumerate() {
            let h = *by_center.get(&(q.x.to_bits(), q.y.to_bits()))?;
            if let ShapeKind::Connector(Some(text)) = &vg.element(h).shape {
                if tagged_pair(text) == Some(i) {
                    label_at[i] = Some(k);
                }
            }
            route.push((q.x, middle_of(h)?));
        }
        routes[i] = route;
    }
    if label_at.iter().any(|l| l.is_none()) {
        return None;
    }
    let chips: Vec<Option<(f64, f64)>> = model
        .pairs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let k = label_at[i]?;
            p.chip_size.and(routes[i].get(k).copied())
        })
        .collect();
    let finite = node_centers
        .iter()
        .chain(routes.iter().flatten())
        .all(|p| p.0.is_finite() && p.1.is_finite());
    if !finite {
        return None;
    }
    Some(Geometry {
        node_centers,
        routes,
        label_at,
        chips,
        stems: Vec::new(),
    })
}

/// Used only if layout-rs cannot be used: the rows as ranked, nodes side by
/// side in input order, each edge through its chip halfway between its ends.
fn fallback_layout(model: &Model, ranks: &[usize]) -> Geometry {
    let row_h = model.node_sizes.iter().map(|s| s.1).fold(0.0, f64::max) + 110.0;
    let mut next_x: BTreeMap<usize, f64> = BTreeMap::new();
    let node_centers: Vec<(f64, f64)> = model
        .node_sizes
        .iter()
        .zip(ranks)
        .map(|(&(w, _), &r)| {
            let x = next_x.entry(r).or_insert(0.0);
            let c = (*x + w / 2.0, r as f64 * row_h);
            *x += w + NODE_GAP * 2.0;
            c
        })
        .collect();
    let mut routes = Vec::with_capacity(model.pairs.len());
    let mut label_at = Vec::with_capacity(model.pairs.len());
    let mut chips = Vec::with_capacity(model.pairs.len());
    for p in &model.pairs {
        let a = node_centers[p.top];
        let b = node_centers[p.bottom];
        let mid = if p.top == p.bottom {
            (a.0 + model.node_sizes[p.top].0 / 2.0 + 60.0, a.1)
        } else {
            ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
        };
        routes.push(vec![mid]);
        label_at.push(Some(0));
        chips.push(p.chip_size.map(|_| mid));
    }
    Geometry {
        node_centers,
        routes,
        label_at,
        chips,
        stems: Vec::new(),
    }
}

/// Free room between boxes, chips and passing edges in one row after
/// [`compact`].
const NODE_GAP: f64 = 26.0;
const CHIP_GAP: f64 = 10.0;
const PASS_GAP: f64 = 10.0;
/// Extra room beside a box for a self-loop.
const LOOP_ROOM: f64 = 28.0;
/// Sweeps of [`compact`] that may also reorder rows.
const REORDER_SWEEPS: usize = 8;

/// Horizontal compaction. layout-rs's placement (the average of four
/// Brandes-Köpf alignments) leaves a lot of width; here every row keeps the
/// order layout-rs gave it, and each element (box, chip, or the point where
/// an edge passes a row) is pulled towards its neighbours along the edges,
/// rows packed as tightly as their order allows. The rows (y) stay as laid
/// out, so nothing can come to overlap.
fn compact(model: &Model, g: &mut Geometry) {
    struct El {
        row: i64,
        x: f64,
        half: f64,
        /// Half the drawn height.
        tall: f64,
        nbrs: Vec<usize>,
    }
    let key = |y: f64| (y * 10.0).round() as i64;
    let mut els: Vec<El> = Vec::new();
    for (c, s) in g.node_centers.iter().zip(&model.node_sizes) {
        els.push(El {
            row: key(c.1),
            x: c.0,
            half: (s.0 + NODE_GAP) / 2.0,
            tall: s.1 / 2.0,
            nbrs: Vec::new(),
        });
    }
    let mut route_els: Vec<Vec<usize>> = Vec::with_capacity(model.pairs.len());
    for (p, pair) in model.pairs.iter().enumerate() {
        let spread = (pair.edges.len().saturating_sub(1)) as f64 * PARALLEL_GAP;
        let mut chain = vec![pair.top];
        let mut mine = Vec::new();
        for (k, q) in g.routes[p].iter().enumerate() {
            let (mut half, tall) = match (g.label_at[p] == Some(k), pair.chip_size) {
                (true, Some((w, h))) => ((w.max(spread) + CHIP_GAP) / 2.0, h / 2.0),
                _ => ((spread + PASS_GAP) / 2.0, 0.0),
            };
            if pair.top == pair.bottom {
                // Room for the loop between the box and its chip.
                half += LOOP_ROOM / 2.0;
            }
            chain.push(els.len());
            mine.push(els.len());
            els.push(El {
                row: key(q.1),
                x: q.0,
                half,
                tall,
                nbrs: Vec::new(),
            });
        }
        chain.push(pair.bottom);
        for w in chain.windows(2) {
            if w[0] != w[1] {
                els[w[0]].nbrs.push(w[1]);
                els[w[1]].nbrs.push(w[0]);
            }
        }
        route_els.push(mine);
    }

    let mut rows: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, e) in els.iter().enumerate() {
        rows.entry(e.row).or_default().push(i);
    }
    for row in rows.values_mut() {
        row.sort_by(|&a, &b| els[a].x.total_cmp(&els[b].x).then(a.cmp(&b)));
    }
    let keys: Vec<i64> = rows.keys().copied().collect();
    for sweep in 0..24 {
        let order: Vec<i64> = if sweep % 2 == 0 {
            keys.clone()
        } else {
            keys.iter().rev().copied().collect()
        };
        for k in order {
            if sweep < REORDER_SWEEPS {
                // Barycentre ordering: fewer crossings than the order the
                // layout started with, in practice.
                let bary = |i: usize| {
                    let e = &els[i];
                    if e.nbrs.is_empty() {
                        e.x
                    } else {
                        e.nbrs.iter().map(|&j| els[j].x).sum::<f64>() / e.nbrs.len() as f64
                    }
                };
                if let Some(row) = rows.get_mut(&k) {
                    let mut keyed: Vec<(f64, usize)> = row.iter().map(|&i| (bary(i), i)).collect();
                    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    *row = keyed.into_iter().map(|(_, i)| i).collect();
                }
            }
            let row = &rows[&k];
            let desired: Vec<f64> = row
                .iter()
                .map(|&i| {
                    let e = &els[i];
                    if e.nbrs.is_empty() {
                        e.x
                    } else {
                        e.nbrs.iter().map(|&j| els[j].x).sum::<f64>() / e.nbrs.len() as f64
                    }
                })
                .collect();
            let halves: Vec<f64> = row.iter().map(|&i| els[i].half).collect();
            let xs = pack(&desired, &halves);
            for (&i, x) in row.iter().zip(xs) {
                els[i].x = x;
            }
        }
    }

    let mut row_tall: BTreeMap<i64, f64> = BTreeMap::new();
    for e in &els {
        let t = row_tall.entry(e.row).or_insert(0.0);
        *t = t.max(e.tall);
    }
    g.stems = route_els
        .iter()
        .map(|mine| mine.iter().map(|&i| row_tall[&els[i].row]).collect())
        .collect();
    for (c, e) in g.node_centers.iter_mut().zip(&els) {
        c.0 = e.x;
    }
    for (p, mine) in route_els.iter().enumerate() {
        for (k, &i) in mine.iter().enumerate() {
            g.routes[p][k].0 = els[i].x;
        }
        if let (Some(c), Some(k)) = (g.chips[p].as_mut(), g.label_at[p]) {
            c.0 = g.routes[p][k].0;
        }
    }
}

/// Place a row: positions as close as possible (least squares) to `desired`,
/// keeping the order and at least `half[i] + half[i + 1]` between
/// neighbours.
fn pack(desired: &[f64], half: &[f64]) -> Vec<f64> {
    // Blocks of elements that touch: (first index, last index, sum of
    // desired - offset, offset of the last element from the first).
    let mut blocks: Vec<(usize, usize, f64, f64)> = Vec::new();
    for (i, &want) in desired.iter().enumerate() {
        let mut block = (i, i, want, 0.0);
        while let Some(&prev) = blocks.last() {
            let prev_pos = prev.2 / (prev.1 - prev.0 + 1) as f64;
            let pos = block.2 / (block.1 - block.0 + 1) as f64;
            let gap = half[prev.1] + half[block.0];
            if prev_pos + prev.3 + gap <= pos {
                break;
            }
            blocks.pop();
            let shift = prev.3 + gap;
            let count = (block.1 - block.0 + 1) as f64;
            block = (
                prev.0,
                block.1,
                prev.2 + block.2 - shift * count,
                shift + block.3,
            );
        }
        blocks.push(block);
    }
    let mut out = vec![0.0; desired.len()];
    for (first, last, sum, _) in blocks {
        let mut x = sum / (last - first + 1) as f64;
        for i in first..=last {
            if i > first {
                x += half[i - 1] + half[i];
            }
            out[i] = x;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// SVG.

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

/// A number with one decimal, never "-0.0".
fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

fn kind_color(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Referral => REFERRAL_COLOR,
        EdgeKind::ReportBack => REPORT_BACK_COLOR,
    }
}

fn render(model: &Model, g: &Geometry, title: &str, description: &str, prefix: &str) -> Diagram {
    let p = escape(prefix);

    // Node boxes in layout coordinates.
    let mut rects: Vec<Rect> = g
        .node_centers
        .iter()
        .zip(&model.node_sizes)
        .map(|(&(cx, cy), &(w, h))| Rect {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            width: w,
            height: h,
        })
        .collect();

    // Each edge's pass-through points, from its `from` to its `to`; parallel
    // edges of a pair are offset sideways.
    let mut pair_of = vec![0usize; model.edges.len()];
    let mut routes: Vec<Vec<(f64, f64)>> = vec![Vec::new(); model.edges.len()];
    let mut stems: Vec<Vec<f64>> = vec![Vec::new(); model.edges.len()];
    let mut loop_rank = vec![0usize; model.edges.len()];
    for (pi, pair) in model.pairs.iter().enumerate() {
        let k = pair.edges.len() as f64;
        for (j, &e) in pair.edges.iter().enumerate() {
            pair_of[e] = pi;
            loop_rank[e] = j;
            let offset = (j as f64 - (k - 1.0) / 2.0) * PARALLEL_GAP;
            let mut route: Vec<(f64, f64)> =
                g.routes[pi].iter().map(|&(x, y)| (x + offset, y)).collect();
            let mut stem: Vec<f64> = (0..route.len())
                .map(|k| {
                    g.stems
                        .get(pi)
                        .and_then(|s| s.get(k))
                        .copied()
                        .unwrap_or(0.0)
                })
                .collect();
            if model.edges[e].from != pair.top {
                route.reverse();
                stem.reverse();
            }
            routes[e] = route;
            stems[e] = stem;
        }
    }

    // Edge end points: every edge that meets a side of a box gets its own
    // spot on it, in the order of where the edge goes, so that arrowheads do
    // not sit on top of each other and edges do not cross at the box.
    let is_loop: Vec<bool> = model.edges.iter().map(|e| e.from == e.to).collect();
    // (node, side) -> (sort key along the side, edge, is its start).
    type Ends = BTreeMap<(usize, Side), Vec<(f64, usize, bool)>>;
    let mut ends: Ends = BTreeMap::new();
    for (i, e) in model.edges.iter().enumerate() {
        if is_loop[i] {
            continue;
        }
        let a = &rects[e.from];
        let b = &rects[e.to];
        let first = routes[i].first().copied().unwrap_or(center(b));
        let last = routes[i].last().copied().unwrap_or(center(a));
        let (sa, ka) = side_towards(a, first);
        let (sb, kb) = side_towards(b, last);
        ends.entry((e.from, sa)).or_default().push((ka, i, true));
        ends.entry((e.to, sb)).or_default().push((kb, i, false));
    }
    let mut start_pts = vec![((0.0, 0.0), Side::Top); model.edges.len()];
    let mut end_pts = vec![((0.0, 0.0), Side::Top); model.edges.len()];
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
                start_pts[edge] = (pt, side);
            } else {
                end_pts[edge] = (pt, side);
            }
        }
    }

    // Curves in layout coordinates.
    let paths: Vec<Vec<Seg>> = model
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if is_loop[i] {
                return self_loop(&rects[e.from], g.chips[pair_of[i]], loop_rank[i]);
            }
            let mut pts: Vec<((f64, f64), Tangent)> = Vec::new();
            pts.push((start_pts[i].0, Tangent::of(start_pts[i].1)));
            let down = end_pts[i].0 .1 >= start_pts[i].0 .1;
            for (&w, &stem) in routes[i].iter().zip(&stems[i]) {
                if stem > 0.0 {
                    let (a, b) = if down { (-stem, stem) } else { (stem, -stem) };
                    pts.push(((w.0, w.1 + a), Tangent::Free));
                    pts.push(((w.0, w.1 + b), Tangent::Free));
                } else {
                    pts.push((w, Tangent::Free));
                }
            }
            pts.push((end_pts[i].0, Tangent::of(end_pts[i].1)));
            curve(&pts)
        })
        .collect();

    // Chip rectangles in layout coordinates.
    let mut chip_rects: Vec<Option<Rect>> = g
        .chips
        .iter()
        .zip(&model.pairs)
        .map(|(c, pair)| match (c, pair.chip_size) {
            (Some((cx, cy)), Some((w, h))) => Some(Rect {
                x: cx - w / 2.0,
                y: cy - h / 2.0,
                width: w,
                height: h,
            }),
            _ => None,
        })
        .collect();

    // Bounding box of everything; then move it all below the legend.
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
    // The legend explains the arrows; without arrows there is none.
    let show_legend = !model.edges.is_empty();
    let (legend_w, legend_h) = if show_legend {
        (legend_width(), LEGEND_H)
    } else {
        (0.0, 0.0)
    };
    let (dx, dy, width, height) = if min.0.is_finite() && max.0.is_finite() {
        let content_w = max.0 - min.0;
        // Centre the graph when the legend is wider.
        let extra = ((legend_w - content_w) / 2.0).max(0.0);
        (
            MARGIN + extra - min.0,
            MARGIN + legend_h - min.1,
            content_w.max(legend_w) + 2.0 * MARGIN,
            max.1 - min.1 + legend_h + 2.0 * MARGIN,
        )
    } else {
        // Nothing to draw: a small blank picture (the title still names it).
        (0.0, 0.0, 120.0 + 2.0 * MARGIN, 2.0 * MARGIN)
    };
    let width = width.ceil();
    let height = height.ceil();
    for r in rects.iter_mut().chain(chip_rects.iter_mut().flatten()) {
        r.x += dx;
        r.y += dy;
    }
    let shift = |q: (f64, f64)| (q.0 + dx, q.1 + dy);

    // --- Emit. ---------------------------------------------------------------
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{p}title {p}desc\" class=\"pathway-diagram\">",
        n(width),
        n(height)
    );
    let _ = write!(s, "<title id=\"{p}title\">{}</title>", escape(title));
    let _ = write!(s, "<desc id=\"{p}desc\">{}</desc>", escape(description));
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

    // An opaque background keeps the colours' contrast on any page.
    let _ = write!(
        s,
        "<rect class=\"background\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(width),
        n(height)
    );
    if show_legend {
        legend(&mut s, &p, width);
    }

    // Edges.
    s.push_str("<g class=\"edges\" fill=\"none\" stroke-width=\"1.8\">");
    for (i, e) in model.edges.iter().enumerate() {
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
    for (i, node) in model.nodes.iter().enumerate() {
        let r = &rects[i];
        let (class, fill, stroke_w) = if node.highlighted {
            ("node node-highlighted", "#fff3c4", "3")
        } else {
            ("node", "#eef3f9", "1.5")
        };
        let _ = write!(
            s,
            "<g class=\"{class}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{REFERRAL_COLOR}\" stroke-width=\"{stroke_w}\"/>",
            n(r.x),
            n(r.y),
            n(r.width),
            n(r.height)
        );
        let lines = &model.node_lines[i];
        let cx = r.x + r.width / 2.0;
        let first = r.y + r.height / 2.0 - (lines.len() as f64 - 1.0) * NODE_LINE / 2.0;
        let weight = if node.highlighted {
            " font-weight=\"700\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\"{weight}>",
            n(cx),
            n(first + 0.35 * NODE_FONT),
            n(NODE_FONT)
        );
        for (k, l) in lines.iter().enumerate() {
            let dy = if k == 0 {
                String::new()
            } else {
                format!(" dy=\"{}\"", n(NODE_LINE))
            };
            let _ = write!(s, "<tspan x=\"{}\"{dy}>{}</tspan>", n(cx), escape(l));
        }
        s.push_str("</text></g>");
    }
    s.push_str("</g>");

    // Chips.
    s.push_str("<g class=\"edge-labels\">");
    for (pi, pair) in model.pairs.iter().enumerate() {
        let Some(r) = chip_rects[pi] else { continue };
        let _ = write!(
            s,
            "<g class=\"edge-label\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"{CHIP_BORDER}\" stroke-width=\"0.8\"/>",
            n(r.x),
            n(r.y),
            n(r.width),
            n(r.height)
        );
        let rows: usize = pair.chip.iter().map(|c| c.lines.len()).sum();
        let cx = r.x + r.width / 2.0;
        let mut y = r.y + r.height / 2.0 - (rows as f64 - 1.0) * CHIP_LINE / 2.0;
        let _ = write!(
            s,
            "<text font-size=\"{}\" text-anchor=\"middle\">",
            n(CHIP_FONT)
        );
        for line in &pair.chip {
            let color = kind_color(line.kind);
            for (k, l) in line.lines.iter().enumerate() {
                let arrow = match line.from {
                    Some(from) if k == 0 => {
                        if from == pair.top {
                            "↓ "
                        } else {
                            "↑ "
                        }
                    }
                    _ => "",
                };
                let _ = write!(
                    s,
                    "<tspan x=\"{}\" y=\"{}\" fill=\"{color}\">{arrow}{}</tspan>",
                    n(cx),
                    n(y + 0.35 * CHIP_FONT),
                    escape(l)
                );
                y += CHIP_LINE;
            }
        }
        s.push_str("</text></g>");
    }
    s.push_str("</g>");

    s.push_str("</g></svg>");

    let boxes = model
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

/// A smooth curve through `pts`. Pass-through points take a vertical tangent
/// (the layout is top to bottom), which keeps the curve smooth and makes it
/// cross each row straight.
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

/// A loop out of the side of a box (towards its chip, if it has one) and
/// back; the `nth` loop of a box reaches a little further.
fn self_loop(r: &Rect, chip: Option<(f64, f64)>, nth: usize) -> Vec<Seg> {
    let (cx, cy) = center(r);
    let right = chip.is_none_or(|c| c.0 >= cx);
    let sign = if right { 1.0 } else { -1.0 };
    let x = if right { r.x + r.width } else { r.x };
    let spread = (nth as f64 * 4.0).min(r.height * 0.2);
    let out = (x, cy - r.height * 0.25 - spread);
    let back = (x, cy + r.height * 0.25 + spread);
    let reach = 36.0 + nth as f64 * 10.0;
    let far = match chip {
        Some(c) => (c.0 + sign * nth as f64 * 10.0, c.1),
        None => (x + sign * reach, cy),
    };
    vec![
        Seg {
            a: out,
            c1: (out.0 + sign * reach * 0.5, out.1),
            c2: (far.0, far.1 - 16.0),
            b: far,
        },
        Seg {
            a: far,
            c1: (far.0, far.1 + 16.0),
            c2: (back.0 + sign * reach * 0.5, back.1),
            b: back,
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
        "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"11\" markerHeight=\"11\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"{color}\"/></marker>"
    )
}

const LEGEND_REF: &str = "henvisning";
const LEGEND_BACK: &str = "tilbagemelding";
const LEGEND_FONT: f64 = 14.0;
const LEGEND_LINE: f64 = 36.0;

fn legend_width() -> f64 {
    2.0 * (LEGEND_LINE + 6.0)
        + text_width(LEGEND_REF, LEGEND_FONT)
        + 24.0
        + text_width(LEGEND_BACK, LEGEND_FONT)
}

/// The legend: one row at the top, above the graph, so it never covers it.
fn legend(s: &mut String, p: &str, width: f64) {
    let x0 = ((width - legend_width()) / 2.0).max(MARGIN);
    let y = MARGIN + 8.0;
    let x1 = x0 + LEGEND_LINE + 6.0 + text_width(LEGEND_REF, LEGEND_FONT) + 24.0;
    let _ = write!(
        s,
        "<g class=\"legend\" font-size=\"{}\" stroke-width=\"1.8\">",
        n(LEGEND_FONT)
    );
    for (x, text, color, extra, id) in [
        (x0, LEGEND_REF, REFERRAL_COLOR, String::new(), "arrow-ref"),
        (
            x1,
            LEGEND_BACK,
            REPORT_BACK_COLOR,
            format!(" stroke-dasharray=\"{DASH}\""),
            "arrow-back",
        ),
    ] {
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\"{extra} marker-end=\"url(#{p}{id})\"/><text x=\"{}\" y=\"{}\">{text}</text>",
            n(x),
            n(y),
            n(x + LEGEND_LINE),
            n(y),
            n(x + LEGEND_LINE + 6.0),
            n(y + 0.35 * LEGEND_FONT)
        );
    }
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

    #[test]
    fn wrapping() {
        assert_eq!(wrap("Almen praksis", 14), vec!["Almen praksis"]);
        assert_eq!(
            wrap("Arbejdsmedicinsk klinik", 14),
            vec!["Arbejdsmedicinsk", "klinik"]
        );
        assert_eq!(wrap("  ", 14), Vec::<String>::new());
        assert_eq!(wrap("Rygambulatoriet", 5), vec!["Rygambulatoriet"]);
        assert!(wrap(&"ord ".repeat(40), 14).len() > 2);
    }
}
