//! Ask cluster DNS from a pod: the resolver's search walk and the answer, as nslookup or dig
//! print it.

use leptos::prelude::*;

use super::choice::{chosen_pod, client_pods};
use super::state::Explorer;
use super::Choice;

use crate::sim::control::cluster::Cluster;
use crate::sim::dns::plugin::{Dns, DnsOptions, QType};
use crate::sim::dns::resolver::{resolv_conf, resolve, ResolverKind};
use crate::sim::dns::text;

/// A question asked and its answer, as the panel and the picture show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    /// The pod that asked (`namespace/name`), empty when there is none.
    pub from: String,
    /// Every query the resolver sent, with its status.
    pub tried: Vec<(String, String)>,
    /// The answer as nslookup or dig prints it.
    pub text: String,
    /// One line for the picture ([`text::short_answer`]).
    pub short: String,
}

/// Asks the question in `state` of `cluster`'s DNS, through the asking pod's resolver.
pub fn ask(cluster: &Cluster, state: &Explorer) -> Asked {
    let options = DnsOptions {
        zone: cluster.config.cluster_domain.clone(),
        ..DnsOptions::default()
    };
    let server = Dns::new(cluster, options);
    let dns_ip = cluster.config.dns_ip().to_string();
    let pods = client_pods(cluster);
    let reference = chosen_pod(&pods, state.dns_from.get());
    let (namespace, pod_name) = reference.split_once('/').unwrap_or(("", ""));
    let Some(pod) = cluster
        .pods
        .iter()
        .find(|pod| pod.namespace == namespace && pod.name == pod_name)
    else {
        return Asked {
            text: "No pod to ask from.".to_owned(),
            ..Asked::default()
        };
    };
    let qtype = QType::parse(&state.dns_type.get()).unwrap_or(QType::A);
    let conf = resolv_conf(pod, &dns_ip, &cluster.config.cluster_domain);
    let kind = if state.dns_musl.get() {
        ResolverKind::Musl
    } else {
        ResolverKind::Glibc
    };
    let asked = state.dns_name.get();
    let resolution = resolve(&server, &asked, qtype, &conf, kind);
    let tried = resolution
        .attempts
        .iter()
        .map(|attempt| (attempt.name.clone(), attempt.response.status().to_owned()))
        .collect();
    let text = if state.dns_dig.get() {
        resolution
            .result()
            .map(|response| text::dig(response, &dns_ip))
            .unwrap_or_default()
    } else {
        text::nslookup(&resolution, &asked, &dns_ip)
    };
    Asked {
        from: reference,
        tried,
        text,
        short: text::short_answer(&resolution),
    }
}

/// A DNS question (name, type, the pod that asks, glibc or musl) and its answer: every query
/// the pod's resolver sent with its status, then the final answer as `nslookup` or `dig`
/// prints it, all from the same model as `svcscope dns` (`asked`, computed by [`ask`] for the
/// panel and the picture alike).
///
/// The question lives in `state` (the pod as `namespace/pod`; empty or unknown means the first
/// pod), where scenarios preset it and share links restore it.
#[component]
pub fn DnsPanel(
    #[prop(into)] cluster: Signal<Cluster>,
    state: Explorer,
    #[prop(into)] asked: Signal<Asked>,
) -> impl IntoView {
    let (name, from, qtype, musl, dig) = (
        state.dns_name,
        state.dns_from,
        state.dns_type,
        state.dns_musl,
        state.dns_dig,
    );
    let pods = Memo::new(move |_| cluster.with(client_pods));
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <label class="query-form__field">
                "Name"
                <input
                    data-testid="dns-name"
                    type="text"
                    spellcheck="false"
                    prop:value=move || name.get()
                    on:input=move |event| name.set(event_target_value(&event))
                />
            </label>
            <label class="query-form__field">
                "Type"
                <select data-testid="dns-type" on:change=move |event| qtype.set(event_target_value(&event))>
                    {QType::ALL
                        .into_iter()
                        .map(|kind| {
                            let selected = move || qtype.get() == kind.as_str();
                            view! { <option value=kind.as_str() selected=selected>{kind.as_str()}</option> }
                        })
                        .collect::<Vec<_>>()}
                </select>
            </label>
            <Choice label="From pod" options=pods shown=from chosen=from testid="dns-from" />
            <label class="query-form__check">
                <input
                    data-testid="dns-musl"
                    type="checkbox"
                    prop:checked=move || musl.get()
                    on:change=move |event| musl.set(event_target_checked(&event))
                />
                "musl (Alpine)"
            </label>
            <label class="query-form__check">
                <input
                    data-testid="dns-dig"
                    type="checkbox"
                    prop:checked=move || dig.get()
                    on:change=move |event| dig.set(event_target_checked(&event))
                />
                "dig"
            </label>
        </form>
        <ol class="tried" data-testid="dns-tried" aria-label="Queries the resolver sent">
            {move || {
                asked
                    .get()
                    .tried
                    .into_iter()
                    .map(|(name, status)| {
                        let class = format!("status status--{}", status.to_lowercase());
                        view! {
                            <li>
                                <code>{name}</code>
                                " "
                                <span class=class>{status}</span>
                            </li>
                        }
                    })
                    .collect::<Vec<_>>()
            }}
        </ol>
        <pre class="terminal" data-testid="dns-answer">{move || asked.get().text}</pre>
    }
}
