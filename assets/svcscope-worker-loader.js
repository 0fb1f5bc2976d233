// Starts the page's second module in its web worker (src/ui/errands.rs creates the worker from
// this file). The worker's files keep their Cargo names (Trunk does not hash a worker's), so
// they are named here; the glue is wasm-bindgen's no-modules script.
importScripts("./svcscope-worker.js");
wasm_bindgen({ module_or_path: "./svcscope-worker_bg.wasm" });
