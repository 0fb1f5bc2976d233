//! The rules panel's marks, for seed 002's NodePort Service (`nodeport` scenario): which lines
//! of the dump belong to the Service, and which rules the traced packet matched, in both
//! spellings. The dumps themselves are the CLI's (`tests/e2e.rs` compares the panel with the
//! CLI; `tests/proxy.rs` and `tests/iptables_save.rs` pin them to upstream and to a real
//! iptables).
#![cfg(not(target_arch = "wasm32"))]
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use svcscope::explorer::rules_view::{marked_rules, Mark, RulesFormat};
use svcscope::explorer::scenarios::scenario;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::plugin::{Dns, DnsOptions};
use svcscope::sim::key::ObjectKey;
use svcscope::sim::proxy::trace::{trace, Source};

fn marked(lines: &[(String, Mark)], mark: Mark) -> Vec<&str> {
    lines
        .iter()
        .filter(|(_, found)| *found == mark)
        .map(|(line, _)| line.as_str())
        .collect()
}

#[test]
fn both_spellings_mark_the_service_and_the_matched_rules() {
    let nodeport = scenario("nodeport").expect("the nodeport scenario");
    let cluster = Cluster::build(nodeport.yaml(), &ClusterConfig::default());
    let dns = Dns::new(&cluster, DnsOptions::default());
    let traced = trace(
        &cluster,
        &dns,
        &Source::Pod(ObjectKey::new("default", "client")),
        "nginx-ro",
        80,
        "tcp",
        40000,
    )
    .expect("a trace");
    let node = traced
        .steps
        .iter()
        .find(|step| step.rule.is_some())
        .and_then(|step| step.node.clone())
        .expect("a node that rewrote the packet");
    let service = cluster.service("default", "nginx-ro").expect("the Service");
    let vip = service
        .spec
        .cluster_ips
        .first()
        .expect("a ClusterIP")
        .clone();
    let rules = |format| marked_rules(&cluster, &node, "default/nginx-ro", Some(&traced), format);

    // iptables, both spellings: the same rules matched (DNAT to the chosen endpoint included),
    // and the Service's own chains stand out.
    let restore = rules(RulesFormat::Restore);
    let save = rules(RulesFormat::Save);
    let matched_restore = marked(&restore, Mark::Matched);
    let matched_save = marked(&save, Mark::Matched);
    assert!(matched_restore.len() >= 3, "{matched_restore:#?}");
    assert_eq!(
        matched_restore.len(),
        matched_save.len(),
        "{matched_save:#?}"
    );
    assert!(matched_save.iter().any(|rule| rule.contains("-j DNAT")));
    // iptables-save spells the VIP with its mask.
    assert!(
        matched_save
            .iter()
            .any(|rule| rule.starts_with(&format!("-A KUBE-SERVICES -d {vip}/32 -p tcp"))),
        "{matched_save:#?}"
    );
    assert!(matched_save
        .iter()
        .all(|rule| rule.starts_with("-A KUBE-") && !rule.contains("\"-j")));
    for lines in [&restore, &save] {
        let service_lines = marked(lines, Mark::Service);
        assert!(
            service_lines
                .iter()
                .any(|line| line.starts_with(":KUBE-SVC-")),
            "{service_lines:#?}"
        );
        assert!(service_lines
            .iter()
            .any(|line| line.starts_with("-A KUBE-SEP-")));
        // Shared chains are not the Service's.
        assert!(!service_lines
            .iter()
            .any(|line| line.starts_with("-A KUBE-SERVICES ")));
    }
}

#[test]
fn formats_have_stable_ids() {
    for format in RulesFormat::ALL {
        assert_eq!(RulesFormat::from_id(format.id()), format);
    }
    assert_eq!(RulesFormat::from_id("bogus"), RulesFormat::Save);
}
