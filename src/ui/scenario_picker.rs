//! One click per walkthrough of the source articles.

use leptos::prelude::*;

use super::state::Explorer;
use crate::explorer::scenarios::SCENARIOS;

/// A button per scenario (`testid` marks them for the tests); one the reader has chosen is
/// pressed. Also the empty editor's list ([`super::object_list::empty_hint`]): one rendering
/// for both.
pub fn scenario_buttons(state: Explorer, testid: &'static str) -> Vec<impl IntoView> {
    let chosen = state.scenario;
    SCENARIOS
        .iter()
        .map(|scenario| {
            let id = scenario.id;
            view! {
                <button
                    type="button"
                    class="scenarios__button"
                    data-testid=testid
                    data-scenario=id
                    aria-pressed=move || (chosen.get() == Some(id)).to_string()
                    title=scenario.title
                    on:click=move |_| state.load_scenario(scenario)
                >
                    {scenario.title}
                </button>
            }
        })
        .collect()
}

/// The scenario buttons and, once one is chosen, its two-line explanation. A click loads the
/// scenario's YAML, DNS question and packet into `state`.
#[component]
pub fn ScenarioPicker(state: Explorer) -> impl IntoView {
    let explanation = move || {
        let text = state.explanation.get();
        (!text.is_empty()).then_some(text)
    };
    let stacks: Vec<String> = crate::sim::config::Stack::ALL
        .iter()
        .map(|stack| stack.id().to_owned())
        .collect();
    let names = state.stack;
    view! {
        <nav class="scenarios" aria-label="Scenarios">{scenario_buttons(state, "scenario")}</nav>
        // The cluster's address families: --service-cluster-ip-range and --cluster-cidr.
        <div class="scenarios__cluster">
            <super::Choice
                label="Cluster"
                options=stacks
                shown=names
                chosen=names
                testid="cluster-stack"
            />
        </div>
        {move || {
            explanation()
                .map(|text| view! { <p class="scenarios__explanation" data-testid="scenario-explanation">{text}</p> })
        }}
    }
}
