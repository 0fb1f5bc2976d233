//! Share the explorer's state as a link.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::Explorer;
use super::{deflate, page};

/// A Share button that puts the whole state (YAML, scenario, what-ifs, DNS question, packet,
/// rules node, open panel) into the page's URL fragment, compressed, and shows the link to
/// copy. Opening the link restores exactly that state.
///
/// In the embedded view (`embed`) it also offers the same state in the full explorer, in a new
/// tab.
#[component]
pub fn ShareBar(state: Explorer, #[prop(optional)] embed: bool) -> impl IntoView {
    let link = RwSignal::new(String::new());
    let share = move |_| {
        let snapshot = state.snapshot_untracked();
        spawn_local(async move {
            if let Some(fragment) = deflate::encode(&snapshot).await {
                page::set_fragment(Some(&fragment));
                state.linked.set(Some(snapshot));
                link.set(format!("{}#{fragment}", page::href_without_fragment()));
            }
        });
    };
    // The full view: this URL without `embed=1`, with the current state in its fragment
    // (compressed when clicked; a middle click opens the plain full view).
    let full_view = move || {
        let base = page::href_without_fragment();
        let (path, query) = base.split_once('?').unwrap_or((&base, ""));
        let query: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("embed="))
            .collect();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", query.join("&"))
        }
    };
    let open_full = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let snapshot = state.snapshot_untracked();
        spawn_local(async move {
            let fragment = deflate::encode(&snapshot).await.unwrap_or_default();
            if let Some(window) = web_sys::window() {
                let _ = window
                    .open_with_url_and_target(&format!("{}#{fragment}", full_view()), "_blank");
            }
        });
    };
    view! {
        <div class="share-bar">
            <button type="button" class="share-bar__button" data-testid="share" on:click=share>
                "Share"
            </button>
            {move || {
                let shown = link.get();
                (!shown.is_empty())
                    .then(|| {
                        view! {
                            <input
                                class="share-bar__link"
                                data-testid="share-link"
                                type="text"
                                readonly
                                aria-label="Share link"
                                prop:value=shown
                                on:focus=|event| {
                                    use wasm_bindgen::JsCast;
                                    if let Some(input) = event
                                        .target()
                                        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
                                    {
                                        input.select();
                                    }
                                }
                            />
                        }
                    })
            }}
            {embed
                .then(|| {
                    view! {
                        <a
                            class="share-bar__open"
                            data-testid="open-full"
                            target="_blank"
                            rel="noopener"
                            href=full_view()
                            on:click=open_full
                        >
                            "Open in svcscope ↗"
                        </a>
                    }
                })}
        </div>
    }
}
