//! Reading manifests into objects and diagnostics (`sim::manifest`).
#![cfg(not(target_arch = "wasm32"))]

use svcscope::sim::manifest::{parse_manifests, Severity};
use svcscope::sim::scenarios;

/// Renders what the parser found as `kubectl get`-like lines, then diagnostics.
fn render(text: &str) -> String {
    let parsed = parse_manifests(text);
    let mut out = String::new();
    for object in &parsed.objects {
        let namespace = if object.namespace.is_empty() {
            "-"
        } else {
            &object.namespace
        };
        out.push_str(&format!(
            "#{} {} {} {}\n",
            object.document, object.kind, namespace, object.name
        ));
    }
    for diagnostic in &parsed.diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "{severity} #{}: {}\n",
            diagnostic.document,
            diagnostic.to_display_string()
        ));
    }
    out
}

#[test]
fn manifests_table() {
    // (name, input, expected). Namespace defaulting to `default` follows the API server
    // (kubernetes pkg/apis/core: objects created without metadata.namespace land in the request's
    // namespace, `default` for kubectl without -n); cluster-scoped kinds have none
    // (`kubectl api-resources --namespaced=false`).
    let cases: &[(&str, &str, &str)] = &[
        (
            "seed 000 headless service and deployment",
            scenarios::HEADLESS_NGINX,
            "#0 Service default nginx\n#1 Deployment default nginx-deployment\n",
        ),
        ("empty input", "", ""),
        (
            "comments and empty documents are skipped",
            "# just a comment\n---\n---\nkind: Namespace\napiVersion: v1\nmetadata: {name: qa}\n",
            "#1 Namespace - qa\n",
        ),
        (
            "explicit namespace kept",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-headless\n  namespace: awx\n",
            "#0 Service awx web-headless\n",
        ),
        (
            "JSON is YAML",
            r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"nginx-cx1"}}"#,
            "#0 Service default nginx-cx1\n",
        ),
        (
            "missing kind",
            "apiVersion: v1\nmetadata:\n  name: x\n",
            "error #0: line 1, column 1: Object 'Kind' is missing\n",
        ),
        (
            "scalar document",
            "hello\n",
            "error #0: line 1, column 1: expected a Kubernetes object (a mapping with apiVersion and kind), found a string\n",
        ),
        (
            "syntax error keeps earlier documents and reports line and column",
            "kind: Service\nmetadata: {name: a}\n---\nkind: Service\nmetadata:\n  name: b\n   bad: [\n",
            "#0 Service default a\nerror #1: line 7, column 7: mapping values are not allowed in this context\n",
        ),
        (
            "a syntax error costs only its own document",
            "kind: Service\nmetadata: {name: a}\n---\na: *missing\n---\nkind: Service\nmetadata: {name: c}\n",
            "#0 Service default a\n#2 Service default c\nerror #1: line 4, column 4: while parsing node, found unknown anchor\n",
        ),
        (
            "a Helm template's {{ }} breaks its document only",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\n---\nkind: Service\nmetadata: {name: kept}\n",
            "#1 Service default kept\nerror #0: line 4, column 28: this document is a template, not YAML: render it first (helm template, envsubst, ...); the YAML parser says: while parsing a block mapping, did not find expected key\n",
        ),
        (
            // sigs.k8s.io/yaml (go-yaml v2) rejects duplicate mapping keys with this wording.
            "duplicate keys are an error, as in kubectl",
            "kind: Service\nmetadata:\n  name: a\n  labels: {app: x, app: y}\nkind: Pod\n",
            "error #0: line 4, column 20: mapping key \"app\" already defined at line 4\nerror #0: line 5, column 1: mapping key \"kind\" already defined at line 1\n",
        ),
        (
            "unclosed flow sequence",
            "kind: Service\nspec:\n  ports: [1, 2\n",
            "error #0: line 4, column 1: while parsing a flow sequence, expected ',' or ']'\n",
        ),
    ];
    let mut failures = Vec::new();
    for (name, input, expected) in cases {
        let actual = render(input);
        if actual != *expected {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
