//! vejviser: a static-site generator for clinical guidelines and cross-sector care pathways.
//!
//! The pipeline: [`content`] loads `content/` into one [`model::Guideline`]; [`check`]
//! validates it; renderers such as [`render`] consume it; [`output`] writes the site.

pub mod base;
pub mod build;
pub mod cache;
pub mod check;
pub mod content;
pub mod corpus;
pub mod export;
pub mod fhir;
pub mod local;
pub mod markdown;
pub mod model;
pub mod pathways;
pub mod render;
pub mod search;
pub mod serve;
