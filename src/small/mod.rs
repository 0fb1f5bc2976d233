//! What keeps the browser build small, in one place: a stable sort and map builders that
//! compile to little wasm, a compact SHA-256 for the browser, and the browser's allocator. Each
//! is checked against what it replaces (std's sort, the `sha2` crate, a proptest of the heap).

pub mod alloc;
pub mod order;
pub mod sha256;
