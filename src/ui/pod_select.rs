//! A choice of the pod a question or a connection starts from.

use leptos::prelude::*;

/// A `<select>` over `pods` (`namespace/name`), writing the choice into `chosen`; `testid`
/// names it for tests.
#[component]
pub fn PodSelect(
    #[prop(into)] pods: Signal<Vec<String>>,
    chosen: RwSignal<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <label class="query-form__field">
            "From pod"
            <select data-testid=testid on:change=move |event| chosen.set(event_target_value(&event))>
                {move || {
                    pods.get()
                        .into_iter()
                        .map(|pod| {
                            let selected = chosen.get() == pod;
                            view! { <option value=pod.clone() selected=selected>{pod.clone()}</option> }
                        })
                        .collect::<Vec<_>>()
                }}
            </select>
        </label>
    }
}
