//! A labelled choice among names: the pod a question or a connection starts from, the node
//! whose rules are shown, the Service whose chains stand out.

use leptos::prelude::*;

/// A labelled `<select>` over `options`, showing `shown` as selected and writing the user's
/// choice into `chosen`; `testid` names it for tests.
#[component]
pub fn Choice(
    label: &'static str,
    #[prop(into)] options: Signal<Vec<String>>,
    #[prop(into)] shown: Signal<String>,
    chosen: RwSignal<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <label class="query-form__field">
            {label}
            <select data-testid=testid on:change=move |event| chosen.set(event_target_value(&event))>
                {move || {
                    let shown = shown.get();
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let selected = option == shown;
                            let text = option.clone();
                            view! { <option value=option selected=selected>{text}</option> }
                        })
                        .collect::<Vec<_>>()
                }}
            </select>
        </label>
    }
}
