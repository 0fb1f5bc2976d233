//! One click per walkthrough of the source articles.

use leptos::prelude::*;

use crate::sim::scenarios::{Scenario, SCENARIOS};

/// Loads a scenario: its YAML into the editor, its DNS question and connection into the
/// panels.
pub fn load(
    scenario: &Scenario,
    text: RwSignal<String>,
    dns: (RwSignal<String>, RwSignal<String>),
    trace: (RwSignal<String>, RwSignal<String>),
) {
    text.set(scenario.yaml.to_owned());
    dns.0.set(scenario.dns.0.to_owned());
    dns.1.set(scenario.dns.1.to_owned());
    trace.0.set(scenario.trace.0.to_owned());
    trace.1.set(scenario.trace.1.to_owned());
}

/// The scenario buttons and, once one is chosen, its two-line explanation. `dns` and `trace`
/// are the panels' (from, name) and (from, target) signals.
#[component]
pub fn ScenarioPicker(
    text: RwSignal<String>,
    dns: (RwSignal<String>, RwSignal<String>),
    trace: (RwSignal<String>, RwSignal<String>),
    chosen: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let explanation = move || {
        chosen
            .get()
            .and_then(crate::sim::scenarios::scenario)
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
                                load(scenario, text, dns, trace);
                                chosen.set(Some(id));
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
