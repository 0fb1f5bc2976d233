// Starts the svcscope app. Trunk's own start-up script is inline, which a strict
// Content-Security-Policy (script-src 'self') refuses; Trunk.toml's `pattern_script` puts this
// file in its place, with the names of the hashed JS and wasm files in data attributes.
//
// The page's second module (the model, src/worker.rs) starts first, so that it loads while the
// page's own module does: the first picture needs both. Its messages wait in `early` until the
// page listens (src/ui/errands.rs takes the worker over).
try {
  const worker = new Worker("./svcscope-worker-loader.js");
  const early = [];
  const booted = { worker, early, failed: null };
  worker.onmessage = (event) => early.push(event.data);
  worker.onerror = (event) => { booted.failed = event.message || "it did not load"; };
  globalThis.svcscopeWorker = booted;
} catch (error) {
  console.error("svcscope: the second module could not start", error);
}
const script = document.querySelector("script[data-svcscope-js]");
const { default: init } = await import(new URL(script.dataset.svcscopeJs, document.baseURI).href);
await init({ module_or_path: new URL(script.dataset.svcscopeWasm, document.baseURI).href });
// `?embed=1&autoheight=1`: the page lays itself out at its content's height and tells the page
// around it (svcscope-embed.js, there, resizes the iframe to fit).
if (location.search.includes("autoheight=1")) import("./svcscope-autoheight.js");
