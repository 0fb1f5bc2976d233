//! What is selected on the picture: its facts, its YAML lines, and pod by pod (or Service by
//! Service) why a pod is or is not an endpoint.

use leptos::prelude::*;

use super::state::Explorer;
use crate::explorer::scene::Scene;
use crate::explorer::selection::{Reason, Verdict};
use crate::explorer::view::Panel;

/// The inspector's view of the selection ([`crate::explorer::selection::describe`], computed
/// by the second module). Each reason's "line N" shows that line in the editor; "Ask DNS" and
/// "Send a packet" carry the selection to those panels.
#[component]
pub fn SelectionPanel(#[prop(into)] scene: Signal<Scene>, state: Explorer) -> impl IntoView {
    let selection = Memo::new(move |_| scene.with(|scene| scene.selection.clone()));
    move || {
        let Some(view) = selection.get() else {
            return view! {
                <p class="hint" data-testid="selection-none">
                    "Click a Service, an EndpointSlice, a pod or a node on the picture: this panel \
                     says what it is, shows the YAML it came from, and for a Service why each pod \
                     is or is not one of its endpoints."
                </p>
            }
            .into_any();
        };
        let lines = view.lines;
        let source = view.source.clone();
        let lines_button = lines.map(|(first, last)| {
            view! {
                <button type="button" class="link-button" data-testid="selection-lines" on:click=move |_| state.pointed.set(Some((first, last)))>
                    {if first == last { format!("line {first}") } else { format!("lines {first}\u{2013}{last}") }}
                </button>
            }
        });
        let dns = view.dns_name.clone().map(|name| {
            let shown = name.clone();
            view! {
                <button type="button" class="query-form__button" data-testid="selection-ask" on:click=move |_| {
                    state.dns_name.set(name.clone());
                    state.panel.set(Panel::Dns);
                }>
                    {format!("Ask DNS for {shown}")}
                </button>
            }
        });
        let pod = view.pod.clone().map(|pod| {
            let (asker, sender) = (pod.to_string(), pod.to_string());
            view! {
                <button type="button" class="query-form__button" data-testid="selection-ask-from" on:click=move |_| {
                    state.dns_from.set(asker.clone());
                    state.panel.set(Panel::Dns);
                }>
                    "Ask DNS from this pod"
                </button>
                <button type="button" class="query-form__button" data-testid="selection-send-from" on:click=move |_| {
                    state.trace_from.set(sender.clone());
                    state.panel.set(Panel::Trace);
                }>
                    "Send a packet from it"
                </button>
            }
        });
        let more = (view.more > 0).then(|| {
            view! { <p class="hint">{format!("and {} more, not listed", view.more)}</p> }
        });
        view! {
            <div class="selection" data-testid="selection" data-selected=view.id.clone()>
                <h3 class="selection__title" data-testid="selection-title">{view.title.clone()}</h3>
                <ul class="selection__facts">
                    {view.facts.iter().map(|fact| view! { <li>{fact.clone()}</li> }).collect::<Vec<_>>()}
                </ul>
                <p class="selection__source">"From " {source} " " {lines_button}</p>
                <div class="selection__actions">{dns} {pod}</div>
                <ul class="verdicts" data-testid="verdicts">
                    {view.verdicts.into_iter().map(|verdict| verdict_view(verdict, state)).collect::<Vec<_>>()}
                </ul>
                {more}
            </div>
        }
        .into_any()
    }
}

/// One pod and one Service: endpoint or not, and the reasons.
fn verdict_view(verdict: Verdict, state: Explorer) -> impl IntoView {
    let Verdict {
        service,
        pod,
        outcome,
        endpoint,
        ready,
        reasons,
    } = verdict;
    let said = outcome.clone();
    let class = match (endpoint, ready) {
        (true, true) => "verdict verdict--ready",
        (true, false) => "verdict verdict--not-ready",
        _ => "verdict verdict--out",
    };
    view! {
        <li class=class data-testid="verdict" data-pod=pod.clone() data-service=service.clone() data-outcome=said>
            <p class="verdict__head">
                <span class="verdict__who">{format!("{pod} \u{2192} {service}")}</span>
                <strong class="verdict__outcome">{outcome}</strong>
            </p>
            <ul class="reasons">
                {reasons.into_iter().map(|reason| reason_view(reason, state)).collect::<Vec<_>>()}
            </ul>
        </li>
    }
}

/// A reason: for or against (a sign and words, never colour alone) and its YAML line.
fn reason_view(reason: Reason, state: Explorer) -> impl IntoView {
    let Reason { holds, text, line } = reason;
    let link = line.map(|line| {
        view! {
            <button type="button" class="link-button" data-testid="reason-line" data-line=line.to_string() on:click=move |_| state.pointed.set(Some((line, line)))>
                {format!("line {line}")}
            </button>
        }
    });
    view! {
        <li class=if holds { "reason reason--holds" } else { "reason reason--fails" } data-testid="reason" data-holds=holds.to_string()>
            <span class="reason__sign" aria-label=if holds { "yes" } else { "no" }>{if holds { "\u{2713}" } else { "\u{2717}" }}</span>
            " " {text} " " {link}
        </li>
    }
}
