//! Undo and redo over the whole explorer state.

use leptos::prelude::*;

use super::state::Explorer;
use crate::explorer::share::SharedState;

/// Most states kept.
const LIMIT: usize = 200;

/// Typing within this many milliseconds of the last change is one step.
const TYPING_MS: f64 = 1000.0;

/// Undo and Redo buttons over every change of `state`: edits (a burst of typing is one step),
/// scenarios, what-ifs, questions, panels (not the picture's zoom). Undo puts back the state
/// before; the browser's own undo still works inside the editor.
#[component]
pub fn History(state: Explorer) -> impl IntoView {
    // (states, position of the current one, time of the last change, whether it was typing)
    let history: StoredValue<(Vec<SharedState>, usize, f64, bool)> =
        StoredValue::new((Vec::new(), 0, 0.0, false));
    let position = RwSignal::new((0usize, 0usize));
    Effect::new(move |_| {
        // The picture's zoom, focus and selection and the folded editor are ways of looking,
        // not changes to undo.
        let now = SharedState {
            zoom: 0,
            focus: String::new(),
            selected: String::new(),
            editor_folded: false,
            ..state.snapshot()
        };
        let time = js_sys::Date::now();
        history.update_value(|(states, at, last, typing)| {
            let Some(current) = states.get(*at) else {
                states.push(now);
                *at = 0;
                return;
            };
            if *current == now {
                // An undo or redo arriving, or nothing that matters.
                return;
            }
            let only_text = SharedState {
                yaml: now.yaml.clone(),
                ..current.clone()
            } == now;
            states.truncate(*at + 1);
            if only_text && *typing && time - *last < TYPING_MS && *at > 0 {
                if let Some(current) = states.get_mut(*at) {
                    *current = now;
                }
            } else {
                states.push(now);
                if states.len() > LIMIT {
                    states.remove(0);
                }
                *at = states.len() - 1;
            }
            *last = time;
            *typing = only_text;
        });
        history.with_value(|(states, at, ..)| position.set((*at, states.len())));
    });
    let go = move |delta: isize| {
        let target = history.with_value(|(states, at, ..)| {
            let to = at.checked_add_signed(delta)?;
            states.get(to).cloned().map(|state| (to, state))
        });
        if let Some((to, shown)) = target {
            history.update_value(|(_, at, _, typing)| {
                *at = to;
                *typing = false;
            });
            state.restore(SharedState {
                zoom: state.zoom.get_untracked(),
                focus: state.focus.get_untracked(),
                selected: state.selected.get_untracked(),
                editor_folded: state.editor_folded.get_untracked(),
                ..shown
            });
        }
    };
    view! {
        <div class="history" role="group" aria-label="History">
            <button
                type="button"
                data-testid="undo"
                title="Undo"
                disabled=move || position.get().0 == 0
                on:click=move |_| go(-1)
            >
                "↶ Undo"
            </button>
            <button
                type="button"
                data-testid="redo"
                title="Redo"
                disabled=move || {
                    let (at, len) = position.get();
                    at + 1 >= len
                }
                on:click=move |_| go(1)
            >
                "Redo ↷"
            </button>
        </div>
    }
}
