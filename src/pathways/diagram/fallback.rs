//! The fallback layout, for graphs layout-rs cannot take (too big, or it failed): the rows as ranked, nodes side by side.

use std::collections::BTreeMap;

use super::geometry::Geometry;
use super::metrics::NODE_GAP;
use super::model::Model;

/// Used only if layout-rs cannot be used: the rows as ranked, nodes side by
/// side in input order, each edge through its chip halfway between its ends.
pub(super) fn fallback_layout(model: &Model, ranks: &[usize]) -> Geometry {
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
