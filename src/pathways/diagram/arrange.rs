//! Choosing a layout: layout-rs (or the fallback for large graphs) at a few width budgets,
//! compacted, keeping the first that fits.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::compact::compact;
use super::fallback::fallback_layout;
use super::geometry::Geometry;
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
