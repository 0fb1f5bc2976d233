//! Ask cluster DNS from a pod: the resolver's search walk and the answer, as nslookup or dig
//! print it.

use leptos::prelude::*;

use super::state::Explorer;
use super::Choice;

use crate::explorer::scene::Scene;
use crate::sim::dns::plugin::QType;

/// A DNS question (name, type, the pod that asks, glibc or musl) and its answer: every query
/// the pod's resolver sent with its status, then the final answer as `nslookup` or `dig`
/// prints it, all from the same model as `svcscope dns` (`asked`, computed by
/// [`crate::explorer::questions::ask`] for the panel and the picture alike).
///
/// The question lives in `state` (the pod as `namespace/pod`; empty or unknown means the first
/// pod), where scenarios preset it and share links restore it.
#[component]
pub fn DnsPanel(#[prop(into)] scene: Signal<Scene>, state: Explorer) -> impl IntoView {
    let (name, from, qtype, musl, dig) = (
        state.dns_name,
        state.dns_from,
        state.dns_type,
        state.dns_musl,
        state.dns_dig,
    );
    let pods = Memo::new(move |_| scene.with(|scene| scene.client_pods.clone()));
    let asked = Memo::new(move |_| scene.with(|scene| scene.asked.clone()));
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <label class="query-form__field">
                "Name"
                <input
                    data-testid="dns-name"
                    type="text"
                    spellcheck="false"
                    prop:value=move || name.get()
                    on:input=move |event| name.set(event_target_value(&event))
                />
            </label>
            <label class="query-form__field">
                "Type"
                <select
                    data-testid="dns-type"
                    on:change=move |event| qtype.set_named(&event_target_value(&event))
                >
                    {QType::ALL
                        .into_iter()
                        .map(|kind| {
                            let selected = move || qtype.get() == kind;
                            view! { <option value=kind.as_str() selected=selected>{kind.as_str()}</option> }
                        })
                        .collect::<Vec<_>>()}
                </select>
            </label>
            <Choice label="From pod" options=pods shown=from chosen=from testid="dns-from" />
            <label class="query-form__check">
                <input
                    data-testid="dns-musl"
                    type="checkbox"
                    prop:checked=move || musl.get()
                    on:change=move |event| musl.set(event_target_checked(&event))
                />
                "musl (Alpine)"
            </label>
            <label class="query-form__check">
                <input
                    data-testid="dns-dig"
                    type="checkbox"
                    prop:checked=move || dig.get()
                    on:change=move |event| dig.set(event_target_checked(&event))
                />
                "dig"
            </label>
        </form>
        <ol class="tried" data-testid="dns-tried" aria-label="Queries the resolver sent">
            {move || {
                asked
                    .get()
                    .tried
                    .into_iter()
                    .map(|(name, status)| {
                        let class = format!("status status--{}", status.to_lowercase());
                        view! {
                            <li>
                                <code>{name}</code>
                                " "
                                <span class=class>{status}</span>
                            </li>
                        }
                    })
                    .collect::<Vec<_>>()
            }}
        </ol>
        <pre class="terminal" data-testid="dns-answer" tabindex="0" aria-label="The answer">{move || asked.get().text}</pre>
    }
}
