//! Ranks: which row each actor goes in (longest path from the top, rows kept within a width budget), and the reachability check that keeps the pairs a DAG.

use super::metrics::{CHIP_GAP, NODE_GAP, PASS_GAP};
use super::model::Model;

/// Rows for the nodes: longest path from the top, then rows wider than
/// `budget` (nodes, or the chips just above them) push nodes down a row.
pub(super) fn rank_nodes(model: &Model, budget: f64) -> Vec<usize> {
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
