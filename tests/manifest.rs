//! Reading manifests into objects and diagnostics (`sim::manifest`).
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

use svcscope::explorer::scenarios;
use svcscope::sim::input::diagnostic::Severity;
use svcscope::sim::input::manifest::{parse_manifests, ReadStatus};

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
        let status = match object.status {
            ReadStatus::Accepted => "",
            ReadStatus::Rejected => " (rejected)",
            ReadStatus::NotSimulated => " (not simulated)",
        };
        out.push_str(&format!(
            "#{} {} {} {}{status}\n",
            object.document, object.kind, namespace, object.name
        ));
    }
    for diagnostic in &parsed.diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let object = if diagnostic.object.is_empty() {
            String::new()
        } else {
            format!(" {}", diagnostic.object)
        };
        out.push_str(&format!(
            "{severity} #{}{object}: {}\n",
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
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\nkind: Service\nmetadata:\n  name: b\n   bad: [\n",
            "#0 Service default a\nerror #1: line 8, column 7: mapping values are not allowed in this context\n",
        ),
        (
            "a syntax error costs only its own document",
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\na: *missing\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n",
            "#0 Service default a\n#2 Service default c\nerror #1: line 5, column 4: while parsing node, found unknown anchor\n",
        ),
        (
            "a Helm template's {{ }} breaks its document only",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\n---\napiVersion: v1\nkind: Service\nmetadata: {name: kept}\n",
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
        (
            // kubectl: "error validating data: apiVersion not set".
            "missing apiVersion",
            "kind: Service\nmetadata: {name: a}\n",
            "error #0: line 1, column 1: Object 'apiVersion' is missing\n",
        ),
        (
            "kind: List contributes its items",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: qa}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n",
            "#0 Service qa a\n#0 ConfigMap default b (not simulated)\n",
        ),
        (
            // kubectl apply (strict field validation, warn mode) reports unknown fields by path:
            // `Warning: unknown field "spec.selectr"`.
            "unknown fields are warnings with their path",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selectr:\n    app: web\n  ports:\n  - port: 80\n    targetPrt: 8080\n",
            "#0 Service default web\nwarning #0 Service/default/web: line 6, column 3: unknown field \"spec.selectr\"\nwarning #0 Service/default/web: line 10, column 5: unknown field \"spec.ports[0].targetPrt\"\n",
        ),
        (
            // The API server's JSON decoding rejects a string where an int32 is expected.
            "wrong types reject the object",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: \"80\"\n",
            "#0 Service default web (rejected)\nerror #0 Service/default/web: line 7, column 11: spec.ports[0].port: expected an integer, found a string (\"80\")\n",
        ),
        (
            // extensions/v1beta1 Deployments were removed in Kubernetes 1.16.
            "removed API versions are rejected",
            "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: old\n",
            "#0 Deployment default old (rejected)\nerror #0 Deployment/default/old: line 1, column 13: no matches for kind \"Deployment\" in version \"extensions/v1beta1\" (this kind is served as apps/v1)\n",
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
