//! kube-proxy's rules on one node, in the mode and spelling the reader picks.

use leptos::prelude::*;

use super::state::Explorer;
use super::Choice;
use crate::explorer::rules_view::{marked_rules, rules_node, rules_service, Mark, RulesFormat};
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
        cluster.with(|cluster| {
            traced.with(|traced| {
                let traced = traced.as_ref().ok();
                let node = rules_node(cluster, &state.rules_node.get(), traced);
                let shown = rules_service(&service.get(), traced);
                let format = RulesFormat::from_id(&state.rules_format.get());
                let lines = marked_rules(cluster, &node, &shown, traced, format);
                let nodes: Vec<String> =
                    cluster.nodes.iter().map(|node| node.name.clone()).collect();
                // A blank first choice: no Service highlighted (nothing traced through one).
                let services: Vec<String> = std::iter::once(String::new())
                    .chain(cluster.services.iter().map(|service| {
                        format!(
                            "{}/{}",
                            service.meta.namespace_or_default(),
                            service.meta.name
                        )
                    }))
                    .collect();
                (node, nodes, shown, services, lines)
            })
        })
    });
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <Choice
                label="Node"
                options=Signal::derive(move || view_state.get().1)
                shown=Signal::derive(move || view_state.get().0)
                chosen=state.rules_node
                testid="rules-node"
            />
            <Choice
                label="Mode"
                options=Signal::derive(|| {
                    RulesFormat::ALL.iter().map(|format| format.id().to_owned()).collect()
                })
                shown=state.rules_format
                chosen=state.rules_format
                testid="rules-format"
            />
            <Choice
                label="Service"
                options=Signal::derive(move || view_state.get().3)
                shown=Signal::derive(move || view_state.get().2)
                chosen=service
                testid="rules-service"
            />
        </form>
        // One element type for every line (cheaper in wasm than a view per kind of line).
        <pre class="terminal rules" data-testid="rules" aria-label="kube-proxy's rules">
            {move || {
                view_state
                    .get()
                    .4
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
