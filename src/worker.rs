//! The page's second module: a web worker that answers the page's errands
//! ([`svcscope::explorer::errand`]) for the views a reader opens now and then. Built by Trunk
//! from `index.html` (`data-type="worker"`); the page starts it on its first errand.

/// The same small allocator as the page's module.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static GLOBAL: svcscope::small::alloc::Allocator = svcscope::small::alloc::Allocator::new();

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use svcscope::explorer::errand::Worker;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        /// `console.error`: where a panic's message goes.
        #[wasm_bindgen(js_namespace = console, js_name = error)]
        fn console_error(message: &str);
    }

    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = RefCell::new(Worker::default());
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let request = js_sys::Uint8Array::new(&event.data()).to_vec();
            let answer = worker.borrow_mut().answer(&request);
            let _ = reply_to.post_message(&js_sys::Uint8Array::from(answer.as_slice()));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before this point were dropped: the page waits for this one first.
    let _ = scope.post_message(&js_sys::Uint8Array::new_with_length(0));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("svcscope-worker is the browser app's second module: it runs in the page.");
    std::process::exit(2);
}
