//! Horizontal compaction: every row keeps its order, and each box, chip and passing edge is pulled towards its neighbours, rows packed as tightly as their order allows.

use std::collections::BTreeMap;

use super::geometry::Geometry;
use super::metrics::{CHIP_GAP, NODE_GAP, PARALLEL_GAP, PASS_GAP};
use super::model::{Model, Pair};

/// Extra room beside a box for a self-loop.
const LOOP_ROOM: f64 = 28.0;
/// Sweeps of [`compact`] in all, alternately top down and bottom up.
const SWEEPS: usize = 24;
/// Sweeps of [`compact`] that may also reorder rows.
const REORDER_SWEEPS: usize = 8;

/// One element of a row: a box, a chip, or the point where an edge passes
/// the row.
struct El {
    row: i64,
    x: f64,
    half: f64,
    /// Half the drawn height.
    tall: f64,
    nbrs: Vec<usize>,
}

/// Horizontal compaction. layout-rs's placement (the average of four
/// Brandes-Köpf alignments) leaves a lot of width; here every row keeps the
/// order layout-rs gave it, and each element (box, chip, or the point where
/// an edge passes a row) is pulled towards its neighbours along the edges,
/// rows packed as tightly as their order allows. The rows (y) stay as laid
/// out, so nothing can come to overlap.
pub(super) fn compact(model: &Model, g: &mut Geometry) {
    let mut els: Vec<El> = Vec::new();
    for (c, s) in g.node_centers.iter().zip(&model.node_sizes) {
        els.push(El {
            row: row_key(c.1),
            x: c.0,
            half: (s.0 + NODE_GAP) / 2.0,
            tall: s.1 / 2.0,
            nbrs: Vec::new(),
        });
    }
    let route_els: Vec<Vec<usize>> = model
        .pairs
        .iter()
        .enumerate()
        .map(|(p, pair)| add_route(&mut els, g, p, pair))
        .collect();

    let mut rows: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, e) in els.iter().enumerate() {
        rows.entry(e.row).or_default().push(i);
    }
    for row in rows.values_mut() {
        row.sort_by(|&a, &b| els[a].x.total_cmp(&els[b].x).then(a.cmp(&b)));
    }
    sweep(&mut els, &mut rows);
    write_back(g, &els, &route_els);
}

/// Rows are told apart by their y, to a tenth of a unit.
fn row_key(y: f64) -> i64 {
    (y * 10.0).round() as i64
}

/// Add the elements of pair `p`'s route (one per route point) and link the
/// chain from its top box through them to its bottom box; returns the new
/// elements.
fn add_route(els: &mut Vec<El>, g: &Geometry, p: usize, pair: &Pair) -> Vec<usize> {
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
            row: row_key(q.1),
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
    mine
}

/// Where the neighbours of element `i` pull it: their mean x (its own x if
/// it has none).
fn pull(els: &[El], i: usize) -> f64 {
    let e = &els[i];
    if e.nbrs.is_empty() {
        e.x
    } else {
        e.nbrs.iter().map(|&j| els[j].x).sum::<f64>() / e.nbrs.len() as f64
    }
}

/// Sweep the rows alternately down and up, reordering them in the first
/// sweeps and placing each.
fn sweep(els: &mut [El], rows: &mut BTreeMap<i64, Vec<usize>>) {
    let keys: Vec<i64> = rows.keys().copied().collect();
    for sweep in 0..SWEEPS {
        let order: Vec<i64> = if sweep % 2 == 0 {
            keys.clone()
        } else {
            keys.iter().rev().copied().collect()
        };
        for k in order {
            if sweep < REORDER_SWEEPS {
                if let Some(row) = rows.get_mut(&k) {
                    reorder(els, row);
                }
            }
            if let Some(row) = rows.get(&k) {
                place(els, row);
            }
        }
    }
}

/// Barycentre ordering: fewer crossings than the order the layout started
/// with, in practice.
fn reorder(els: &[El], row: &mut Vec<usize>) {
    let mut keyed: Vec<(f64, usize)> = row.iter().map(|&i| (pull(els, i), i)).collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    *row = keyed.into_iter().map(|(_, i)| i).collect();
}

/// Move the elements of a row as close to where they are pulled as its order
/// allows.
fn place(els: &mut [El], row: &[usize]) {
    let desired: Vec<f64> = row.iter().map(|&i| pull(els, i)).collect();
    let halves: Vec<f64> = row.iter().map(|&i| els[i].half).collect();
    let xs = pack(&desired, &halves);
    for (&i, x) in row.iter().zip(xs) {
        els[i].x = x;
    }
}

/// Copy the new x positions back into `g`, and set its stems.
fn write_back(g: &mut Geometry, els: &[El], route_els: &[Vec<usize>]) {
    let mut row_tall: BTreeMap<i64, f64> = BTreeMap::new();
    for e in els {
        let t = row_tall.entry(e.row).or_insert(0.0);
        *t = t.max(e.tall);
    }
    g.stems = route_els
        .iter()
        .map(|mine| mine.iter().map(|&i| row_tall[&els[i].row]).collect())
        .collect();
    for (c, e) in g.node_centers.iter_mut().zip(els) {
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
