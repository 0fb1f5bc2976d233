pub mod explorer;
pub mod sim;
pub mod small;
#[cfg(target_arch = "wasm32")]
pub mod ui;
