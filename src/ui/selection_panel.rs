//! What is selected on the picture: its facts, its YAML lines, and pod by pod (or Service by
//! Service) why a pod is or is not an endpoint.

use leptos::prelude::*;

use super::state::Explorer;
use crate::explorer::scene::Scene;
use crate::explorer::selection::{Row, RowKind};
use crate::explorer::view::Panel;

/// The inspector's view of the selection: the lines the second module made of it
/// ([`crate::explorer::selection::rows`]), each with its button (a YAML line to mark in the
/// editor, a question or packet to start). One template draws every line and one handler
/// serves every button (each says what it does in `data-do` and `data-arg`): a template or
/// closure per kind would cost the page's module kilobytes.
#[component]
pub fn SelectionPanel(#[prop(into)] scene: Signal<Scene>, state: Explorer) -> impl IntoView {
    let act = move |event: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(button) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|target| target.closest("button[data-do]").ok().flatten())
        else {
            return;
        };
        let arg = button.get_attribute("data-arg").unwrap_or_default();
        match button.get_attribute("data-do").as_deref() {
            Some("lines") => {
                let (first, last) = arg.split_once('-').unwrap_or((&arg, &arg));
                state.pointed.set(first.parse().ok().zip(last.parse().ok()));
            }
            Some("ask") => {
                state.dns_name.set(arg);
                state.panel.set(Panel::Dns);
            }
            Some("ask-from") => {
                state.dns_from.set(arg);
                state.panel.set(Panel::Dns);
            }
            Some("send-from") => {
                state.trace_from.set(arg);
                state.panel.set(Panel::Trace);
            }
            _ => {}
        }
    };
    let rows = move || {
        scene
            .with(|scene| scene.selection.clone())
            .into_iter()
            .map(row)
            .collect::<Vec<_>>()
    };
    view! {
        <ul class="selection" data-testid="selection" on:click=act>
            {rows}
        </ul>
    }
}

/// One line and its button.
fn row(row: Row) -> impl IntoView {
    let button = row.act.button().map(|(act, arg, words, testid)| {
        view! {
            " "
            <button type="button" class="link-button" data-testid=testid data-do=act data-arg=arg>
                {words}
            </button>
        }
    });
    // A verdict's outcome is set apart; a title's note (the selection's id) is only data.
    let note =
        (row.kind == RowKind::Verdict).then(|| view! { " " <strong>{row.note.clone()}</strong> });
    view! {
        <li class=row.kind.class() data-testid=row.kind.test_id() data-note=row.note.clone()>
            {row.text} {note} {button}
        </li>
    }
}
