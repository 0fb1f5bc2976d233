// The page's own JavaScript: what wasm-bindgen cannot write, in one file (wasm-bindgen copies
// it into dist/snippets/; one file rather than one per Rust module: one request and one gzip
// stream fewer each). The Rust side of each function says what it is for.

// The picture's SVG clock (src/ui/cluster_canvas.rs).
export function motion(area, what, paused) {
  const svg = area && area.querySelector("svg");
  if (!svg) return paused;
  if (what === "pause") {
    paused = !paused;
    if (paused) svg.pauseAnimations(); else svg.unpauseAnimations();
  } else if (what === "step") {
    svg.pauseAnimations();
    svg.setCurrentTime(svg.getCurrentTime() + 0.5);
    paused = true;
  } else if (what === "replay") {
    svg.setCurrentTime(0);
    svg.unpauseAnimations();
    paused = false;
  } else if (paused) {
    svg.pauseAnimations();
  }
  return paused;
}

// Share links: raw DEFLATE by the browser's own CompressionStream (src/ui/deflate.rs).
export function deflate_raw(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Response(stream).arrayBuffer().then((buffer) => new Uint8Array(buffer));
}
export async function inflate_raw(bytes, limit) {
  const reader = new Blob([bytes]).stream()
    .pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new RangeError("too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// Exporting the picture as SVG or PNG (src/ui/export.rs): its code is a file of its own,
// fetched the first time a reader exports (an export is not part of the first screen).
export function export_picture(from, format) {
  return import(new URL("svcscope-export.js", document.baseURI).href)
    .then((module) => module.exportPicture(from, format))
    .catch((error) => console.error("svcscope: the export could not load", error));
}
