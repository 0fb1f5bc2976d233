//! One click per walkthrough of the source articles.

use leptos::prelude::*;

use super::state::Explorer;
use crate::explorer::scenarios::SCENARIOS;

/// The scenario buttons and, once one is chosen, its two-line explanation. A click loads the
/// scenario's YAML, DNS question and packet into `state`.
#[component]
pub fn ScenarioPicker(state: Explorer) -> impl IntoView {
    let chosen = state.scenario;
    let explanation = move || {
        chosen
            .get()
            .and_then(crate::explorer::scenarios::scenario)
            .map(|scenario| scenario.explanation)
    };
    view! {
        <nav class="scenarios" aria-label="Scenarios">
            {SCENARIOS
                .iter()
                .map(|scenario| {
                    let id = scenario.id;
                    view! {
                        <button
                            type="button"
                            class="scenarios__button"
                            data-testid="scenario"
                            data-scenario=id
                            aria-pressed=move || (chosen.get() == Some(id)).to_string()
                            title=scenario.title
                            on:click=move |_| {
                                state.load_scenario(scenario);
                            }
                        >
                            {scenario.title}
                        </button>
                    }
                })
                .collect::<Vec<_>>()}
        </nav>
        {move || {
            explanation()
                .map(|text| view! { <p class="scenarios__explanation" data-testid="scenario-explanation">{text}</p> })
        }}
    }
}
