//! The whole page: header and the workbench, with the YAML kept in localStorage.

use leptos::prelude::*;

use super::Workbench;
use crate::sim::scenarios;

/// localStorage key under which the editor's text survives a reload.
const STORAGE_KEY: &str = "svcscope.yaml";

/// The root component that `main.rs` mounts.
///
/// Starts from the text saved in localStorage, or from seed 000's headless `nginx` Service and
/// Deployment when nothing is saved (or storage is unavailable, as in some sandboxed iframes),
/// and saves every edit back.
///
/// `?scenario=ID` in the page's URL opens that scenario instead (for links from documentation).
#[component]
pub fn App() -> impl IntoView {
    let text =
        RwSignal::new(load_saved_text().unwrap_or_else(|| scenarios::HEADLESS_NGINX.to_owned()));
    let scenario = requested_scenario();
    Effect::new(move |_| {
        let current = text.get();
        if let Some(storage) = local_storage() {
            // A full or disabled storage loses only persistence, never the page.
            let _ = storage.set_item(STORAGE_KEY, &current);
        }
    });
    view! {
        <header class="app-header">
            <h1 class="app-header__title">"svcscope"</h1>
            <p class="app-header__tagline">"See how Kubernetes Services work"</p>
        </header>
        <main class="app-main">
            {match scenario {
                Some(scenario) => view! { <Workbench text=text scenario=scenario /> }.into_any(),
                None => view! { <Workbench text=text /> }.into_any(),
            }}
        </main>
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load_saved_text() -> Option<String> {
    local_storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// The scenario named by `?scenario=ID`, if the page's URL has a known one.
fn requested_scenario() -> Option<&'static scenarios::Scenario> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("scenario="))
        .and_then(scenarios::scenario)
}
