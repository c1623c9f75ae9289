//! The model: nodes, edges and pairs (with their chip text and sizes), independent of any layout.

use std::collections::BTreeMap;

use super::metrics::{text_width, CHAR_W, CHIP_FONT, CHIP_LINE, NODE_FONT, NODE_LINE};
use super::{Edge, EdgeKind, Node};

const NODE_PAD_X: f64 = 14.0;
const NODE_PAD_Y: f64 = 11.0;
const NODE_MIN_W: f64 = 110.0;
/// Labels longer than this (in characters) are wrapped onto two lines.
const NODE_WRAP: usize = 14;
/// Room per edge end on a box side, so arrowheads do not pile up.
const PORT_GAP: f64 = 9.0;

const CHIP_PAD_X: f64 = 6.0;
const CHIP_PAD_Y: f64 = 3.0;
const CHIP_WRAP: usize = 22;

pub(super) struct KeptEdge {
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) kind: EdgeKind,
    pub(super) label: String,
}

/// One line of a chip: the channels of one (direction, kind) within a pair.
pub(super) struct ChipLine {
    pub(super) kind: EdgeKind,
    /// `Some(from)` when the pair has edges both ways (the line then starts
    /// with an arrow showing the direction).
    pub(super) from: Option<usize>,
    /// The text, wrapped; the first line leaves room for the arrow.
    pub(super) lines: Vec<String>,
}

pub(super) struct Pair {
    /// The two ends; `top` is drawn above `bottom` (they are equal for a
    /// self-loop).
    pub(super) top: usize,
    pub(super) bottom: usize,
    /// Indices into `Model::edges`, in input order.
    pub(super) edges: Vec<usize>,
    pub(super) chip: Vec<ChipLine>,
    /// Width and height of the chip, if it has any text.
    pub(super) chip_size: Option<(f64, f64)>,
}

pub(super) struct Model<'a> {
    pub(super) nodes: Vec<&'a Node>,
    pub(super) node_lines: Vec<Vec<String>>,
    pub(super) node_sizes: Vec<(f64, f64)>,
    pub(super) edges: Vec<KeptEdge>,
    pub(super) pairs: Vec<Pair>,
}

impl<'a> Model<'a> {
    pub(super) fn new(nodes: &'a [Node], edges: &[Edge]) -> Self {
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

        let pair_edges = group_pairs(&kept);

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
        let node_sizes = node_sizes(&node_lines, &kept);

        Model {
            nodes: uniq,
            node_lines,
            node_sizes,
            edges: kept,
            pairs,
        }
    }
}

/// The edges of each pair, the pairs keyed by their unordered ends; a pair's
/// place is the place of its first edge.
fn group_pairs(kept: &[KeptEdge]) -> Vec<Vec<usize>> {
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
    pair_edges
}

/// The box sizes: room for the label, and wide enough for the arrows that
/// meet a box side.
fn node_sizes(node_lines: &[Vec<String>], kept: &[KeptEdge]) -> Vec<(f64, f64)> {
    let mut node_sizes: Vec<(f64, f64)> = node_lines.iter().map(|l| node_size(l)).collect();
    let mut degree = vec![0usize; node_lines.len()];
    for e in kept {
        degree[e.from] += 1;
        degree[e.to] += 1;
    }
    for (size, d) in node_sizes.iter_mut().zip(&degree) {
        let want = (*d as f64 * 0.6).ceil() * PORT_GAP + 16.0;
        size.0 = size.0.max(want);
    }
    node_sizes
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

/// Whether `to` can be reached from `from` along `succ`.
pub(super) fn reachable(succ: &[Vec<usize>], from: usize, to: usize) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
