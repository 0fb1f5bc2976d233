//! Share links in the browser: the records of [`crate::explorer::share`] deflated by the browser's own
//! `CompressionStream("deflate-raw")` (Chrome 80, Firefox 113, Safari 16.4), so the wasm
//! carries no compressor. The format is the CLI's (raw DEFLATE, RFC 1951): links made by
//! `svcscope share` open here and the other way round.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::explorer::share::{self, ShareError, SharedState, MAX_STATE_BYTES};

#[wasm_bindgen(module = "/assets/page.js")]
extern "C" {
    fn deflate_raw(bytes: &[u8]) -> js_sys::Promise;
    fn inflate_raw(bytes: &[u8], limit: u32) -> js_sys::Promise;
}

/// The fragment (without `#`) that holds `state`; `None` if the browser cannot compress.
pub async fn encode(state: &SharedState) -> Option<String> {
    let records = share::records(state);
    let packed = JsFuture::from(deflate_raw(records.as_bytes())).await.ok()?;
    Some(share::fragment(
        &records,
        &js_sys::Uint8Array::new(&packed).to_vec(),
    ))
}

/// The state a fragment (with or without `#`) holds.
pub async fn decode(fragment: &str) -> Result<SharedState, ShareError> {
    let packed = share::unpack(fragment)?;
    let limit = u32::try_from(MAX_STATE_BYTES).unwrap_or(u32::MAX);
    match JsFuture::from(inflate_raw(&packed.data, limit)).await {
        Ok(bytes) => share::from_bytes(js_sys::Uint8Array::new(&bytes).to_vec(), &packed),
        Err(error) if error.is_instance_of::<js_sys::RangeError>() => Err(ShareError::TooLarge),
        Err(_) => Err(ShareError::Compression),
    }
}
