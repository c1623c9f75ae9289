//! Sizes that several parts of the diagram share: fonts and line heights, the room kept between the elements of a row, the margin, and text measuring.

/// Average glyph advance as a fraction of the font size (generous, so that
/// wide sans-serif fonts still fit).
pub(super) const CHAR_W: f64 = 0.6;

pub(super) const NODE_FONT: f64 = 16.0;
pub(super) const NODE_LINE: f64 = 20.0;

pub(super) const CHIP_FONT: f64 = 13.0;
pub(super) const CHIP_LINE: f64 = 16.0;

/// Horizontal distance between parallel edges of one pair.
pub(super) const PARALLEL_GAP: f64 = 6.0;

pub(super) const MARGIN: f64 = 12.0;

/// Free room between boxes, chips and passing edges in one row after
/// compaction (see [`compact`](super::compact::compact)).
pub(super) const NODE_GAP: f64 = 26.0;
pub(super) const CHIP_GAP: f64 = 10.0;
pub(super) const PASS_GAP: f64 = 10.0;

pub(super) fn text_width(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * font * CHAR_W
}
