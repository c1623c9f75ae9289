//! The layout-rs adapter: the model handed to layout-rs as a graph (boxes, one edge per pair with a placeholder label, invisible edges that hold the rows), and its result read back as a [`Geometry`].

use std::collections::BTreeMap;

use layout::adt::dag::NodeHandle;
use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::geometry::Geometry;
use super::model::Model;

/// Room layout-rs keeps free around a box (in total, split over both sides).
/// Across, [`compact`](super::compact::compact) has the last word (see
/// [`NODE_GAP`](super::metrics::NODE_GAP)); down, this is the room edges have
/// to bend in between rows.
const NODE_HALO_X: f64 = 30.0;
const NODE_HALO_Y: f64 = 56.0;
/// Extra room reserved around a chip, on top of layout-rs's own small halo.
const CHIP_ROOM_X: f64 = 6.0;
const CHIP_ROOM_Y: f64 = 16.0;

/// One edge as layout-rs would draw it.
struct RecordedArrow {
    /// The pair it belongs to.
    pair: usize,
    /// Whether layout-rs turned it around.
    reversed: bool,
    /// The centres of the connectors it passes.
    inner: Vec<Point>,
}

/// Collects the routes layout-rs would draw for the edges (tagged with the
/// pair index in `properties`): the centres of the connectors each passes.
#[derive(Default)]
struct Recorder {
    arrows: Vec<RecordedArrow>,
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
        self.arrows.push(RecordedArrow {
            pair: idx,
            reversed,
            inner,
        });
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

/// Lay the model out with layout-rs, the nodes in the rows `ranks`. `None`
/// when its result cannot be read back.
pub(super) fn layout_with_layout_rs(model: &Model, ranks: &[usize]) -> Option<Geometry> {
    let orientation = Orientation::TopToBottom;
    let mut vg = VisualGraph::new(orientation);
    let handles = add_boxes(&mut vg, model, orientation);
    let has_link_from_row_above = add_pair_edges(&mut vg, model, ranks, &handles);
    add_row_holders(&mut vg, ranks, &handles, &has_link_from_row_above);

    let mut rec = Recorder::default();
    vg.do_it(false, false, false, &mut rec);

    let rows = Rows::of(&vg);
    let node_centers: Vec<(f64, f64)> = handles
        .iter()
        .map(|&h| Some((vg.pos(h).center().x, rows.middle_of(h)?)))
        .collect::<Option<_>>()?;
    let (routes, label_at) = read_routes(model, &vg, &rows, rec.arrows)?;
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

/// One layout-rs box per node, in model order.
fn add_boxes(vg: &mut VisualGraph, model: &Model, orientation: Orientation) -> Vec<NodeHandle> {
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
    handles
}

/// One edge per pair, top to bottom. Every edge gets a connector (the chip,
/// or a small empty one), so that a node `k` rows down is `2k` layout-rs
/// levels down, whatever its edges carry. Returns, per node, whether a pair
/// links it to the row just above.
fn add_pair_edges(
    vg: &mut VisualGraph,
    model: &Model,
    ranks: &[usize],
    handles: &[NodeHandle],
) -> Vec<bool> {
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
    has_link_from_row_above
}

/// Invisible edges hold the other nodes down in their rows.
fn add_row_holders(
    vg: &mut VisualGraph,
    ranks: &[usize],
    handles: &[NodeHandle],
    has_link_from_row_above: &[bool],
) {
    for v in 0..handles.len() {
        if ranks[v] == 0 || has_link_from_row_above[v] {
            continue;
        }
        if let Some(u) = (0..handles.len()).find(|&u| ranks[u] + 1 == ranks[v]) {
            let mut arrow = Arrow::invisible();
            arrow.text = " ".to_string();
            arrow.look.font_size = 1;
            vg.add_edge(arrow, handles[u], handles[v]);
        }
    }
}

/// The rows of the result. layout-rs stacks its levels, each as high as its
/// tallest element, everything centred on the row's middle (it may later
/// nudge a connector up or down; the rows are what counts here).
struct Rows {
    level_of: BTreeMap<usize, usize>,
    row_middle: Vec<f64>,
}

impl Rows {
    fn of(vg: &VisualGraph) -> Self {
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
        Rows {
            level_of,
            row_middle,
        }
    }

    /// The vertical middle of the row `h` is in.
    fn middle_of(&self, h: NodeHandle) -> Option<f64> {
        self.level_of
            .get(&h.get_index())
            .map(|&l| self.row_middle[l])
    }
}

/// Per pair, the points its edge passes (from `top` to `bottom`, each in the
/// middle of its row) and which of them is its label connector.
type Routes = (Vec<Vec<(f64, f64)>>, Vec<Option<usize>>);

/// Read the routes back from the recorded arrows; `None` when a point is not
/// a connector's centre or a pair's label connector is not found.
fn read_routes(
    model: &Model,
    vg: &VisualGraph,
    rows: &Rows,
    arrows: Vec<RecordedArrow>,
) -> Option<Routes> {
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
    for arrow in arrows {
        let i = arrow.pair;
        if i >= model.pairs.len() || label_at[i].is_some() {
            continue;
        }
        let mut inner = arrow.inner;
        if arrow.reversed {
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
            route.push((q.x, rows.middle_of(h)?));
        }
        routes[i] = route;
    }
    if label_at.iter().any(|l| l.is_none()) {
        return None;
    }
    Some((routes, label_at))
}
