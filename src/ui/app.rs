//! The whole page: header, share bar and the workbench, with the state kept in localStorage
//! and restored from share links.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::Explorer;
use super::{deflate, page};
use super::{ShareBar, Workbench};
use crate::explorer::scenarios;
use crate::explorer::share;
use crate::explorer::view::Panel;

/// localStorage key under which earlier builds kept the editor's text (still read).
const LEGACY_TEXT_KEY: &str = "svcscope.yaml";

/// The localStorage key for this page's state: one per query string, so that each embedded
/// view on a documentation page (`?embed=1&scenario=...`) keeps its own.
fn storage_key() -> String {
    format!("svcscope.state{}", page::search())
}

/// The root component that `main.rs` mounts.
///
/// The state comes from, in order: a share link's fragment (`#s2.…`, or `#s1.…`); what this URL saved in
/// localStorage before (edits survive a reload); `?scenario=ID`; the first scenario (seed 000's
/// headless `nginx` Service and Deployment, and a client pod); `?panel=ID` opens a panel. Every change is saved back. `?embed=1` gives the compact view for
/// iframes: no header, the editor folded, one panel at a time.
#[component]
pub fn App() -> impl IntoView {
    let embed = page::param("embed").as_deref() == Some("1");
    // Empty at first: the first scenario fills it at once.
    let state = Explorer::new("");
    // The page opens on the first scenario (seed 000's headless nginx and a client pod to ask
    // from), with its button pressed and its explanation shown: the default is that scenario.
    if let Some(first) = scenarios::SCENARIOS.first() {
        state.load_scenario(first);
    }
    let ready = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let fragment = page::fragment();
    if share::is_share_link(&fragment) {
        // Decompressing is asynchronous (the browser's DecompressionStream): the page shows the
        // default state for the few milliseconds it takes, and saves nothing until then.
        spawn_local(async move {
            match deflate::decode(&fragment).await {
                Ok(shared) => {
                    state.linked.set(Some(shared.clone()));
                    state.restore(shared);
                }
                Err(error) => {
                    problem.set(Some(format!(
                        "This share link could not be opened: {error}."
                    )));
                    let _ = restore_saved(&state);
                }
            }
            ready.set(true);
        });
    } else {
        if !restore_saved(&state) {
            open_requested_panel(&state);
        }
        ready.set(true);
    }
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        let snapshot = state.snapshot();
        page::save(&storage_key(), &share::to_stored(&snapshot));
        if page::search().is_empty() {
            page::save(LEGACY_TEXT_KEY, &snapshot.yaml);
        }
        // A share link in the address bar that no longer shows the state goes away, so that a
        // reload brings back the edits (from storage), not the old link.
        let linked = state
            .linked
            .with_untracked(|linked| linked.as_ref() == Some(&snapshot));
        if !linked && share::is_share_link(&page::fragment()) {
            page::set_fragment(None);
        }
    });
    view! {
        {(!embed)
            .then(|| {
                view! {
                    <header class="app-header">
                        <h1 class="app-header__title">"svcscope"</h1>
                        <p class="app-header__tagline">"See how Kubernetes Services work"</p>
                        <ShareBar state=state />
                    </header>
                }
            })}
        {move || {
            problem
                .get()
                .map(|problem| {
                    view! {
                        <p class="diagnostic diagnostic--error banner" data-testid="share-error" role="alert">
                            {problem}
                        </p>
                    }
                })
        }}
        <main class="app-main" class:app-main--embed=embed>
            {embed.then(|| view! { <ShareBar state=state embed=true /> })}
            <Workbench state=state embed=embed />
        </main>
    }
}

/// Fills `state` from what this URL saved before (and returns true), else `?scenario=ID`,
/// else the text earlier builds saved.
fn restore_saved(state: &Explorer) -> bool {
    if let Some(saved) =
        page::load(&storage_key()).and_then(|saved| share::from_stored(&saved).ok())
    {
        state.restore(saved);
        return true;
    }
    if let Some(scenario) = page::param("scenario")
        .as_deref()
        .and_then(scenarios::scenario)
    {
        state.load_scenario(scenario);
    } else if let Some(text) = page::load(LEGACY_TEXT_KEY) {
        state.text.set(text);
    }
    false
}

/// `?panel=ID` opens that panel (the embedded view shows one at a time).
fn open_requested_panel(state: &Explorer) {
    if let Some(panel) = page::param("panel").as_deref().and_then(Panel::from_id) {
        state.panel.set(panel);
    }
}
