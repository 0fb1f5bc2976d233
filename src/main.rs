//! The browser entry point: mounts [`svcscope::ui::App`]. Built by Trunk from `index.html`.

/// The browser build's allocator (`svcscope::small::alloc`: about 1.4 KB gzipped smaller than
/// std's dlmalloc). The binary chooses it, not the library: the CLI has its own (mimalloc).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static GLOBAL: svcscope::small::alloc::Allocator = svcscope::small::alloc::Allocator::new();

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `console.error`: where a panic's message goes (the page is dead after one).
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

#[cfg(target_arch = "wasm32")]
fn main() {
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
    leptos::mount::mount_to_body(svcscope::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("svcscope-web is the browser app: serve it with `trunk serve` (see README.md).");
    eprintln!("The native command-line tool is `svcscope`.");
    std::process::exit(2);
}
