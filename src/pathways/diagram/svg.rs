//! The SVG output: the picture framed below its legend, then edges, boxes and chips written as accessible, deterministic SVG.

use std::fmt::Write as _;

use super::curves::{edge_curves, Seg};
use super::geometry::Geometry;
use super::metrics::{text_width, CHIP_FONT, CHIP_LINE, MARGIN, NODE_FONT, NODE_LINE};
use super::model::{Model, Pair};
use super::{Diagram, DiagramText, EdgeKind, Node, Rect};
use crate::base::text::escape_xml;

const LEGEND_H: f64 = 34.0;

const REFERRAL_COLOR: &str = "#14365d";
const REPORT_BACK_COLOR: &str = "#6b3fa0";
const CHIP_BORDER: &str = "#8795a8";
const DASH: &str = "7 4";
const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const LEGEND_FONT: f64 = 14.0;
const LEGEND_LINE: f64 = 36.0;

pub(super) fn render(model: &Model, g: &Geometry, text: &DiagramText<'_>, prefix: &str) -> Diagram {
    let p = escape_xml(prefix);

    // Everything in layout coordinates; then moved below the legend.
    let mut rects = node_rects(model, g);
    let paths = edge_curves(model, g, &rects);
    let mut chip_rects = chip_rects(model, g);
    let frame = Frame::around(model, &rects, &chip_rects, &paths, legend_width(text));
    for r in rects.iter_mut().chain(chip_rects.iter_mut().flatten()) {
        r.x += frame.dx;
        r.y += frame.dy;
    }
    let shift = |q: (f64, f64)| (q.0 + frame.dx, q.1 + frame.dy);

    let mut s = String::new();
    open(&mut s, &p, &frame, text.title, text.description);
    if frame.show_legend {
        legend(&mut s, &p, frame.width, text);
    }
    edges(&mut s, &p, model, &paths, &shift);
    nodes(&mut s, model, &rects);
    chips(&mut s, model, &chip_rects);
    s.push_str("</g></svg>");

    let boxes = model
        .nodes
        .iter()
        .zip(rects)
        .map(|(node, r)| (node.id.clone(), r))
        .collect();
    Diagram { svg: s, boxes }
}

/// Node boxes in layout coordinates.
fn node_rects(model: &Model, g: &Geometry) -> Vec<Rect> {
    g.node_centers
        .iter()
        .zip(&model.node_sizes)
        .map(|(&(cx, cy), &(w, h))| Rect {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            width: w,
            height: h,
        })
        .collect()
}

/// Chip rectangles in layout coordinates.
fn chip_rects(model: &Model, g: &Geometry) -> Vec<Option<Rect>> {
    g.chips
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
        .collect()
}

/// The picture: how far to move the layout into it, its size, and whether
/// it has a legend.
struct Frame {
    dx: f64,
    dy: f64,
    width: f64,
    height: f64,
    show_legend: bool,
}

impl Frame {
    /// The frame around the bounding box of everything, below the legend.
    fn around(
        model: &Model,
        rects: &[Rect],
        chip_rects: &[Option<Rect>],
        paths: &[Vec<Seg>],
        legend_width: f64,
    ) -> Self {
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
        for path in paths {
            for s in path {
                for q in [s.a, s.c1, s.c2, s.b] {
                    grow(q.0, q.1);
                }
            }
        }
        // The legend explains the arrows; without arrows there is none.
        let show_legend = !model.edges.is_empty();
        let (legend_w, legend_h) = if show_legend {
            (legend_width, LEGEND_H)
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
        Frame {
            dx,
            dy,
            width: width.ceil(),
            height: height.ceil(),
            show_legend,
        }
    }
}

/// The `<svg>` element up to the drawing: title, description, arrowheads,
/// the group that sets the font, and the background.
fn open(s: &mut String, p: &str, frame: &Frame, title: &str, description: &str) {
    let (width, height) = (frame.width, frame.height);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{p}title {p}desc\" class=\"pathway-diagram\">",
        n(width),
        n(height)
    );
    let _ = write!(s, "<title id=\"{p}title\">{}</title>", escape_xml(title));
    let _ = write!(s, "<desc id=\"{p}desc\">{}</desc>", escape_xml(description));
    let _ = write!(
        s,
        "<defs>{}{}</defs>",
        marker(&format!("{p}arrow-ref"), REFERRAL_COLOR),
        marker(&format!("{p}arrow-back"), REPORT_BACK_COLOR)
    );
    let _ = write!(
        s,
        "<g font-family=\"{}\" fill=\"#1a1a1a\">",
        escape_xml(FONT_FAMILY)
    );

    // An opaque background keeps the colours' contrast on any page.
    let _ = write!(
        s,
        "<rect class=\"background\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(width),
        n(height)
    );
}

/// One path per edge, in model order.
fn edges(
    s: &mut String,
    p: &str,
    model: &Model,
    paths: &[Vec<Seg>],
    shift: &impl Fn((f64, f64)) -> (f64, f64),
) {
    s.push_str("<g class=\"edges\" fill=\"none\" stroke-width=\"1.8\">");
    for (i, e) in model.edges.iter().enumerate() {
        let d = path_data(&paths[i], shift);
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
}

/// The boxes, in model order.
fn nodes(s: &mut String, model: &Model, rects: &[Rect]) {
    s.push_str("<g class=\"nodes\">");
    for (i, node) in model.nodes.iter().enumerate() {
        node_box(s, node, &model.node_lines[i], &rects[i]);
    }
    s.push_str("</g>");
}

/// One box and its label.
fn node_box(s: &mut String, node: &Node, lines: &[String], r: &Rect) {
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
        let _ = write!(s, "<tspan x=\"{}\"{dy}>{}</tspan>", n(cx), escape_xml(l));
    }
    s.push_str("</text></g>");
}

/// The label chips, in pair order.
fn chips(s: &mut String, model: &Model, chip_rects: &[Option<Rect>]) {
    s.push_str("<g class=\"edge-labels\">");
    for (pi, pair) in model.pairs.iter().enumerate() {
        let Some(r) = chip_rects[pi] else { continue };
        chip(s, pair, &r);
    }
    s.push_str("</g>");
}

/// One chip: its box and a line per (direction, kind), coloured by kind.
fn chip(s: &mut String, pair: &Pair, r: &Rect) {
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
                escape_xml(l)
            );
            y += CHIP_LINE;
        }
    }
    s.push_str("</text></g>");
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

fn legend_width(text: &DiagramText<'_>) -> f64 {
    2.0 * (LEGEND_LINE + 6.0)
        + text_width(text.referral, LEGEND_FONT)
        + 24.0
        + text_width(text.report_back, LEGEND_FONT)
}

/// The legend: one row at the top, above the graph, so it never covers it.
fn legend(s: &mut String, p: &str, width: f64, words: &DiagramText<'_>) {
    let x0 = ((width - legend_width(words)) / 2.0).max(MARGIN);
    let y = MARGIN + 8.0;
    let x1 = x0 + LEGEND_LINE + 6.0 + text_width(words.referral, LEGEND_FONT) + 24.0;
    let (referral, report_back) = (escape_xml(words.referral), escape_xml(words.report_back));
    let _ = write!(
        s,
        "<g class=\"legend\" font-size=\"{}\" stroke-width=\"1.8\">",
        n(LEGEND_FONT)
    );
    for (x, text, color, extra, id) in [
        (x0, &referral, REFERRAL_COLOR, String::new(), "arrow-ref"),
        (
            x1,
            &report_back,
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
