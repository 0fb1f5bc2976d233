//! Exporting the cluster picture as a file: a standalone SVG (the picture's own markup with the
//! page's canvas styles and colour tokens inside it) or a PNG drawn from that SVG at twice its
//! size. The browser does the work (XMLSerializer, an image, a canvas, a download link), so the
//! wasm carries only the call; that work's script (`assets/svcscope-export.js`) is fetched on
//! the first export, not with the page. Nothing leaves the page (the file is a `blob:` URL).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/assets/page.js")]
extern "C" {
    /// Exports the picture in the panel around `from` (the button pressed) as `format`
    /// (`svg` or `png`).
    pub fn export_picture(from: &JsValue, format: &str);
}
