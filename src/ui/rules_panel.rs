//! kube-proxy's rules on one node, in the mode and spelling the reader picks.

use leptos::prelude::*;

use super::errands::ask;
use super::state::Explorer;
use super::Choice;
use crate::explorer::errand::{Errand, Reply};
use crate::explorer::rules_view::{Mark, RulesFormat, RulesView};

/// The node's kube-proxy rules, the same text as the CLI prints for that node: iptables mode
/// as `iptables-save` shows it (`svcscope iptables`, the default) or as kube-proxy hands it to
/// `iptables-restore` (`-o restore`), nftables mode as `nft list table ip kube-proxy` (`svcscope
/// nft`), IPVS mode as `ipvsadm -Ln` (`svcscope ipvs`). The selected Service's chains (virtual
/// servers) are highlighted and, in iptables mode, the rules the traced packet matched on that
/// node are marked. Computed by the page's second module, once the panel is `open`.
///
/// The node and the Service are chosen here; by default they follow the trace.
#[component]
pub fn RulesPanel(state: Explorer, #[prop(into)] open: Signal<bool>) -> impl IntoView {
    let service = RwSignal::new(String::new());
    let view_state = RwSignal::new(RulesView::default());
    let failed = RwSignal::new(String::new());
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let request = state.errand(Errand::Rules {
            node: state.rules_node.get(),
            service: service.get(),
            format: state.rules_format.get(),
        });
        ask("rules", request, move |reply| match reply {
            Reply::Rules(view) => {
                failed.set(String::new());
                view_state.set(view);
            }
            Reply::Failed(why) => failed.set(why),
            _ => {}
        });
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
        <p class="diagnostic" data-testid="rules-failed" hidden=move || failed.with(String::is_empty)>
            {move || failed.get()}
        </p>
        // One element type for every line (cheaper in wasm than a view per kind of line).
        <pre class="terminal rules" data-testid="rules" aria-label="kube-proxy's rules" tabindex="0">
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
