//! The cluster picture's layout (`svcscope::explorer::picture`), natively: for every scenario
//! (with its DNS question and traced packet on it) and every file of the real corpus, no wire
//! crosses a line of text, every text stays inside its box and is at least 11 px high, no two
//! texts overlap; EndpointSlices are boxes of their own between Services and pods; a pod keeps
//! its place when another one is added; and a large cluster is drawn aggregated.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use std::path::PathBuf;

use svcscope::explorer::picture::{
    layout, layout_moving, motion_at, Motion, Picture, Shape, WireKind, POD_BOXES, SERVICES_SHOWN,
    STREAM_WAY_MS,
};
use svcscope::explorer::questions::{ask, spread_from_pod, trace_from_pod, DnsFormat, DnsQuestion};
use svcscope::explorer::scenarios::SCENARIOS;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::resolver::ResolverKind;

/// Every way the picture can break its rules, in words (empty: none).
fn faults(picture: &Picture) -> Vec<String> {
    let mut faults = Vec::new();
    let labels: Vec<_> = picture
        .boxes
        .iter()
        .flat_map(|item| item.text.iter().map(move |label| (item, label)))
        .collect();
    for (item, label) in &labels {
        let (left, top, right, bottom) = label.bounds();
        if label.style.size() < 11 {
            faults.push(format!("{:?} is under 11 px", label.text));
        }
        if item.shape != Shape::Cluster
            && (left < item.x
                || right > item.x + item.width
                || top < item.y
                || bottom > item.y + item.height)
        {
            faults.push(format!(
                "{:?} ({left},{top})-({right},{bottom}) leaves its {:?} box ({},{} {}x{})",
                label.text, item.shape, item.x, item.y, item.width, item.height
            ));
        }
        for wire in &picture.wires {
            for pair in wire.points.windows(2) {
                let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
                assert!(x1 == x2 || y1 == y2, "a diagonal wire: {wire:?}");
                let crosses = x1.min(x2) < right
                    && x1.max(x2) > left
                    && y1.min(y2) < bottom
                    && y1.max(y2) > top;
                if crosses {
                    faults.push(format!(
                        "a {:?} wire crosses {:?} at ({x1},{y1})-({x2},{y2})",
                        wire.kind, label.text
                    ));
                }
            }
        }
    }
    for (index, (_, a)) in labels.iter().enumerate() {
        for (_, b) in labels.iter().skip(index + 1) {
            let (al, at, ar, ab) = a.bounds();
            let (bl, bt, br, bb) = b.bounds();
            if al < br && bl < ar && at < bb && bt < ab {
                faults.push(format!("{:?} overlaps {:?}", a.text, b.text));
            }
        }
    }
    faults
}

fn question(from: &str, name: &str) -> DnsQuestion {
    DnsQuestion {
        from: from.to_owned(),
        name: name.to_owned(),
        qtype: "A".to_owned(),
        resolver: ResolverKind::Glibc,
        format: DnsFormat::Nslookup,
    }
}

#[test]
fn every_scenario_is_drawn_without_a_wire_across_its_text() {
    for chosen in SCENARIOS {
        let cluster = Cluster::build(chosen.yaml(), &chosen.stack().config());
        let asked = ask(&cluster, &question(chosen.dns.0, chosen.dns.1));
        let traced = trace_from_pod(&cluster, chosen.trace.0, chosen.trace.1).ok();
        // With the 20 requests streaming to their backends too.
        let motion = Motion {
            spread: spread_from_pod(&cluster, chosen.trace.0, chosen.trace.1).unwrap_or_default(),
            ..Motion::default()
        };
        let picture = layout_moving(&cluster, traced.as_ref(), Some(&asked), "", None, &motion);
        let faults = faults(&picture);
        assert!(faults.is_empty(), "{}:\n{}", chosen.id, faults.join("\n"));
        // Every EndpointSlice of a drawn Service is a box of its own, and every endpoint whose
        // pod is drawn has its wire.
        let slices = cluster
            .endpoint_slices
            .iter()
            .filter(|slice| !(slice.namespace == "default" && slice.service == "kubernetes"))
            .count();
        let drawn = |shape| {
            picture
                .boxes
                .iter()
                .filter(|item| item.shape == shape)
                .count()
        };
        assert_eq!(drawn(Shape::Slice), slices, "{}", chosen.id);
        let endpoints: usize = cluster
            .endpoint_slices
            .iter()
            .filter(|slice| !(slice.namespace == "default" && slice.service == "kubernetes"))
            .flat_map(|slice| &slice.endpoints)
            .filter(|endpoint| {
                endpoint.addresses.iter().any(|address| {
                    cluster
                        .pods
                        .iter()
                        .any(|pod| pod.ip.as_deref() == Some(address.as_str()))
                })
            })
            .count();
        let wires = picture
            .wires
            .iter()
            .filter(|wire| matches!(wire.kind, WireKind::Ready | WireKind::NotReady))
            .count();
        assert_eq!(wires, endpoints, "{}", chosen.id);
        assert_eq!(picture.pods, cluster.pods.len(), "{}", chosen.id);
        // The 20 requests: a way to each backend, carrying its share, and a card saying so.
        let streamed: usize = picture
            .wires
            .iter()
            .filter(|wire| wire.kind == WireKind::Stream)
            .map(|wire| wire.count)
            .sum();
        let reached: usize = motion.spread.iter().map(|(_, count)| count).sum();
        // Each request its dot, timed within the stream's cycle: leaving, then arriving
        // STREAM_WAY_MS later; the 20 leave at 20 different times.
        let mut leaving = Vec::new();
        for wire in picture
            .wires
            .iter()
            .filter(|wire| wire.kind == WireKind::Stream)
        {
            assert_eq!(wire.dots.len(), wire.count, "{}", chosen.id);
            for dot in &wire.dots {
                let times: Vec<f64> = dot.split(';').map(|time| time.parse().unwrap()).collect();
                assert_eq!(times.len(), 4, "{dot}");
                assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{dot}");
                assert_eq!((times[0], times[3]), (0.0, 1.0), "{dot}");
                let way = (times[2] - times[1]) * picture.stream_ms as f64;
                assert!((way - STREAM_WAY_MS as f64).abs() < 2.0, "{dot}: {way}");
                leaving.push(dot.split(';').nth(1).unwrap_or_default().to_owned());
            }
        }
        leaving.sort();
        leaving.dedup();
        assert_eq!(leaving.len(), streamed, "{}: {leaving:?}", chosen.id);
        if traced.is_some() {
            assert_eq!(streamed, reached, "{}", chosen.id);
            assert_eq!(reached, 20, "{}", chosen.id);
            assert!(
                picture.boxes.iter().any(|item| item.shape == Shape::Spread),
                "{}",
                chosen.id
            );
            // The story tells it in words: the packet's hops, and where the 20 went.
            assert!(
                picture
                    .story
                    .iter()
                    .any(|line| line.starts_with("Packet: ")),
                "{}",
                chosen.id
            );
            assert!(
                picture
                    .story
                    .iter()
                    .any(|line| line.starts_with("20 requests: ")),
                "{}",
                chosen.id
            );
        }
        // The question and the packet have their ways.
        if asked.from.is_some() {
            assert!(
                picture.wires.iter().any(|wire| wire.kind == WireKind::Dns),
                "{}",
                chosen.id
            );
            let card = picture
                .boxes
                .iter()
                .find(|item| item.shape == Shape::Answer)
                .expect("the answer card");
            // The answer, a record a line.
            for line in &asked.lines {
                assert!(
                    card.text.iter().any(|label| &label.text == line),
                    "{}: {line}",
                    chosen.id
                );
            }
        }
    }
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("SVCSCOPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real"))
}

#[test]
fn every_corpus_file_is_drawn_without_a_wire_across_its_text() {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("the corpus")
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yaml" || extension == "yml")
        })
        .collect();
    files.sort();
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let cluster = Cluster::build(&text, &ClusterConfig::default());
        let picture = layout(&cluster, None, None, "", None);
        let faults = faults(&picture);
        assert!(
            faults.is_empty(),
            "{}:\n{}",
            file.display(),
            faults.join("\n")
        );
    }
}

fn deployment(replicas: usize) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - containerPort: 8080\n"
    )
}

/// Where each pod's box is, by the pod it stands for.
fn places(picture: &Picture) -> Vec<(String, (i64, i64))> {
    picture
        .boxes
        .iter()
        .filter_map(
            |item| match svcscope::explorer::selection::Selected::parse(&item.select) {
                Some(svcscope::explorer::selection::Selected::Pod(key)) => {
                    Some((key.to_string(), (item.x, item.y)))
                }
                _ => None,
            },
        )
        .collect()
}

#[test]
fn a_pod_keeps_its_place_when_another_is_added() {
    for replicas in 1..8 {
        let before = places(&layout(
            &Cluster::build(&deployment(replicas), &ClusterConfig::default()),
            None,
            None,
            "",
            None,
        ));
        let after = places(&layout(
            &Cluster::build(&deployment(replicas + 1), &ClusterConfig::default()),
            None,
            None,
            "",
            None,
        ));
        assert_eq!(after.len(), before.len() + 1);
        for (pod, at) in &before {
            assert_eq!(
                after
                    .iter()
                    .find(|(other, _)| other == pod)
                    .map(|(_, at)| at),
                Some(at),
                "{pod} moved when replica {} came",
                replicas + 1
            );
        }
    }
}

#[test]
fn a_large_cluster_is_drawn_aggregated_and_found_by_name() {
    let manifest: String = (0..100)
        .map(|i| {
            deployment(10)
                .replace("name: web", &format!("name: web-{i}"))
                .replace("app: web", &format!("app: web-{i}"))
        })
        .collect::<Vec<_>>()
        .join("---\n");
    // Ten workers: room for the 1,000 pods (the kubelet's 110 pods a node).
    let config = ClusterConfig {
        nodes: 10,
        ..ClusterConfig::default()
    };
    let cluster = Cluster::build(&manifest, &config);
    assert_eq!(cluster.pods.len(), 1002);
    assert!(cluster.pods.iter().all(|pod| pod.node_name.is_some()));
    let picture = layout(&cluster, None, None, "", None);
    assert!(faults(&picture).is_empty(), "{:?}", faults(&picture));
    // Every pod is counted; no node draws more than its pod boxes' worth.
    assert_eq!(picture.pods, 1002);
    let pod_boxes = |picture: &Picture| {
        picture
            .boxes
            .iter()
            .filter(|item| matches!(item.shape, Shape::Pod | Shape::PodNotReady | Shape::Group))
            .count()
    };
    assert!(
        pod_boxes(&picture) <= cluster.nodes.len() * 100,
        "{}",
        pod_boxes(&picture)
    );
    let services = picture
        .boxes
        .iter()
        .filter(|item| matches!(item.shape, Shape::Service | Shape::Headless))
        .count();
    assert_eq!(services, SERVICES_SHOWN);
    let more = picture
        .boxes
        .iter()
        .find(|item| item.shape == Shape::More)
        .expect("a box says how many more");
    // kube-dns and 100 Services: 40 drawn, 61 more.
    assert_eq!(more.text[0].text, "+61 more Services");
    let groups = picture
        .boxes
        .iter()
        .filter(|item| item.shape == Shape::Group)
        .count();
    assert!(groups > 0);
    // Selecting a group opens it in place: its pods one by one, lit, the other groups shut.
    let group = picture
        .boxes
        .iter()
        .find(|item| item.shape == Shape::Group)
        .expect("a group");
    let selected =
        svcscope::explorer::selection::Selected::parse(&group.select).expect("a group id");
    let members = cluster
        .pods
        .iter()
        .filter(|pod| {
            format!("Group/{}", svcscope::explorer::selection::owner_of(pod)) == group.select
        })
        .count();
    let open = layout(&cluster, None, None, "", Some(&selected));
    assert!(faults(&open).is_empty(), "{:?}", faults(&open));
    let lit_pods = open
        .boxes
        .iter()
        .filter(|item| {
            item.shape == Shape::Pod && item.lit != svcscope::explorer::picture::Lit::Plain
        })
        .count();
    assert_eq!(lit_pods, members);
    // One group box fewer on each node it was drawn on.
    let its_boxes = picture
        .boxes
        .iter()
        .filter(|item| item.select == group.select)
        .count();
    assert!(its_boxes >= 1);
    assert_eq!(
        open.boxes
            .iter()
            .filter(|item| item.shape == Shape::Group)
            .count(),
        groups - its_boxes
    );
    assert_eq!(open.pods, 1002);
    // Found by name: web-42's Service and its ten pods, one by one.
    let found = layout(&cluster, None, None, "web-42", None);
    assert!(faults(&found).is_empty(), "{:?}", faults(&found));
    let titles: Vec<&str> = found
        .boxes
        .iter()
        .filter(|item| item.shape == Shape::Service)
        .map(|item| item.text[0].text.as_str())
        .collect();
    assert_eq!(titles, ["default/web-42"]);
    assert_eq!(found.pods, 10);
    assert!(10 <= POD_BOXES * cluster.nodes.len());
    assert_eq!(
        found
            .boxes
            .iter()
            .filter(|item| item.shape == Shape::Pod)
            .count(),
        10
    );
    assert_eq!(
        found
            .wires
            .iter()
            .filter(|wire| wire.kind == WireKind::Ready)
            .count(),
        10
    );
    // A name nothing has says so.
    let none = layout(&cluster, None, None, "no-such-thing", None);
    assert!(none
        .boxes
        .iter()
        .any(|item| item.shape == Shape::More && item.text[0].text.starts_with("No Service has")));
}

#[test]
fn a_pod_turning_ready_lights_its_endpoint_as_it_appears() {
    // Step by step through seed 000's convergence: the step where the kubelet reports a pod
    // Ready lights that pod's state; the slice write that follows lights its new endpoints
    // (and their wires), and only those: a later write that changes nothing lights nothing.
    let yaml = deployment(2);
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let events: Vec<String> = cluster.events.iter().map(|event| event.message()).collect();
    let web_slice = events
        .iter()
        .position(|event| event.starts_with("EndpointSlice default/web-"))
        .expect("web's slice written")
        + 1;
    let motion = motion_at(&cluster, web_slice);
    assert_eq!(motion.fresh.len(), 2, "{motion:?}");
    let picture = layout_moving(&cluster.at(web_slice), None, None, "", None, &motion);
    assert!(faults(&picture).is_empty());
    let fresh_texts: Vec<&str> = picture
        .boxes
        .iter()
        .filter(|item| item.shape == Shape::Slice)
        .flat_map(|item| &item.text)
        .filter(|label| label.fresh)
        .map(|label| label.text.as_str())
        .collect();
    // Each endpoint: its address and its conditions.
    assert_eq!(fresh_texts.len(), 4, "{fresh_texts:?}");
    assert_eq!(
        fresh_texts.iter().filter(|text| **text == "ready").count(),
        2
    );
    assert_eq!(picture.wires.iter().filter(|wire| wire.fresh).count(), 2);
    // The step before it: a pod reported Ready, its state lit.
    let ready = events
        .iter()
        .position(|event| event.starts_with("pod default/web-") && event.ends_with(" is Ready"))
        .expect("a web pod Ready")
        + 1;
    let motion = motion_at(&cluster, ready);
    assert_eq!(motion.fresh_pods.len(), 1);
    let picture = layout_moving(&cluster.at(ready), None, None, "", None, &motion);
    let lit: Vec<&str> = picture
        .boxes
        .iter()
        .filter(|item| item.shape == Shape::Pod)
        .flat_map(|item| &item.text)
        .filter(|label| label.fresh)
        .map(|label| label.text.as_str())
        .collect();
    assert_eq!(lit.len(), 1, "{lit:?}");
    assert!(lit[0].ends_with("Ready"), "{lit:?}");
    // Step 0 and now: nothing just changed.
    assert_eq!(motion_at(&cluster, 0), Motion::default());
    assert_eq!(motion_at(&cluster, usize::MAX), Motion::default());
}

/// `services` Services, each with a 10-replica Deployment (the e2e timings' manifest).
fn generated(services: usize) -> String {
    (0..services)
        .map(|i| {
            deployment(10)
                .replace("name: web", &format!("name: web-{i}"))
                .replace("app: web", &format!("app: web-{i}"))
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

/// Where each selectable box is, by what it stands for.
fn selectable_places(picture: &Picture) -> Vec<(String, (i64, i64))> {
    picture
        .boxes
        .iter()
        .filter(|item| !item.select.is_empty())
        .map(|item| (item.select.clone(), (item.x, item.y)))
        .collect()
}

#[test]
fn generated_clusters_of_10_100_and_1000_services_keep_the_rules() {
    for services in [10, 100, 1000] {
        let cluster = Cluster::build(&generated(services), &ClusterConfig::default());
        assert_eq!(cluster.pods.len(), services * 10 + 2);
        let picture = layout(&cluster, None, None, "", None);
        assert!(
            faults(&picture).is_empty(),
            "{services}: {:?}",
            faults(&picture)
        );
        assert_eq!(picture.pods, services * 10 + 2, "{services}");
        let drawn = picture
            .boxes
            .iter()
            .filter(|item| item.shape == Shape::Service)
            .count();
        assert_eq!(drawn, (services + 1).min(SERVICES_SHOWN), "{services}");
        // Selected, the first Service lights its slice and its pods (or their groups).
        let selected =
            svcscope::explorer::selection::Selected::parse("Service/default/web-0").expect("an id");
        let lit = layout(&cluster, None, None, "", Some(&selected));
        assert!(faults(&lit).is_empty(), "{services}: {:?}", faults(&lit));
        assert!(
            lit.boxes
                .iter()
                .any(|item| matches!(item.shape, Shape::Pod | Shape::Group)
                    && item.lit == svcscope::explorer::picture::Lit::Related),
            "{services}"
        );
        // Stable: one more Service and Deployment moves nothing already drawn.
        let more = Cluster::build(&generated(services + 1), &ClusterConfig::default());
        let after = selectable_places(&layout(&more, None, None, "", None));
        // (A group is drawn once on each node its pods run on: each of its boxes stays.)
        for (what, at) in selectable_places(&picture) {
            assert!(
                after.contains(&(what.clone(), at)),
                "{services}: {what} at {at:?} moved"
            );
        }
    }
}

/// The pods the scheduler refused are drawn in a column of their own after the nodes,
/// titled Pending, aggregated as on a node, with the scheduler's message in its hover; every
/// pod is counted; no wire crosses a text.
#[test]
fn pods_no_node_takes_are_drawn_pending() {
    let cluster = Cluster::build(&deployment(300), &ClusterConfig::default());
    let refused = cluster
        .pods
        .iter()
        .filter(|pod| pod.unschedulable.is_some())
        .count();
    assert_eq!(refused, 80);
    let picture = layout(&cluster, None, None, "", None);
    assert!(faults(&picture).is_empty(), "{:?}", faults(&picture));
    assert_eq!(picture.pods, 302);
    let column = picture
        .boxes
        .iter()
        .find(|item| item.shape == Shape::Node && item.text[0].text == "Pending")
        .expect("a Pending column");
    assert_eq!(column.text[1].text, "80 pods");
    assert!(
        column
            .hover
            .starts_with("0/3 nodes are available: 1 node(s) had untolerated taint"),
        "{}",
        column.hover
    );
    // After the last node's column.
    let last_node = picture
        .boxes
        .iter()
        .filter(|item| {
            matches!(item.shape, Shape::Node | Shape::ControlPlane)
                && item.text[0].text != "Pending"
        })
        .map(|item| item.x)
        .max()
        .unwrap();
    assert!(column.x > last_node);
    // Inside the picture (and the cluster's edge), so that "Fit" shows it.
    assert!(
        column.x + column.width <= picture.width,
        "{} {}",
        column.x + column.width,
        picture.width
    );
    // Without a refused pod, no such column.
    let fits = Cluster::build(&deployment(3), &ClusterConfig::default());
    let picture = layout(&fits, None, None, "", None);
    assert!(!picture.boxes.iter().any(|item| item
        .text
        .first()
        .is_some_and(|label| label.text == "Pending")));
}

/// The topology scenario's nodes say their zone, and the slice's hover lists each endpoint's
/// hints.
#[test]
fn zones_and_hints_are_on_the_picture() {
    let scenario = svcscope::explorer::scenarios::scenario("topology").unwrap();
    let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
    let picture = layout(&cluster, None, None, "", None);
    assert!(faults(&picture).is_empty(), "{:?}", faults(&picture));
    let b1 = picture
        .boxes
        .iter()
        .find(|item| item.shape == Shape::Node && item.text[0].text == "node-b1")
        .unwrap();
    assert_eq!(b1.text[2].text, "192.168.0.13  10.244.3.0/24  zone-b");
    assert!(
        b1.hover.contains("topology.kubernetes.io/zone=zone-b"),
        "{}",
        b1.hover
    );
    let slice = picture
        .boxes
        .iter()
        .find(|item| item.shape == Shape::Slice && item.text[0].text.starts_with("web-"))
        .unwrap();
    assert!(
        slice.hover.contains("hints: for zones zone-b"),
        "{}",
        slice.hover
    );
}
