//! From text to typed objects: the YAML reader, the manifests in it, typed decoding with field
//! paths, upstream's field errors, and the diagnostics that say what could not be read.

pub mod decode;
pub mod field;
pub mod manifest;
pub mod objects;
pub mod yaml;
