//! From text to typed objects: the YAML reader, the manifests in it, typed decoding with field
//! paths, upstream's field errors, and the diagnostics that say what could not be read.

pub mod decode;
pub mod diagnostic;
pub mod field;
pub mod labels;
pub mod manifest;
pub mod objects;
pub mod quantity;
pub mod yaml;
