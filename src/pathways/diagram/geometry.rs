//! Where things are ([`Geometry`], in layout coordinates), and the choice among layouts tried at a few width budgets.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::compact::compact;
use super::fallback::fallback_layout;
use super::layout_rs::layout_with_layout_rs;
use super::metrics::MARGIN;
use super::model::Model;
use super::ranks::rank_nodes;

/// The widest viewBox we aim for (it is scaled down to a 390 px phone).
const MAX_WIDTH: f64 = 880.0;

/// Above these sizes layout-rs gets slow (its reachability check explores
/// paths); such graphs are drawn with the simple fallback layout instead.
const LAYOUT_MAX_NODES: usize = 32;
const LAYOUT_MAX_PAIRS: usize = 90;

/// Where things are, in layout coordinates (any origin).
pub(super) struct Geometry {
    /// Centre of each node box.
    pub(super) node_centers: Vec<(f64, f64)>,
    /// Per pair: the points between the two boxes its edges pass through,
    /// from `top` to `bottom`, each in the vertical middle of its row.
    pub(super) routes: Vec<Vec<(f64, f64)>>,
    /// Per pair: which route point is its label connector (the chip centre).
    pub(super) label_at: Vec<Option<usize>>,
    /// Per pair: the centre of its chip, if it has text.
    pub(super) chips: Vec<Option<(f64, f64)>>,
    /// Per pair and route point: half the height of the tallest box or chip
    /// in that row. Edges cross a row straight down, and bend only between
    /// rows, so they never run under a box or a chip (set by
    /// [`compact`]).
    pub(super) stems: Vec<Vec<f64>>,
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
pub(super) fn best_layout(model: &Model) -> Geometry {
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
