//! The base layer: what every other layer uses and that knows nothing of guidelines — source
//! files and places in them, YAML with locations, diagnostics, text helpers, hashing, timings,
//! the allocator's settings and writing the output folder.

pub mod diagnostics;
pub mod files;
pub mod hash;
pub mod memory;
pub mod output;
pub mod source;
pub mod text;
pub mod theme;
pub mod timing;
pub mod url;
pub mod yaml;
