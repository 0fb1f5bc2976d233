pub mod alloc;
pub mod highlight;
pub mod share;
pub mod sim;
#[cfg(target_arch = "wasm32")]
pub mod ui;
