//! Where things are: [`Geometry`], in layout coordinates.

use super::model::Model;

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
    pub(super) fn width(&self, model: &Model) -> f64 {
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
