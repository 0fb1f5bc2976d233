//! Send a connection from a pod and follow it: DNS, kube-proxy's rules, the network.

use leptos::prelude::*;

use super::PodSelect;

use super::pod_select::{chosen_pod, client_pods};
use crate::sim::cluster::Cluster;
use crate::sim::dns::{Dns, DnsOptions};
use crate::sim::trace::{trace, Source};

/// A connection from a pod to `host:port`, traced hop by hop with the same model as
/// `svcscope trace`: each hop's component, node, matching rule, addresses before and after,
/// the backends with their probabilities, and the verdict.
///
/// `target` and `from` are shared with the scenario picker, which presets them.
#[component]
pub fn TracePanel(
    #[prop(into)] cluster: Signal<Cluster>,
    target: RwSignal<String>,
    from: RwSignal<String>,
) -> impl IntoView {
    let pods = Memo::new(move |_| cluster.with(client_pods));
    let result = Memo::new(move |_| {
        cluster.with(|cluster| {
            let pods = pods.get();
            let chosen = from.get();
            let reference = chosen_pod(&pods, chosen);
            let (namespace, name) = reference.split_once('/').unwrap_or(("", ""));
            let text = target.get();
            let (host, port) = match text.rsplit_once(':') {
                Some((host, port)) => (host.to_owned(), port.parse::<u16>().unwrap_or(80)),
                None => (text.clone(), 80),
            };
            let server = Dns::new(
                cluster,
                DnsOptions {
                    zone: cluster.config.cluster_domain.clone(),
                    ..DnsOptions::default()
                },
            );
            trace(
                cluster,
                &server,
                &Source::Pod(namespace.to_owned(), name.to_owned()),
                &host,
                port,
                "tcp",
                40000,
            )
        })
    });
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <PodSelect pods=pods chosen=from testid="trace-from" />
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
        </form>
        {move || match result.get() {
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
                                            "{} {} {:.0}%",
                                            backend.pod.clone().unwrap_or_else(|| "-".to_owned()),
                                            backend.address,
                                            backend.probability * 100.0
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
