//! Edge curves in layout coordinates: each edge's route (parallel edges offset), its own spot on the border of each of its boxes, and the Bézier segments through them.

use std::collections::BTreeMap;

use super::geometry::Geometry;
use super::metrics::PARALLEL_GAP;
use super::model::Model;
use super::Rect;

/// Which side of a box an edge leaves or enters by.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
    Left,
    Right,
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
pub(super) struct Seg {
    pub(super) a: (f64, f64),
    pub(super) c1: (f64, f64),
    pub(super) c2: (f64, f64),
    pub(super) b: (f64, f64),
}

/// Where an edge meets a box: the point, and the side it is on.
type End = ((f64, f64), Side);

/// Per edge (in model order): its pair and its place within the pair, and
/// the points it passes from its `from` to its `to` with the stem (half
/// height of the row) at each.
struct EdgeRoutes {
    pair_of: Vec<usize>,
    loop_rank: Vec<usize>,
    routes: Vec<Vec<(f64, f64)>>,
    stems: Vec<Vec<f64>>,
}

/// The curve of every edge, in model order, in layout coordinates.
pub(super) fn edge_curves(model: &Model, g: &Geometry, rects: &[Rect]) -> Vec<Vec<Seg>> {
    let er = edge_routes(model, g);
    let is_loop: Vec<bool> = model.edges.iter().map(|e| e.from == e.to).collect();
    let (start_pts, end_pts) = edge_ends(model, rects, &er.routes, &is_loop);
    model
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if is_loop[i] {
                return self_loop(&rects[e.from], g.chips[er.pair_of[i]], er.loop_rank[i]);
            }
            through(start_pts[i], end_pts[i], &er.routes[i], &er.stems[i])
        })
        .collect()
}

/// Each edge's pass-through points, from its `from` to its `to`; parallel
/// edges of a pair are offset sideways.
fn edge_routes(model: &Model, g: &Geometry) -> EdgeRoutes {
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
    EdgeRoutes {
        pair_of,
        loop_rank,
        routes,
        stems,
    }
}

/// Edge end points: every edge that meets a side of a box gets its own spot
/// on it, in the order of where the edge goes, so that arrowheads do not sit
/// on top of each other and edges do not cross at the box. Returns the
/// start and the end of every edge (self-loops get a placeholder).
fn edge_ends(
    model: &Model,
    rects: &[Rect],
    routes: &[Vec<(f64, f64)>],
    is_loop: &[bool],
) -> (Vec<End>, Vec<End>) {
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
            let pt = spot(r, side, t);
            if is_start {
                start_pts[edge] = (pt, side);
            } else {
                end_pts[edge] = (pt, side);
            }
        }
    }
    (start_pts, end_pts)
}

/// The point a fraction `t` along `side` of `r` (kept off the corners).
fn spot(r: &Rect, side: Side, t: f64) -> (f64, f64) {
    match side {
        Side::Top => (r.x + 8.0 + t * (r.width - 16.0), r.y),
        Side::Bottom => (r.x + 8.0 + t * (r.width - 16.0), r.y + r.height),
        Side::Left => (r.x, r.y + 4.0 + t * (r.height - 8.0)),
        Side::Right => (r.x + r.width, r.y + 4.0 + t * (r.height - 8.0)),
    }
}

/// The curve of an edge between two boxes: from `start` through its route
/// to `end`, crossing each row straight (over the row's stem).
fn through(start: End, end: End, route: &[(f64, f64)], stems: &[f64]) -> Vec<Seg> {
    let mut pts: Vec<((f64, f64), Tangent)> = Vec::new();
    pts.push((start.0, Tangent::of(start.1)));
    let down = end.0 .1 >= start.0 .1;
    for (&w, &stem) in route.iter().zip(stems) {
        if stem > 0.0 {
            let (a, b) = if down { (-stem, stem) } else { (stem, -stem) };
            pts.push(((w.0, w.1 + a), Tangent::Free));
            pts.push(((w.0, w.1 + b), Tangent::Free));
        } else {
            pts.push((w, Tangent::Free));
        }
    }
    pts.push((end.0, Tangent::of(end.1)));
    curve(&pts)
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
