//! A plain text editor for manifests.

use leptos::prelude::*;

/// A textarea holding the manifest text.
///
/// `text` is written on every input event. The textarea's value is set once from `text` and
/// then left to the browser, so typing never loses the caret or the scroll position.
#[component]
pub fn ManifestEditor(text: RwSignal<String>) -> impl IntoView {
    view! {
        <textarea
            class="manifest-editor"
            data-testid="yaml-editor"
            aria-label="Kubernetes YAML"
            spellcheck="false"
            autocomplete="off"
            prop:value=text.get_untracked()
            on:input=move |event| text.set(event_target_value(&event))
        ></textarea>
    }
}
