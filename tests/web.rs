//! Component wiring in a real browser (wasm-bindgen-test in headless Chrome via wasm-pack).
//! The parsing itself is tested natively in `tests/manifest.rs`; this checks only that the DOM
//! follows the editor.
#![cfg(target_arch = "wasm32")]
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use leptos::prelude::*;
use svcscope::explorer::scenarios;
use svcscope::ui::{Explorer, Workbench};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The text of every element matching `selector` inside `root`; a table row's cells are joined
/// with single spaces.
fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    elements(root, selector)
        .into_iter()
        .map(|element| {
            let cells = elements(&element, "td");
            if cells.is_empty() {
                element.text_content().unwrap_or_default()
            } else {
                cells
                    .iter()
                    .map(|cell| cell.text_content().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        })
        .collect()
}

fn elements(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let nodes = root.query_selector_all(selector).expect("valid selector");
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// How many addresses an nslookup answer gives for `nginx.default.svc.cluster.local`.
fn nginx_names(answer: &str) -> usize {
    answer
        .matches("Name:\tnginx.default.svc.cluster.local\n")
        .count()
}

/// Sets the value of the `nth` form control matching `selector` (an input, a textarea or a
/// select) and fires `event` on it, as a user's typing (`input`) or choice (`change`) does.
fn set_value(root: &web_sys::Element, selector: &str, nth: usize, value: &str, event: &str) {
    let control = elements(root, selector)
        .into_iter()
        .nth(nth)
        .expect("the control is rendered");
    js_sys::Reflect::set(&control, &"value".into(), &value.into()).expect("value is writable");
    let event = web_sys::Event::new(event).expect("event");
    control.dispatch_event(&event).expect("dispatch");
}

/// Types `value` into the editor as a user would: set the value, fire `input`.
fn type_into_editor(root: &web_sys::Element, value: &str) {
    set_value(root, "[data-testid=yaml-editor]", 0, value, "input");
}

/// Sets an input's value and fires `input`, as typing does.
fn type_into(root: &web_sys::Element, selector: &str, value: &str) {
    set_value(root, selector, 0, value, "input");
}

/// Picks `value` in a `<select>` and fires `change`, as choosing an option does.
fn choose(root: &web_sys::Element, selector: &str, value: &str) {
    set_value(root, selector, 0, value, "change");
}

/// Sets the `nth` matching input's value and fires `change`, as leaving an edited field does.
fn change_input(root: &web_sys::Element, selector: &str, nth: usize, value: &str) {
    set_value(root, selector, nth, value, "change");
}

fn mount_workbench(initial: &str) -> (web_sys::Element, RwSignal<String>) {
    let document = document();
    let container = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&container)
        .expect("append");
    let state = Explorer::new(initial);
    let text = state.text;
    let handle = leptos::mount::mount_to(container.clone().unchecked_into(), move || {
        view! { <Workbench state=state /> }
    });
    handle.forget();
    (container, text)
}

#[wasm_bindgen_test]
async fn lists_the_seed_objects_then_follows_edits() {
    let (root, text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    assert_eq!(
        texts(&root, "[data-testid=object-row]"),
        vec![
            "Service default nginx created",
            "Deployment default nginx-deployment created"
        ]
    );
    assert_eq!(
        texts(&root, "[data-testid=diagnostic]"),
        Vec::<String>::new()
    );
    let editor_value = root
        .query_selector("[data-testid=yaml-editor]")
        .ok()
        .flatten()
        .map(|element| {
            element
                .unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value()
        });
    assert_eq!(editor_value.as_deref(), Some(scenarios::HEADLESS_NGINX));

    type_into_editor(
        &root,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-headless\n  namespace: awx\nspec:\n  clusterIP: None\n  ports:\n  - port: 30088\n",
    );
    settle().await;
    assert_eq!(
        texts(&root, "[data-testid=object-row]"),
        vec!["Service awx web-headless created"]
    );
    assert_eq!(texts(&root, "[data-testid=object-count]"), vec!["1 object"]);
    assert!(text.get_untracked().contains("web-headless"));
}

#[wasm_bindgen_test]
async fn shows_a_syntax_error_with_line_and_column() {
    let (root, _text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    type_into_editor(&root, "kind: Service\nmetadata:\n  name: b\n   bad: [\n");
    settle().await;
    assert_eq!(
        texts(&root, "[data-testid=diagnostic]"),
        vec!["line 4, column 7: mapping values are not allowed in this context"]
    );
    assert_eq!(
        texts(&root, "[data-testid=object-row]"),
        Vec::<String>::new()
    );
    assert_eq!(
        texts(&root, "[data-testid=object-count]"),
        vec!["0 objects"]
    );
}

#[wasm_bindgen_test]
async fn names_render_as_text_not_html() {
    let (root, _text) = mount_workbench(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"<img src=x onerror=alert(1)>\"\n",
    );
    settle().await;
    assert_eq!(
        texts(&root, "[data-testid=object-row]"),
        vec!["Service default <img src=x onerror=alert(1)> rejected"]
    );
    assert!(root
        .query_selector("img")
        .expect("valid selector")
        .is_none());
}

/// Seed 000 with the Service's selector broken (`app: web`; the pods are `app: nginx`).
fn seed_000_selecting_no_pod() -> String {
    scenarios::HEADLESS_NGINX.replacen(
        "  selector:\n    app: nginx\n",
        "  selector:\n    app: web\n",
        1,
    )
}

#[wasm_bindgen_test]
async fn explains_a_service_without_endpoints() {
    // The "why does my Service have no endpoints?" story: the selector matches no pod, and the
    // page says so in words (the wording is pinned natively in tests/controllers.rs).
    let yaml = seed_000_selecting_no_pod();
    let (root, _text) = mount_workbench(&yaml);
    settle().await;
    let diagnostics = texts(&root, "[data-testid=diagnostic]");
    assert_eq!(
        diagnostics,
        vec!["line 12, column 5: Service nginx selects app=web; no pod has that label (pods have app=nginx)"]
    );
    // kubectl's describe of the Service lists no endpoints (the kubectl panel, opened).
    click(&root, "[data-testid=tab][data-panel=kubectl]", 0);
    settle().await;
    choose(
        &root,
        "[data-testid=kubectl-command]",
        "describe service nginx -n default",
    );
    settle().await;
    let described = texts(&root, "[data-testid=kubectl-text]").concat();
    assert!(
        described.contains("\nEndpoints:         <none>\n"),
        "{described}"
    );
}

#[wasm_bindgen_test]
async fn selecting_a_service_marks_its_yaml_and_says_why_each_pod_is_an_endpoint() {
    // Seed 000 with the selector broken: clicking the Service marks its YAML lines, and each
    // pod says why it is not an endpoint, pointing at the line of its label.
    let yaml = seed_000_selecting_no_pod();
    let (root, _text) = mount_workbench(&yaml);
    settle().await;
    click_on_picture(&root, "[data-select='Service/default/nginx']");
    settle().await;
    assert_eq!(
        texts(&root, "[data-testid=selection-title]"),
        ["Service default/nginx"]
    );
    let marked = root
        .query_selector("[data-testid=yaml-marked]")
        .ok()
        .flatten()
        .expect("the marked lines");
    let service_lines = marked.get_attribute("data-lines").unwrap_or_default();
    let first_line = |lines: &str| {
        lines
            .split('-')
            .next()
            .and_then(|first| first.parse::<usize>().ok())
            .unwrap_or(0)
    };
    assert_eq!(
        yaml.lines().nth(first_line(&service_lines) - 1),
        Some("apiVersion: v1"),
        "{service_lines}"
    );
    // The Service outlined on the picture; it selects no pod, so every pod is faint.
    assert_eq!(
        elements(
            &root,
            "[data-select='Service/default/nginx'][data-lit=selected]"
        )
        .len(),
        1
    );
    assert!(elements(&root, "[data-testid=canvas-pod][data-lit=related]").is_empty());
    assert!(!elements(&root, "[data-testid=canvas-pod][data-lit=no]").is_empty());
    let outcomes: Vec<String> = elements(&root, "[data-testid=verdict]")
        .iter()
        .map(|verdict| verdict.get_attribute("data-note").unwrap_or_default())
        .collect();
    assert!(!outcomes.is_empty());
    assert!(
        outcomes.iter().all(|outcome| outcome == "not an endpoint"),
        "{outcomes:?}"
    );
    let reasons = texts(&root, "[data-testid=reason]");
    assert!(
        reasons
            .iter()
            .any(|reason| reason.contains("label app=nginx, but the selector asks for app=web")),
        "{reasons:?}"
    );
    // A reason's line: the editor marks it, and it is the pod template's label.
    let label_reason = elements(&root, "[data-testid=reason]")
        .into_iter()
        .find(|reason| {
            reason
                .text_content()
                .is_some_and(|text| text.contains("label app=nginx"))
        })
        .expect("the label's reason");
    click(&label_reason, "[data-testid=line]", 0);
    settle().await;
    let line = marked.get_attribute("data-lines").unwrap_or_default();
    assert_eq!(
        yaml.lines().nth(first_line(&line) - 1).map(str::trim),
        Some("app: nginx"),
        "{line}"
    );
    // Clicking the picture's background lets the selection go.
    click(&root, "[data-testid=canvas-scroll]", 0);
    settle().await;
    assert!(elements(&root, "[data-testid=selection-title]").is_empty());
    assert!(elements(&root, "[data-testid=yaml-marked][data-lines]").is_empty());
}

#[wasm_bindgen_test]
async fn the_canvas_draws_nodes_pods_and_endpoint_links() {
    let (root, _text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    // control-plane + 2 workers; 2 nginx pods + 2 CoreDNS pods; nginx and kube-dns Services.
    assert_eq!(elements(&root, "[data-testid=canvas-node]").len(), 3);
    assert_eq!(elements(&root, "[data-testid=canvas-pod]").len(), 4);
    let services = texts(&root, "[data-testid=canvas-service]");
    assert_eq!(services.len(), 2, "{services:?}");
    assert!(
        services
            .iter()
            .any(|text| text.contains("default/nginx") && text.contains("no virtual IP (headless)")),
        "{services:?}"
    );
    // The EndpointSlices are boxes of their own: nginx's and kube-dns's, each with its two
    // endpoints and their conditions.
    let slices = texts(&root, "[data-testid=canvas-slice] text");
    assert_eq!(
        slices
            .iter()
            .filter(|text| text.as_str() == "ready")
            .count(),
        4,
        "{slices:?}"
    );
    assert!(
        slices.iter().any(|text| text.starts_with("nginx-")),
        "{slices:?}"
    );
    // One link per endpoint: nginx's two pods and kube-dns's two (per slice endpoint).
    assert_eq!(elements(&root, "[data-testid=canvas-endpoint]").len(), 4);
    // Names too long for their box are cut in the middle, keeping their own suffix: the
    // Deployment's pods (`nginx-deployment-<hash>-<suffix>`, 33 characters) show the first 22
    // characters, an ellipsis and the last five; CoreDNS's (24) show whole.
    let pods: Vec<String> = texts(&root, "[data-testid=what-if-pod]")
        .iter()
        .filter_map(|row| row.split(' ').next()?.split('/').nth(1).map(str::to_owned))
        .collect();
    let shown = texts(&root, "[data-testid=canvas-pod] .canvas__pod-name");
    assert_eq!(shown.len(), 4, "{shown:?}");
    for text in &shown {
        if text.starts_with("coredns-") {
            assert_eq!(text.chars().count(), 24, "{text}");
            continue;
        }
        let (head, tail) = text.split_once('\u{2026}').expect("cut in the middle");
        assert_eq!((head.len(), tail.len()), (22, 5), "{text}");
        assert!(
            pods.iter()
                .any(|pod| pod.len() == 33 && pod.starts_with(head) && pod.ends_with(tail)),
            "{text} among {pods:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn asks_dns_from_a_pod() {
    let (root, _text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    // The default question: `nginx` from the first pod (default namespace): found on the
    // first search domain, two A records (the headless Service's pods).
    assert_eq!(
        texts(&root, "[data-testid=dns-tried] li"),
        vec!["nginx.default.svc.cluster.local. NOERROR"]
    );
    let answer = texts(&root, "[data-testid=dns-answer]").concat();
    assert!(
        answer.starts_with("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"),
        "{answer}"
    );
    assert_eq!(nginx_names(&answer), 2, "{answer}");
    type_into(&root, "[data-testid=dns-name]", "nope");
    settle().await;
    let tried = texts(&root, "[data-testid=dns-tried] li");
    assert_eq!(
        tried,
        vec![
            "nope.default.svc.cluster.local. NXDOMAIN",
            "nope.svc.cluster.local. NXDOMAIN",
            "nope.cluster.local. NXDOMAIN",
            "nope. FORWARDED",
        ]
    );
}

#[wasm_bindgen_test]
async fn sends_a_packet_and_shows_its_hops() {
    let (root, _text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    // nginx is headless: DNS, then the client connects straight to a pod (no DNAT).
    assert_eq!(
        texts(&root, "[data-testid=trace-verdict]"),
        vec!["delivered"]
    );
    let steps = texts(&root, "[data-testid=trace-step]");
    assert!(
        steps.first().is_some_and(|step| step.starts_with("dns")),
        "{steps:?}"
    );
    assert!(steps.iter().all(|step| !step.contains("DNAT")), "{steps:?}");
    assert_eq!(elements(&root, "[data-testid=trace-backends] li").len(), 2);
    type_into(&root, "[data-testid=trace-to]", "kube-dns.kube-system:53");
    settle().await;
    let steps = texts(&root, "[data-testid=trace-step]");
    assert!(
        steps
            .iter()
            .any(|step| step.contains("DNAT to the endpoint")),
        "{steps:?}"
    );
}

#[wasm_bindgen_test]
async fn a_scenario_loads_its_yaml_question_and_packet() {
    let (root, text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    let button: web_sys::HtmlElement = root
        .query_selector("[data-scenario=nodeport]")
        .expect("valid selector")
        .expect("the NodePort scenario button")
        .unchecked_into();
    button.click();
    settle().await;
    assert!(text.get_untracked().contains("nodePort: 30080"));
    assert_eq!(
        texts(&root, "[data-testid=object-row]"),
        vec![
            "Service default nginx-ro created",
            "Deployment default nginx-deployment-ro created",
            "Pod default client created",
        ]
    );
    let explanation = texts(&root, "[data-testid=scenario-explanation]").concat();
    assert!(
        explanation.starts_with("Every node opens 30080"),
        "{explanation}"
    );
    assert_eq!(
        texts(&root, "[data-testid=dns-tried] li"),
        vec!["nginx-ro.default.svc.cluster.local. NOERROR"]
    );
    assert_eq!(
        texts(&root, "[data-testid=trace-verdict]"),
        vec!["delivered"]
    );
    // 30080 is drawn on every node's edge.
    let nodes = texts(&root, "[data-testid=canvas-node]");
    assert!(nodes.iter().all(|node| node.contains("30080")), "{nodes:?}");
}

/// Clicks a box of the picture (an SVG element has no `click()`: a bubbling click event).
fn click_on_picture(root: &web_sys::Element, selector: &str) {
    let element = elements(root, selector)
        .into_iter()
        .next()
        .expect("the box is drawn");
    dispatch_click(&element);
}

/// A bubbling click event on `element`, as a pointer's click is.
fn dispatch_click(element: &web_sys::Element) {
    let event = web_sys::Event::new_with_event_init_dict("click", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .expect("click");
    element.dispatch_event(&event).expect("dispatch");
}

fn click(root: &web_sys::Element, selector: &str, nth: usize) {
    let element: web_sys::HtmlElement = elements(root, selector)
        .into_iter()
        .nth(nth)
        .expect("the button is rendered")
        .unchecked_into();
    element.click();
}

#[wasm_bindgen_test]
async fn what_ifs_change_the_cluster_and_everything_follows() {
    let (root, text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    let before = texts(&root, "[data-testid=what-if-pod]");
    assert_eq!(before.len(), 2, "{before:?}");
    // The Deployment is offered for scaling, not the ReplicaSet it owns; then the nodes.
    let workloads = texts(&root, "[data-testid=what-if-workload]");
    assert_eq!(workloads.len(), 2, "{workloads:?}");
    assert!(workloads[0].starts_with("Deployment default/nginx-deployment: 2"));
    assert!(workloads[1].starts_with("Nodes: 3"), "{workloads:?}");
    // Fail the first pod's readiness: the headless Service's DNS answer loses it.
    click(&root, "[data-testid=flip-ready]", 0);
    settle().await;
    let answer = texts(&root, "[data-testid=dns-answer]").concat();
    assert_eq!(nginx_names(&answer), 1, "{answer}");
    // Delete the second pod: the ReplicaSet replaces it under a new name.
    let deleted = before[1].split(' ').next().unwrap_or("").to_owned();
    click(&root, "[data-testid=delete-pod]", 1);
    settle().await;
    let after = texts(&root, "[data-testid=what-if-pod]");
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after
            .iter()
            .all(|pod| !pod.starts_with(&format!("{deleted} "))),
        "{after:?}"
    );
    let events = texts(&root, "[data-testid=event]");
    assert!(
        events
            .iter()
            .any(|event| after_moment(event) == format!("pod {deleted} deleted")),
        "{events:?}"
    );
    // Scale the Deployment up: a third pod, and the YAML says replicas: 3 (the earlier
    // what-ifs still apply).
    click(&root, "[data-testid=scale-up]", 0);
    settle().await;
    assert_eq!(texts(&root, "[data-testid=what-if-pod]").len(), 3);
    assert!(text.get_untracked().contains("  replicas: 3\n"));
    let pods = texts(&root, "[data-testid=what-if-pod]");
    assert!(
        pods.iter().any(|pod| pod.contains("not ready")),
        "{pods:?} {:?}",
        texts(&root, "[data-testid=event]")
    );
    assert!(texts(&root, "[data-testid=what-if-workload]")
        .concat()
        .contains("nginx-deployment: 3"));
    // A node joins, then the last node leaves again.
    click(&root, "[data-testid=scale-up]", 1);
    settle().await;
    assert!(texts(&root, "[data-testid=what-if-workload]")
        .concat()
        .contains("Nodes: 4"));
    let events = texts(&root, "[data-testid=event]");
    assert!(
        events
            .iter()
            .any(|event| after_moment(event).starts_with("node node-3 joined")),
        "{events:?}"
    );
    click(&root, "[data-testid=scale-down]", 1);
    settle().await;
    assert!(texts(&root, "[data-testid=what-if-workload]")
        .concat()
        .contains("Nodes: 3"));
    assert!(texts(&root, "[data-testid=event]")
        .iter()
        .any(|event| after_moment(event) == "node node-3 deleted"));
}

#[wasm_bindgen_test]
async fn relabeling_a_pod_out_of_its_selector() {
    let (root, text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    let before = texts(&root, "[data-testid=what-if-pod]");
    let pod = before[0].split(' ').next().unwrap_or("").to_owned();
    let name = pod.rsplit('/').next().unwrap_or("").to_owned();
    // The field holds the pod's labels, as `kubectl label` takes them.
    let field: web_sys::HtmlInputElement = elements(&root, "[data-testid=pod-labels]")
        .into_iter()
        .next()
        .expect("a label field")
        .unchecked_into();
    assert!(
        field.value().starts_with("app=nginx pod-template-hash="),
        "{}",
        field.value()
    );
    // A value kubectl refuses: nothing changes, kubectl's error shows.
    change_input(&root, "[data-testid=pod-labels]", 0, "app=-x");
    settle().await;
    let said = texts(&root, "[data-testid=what-if-output]").concat();
    assert!(
        said.contains("error: invalid label value: \"app=-x\""),
        "{said}"
    );
    assert_eq!(texts(&root, "[data-testid=what-if-pod]").len(), 2);
    // Out of the selector: released, replaced, and gone from the headless Service's answer.
    change_input(&root, "[data-testid=pod-labels]", 0, "app=debug");
    settle().await;
    let said = texts(&root, "[data-testid=what-if-output]").concat();
    assert_eq!(
        said,
        format!(
            "$ kubectl label --overwrite -n default pod {name} app=debug\npod/{name} labeled\n"
        )
    );
    assert_eq!(texts(&root, "[data-testid=what-if-pod]").len(), 3);
    let events = texts(&root, "[data-testid=event]");
    assert!(
        events
            .iter()
            .any(|event| after_moment(event).starts_with(&format!("pod {pod} labels"))),
        "{events:?}"
    );
    let answer = texts(&root, "[data-testid=dns-answer]").concat();
    assert_eq!(nginx_names(&answer), 2, "{answer}");
    // A Deployment's pod is not in the YAML: the change stays a command.
    assert_eq!(text.get_untracked(), scenarios::HEADLESS_NGINX);
}

/// A bare Pod's labels are in its manifest: `kubectl label` on it is written there, and the
/// pod joins the Service it now matches.
#[wasm_bindgen_test]
async fn relabeling_a_bare_pod_writes_its_manifest() {
    let yaml = format!(
        "{}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: busybox\n",
        scenarios::HEADLESS_NGINX
    );
    let (root, text) = mount_workbench(&yaml);
    settle().await;
    let index = texts(&root, "[data-testid=what-if-pod]")
        .iter()
        .position(|row| row.starts_with("default/client "))
        .expect("the client pod");
    change_input(&root, "[data-testid=pod-labels]", index, "app=nginx");
    settle().await;
    assert_eq!(
        text.get_untracked(),
        yaml.replace(
            "metadata:\n  name: client\n",
            "metadata:\n  labels:\n    app: nginx\n  name: client\n"
        )
    );
    assert_eq!(
        texts(&root, "[data-testid=what-if-output]").concat(),
        "$ kubectl label --overwrite -n default pod client app=nginx\npod/client labeled\n"
    );
    let answer = texts(&root, "[data-testid=dns-answer]").concat();
    assert_eq!(nginx_names(&answer), 3, "{answer}");
}

#[wasm_bindgen_test]
async fn the_cluster_picture_zooms_and_keeps_its_layout() {
    let (root, _text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    let svg = || {
        root.query_selector("[data-testid=cluster-canvas]")
            .ok()
            .flatten()
            .expect("the picture")
    };
    let view_box = svg().get_attribute("viewBox");
    // 100% is the picture's natural size (issue 16): the SVG as many pixels wide as its
    // layout, so its text shows at the size it is written for.
    let natural: i64 = view_box
        .as_deref()
        .and_then(|view_box| view_box.split(' ').nth(2))
        .and_then(|width| width.parse().ok())
        .expect("a viewBox width");
    let width = || -> i64 {
        svg()
            .get_attribute("width")
            .and_then(|width| width.parse().ok())
            .expect("a width in pixels")
    };
    assert_eq!(texts(&root, "[data-testid=zoom-level]"), vec!["100%"]);
    assert_eq!(width(), natural);
    click(&root, "[data-testid=zoom-in]", 0);
    click(&root, "[data-testid=zoom-in]", 0);
    settle().await;
    assert_eq!(texts(&root, "[data-testid=zoom-level]"), vec!["225%"]);
    assert_eq!(width(), natural * 225 / 100);
    // The keyboard, on the focused picture.
    let area = elements(&root, "[data-testid=canvas-scroll]")
        .into_iter()
        .next()
        .expect("the scroll area");
    let press = |key: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
            .expect("key event");
        area.dispatch_event(&event).expect("dispatch");
    };
    press("-");
    settle().await;
    assert_eq!(texts(&root, "[data-testid=zoom-level]"), vec!["150%"]);
    // Zooming scales the picture; the layout inside it does not move.
    assert_eq!(svg().get_attribute("viewBox"), view_box);
    // "Fit": the whole width in the scroll area.
    click(&root, "[data-testid=zoom-fit]", 0);
    settle().await;
    let available = i64::from(area.client_width());
    assert!(
        (width() - available).abs() <= natural / 100 + 1,
        "fit: {} px in {available} px",
        width()
    );
    // Twelve steps out reach the smallest zoom from anywhere below 100%; 0 is back to 100%.
    for _ in 0..12 {
        click(&root, "[data-testid=zoom-out]", 0);
    }
    settle().await;
    assert_eq!(texts(&root, "[data-testid=zoom-level]"), vec!["1%"]);
    press("0");
    settle().await;
    assert_eq!(texts(&root, "[data-testid=zoom-level]"), vec!["100%"]);
}

/// Lets a change made from a DOM event run through every memo and effect it reaches (a click on
/// the picture goes through the question, the answer and the picture again: more than one
/// microtask), and the errands it sends be answered (in-thread in this build, `--features
/// in-thread`) and drawn: an answer sets signals whose effects run a tick later.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

#[wasm_bindgen_test]
async fn the_picture_shows_the_dns_question_and_clicks_ask_it() {
    let (root, _text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    // Seed 000's question, nginx from the first pod: the headless Service's two pod addresses.
    // The answer card lists it a record a line.
    let answer = texts(&root, "[data-testid=canvas-dns-answer] text");
    assert_eq!(answer[0], "DNS answer", "{answer:?}");
    assert!(answer.contains(&"NOERROR".to_owned()), "{answer:?}");
    assert_eq!(
        answer
            .iter()
            .filter(|line| line.starts_with("A 10.244."))
            .count(),
        2,
        "{answer:?}"
    );
    // Clicking the kube-dns Service selects it: the inspector says what it is, and its
    // "Ask DNS" button asks for its name: one virtual IP.
    let click = dispatch_click;
    let dns_box: web_sys::Element = root
        .query_selector("[data-select='Service/kube-system/kube-dns'] rect")
        .ok()
        .flatten()
        .expect("the kube-dns Service on the picture");
    click(&dns_box);
    settle().await;
    assert_eq!(
        texts(&root, "[data-testid=selection-title]"),
        ["Service kube-system/kube-dns"]
    );
    // The cluster's own Service has no YAML: nothing is marked.
    assert!(elements(&root, "[data-testid=yaml-marked][data-lines]").is_empty());
    let ask = root
        .query_selector("[data-testid=selection-ask]")
        .ok()
        .flatten()
        .expect("Ask DNS for it");
    click(&ask);
    settle().await;
    let field: web_sys::HtmlInputElement = root
        .query_selector("[data-testid=dns-name]")
        .ok()
        .flatten()
        .expect("the name field")
        .unchecked_into();
    assert_eq!(field.value(), "kube-dns.kube-system");
    let answer = texts(&root, "[data-testid=canvas-dns-answer] text");
    assert_eq!(
        answer.get(2..),
        Some(&["NOERROR".to_owned(), "A 10.96.0.10".to_owned()][..]),
        "{answer:?}"
    );
    // Selecting a CoreDNS pod and "Ask DNS from this pod" make it the pod that asks.
    let pods = elements(&root, "[data-select^='Pod/']");
    let coredns = pods
        .iter()
        .find(|pod| {
            pod.get_attribute("data-select")
                .is_some_and(|id| id.starts_with("Pod/kube-system/coredns-"))
        })
        .expect("a CoreDNS pod")
        .clone();
    let key = coredns
        .get_attribute("data-select")
        .unwrap_or_default()
        .trim_start_matches("Pod/")
        .to_owned();
    click(&coredns);
    settle().await;
    let ask_from = root
        .query_selector("[data-testid=selection-ask-from]")
        .ok()
        .flatten()
        .expect("Ask DNS from this pod");
    click(&ask_from);
    settle().await;
    let from: web_sys::HtmlSelectElement = root
        .query_selector("[data-testid=dns-from]")
        .ok()
        .flatten()
        .expect("the pod choice")
        .unchecked_into();
    assert_eq!(from.value(), key);
}

/// The editor's value, as the user sees it.
fn editor_value(root: &web_sys::Element) -> String {
    root.query_selector("[data-testid=yaml-editor]")
        .ok()
        .flatten()
        .map(|element| {
            element
                .unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value()
        })
        .unwrap_or_default()
}

/// Typing replaces only the coloured lines that changed: the others keep their elements (the
/// browser then has no style or layout work for them), and the copy stays the text, character
/// for character, through changes, insertions and deletions of lines.
#[wasm_bindgen_test]
async fn the_coloured_copy_replaces_only_the_lines_that_changed() {
    let first = "kind: Service\nmetadata:\n  name: a\nspec:\n  type: ClusterIP\n";
    let (root, text) = mount_workbench(first);
    settle().await;
    let lines = |root: &web_sys::Element| elements(root, "[data-testid=yaml-colours] > span");
    let before = lines(&root);
    assert_eq!(
        before.len(),
        6,
        "five lines and the empty one after the last newline"
    );
    type_into_editor(
        &root,
        "kind: Service\nmetadata:\n  name: b\nspec:\n  type: ClusterIP\n",
    );
    settle().await;
    let after = lines(&root);
    assert_eq!(after.len(), 6);
    let kept: Vec<bool> = before
        .iter()
        .zip(&after)
        .map(|(old, new)| old.is_same_node(Some(new)))
        .collect();
    assert_eq!(kept, [true, true, false, true, true, true]);
    for edited in [
        "kind: Service\nmetadata:\n  name: b\n  labels: {}\nspec:\n  type: ClusterIP\n",
        "spec:\n  type: ClusterIP\n",
        "",
        "a: 1\n\nb: [\n",
        first,
    ] {
        text.set(edited.to_owned());
        settle().await;
        assert_eq!(
            texts(&root, "[data-testid=yaml-colours]").concat(),
            format!("{edited}\n "),
            "{edited:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn colours_the_yaml_and_underlines_errors_where_they_point() {
    let (root, _text) = mount_workbench("kind: Service\nmetadata:\n  name: b\n   bad: [\n");
    settle().await;
    // The coloured copy is the text, character for character.
    assert_eq!(
        texts(&root, "[data-testid=yaml-colours]").concat(),
        "kind: Service\nmetadata:\n  name: b\n   bad: [\n\n "
    );
    // The key `bad:` is split where the error points.
    assert_eq!(
        texts(&root, ".yaml--key"),
        vec!["kind:", "metadata:", "name:", "bad", ":"]
    );
    // "line 4, column 7": the colon after `bad`.
    assert_eq!(texts(&root, ".yaml--error"), vec![":"]);
}

#[wasm_bindgen_test]
async fn undo_and_redo_walk_the_history() {
    let (root, _text) = mount_workbench(scenarios::HEADLESS_NGINX);
    settle().await;
    let edited =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: kept\nspec:\n  ports:\n  - port: 80\n";
    type_into_editor(&root, edited);
    settle().await;
    click(&root, "[data-testid=scenario]", 4);
    settle().await;
    let nodeport = editor_value(&root);
    assert!(nodeport.contains("NodePort"), "{nodeport}");
    click(&root, "[data-testid=undo]", 0);
    settle().await;
    assert_eq!(editor_value(&root), edited);
    assert_eq!(
        texts(&root, "[data-testid=object-row]"),
        vec!["Service default kept created"]
    );
    click(&root, "[data-testid=undo]", 0);
    settle().await;
    assert_eq!(editor_value(&root), scenarios::HEADLESS_NGINX);
    let redo = elements(&root, "[data-testid=redo]");
    assert_eq!(
        redo.iter()
            .map(|button| button.has_attribute("disabled"))
            .collect::<Vec<_>>(),
        vec![false]
    );
    click(&root, "[data-testid=redo]", 0);
    settle().await;
    assert_eq!(editor_value(&root), edited);
    click(&root, "[data-testid=redo]", 0);
    settle().await;
    assert_eq!(editor_value(&root), nodeport);
}

/// An event line without the simulated moment it starts with (`1.0s pod ... deleted`).
fn after_moment(event: &str) -> &str {
    match event.split_once(' ') {
        Some((moment, rest)) if moment.ends_with('s') && moment.contains('.') => rest,
        _ => event,
    }
}
