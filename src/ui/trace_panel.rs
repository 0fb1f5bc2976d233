//! Send a connection from a pod and follow it: DNS, kube-proxy's rules, the network.

use leptos::prelude::*;

use super::state::Explorer;
use super::Choice;
use crate::explorer::scene::Scene;

/// A connection from a pod to `host:port`, traced hop by hop: each hop's component, node,
/// matching rule, addresses before and after, the backends with their probabilities, and the
/// verdict. "Send 20 requests" shows where 20 new connections end: spread over the backends by
/// the rules' probabilities, all on one with sessionAffinity ClientIP, all rejected without
/// endpoints.
///
/// The source pod and the target live in `state` (scenarios preset them); the scene holds the
/// trace of them, which the rules panel marks too.
#[component]
pub fn TracePanel(
    #[prop(into)] scene: Signal<Scene>,
    state: Explorer,
    send_twenty: RwSignal<bool>,
) -> impl IntoView {
    let (from, target) = (state.trace_from, state.trace_to);
    // "Send 20 requests" (`send_twenty`): off until asked, then it follows the inputs.
    let twenty = move || scene.with(|scene| scene.spread.clone());
    let pods = Memo::new(move |_| scene.with(|scene| scene.client_pods.clone()));
    let result = Memo::new(move |_| scene.with(|scene| scene.traced.clone()));
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <Choice label="From pod" options=pods shown=from chosen=from testid="trace-from" />
            <label class="query-form__field">
                "To (name or IP, :port)"
                <input
                    data-testid="trace-to"
                    type="text"
                    spellcheck="false"
                    prop:value=move || target.get()
                    on:input=move |event| target.set(event_target_value(&event))
                />
            </label>
            <button type="button" class="query-form__button" data-testid="send-twenty" on:click=move |_| send_twenty.set(true)>
                "Send 20 requests"
            </button>
        </form>
        <p class="spread" data-testid="trace-spread">{twenty}</p>
        {move || match result.get() {
            // Before the first answer: nothing to say.
            Err(message) if message.is_empty() => ().into_any(),
            Err(message) => view! { <p class="diagnostic diagnostic--error">{message}</p> }.into_any(),
            Ok(traced) => {
                let verdict = traced.verdict.as_str();
                view! {
                    <ol class="hops" data-testid="trace-steps">
                        {traced
                            .steps
                            .iter()
                            .map(|step| {
                                let moved = step.src != step.src_after || step.dst != step.dst_after;
                                view! {
                                    <li class="hop" data-testid="trace-step">
                                        <strong>{step.component.clone()}</strong>
                                        {step.node.clone().map(|node| format!(" on {node}"))}
                                        <div class="hop__addresses">
                                            {format!("{} → {}", step.src, step.dst)}
                                            {moved.then(|| format!("  ⇒  {} → {}", step.src_after, step.dst_after))}
                                        </div>
                                        {step.rule.clone().map(|rule| view! { <code class="hop__rule">{rule}</code> })}
                                        <div class="hop__note">{step.note.clone()}</div>
                                    </li>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </ol>
                    <ul class="backends" data-testid="trace-backends">
                        {traced
                            .backends
                            .iter()
                            .map(|backend| {
                                view! {
                                    <li>
                                        {format!(
                                            "{} {} {}%",
                                            backend.pod.clone().unwrap_or_else(|| "-".to_owned()),
                                            backend.address,
                                            // `{:.0}` of the percentage, without linking float
                                            // formatting into the wasm.
                                            (backend.probability * 100.0).round_ties_even() as i64
                                        )}
                                    </li>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </ul>
                    <p class=format!("verdict verdict--{verdict}") data-testid="trace-verdict">{verdict}</p>
                }
                .into_any()
            }
        }}
    }
}
