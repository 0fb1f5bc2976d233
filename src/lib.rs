pub mod explorer;
pub mod sim;
pub mod small;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod ui;
