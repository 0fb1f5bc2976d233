//! The page around the app: its URL (query, fragment) and localStorage. The only module that
//! touches `window`; every function copes with their absence (sandboxed iframes, disabled
//! storage) by doing nothing.

use wasm_bindgen::JsValue;

/// The page's query string, with its `?` (empty when none).
pub fn search() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .unwrap_or_default()
}

/// The value of `?NAME=VALUE` in the page's URL.
pub fn param(name: &str) -> Option<String> {
    search()
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_owned)
}

/// The page's fragment, with its `#` (empty when none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// The page's URL without its fragment.
pub fn href_without_fragment() -> String {
    let href = web_sys::window()
        .and_then(|window| window.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// Replaces the page's fragment (`None` removes it) without navigating or adding a history
/// entry.
pub fn set_fragment(fragment: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let url = match fragment {
        Some(fragment) => format!("{}#{fragment}", href_without_fragment()),
        None => href_without_fragment(),
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The text stored under `key`, if storage works and has it.
pub fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; a full or disabled storage loses only persistence.
pub fn save(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}
