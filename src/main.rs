//! The browser entry point: mounts [`svcscope::ui::App`]. Built by Trunk from `index.html`.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(svcscope::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("svcscope-web is the browser app: serve it with `trunk serve` (see README.md).");
    eprintln!("The native command-line tool is `svcscope`.");
    std::process::exit(2);
}
