// Starts the svcscope app. Trunk's own start-up script is inline, which a strict
// Content-Security-Policy (script-src 'self') refuses; Trunk.toml's `pattern_script` puts this
// file in its place, with the names of the hashed JS and wasm files in data attributes.
const script = document.querySelector("script[data-svcscope-js]");
const { default: init } = await import(new URL(script.dataset.svcscopeJs, document.baseURI).href);
await init({ module_or_path: new URL(script.dataset.svcscopeWasm, document.baseURI).href });
