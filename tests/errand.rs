//! The page's errands to its second module (`svcscope::explorer::errand`), natively: requests
//! and answers survive their trip as bytes, any bytes get an answer and never a panic, every
//! scenario's first screen comes through whole, the rules views in all three modes are the
//! CLI's text (`svcscope iptables`, `nft`, `ipvs`, whose own tests pin them to upstream and to
//! real iptables, nft and ipset), and what-ifs are written where the synchronous page wrote them.
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

use std::io::Write;
use std::process::{Command as Process, Stdio};

use proptest::prelude::*;
use svcscope::explorer::errand::{reply, Action, Errand, Reply, Request, Worker};
use svcscope::explorer::questions::{DnsFormat, DnsQuestion};
use svcscope::explorer::rules_view::{Mark, RulesFormat};
use svcscope::explorer::scenarios::{scenario, SCENARIOS};
use svcscope::explorer::scene::{scene, SceneQuestion};
use svcscope::sim::control::cluster::{Cluster, Command};
use svcscope::sim::dns::resolver::ResolverKind;
use svcscope::sim::input::objects::WorkloadKind;
use svcscope::sim::key::ObjectKey;

/// `svcscope args` on `yaml`: its standard output.
fn cli(args: &[&str], yaml: &str) -> String {
    let mut child = Process::new(env!("CARGO_BIN_EXE_svcscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("svcscope starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(yaml.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("svcscope finishes");
    assert!(output.status.success(), "svcscope {args:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

fn request(yaml: &str, errand: Errand) -> Request {
    Request {
        id: 7,
        yaml: yaml.to_owned(),
        commands: Vec::new(),
        trace_from: String::new(),
        trace_to: "nginx:8080".to_owned(),
        errand,
        stack: String::new(),
    }
}

/// The answer to `request` after its trip as bytes both ways, as the page reads it.
fn asked(worker: &mut Worker, request: &Request) -> Reply {
    let (id, answer) = reply(&worker.answer(&request.to_bytes()));
    assert_eq!(id, request.id);
    answer
}

fn question(id: &str) -> SceneQuestion {
    let chosen = scenario(id).expect("a scenario");
    SceneQuestion {
        step: None,
        dns: DnsQuestion {
            from: chosen.dns.0.to_owned(),
            name: chosen.dns.1.to_owned(),
            qtype: "A".to_owned(),
            resolver: ResolverKind::Glibc,
            format: DnsFormat::Nslookup,
        },
        trace_from: chosen.trace.0.to_owned(),
        trace_to: chosen.trace.1.to_owned(),
        spread: true,
        focus: String::new(),
        selected: String::new(),
    }
}

#[test]
fn every_scenario_s_first_screen_comes_through_whole() {
    let mut worker = Worker::default();
    for chosen in SCENARIOS {
        for step in [None, Some(0), Some(3)] {
            let question = SceneQuestion {
                step,
                ..question(chosen.id)
            };
            let mut sent = request(chosen.yaml(), Errand::Scene(question.clone()));
            sent.stack = chosen.stack().id().to_owned();
            sent.trace_from = question.trace_from.clone();
            sent.trace_to = question.trace_to.clone();
            let Reply::Scene(answer) = asked(&mut worker, &sent) else {
                panic!("{}: not a scene", chosen.id);
            };
            // The same as the model gives the CLI's and the tests' callers directly.
            let cluster = Cluster::build(chosen.yaml(), &chosen.stack().config());
            assert_eq!(
                *answer,
                scene(&cluster, &question),
                "{} {step:?}",
                chosen.id
            );
            assert!(!answer.objects.is_empty(), "{}", chosen.id);
            // At step 0 nothing has happened yet: no pod on the picture; now, every pod is.
            match step {
                Some(0) => assert_eq!(answer.picture.pods, 0, "{}", chosen.id),
                None => assert_ne!(answer.picture.pods, 0, "{}", chosen.id),
                Some(_) => {}
            }
            assert!(answer.spread.is_some(), "{}", chosen.id);
        }
    }
}

#[test]
fn the_rules_views_are_the_cli_s_text_in_all_three_modes() {
    let mut worker = Worker::default();
    for id in ["nodeport", "loadbalancer", "headless", "statefulset"] {
        let chosen = scenario(id).expect("a scenario");
        for (format, args) in [
            (RulesFormat::Save, vec!["iptables"]),
            (RulesFormat::Restore, vec!["iptables", "-o", "restore"]),
            (RulesFormat::Nft, vec!["nft"]),
            (RulesFormat::Ipvs, vec!["ipvs"]),
        ] {
            // The second worker: the default view follows the trace to the first.
            let sent = request(
                chosen.yaml(),
                Errand::Rules {
                    node: String::new(),
                    service: String::new(),
                    format,
                },
            );
            let Reply::Rules(first) = asked(&mut worker, &sent) else {
                panic!("{id} {format:?}: not rules");
            };
            let node = first.nodes.last().expect("nodes").clone();
            let sent = request(
                chosen.yaml(),
                Errand::Rules {
                    node: node.clone(),
                    service: String::new(),
                    format,
                },
            );
            let Reply::Rules(view) = asked(&mut worker, &sent) else {
                panic!("{id} {format:?}: not rules");
            };
            assert_eq!(view.node, node);
            let shown: String = view
                .lines
                .iter()
                .map(|(line, _)| format!("{line}\n"))
                .collect();
            let mut all = args.clone();
            all.extend(["--node", node.as_str()]);
            assert_eq!(shown, cli(&all, chosen.yaml()), "{id} {format:?}");
        }
    }
}

#[test]
fn nft_and_ipvs_mark_the_chosen_service() {
    let chosen = scenario("nodeport").expect("the nodeport scenario");
    let cluster = Cluster::build(chosen.yaml(), &chosen.stack().config());
    let vip = cluster
        .service("default", "nginx-ro")
        .and_then(|service| service.spec.cluster_ips.first().cloned())
        .expect("a ClusterIP");
    let mut worker = Worker::default();
    let view = |worker: &mut Worker, format| {
        let sent = request(
            chosen.yaml(),
            Errand::Rules {
                node: String::new(),
                service: "default/nginx-ro".to_owned(),
                format,
            },
        );
        match asked(worker, &sent) {
            Reply::Rules(view) => view.lines,
            other => panic!("not rules: {other:?}"),
        }
    };
    let marked = |lines: &[(String, Mark)]| -> Vec<String> {
        lines
            .iter()
            .filter(|(_, mark)| *mark == Mark::Service)
            .map(|(line, _)| line.trim().to_owned())
            .collect()
    };
    // nftables: the Service's chains whole (header to closing brace), and the map elements that
    // jump to them; nothing of kube-dns or kubernetes.
    let nft = marked(&view(&mut worker, RulesFormat::Nft));
    assert!(
        nft.iter()
            .any(|line| line.starts_with("chain service-")
                && line.contains("-default/nginx-ro/tcp/")),
        "{nft:#?}"
    );
    assert!(
        nft.iter()
            .any(|line| line.starts_with("chain endpoint-")
                && line.contains("-default/nginx-ro/tcp/")),
        "{nft:#?}"
    );
    assert!(nft.iter().any(|line| line == "}"), "{nft:#?}");
    assert!(
        nft.iter()
            .any(|line| line.contains(&format!("{vip} . tcp . 80 : goto service-"))),
        "{nft:#?}"
    );
    assert!(
        !nft.iter()
            .any(|line| line.contains("kube-dns") || line.contains("kubernetes")),
        "{nft:#?}"
    );
    // IPVS: the virtual server at the ClusterIP and its real servers, and no other.
    let ipvs = marked(&view(&mut worker, RulesFormat::Ipvs));
    assert_eq!(
        ipvs.first().map(String::as_str),
        Some(format!("TCP  {vip}:80 rr").as_str()),
        "{ipvs:#?}"
    );
    assert_eq!(
        ipvs.iter().filter(|line| line.starts_with("TCP")).count(),
        1
    );
    assert_eq!(
        ipvs.iter().filter(|line| line.starts_with("->")).count(),
        3,
        "{ipvs:#?}"
    );
}

#[test]
fn the_kubectl_view_is_the_cli_s_text() {
    let chosen = scenario("headless").expect("the headless scenario");
    let mut worker = Worker::default();
    let sent = request(
        chosen.yaml(),
        Errand::Kubectl {
            command: "describe service nginx -n default".to_owned(),
        },
    );
    let Reply::Kubectl(view) = asked(&mut worker, &sent) else {
        panic!("not kubectl");
    };
    assert_eq!(view.command, "describe service nginx -n default");
    assert!(view.offered.contains(&view.command));
    assert_eq!(
        view.text,
        cli(
            &["describe", "service", "nginx", "-n", "default"],
            chosen.yaml()
        )
    );
    // A command no longer offered (the Service was renamed): the first listing instead.
    let sent = request(
        chosen.yaml(),
        Errand::Kubectl {
            command: "describe service gone -n default".to_owned(),
        },
    );
    let Reply::Kubectl(view) = asked(&mut worker, &sent) else {
        panic!("not kubectl");
    };
    assert_eq!(view.command, "get services -A -o wide");
}

#[test]
fn what_ifs_are_written_where_the_page_writes_them() {
    let chosen = scenario("headless").expect("the headless scenario");
    let mut worker = Worker::default();
    let deployment = ObjectKey::new("default", "nginx-deployment");
    // Scaling a Deployment whose replicas are a plain number: written into the YAML.
    let scale = Command::Scale {
        workload: deployment.clone(),
        kind: WorkloadKind::Deployment,
        replicas: 3,
    };
    let sent = request(chosen.yaml(), Errand::WhatIf(Action::Run(scale.clone())));
    let Reply::WhatIf(done) = asked(&mut worker, &sent) else {
        panic!("not a what-if");
    };
    assert_eq!(done.commands.len(), 1);
    let (command, written) = &done.commands[0];
    assert_eq!(command, &scale);
    let written = written.as_deref().expect("written into the YAML");
    assert!(written.contains("replicas: 3"), "{written}");
    assert_eq!(
        written.replacen("replicas: 3", "replicas: 2", 1),
        chosen.yaml()
    );
    // A pod's readiness is no field of the YAML: a command replayed on the cluster.
    let cluster = Cluster::build(chosen.yaml(), &chosen.stack().config());
    let pod = cluster
        .pods
        .iter()
        .find(|pod| pod.name.starts_with("nginx-deployment-"))
        .map(|pod| ObjectKey::new(&pod.namespace, &pod.name))
        .expect("an nginx pod");
    let flip = Command::SetPodReady {
        pod: pod.clone(),
        ready: false,
    };
    let sent = request(chosen.yaml(), Errand::WhatIf(Action::Run(flip.clone())));
    let Reply::WhatIf(done) = asked(&mut worker, &sent) else {
        panic!("not a what-if");
    };
    assert_eq!(done.commands, vec![(flip, None)]);
    // `kubectl label` says what kubectl prints, and its command follows.
    let sent = request(
        chosen.yaml(),
        Errand::WhatIf(Action::Label {
            pod: pod.clone(),
            args: "app=other".to_owned(),
        }),
    );
    let Reply::WhatIf(done) = asked(&mut worker, &sent) else {
        panic!("not a what-if");
    };
    assert_eq!(
        done.said,
        format!(
            "$ kubectl label --overwrite -n default pod {} app=other\npod/{} labeled\n",
            pod.name, pod.name
        )
    );
    assert_eq!(done.commands.len(), 1);
}

#[test]
fn what_ifs_replayed_by_the_worker_change_its_scene() {
    let chosen = scenario("headless").expect("the headless scenario");
    let mut worker = Worker::default();
    let mut sent = request(chosen.yaml(), Errand::Scene(question("headless")));
    let Reply::Scene(before) = asked(&mut worker, &sent) else {
        panic!("not a scene");
    };
    sent.commands = vec![Command::Scale {
        workload: ObjectKey::new("default", "nginx-deployment"),
        kind: WorkloadKind::Deployment,
        replicas: 5,
    }];
    let Reply::Scene(after) = asked(&mut worker, &sent) else {
        panic!("not a scene");
    };
    assert_eq!(after.pods.len(), before.pods.len() + 3);
    assert!(after.events.len() > before.events.len());
}

#[test]
fn a_damaged_request_is_answered_with_why() {
    let mut worker = Worker::default();
    let bytes = request(
        "kind: Service",
        Errand::Kubectl {
            command: String::new(),
        },
    )
    .to_bytes();
    let cut = &bytes[..bytes.len() - 3];
    let (id, answer) = reply(&worker.answer(cut));
    assert_eq!(id, 0);
    assert!(
        matches!(&answer, Reply::Failed(why) if why.starts_with("a request that cannot be read")),
        "{answer:?}"
    );
    // A damaged answer, on the page's side.
    let (id, answer) = reply(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    assert_eq!(id, 0);
    assert!(matches!(answer, Reply::Failed(_)), "{answer:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes at all: an answer, never a panic (a panic in the worker would leave every
    /// panel waiting).
    #[test]
    fn any_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut worker = Worker::default();
        let (id, answer) = reply(&worker.answer(&bytes));
        match Request::from_bytes(&bytes) {
            // Bytes that read as a request (it happens): answered as one.
            Ok(request) => prop_assert_eq!(id, request.id),
            Err(why) => {
                prop_assert_eq!(id, 0);
                prop_assert_eq!(answer, Reply::Failed(why));
            }
        }
    }

    /// Every request survives its trip as bytes.
    #[test]
    fn requests_round_trip(
        yaml in ".{0,80}",
        command in ".{0,40}",
        id in any::<u32>(),
        step in proptest::option::of(0usize..50),
    ) {
        for errand in [
            Errand::Kubectl { command: command.clone() },
            Errand::Scene(SceneQuestion { step, ..question("headless") }),
            Errand::Rules { node: command.clone(), service: yaml.clone(), format: RulesFormat::Nft },
        ] {
            let sent = Request { id, yaml: yaml.clone(), errand, ..request("", Errand::Kubectl { command: String::new() }) };
            prop_assert_eq!(Request::from_bytes(&sent.to_bytes()), Ok(sent));
        }
    }
}

/// Damaged answer bytes become a `Failed` reply the page can show, never a panic.
#[test]
fn a_damaged_answer_is_said_to_be_unreadable() {
    let (id, answer) = svcscope::explorer::errand::reply(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(id, 0);
    assert!(
        matches!(&answer, Reply::Failed(why) if why.starts_with("an answer that cannot be read")),
        "{answer:?}"
    );
}

/// The nodes' row scales the cluster's nodes: `+` a node joins, `-` the last node leaves
/// (never the only one), replayed as commands, not written into the YAML.
#[test]
fn the_nodes_row_adds_and_removes_nodes() {
    use svcscope::explorer::what_if::NODES;
    let chosen = scenario("headless").expect("the headless scenario");
    let mut worker = Worker::default();
    let nodes = |replicas| Command::Scale {
        workload: ObjectKey::new(NODES.0, NODES.1),
        kind: WorkloadKind::Deployment,
        replicas,
    };
    for (replicas, expected) in [
        (4, vec![Command::AddNode]),
        (
            2,
            vec![Command::RemoveNode {
                node: "node-2".to_owned(),
            }],
        ),
        (3, vec![]),
    ] {
        let sent = request(chosen.yaml(), Errand::WhatIf(Action::Run(nodes(replicas))));
        let Reply::WhatIf(done) = asked(&mut worker, &sent) else {
            panic!("not a what-if");
        };
        let made: Vec<Command> = done
            .commands
            .iter()
            .map(|(command, _)| command.clone())
            .collect();
        assert_eq!(made, expected, "{replicas}");
        assert!(done.commands.iter().all(|(_, written)| written.is_none()));
    }
}
