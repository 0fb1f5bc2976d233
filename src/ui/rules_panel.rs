//! kube-proxy's rules on one node, in the mode and spelling the reader picks.

use leptos::prelude::*;

use super::state::Explorer;
use super::Choice;
use crate::explorer::rules_view::{rules_view, Mark, RulesFormat};
use crate::sim::control::cluster::Cluster;
use crate::sim::proxy::trace::Trace;

/// The node's kube-proxy rules in iptables mode, the same text as the CLI prints for that
/// node: as `iptables-save` shows it (`svcscope iptables`, the default) or as kube-proxy hands
/// it to `iptables-restore` (`-o restore`). The selected Service's chains are highlighted and
/// the rules the last traced packet matched on that node are marked, in either spelling.
/// (nftables and IPVS mode are the CLI's alone: see [`RulesFormat`].)
///
/// The node and the Service are chosen here; by default they follow the trace.
#[component]
pub fn RulesPanel(
    #[prop(into)] cluster: Signal<Cluster>,
    state: Explorer,
    #[prop(into)] traced: Signal<Result<Trace, String>>,
) -> impl IntoView {
    let service = RwSignal::new(String::new());
    let view_state = Memo::new(move |_| {
        let (node, chosen, format) = (
            state.rules_node.get(),
            service.get(),
            state.rules_format.get(),
        );
        cluster.with(|cluster| {
            traced.with(|traced| rules_view(cluster, &node, &chosen, traced.as_ref().ok(), format))
        })
    });
    let format = state.rules_format;
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <Choice
                label="Node"
                options=Signal::derive(move || view_state.with(|view| view.nodes.clone()))
                shown=Signal::derive(move || view_state.with(|view| view.node.clone()))
                chosen=state.rules_node
                testid="rules-node"
            />
            <label class="query-form__field">
                "Mode"
                <select
                    data-testid="rules-format"
                    on:change=move |event| format.set_named(&event_target_value(&event))
                >
                    {RulesFormat::ALL
                        .into_iter()
                        .map(|option| {
                            let selected = move || format.get() == option;
                            view! { <option value=option.id() selected=selected>{option.id()}</option> }
                        })
                        .collect::<Vec<_>>()}
                </select>
            </label>
            <Choice
                label="Service"
                options=Signal::derive(move || view_state.with(|view| view.services.clone()))
                shown=Signal::derive(move || view_state.with(|view| view.service.clone()))
                chosen=service
                testid="rules-service"
            />
        </form>
        // One element type for every line (cheaper in wasm than a view per kind of line).
        <pre class="terminal rules" data-testid="rules" aria-label="kube-proxy's rules">
            {move || {
                view_state
                    .with(|view| view.lines.clone())
                    .into_iter()
                    .map(|(line, mark)| {
                        let (class, testid, title) = match mark {
                            Mark::Plain => ("rules__line", "rules-line", ""),
                            Mark::Service => ("rules__line rules__service", "rules-service-line", ""),
                            Mark::Matched => (
                                "rules__line rules__matched",
                                "rules-matched",
                                "the traced packet matched this rule",
                            ),
                        };
                        view! { <span class=class data-testid=testid title=title>{line}"\n"</span> }
                    })
                    .collect::<Vec<_>>()
            }}
        </pre>
    }
}
